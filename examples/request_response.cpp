// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The seed's helper call: a responder adds two numbers, and the caller gets
// its reply through two channels, matched by correlation id, with no polling.

#include <iostream>

#include <caf/all.hpp>

#include "sssn/all.hpp"

using namespace std::chrono_literals;
using sssn::json;

void caf_main(caf::actor_system& sys, const sssn::config&) {
  auto request_ch = sssn::spawn_channel(sys, "compute-request",
                                        "Compute Request");
  auto response_ch = sssn::spawn_channel(sys, "compute-response",
                                         "Compute Response");
  if (auto ok = request_ch.start(); !ok)
    std::cerr << sssn::error_message(ok.error()) << '\n';
  if (auto ok = response_ch.start(); !ok)
    std::cerr << sssn::error_message(ok.error()) << '\n';

  // --- Responder (an actor; answers in the background) ---
  sssn::responder_config service;
  service.sender_id = "compute-service";
  sssn::spawn_responder(
    sys, request_ch,
    [](const sssn::channel_message& req) {
      auto& data = req.content().data();
      return json{{"result", data.at("a").get<int64_t>()
                               + data.at("b").get<int64_t>()}};
    },
    service);

  // --- Requester ---
  auto response = sssn::request_via_channel(request_ch, response_ch,
                                            "client-a",
                                            json{{"a", 7}, {"b", 35}}, 5s);
  if (response)
    std::cout << "7 + 35 = " << response->content().data().at("result")
              << '\n'; // → 42
  else
    std::cout << "Request failed: " << sssn::error_message(response.error())
              << '\n';
  // Leaving caf_main drops the channel handles: the channels stop, their
  // responder and requester follow, and the actor system shuts down.
}

CAF_MAIN()
