// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Uses the installed sssn_actors package as an application would: a channel,
// a responder and one call through the request helper; then a typed actor of
// its own that embeds a responder next to its own message. Like many CAF
// applications, it has its own {fmt} formatter for caf::error, which
// sssn/all.hpp must not collide with.
#include <iostream>

#include <caf/all.hpp>
#include <fmt/format.h>

template <>
struct fmt::formatter<caf::error> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const caf::error& x, FormatContext& ctx) const
    -> decltype(ctx.out()) {
    return fmt::formatter<std::string_view>::format(
      x ? "app error" : "app ok", ctx);
  }
};

#include "sssn/all.hpp"

using namespace std::chrono_literals;

namespace {

using count_atom = caf::atom_constant<caf::atom("count")>;

/// The application's own typed actor: answers requests of a channel (the
/// responder's messages) and `count_atom` (its own).
using counting_service = sssn::responder_interface::extend<
  caf::replies_to<count_atom>::with<uint64_t>>;

counting_service::behavior_type
counting_service_impl(counting_service::pointer self, sssn::channel requests) {
  auto r = sssn::make_responder(self, requests,
                                [](const sssn::content& req) {
                                  auto& x = req.data();
                                  return sssn::json{
                                    {"sum", x.at("a").get<int>()
                                              + x.at("b").get<int>()}};
                                });
  return {
    r.on_push(),
    r.on_reply(),
    r.on_write_failed(),
    [r](count_atom) { return r.stats().handled; },
  };
}

} // namespace

int main() {
  sssn::config cfg;
  caf::actor_system sys{cfg};
  auto requests = sssn::spawn_channel(sys, "consumer-request");
  auto replies = sssn::spawn_channel(sys, "consumer-response");
  if (!requests.start() || !replies.start()) {
    std::cerr << "consumer: cannot start channels\n";
    return 1;
  }
  sssn::spawn_responder(sys, requests, [](const sssn::content& req) {
    return sssn::json{{"echo", req.data()}};
  });
  auto reply = sssn::request_via_channel(requests, replies, "consumer",
                                         sssn::json{{"x", 1}}, 5s);
  if (!reply) {
    std::cerr << "consumer: " << sssn::error_message(reply.error()) << '\n';
    return 1;
  }
  std::cout << "consumer ok: " << reply->content().to_json() << '\n';
  // The typed actor, on a channel of its own.
  auto sums = sssn::spawn_channel(sys, "consumer-sums");
  if (!sums.start()) {
    std::cerr << "consumer: cannot start the sums channel\n";
    return 1;
  }
  auto service = sys.spawn(counting_service_impl, sums);
  caf::scoped_actor self{sys};
  auto count = [&] {
    self->request(service, 5s, count_atom::value)
      .receive(
        [](uint64_t n) { std::cout << "typed actor handled " << n << '\n'; },
        [](caf::error& err) {
          std::cerr << "consumer: " << sssn::error_message(err) << '\n';
        });
  };
  // Its first answer says it has built its behaviour: it subscribed then,
  // so a call from now on finds it.
  count();
  auto sum = sssn::request_via_channel(sums, replies, "consumer",
                                       sssn::json{{"a", 7}, {"b", 35}}, 5s);
  if (!sum) {
    std::cerr << "consumer: " << sssn::error_message(sum.error()) << '\n';
    return 1;
  }
  std::cout << "typed actor: " << sum->content().to_json() << '\n';
  count();
  caf::anon_send_exit(service, caf::exit_reason::user_shutdown);
  std::cout << fmt::format("formatter: {}", caf::error{}) << '\n';
  return 0;
}
