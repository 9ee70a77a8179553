// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Distributed example, server: hosts channel "compute-request" with a compute responder on a loopback port until SIGINT/SIGTERM.

#include <signal.h>

#include <iostream>
#include <optional>
#include <string>

#include <caf/all.hpp>

#include "sssn/all.hpp"

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

caf::expected<compute_response> compute(const compute_request& req) {
  if (req.operation == "add")
    return compute_response{req.a + req.b, std::nullopt};
  if (req.operation == "mul")
    return compute_response{req.a * req.b, std::nullopt};
  return sssn::fail("Unknown operation: " + req.operation);
}

int main() {
  // Block the stop signals before CAF starts its threads; main waits for
  // them with sigwait below.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  sssn::config cfg;
  caf::actor_system sys{cfg};
  auto requests = sssn::spawn_channel(sys, "compute-request");
  requests.start();
  sssn::spawn_responder(sys, requests, compute);

  // Loopback and a free port by default; clients get the port from us.
  auto node = sssn::node::start(sys);
  if (!node) {
    std::cerr << "error: " << sssn::error_message(node.error()) << '\n';
    return 1;
  }
  if (auto ok = node->publish(requests); !ok) {
    std::cerr << "error: " << sssn::error_message(ok.error()) << '\n';
    return 1;
  }
  std::cout << "listening on 127.0.0.1:" << node->port() << std::endl;

  int sig = 0;
  sigwait(&stop_signals, &sig);
  // Close the port; leaving main then stops the channel, its responder and
  // the actor system.
  node->stop();
  return 0;
}
