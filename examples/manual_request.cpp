// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The seed's "building it manually": the request/response pattern with only
// public channel operations. The requester writes a message carrying a
// correlation id and reply_to, then waits for the matching reply; instead of
// polling the response channel, it subscribes with a filter on its own
// correlation id and receives the reply when it is pushed.

#include <iostream>
#include <optional>

#include <caf/all.hpp>

#include "sssn/all.hpp"

using namespace std::chrono_literals;
using sssn::json;

// Sends `payload` and returns the reply's data, or nothing after `timeout`.
std::optional<json> call(caf::actor_system& sys,
                         const sssn::channel& request_ch,
                         const sssn::channel& response_ch,
                         const std::string& sender_id, json payload,
                         caf::timespan timeout = 10s) {
  auto corr_id = sssn::make_uuid();
  // Listen before asking: only replies carrying our correlation id arrive.
  caf::scoped_actor self{sys};
  sssn::subscription sub;
  sub.correlation_prefix = corr_id;
  auto me = caf::actor_cast<sssn::subscriber_actor>(self);
  if (!response_ch.subscribe(sender_id + "." + corr_id, me, sub))
    return std::nullopt;
  // Build and send the request.
  auto request = sssn::channel_message::builder{}
                   .sender_id(sender_id)
                   .content(std::move(payload))
                   .correlation_id(corr_id)
                   .reply_to(response_ch.id())
                   .build();
  std::optional<json> result;
  if (request_ch.write(sender_id, request)) {
    // Wait for the matching reply, at most until the deadline.
    self->receive(
      [&](sssn::push_atom, const sssn::delivery& d) {
        result = d.message.content().data();
        // Hand the push credit back (see "Slow subscribers" in the docs).
        sssn::return_credit(self.ptr(), d);
      },
      caf::after(timeout) >> [] {});
  }
  response_ch.unsubscribe(sender_id + "." + corr_id);
  return result;
}

void caf_main(caf::actor_system& sys, const sssn::config&) {
  auto request_ch = sssn::spawn_channel(sys, "compute-request");
  auto response_ch = sssn::spawn_channel(sys, "compute-response");
  request_ch.start();
  response_ch.start();
  sssn::responder_config service;
  service.sender_id = "compute-service";
  sssn::spawn_responder(
    sys, request_ch,
    [](const sssn::content& req) {
      auto& data = req.data();
      return json{{"result", data.at("a").get<int64_t>()
                               + data.at("b").get<int64_t>()}};
    },
    service);
  if (auto reply = call(sys, request_ch, response_ch, "client-a",
                        json{{"a", 7}, {"b", 35}}))
    std::cout << "7 + 35 = " << reply->at("result") << '\n';
  else
    std::cout << "Request timed out\n";
}

CAF_MAIN()
