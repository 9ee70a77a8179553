// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The seed's typed request/response: requests and replies are structs whose
// fields are declared once; the responder validates each request into
// compute_request, and a bad request gets a reply carrying the error.

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

// The responder: validation into compute_request happens before this runs; a
// request that does not validate is answered with an error naming the field.
caf::expected<compute_response> compute(const compute_request& req) {
  if (req.operation == "add")
    return compute_response{req.a + req.b, std::nullopt};
  if (req.operation == "mul")
    return compute_response{req.a * req.b, std::nullopt};
  return sssn::fail("Unknown operation: " + req.operation);
}

void caf_main(caf::actor_system& sys, const sssn::config&) {
  auto request_ch = sssn::spawn_channel(sys, "compute-request");
  auto response_ch = sssn::spawn_channel(sys, "compute-response");
  request_ch.start();
  response_ch.start();
  sssn::spawn_responder(sys, request_ch, compute);
  auto ask = [&](const compute_request& req) {
    return sssn::call<compute_response>(request_ch, response_ch, "client-a",
                                        req, 5s);
  };
  if (auto r = ask({7, 35, "add"}))
    std::cout << "7 + 35 = " << r->result << '\n';
  if (auto r = ask({6, 7, "mul"}))
    std::cout << "6 * 7 = " << r->result << '\n';
  if (auto r = ask({2, 10, "pow"}); !r)
    std::cout << "error: " << sssn::error_message(r.error()) << '\n';
}

CAF_MAIN()
