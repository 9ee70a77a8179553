// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/config.hpp"

#include <caf/atom.hpp>
#include <caf/config_option_adder.hpp>
#include <caf/io/middleman.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/timespan.hpp>

#include "sssn/channel_message.hpp"
#include "sssn/channel_protocol.hpp"
#include "sssn/error.hpp"
#include "sssn/node.hpp"
#include "sssn/requester.hpp"
#include "sssn/responder.hpp"

namespace sssn {

void add_message_types(caf::actor_system_config& cfg) {
  cfg.add_message_type<channel_message>("sssn::channel_message");
  cfg.add_message_type<std::vector<channel_message>>(
    "std::vector<sssn::channel_message>");
  cfg.add_message_type<content>("sssn::content");
  cfg.add_message_type<write_options>("sssn::write_options");
  cfg.add_message_type<delivery>("sssn::delivery");
  cfg.add_message_type<subscription>("sssn::subscription");
  cfg.add_message_type<message_filter>("sssn::message_filter");
  cfg.add_message_type<evict_options>("sssn::evict_options");
  cfg.add_message_type<channel_stats>("sssn::channel_stats");
  cfg.add_message_type<access_policy>("sssn::access_policy");
  cfg.add_message_type<requester_stats>("sssn::requester_stats");
  cfg.add_message_type<responder_stats>("sssn::responder_stats");
  cfg.add_message_type<channel_actor>("sssn::channel_actor");
  cfg.add_message_type<subscriber_actor>("sssn::subscriber_actor");
  cfg.add_message_type<requester_actor>("sssn::requester_actor");
  cfg.add_message_type<responder_actor>("sssn::responder_actor");
  cfg.add_message_type<directory_actor>("sssn::directory_actor");
  cfg.add_message_type<node_stats>("sssn::node_stats");
  cfg.add_error_category(error_category(),
                         [](uint8_t code, caf::atom_value,
                            const caf::message& ctx) {
                           std::string result = "sssn: ";
                           result += to_string(static_cast<ec>(code));
                           if (ctx.size() > 0 && ctx.match_element<std::string>(0)) {
                             result += " (";
                             result += ctx.get_as<std::string>(0);
                             result += ")";
                           }
                           return result;
                         });
}

caf::error check_message_types(const caf::actor_system& sys,
                               const char* what) {
  // One type of each kind that crosses nodes: CAF registers all of
  // add_message_types or none of them.
  if (sys.types().make_value(typeid(channel_message)) != nullptr
      && sys.types().make_value(typeid(channel_actor)) != nullptr)
    return caf::none;
  return make_error(ec::invalid_argument,
                    std::string{what}
                      + " needs sssn's message types, which this actor "
                        "system's config lacks: call "
                        "sssn::add_message_types(*this) in your config's "
                        "constructor (or derive it from sssn::config); "
                        "without them peers would get "
                        "unexpected_actor_messaging_interface");
}

config::config() {
  sssn::add_message_types(*this);
  load<caf::io::middleman>();
  load<caf::openssl::manager>();
  set("work-stealing.moderate-poll-attempts", 0);
  caf::config_option_adder{custom_options_, "sssn"}.add<std::string>(
    "auth-secret-file", "file holding the HMAC secret of access tokens; with it, "
                   "operations from other nodes need a token");
}

} // namespace sssn
