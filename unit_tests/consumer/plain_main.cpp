// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The smallest program a user writes against sssn-actors: a channel, a
// responder and one call, nothing but sssn/all.hpp (no {fmt}, no build
// system of ours). Built by the package tests that do not use the CMake
// package: with `g++ $(pkg-config --cflags --libs sssn_actors)`
// (package.pkg_config, package.pkg_config_static, cmake/pkg_config_test.cmake)
// and by a parent project that add_subdirectory()s the source tree
// (package.subdirectory, subdirectory/CMakeLists.txt).
#include <iostream>

#include "sssn/all.hpp"

using namespace std::chrono_literals;

int main() {
  sssn::config cfg;
  caf::actor_system sys{cfg};
  auto requests = sssn::spawn_channel(sys, "plain-request");
  auto replies = sssn::spawn_channel(sys, "plain-response");
  if (!requests.start() || !replies.start()) {
    std::cerr << "plain consumer: cannot start channels\n";
    return 1;
  }
  sssn::spawn_responder(sys, requests, [](const sssn::content& req) {
    return sssn::json{{"echo", req.data()}};
  });
  auto reply = sssn::request_via_channel(requests, replies, "plain",
                                         sssn::json{{"x", 1}}, 5s);
  if (!reply) {
    std::cerr << "plain consumer: " << sssn::error_message(reply.error())
              << '\n';
    return 1;
  }
  std::cout << "plain consumer ok: " << reply->content().to_json() << '\n';
  return 0;
}
