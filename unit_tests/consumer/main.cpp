// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Uses the installed sssn_actors package as an application would: a channel,
// a responder and one call through the request helper. Like many CAF
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
  std::cout << fmt::format("formatter: {}", caf::error{}) << '\n';
  return 0;
}
