// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Distributed example, client: asks the server on 127.0.0.1:<argv[1]> to add 7 and 35 over its "compute-request" channel.

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <string>

#include <caf/all.hpp>

#include "sssn/all.hpp"

using namespace std::chrono_literals;

struct compute_request {
  double a = 0;
  double b = 0;
  std::string operation = "add";
};
SSSN_CONTENT(compute_request, a, b, operation)
SSSN_CONTENT_DEFAULTS(compute_request, operation)

struct compute_response {
  double result = 0;
  std::optional<std::string> error;
};
SSSN_CONTENT(compute_response, result, error)

int main(int argc, char** argv) {
  auto port = argc == 2 ? std::atoi(argv[1]) : 0;
  if (port <= 0 || port > 65535) {
    std::cerr << "usage: " << argv[0] << " PORT\n";
    return 2;
  }
  sssn::config cfg;
  caf::actor_system sys{cfg};

  auto server = sssn::connect(sys, "127.0.0.1", static_cast<uint16_t>(port));
  if (!server) {
    std::cerr << "error: " << sssn::error_message(server.error()) << '\n';
    return 1;
  }
  auto requests = server->channel("compute-request");
  if (!requests) {
    std::cerr << "error: " << sssn::error_message(requests.error()) << '\n';
    return 1;
  }
  // The reply comes back over the same connection: each request carries the
  // handle of this local channel, so the client publishes nothing.
  auto responses = sssn::spawn_channel(sys, "compute-response");
  responses.start();

  auto r = sssn::call<compute_response>(*requests, responses, "client-a",
                                        compute_request{7, 35, "add"}, 5s);
  if (!r) {
    std::cerr << "error: " << sssn::error_message(r.error()) << '\n';
    return 1;
  }
  std::cout << "7 + 35 = " << r->result << '\n';
  return 0;
}
