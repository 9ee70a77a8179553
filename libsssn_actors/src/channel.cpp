// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/channel.hpp"

#include <variant>

#include <caf/actor_cast.hpp>
#include <caf/send.hpp>
#include <caf/sec.hpp>

#include "detail/blocking.hpp"
#include "detail/channel/channel_actor.hpp"
#include "detail/owner_secret.hpp"
#include "detail/system_registry.hpp"
#include "sssn/detail/token_proof.hpp"
#include "sssn/log.hpp"

namespace sssn {

namespace detail {

/// Owns a channel: when the last owning handle goes, the channel stops.
struct channel_owner {
  channel_owner(channel_actor hdl, owner_secret secret)
    : hdl(std::move(hdl)), secret(secret) {
    // nop
  }

  channel_owner(const channel_owner&) = delete;
  channel_owner& operator=(const channel_owner&) = delete;

  channel_actor hdl;
  owner_secret secret;

  ~channel_owner() {
    caf::anon_send(caf::actor_cast<channel_actor_impl>(hdl),
                   release_atom::value, secret.first, secret.second);
  }
};

caf::error normalize_channel_error(caf::error err, const std::string& id) {
  if (err == caf::sec::request_receiver_down)
    return make_error(ec::channel_down, "channel '" + id + "' is down");
  if (err == caf::sec::request_timeout && err.context().empty())
    return caf::make_error(caf::sec::request_timeout,
                           "channel '" + id + "' did not answer in time");
  return err;
}

namespace {

/// The live channels of each actor system by id, for `find_channel`.
system_registry<std::string, std::monostate>& channels() {
  static system_registry<std::string, std::monostate> instance;
  return instance;
}

void register_channel(caf::actor_system& sys, const std::string& id,
                      const channel_actor& hdl) {
  auto added = channels().find_or_add(sys, id, [&hdl] {
    using entry = system_registry<std::string, std::monostate>::entry;
    return entry{caf::actor_cast<caf::strong_actor_ptr>(hdl), {}};
  }).second;
  if (!added)
    log(log_level::warning, "sssn.channel",
        "channel id '" + id
          + "' is already used by a live channel of this actor system; "
            "find_channel keeps returning the first one");
}

} // namespace

} // namespace detail

channel::channel(channel_actor hdl, std::string id)
  : hdl_(std::move(hdl)), id_(std::move(id)) {
  // nop
}

template <class T, class... Ts>
caf::expected<T> channel::blocking(Ts&&... xs) const {
  if (!hdl_)
    return make_error(ec::channel_down,
                      "channel '" + id_ + "': invalid channel handle");
  auto result = detail::blocking_request<T>(hdl_.home_system(), hdl_, timeout_,
                                            std::forward<Ts>(xs)...);
  if (!result)
    return detail::normalize_channel_error(std::move(result.error()), id_);
  return result;
}

caf::expected<void> channel::start() const {
  return blocking<void>(start_atom::value);
}

caf::expected<std::string> channel::write(const std::string& sender_id,
                                          sssn::content data) const {
  return blocking<std::string>(write_atom::value, detail::prove(hdl_, sender_id), std::move(data));
}

caf::expected<std::string> channel::write(const std::string& sender_id,
                                          channel_message msg,
                                          write_options opts) const {
  return blocking<std::string>(write_atom::value, detail::prove(hdl_, sender_id), std::move(msg),
                               std::move(opts));
}

caf::expected<std::vector<channel_message>>
channel::read(const std::string& reader_id, uint32_t limit,
              const std::string& after) const {
  return blocking<std::vector<channel_message>>(read_atom::value, detail::prove(hdl_, reader_id),
                                                limit, after);
}

caf::expected<std::vector<channel_message>>
channel::read_exclusive(const std::string& reader_id, uint32_t limit) const {
  return blocking<std::vector<channel_message>>(claim_atom::value, detail::prove(hdl_, reader_id),
                                                limit);
}

caf::expected<uint64_t>
channel::acknowledge(const std::string& reader_id,
                     std::vector<std::string> ids) const {
  return blocking<uint64_t>(ack_atom::value, detail::prove(hdl_, reader_id), std::move(ids));
}

caf::expected<uint64_t> channel::nack(const std::string& reader_id,
                                      std::vector<std::string> ids) const {
  return blocking<uint64_t>(nack_atom::value, detail::prove(hdl_, reader_id), std::move(ids));
}

caf::expected<void> channel::subscribe(const std::string& system_id,
                                       subscriber_actor subscriber,
                                       subscription opts) const {
  return blocking<void>(subscribe_atom::value, detail::prove(hdl_, system_id),
                        std::move(subscriber), std::move(opts));
}

caf::expected<void> channel::unsubscribe(const std::string& system_id) const {
  return blocking<void>(unsubscribe_atom::value, detail::prove(hdl_, system_id));
}

caf::expected<uint64_t> channel::clear(const std::string& admin_id,
                                       message_filter filter) const {
  return blocking<uint64_t>(clear_atom::value, detail::prove(hdl_, admin_id), std::move(filter));
}

caf::expected<uint64_t> channel::evict(const std::string& admin_id,
                                       std::optional<double> before,
                                       std::optional<uint64_t> max_count) const {
  evict_options opts;
  if (before)
    opts.before_ns = detail::first_ns_not_before(*before);
  opts.max_count = max_count;
  return evict(admin_id, std::move(opts));
}

caf::expected<uint64_t> channel::evict(const std::string& admin_id,
                                       evict_options opts) const {
  return blocking<uint64_t>(evict_atom::value, detail::prove(hdl_, admin_id), std::move(opts));
}

caf::expected<uint64_t> channel::remove(const std::string& admin_id,
                                        std::vector<std::string> ids) const {
  return blocking<uint64_t>(remove_atom::value, detail::prove(hdl_, admin_id), std::move(ids));
}

caf::expected<void> channel::set_policy(const std::string& admin_id,
                                        access_policy policy) const {
  return blocking<void>(policy_atom::value, detail::prove(hdl_, admin_id), std::move(policy));
}

caf::expected<void> channel::drain(const std::string& admin_id) const {
  // Draining may legitimately take up to the drain timeout.
  auto copy = *this;
  copy.timeout_ = std::max(timeout_, caf::timespan{std::chrono::hours{1}});
  return copy.blocking<void>(drain_atom::value, detail::prove(hdl_, admin_id));
}

caf::expected<void> channel::stop(const std::string& admin_id) const {
  return blocking<void>(stop_atom::value, detail::prove(hdl_, admin_id));
}

caf::expected<channel_stats> channel::stats() const {
  return blocking<channel_stats>(stats_atom::value);
}

caf::expected<void> channel::authenticate(const std::string& token) const {
  auto res = blocking<void>(auth_atom::value, token);
  if (res)
    detail::remember_token(caf::actor_cast<caf::strong_actor_ptr>(hdl_),
                           token);
  return res;
}

channel spawn_channel(caf::actor_system& sys, channel_config cfg) {
  auto id = cfg.id;
  auto secret = detail::random_bits();
  auto hdl = detail::spawn_channel_actor(sys, std::move(cfg), secret);
  detail::register_channel(sys, id, hdl);
  channel result{hdl, id};
  result.owner_ = std::make_shared<detail::channel_owner>(hdl, secret);
  return result;
}

channel spawn_channel(caf::actor_system& sys, std::string id,
                      std::string name) {
  channel_config cfg;
  cfg.id = std::move(id);
  cfg.name = std::move(name);
  return spawn_channel(sys, std::move(cfg));
}

std::optional<channel> find_channel(caf::actor_system& sys,
                                    const std::string& id) {
  auto found = detail::channels().find(sys, id);
  if (!found)
    return std::nullopt;
  return channel{caf::actor_cast<channel_actor>(found->actor), id};
}

} // namespace sssn
