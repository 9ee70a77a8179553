// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The seed's "multiple concurrent requests": ten calls in flight at once,
// all with the same sender id, each getting its own reply (SSSN's helper
// loses all but one of them; here the correlation id routes every reply).

#include <future>
#include <iostream>
#include <vector>

#include <caf/all.hpp>

#include "sssn/all.hpp"

using namespace std::chrono_literals;
using sssn::json;

void caf_main(caf::actor_system& sys, const sssn::config&) {
  auto request_ch = sssn::spawn_channel(sys, "compute-request");
  auto response_ch = sssn::spawn_channel(sys, "compute-response");
  request_ch.start();
  response_ch.start();
  sssn::spawn_responder(sys, request_ch, [](const sssn::content& req) {
    auto& data = req.data();
    return json{
      {"result", data.at("a").get<int64_t>() + data.at("b").get<int64_t>()}};
  });
  // Fire 10 requests concurrently, each from its own thread.
  std::vector<std::future<caf::expected<sssn::channel_message>>> tasks;
  for (int i = 0; i < 10; ++i)
    tasks.push_back(std::async(std::launch::async, [&, i] {
      return sssn::request_via_channel(request_ch, response_ch, "client",
                                       json{{"a", i}, {"b", i * 2}}, 5s);
    }));
  for (int i = 0; i < 10; ++i) {
    auto resp = tasks[i].get();
    if (resp)
      std::cout << i << " + " << i * 2 << " = "
                << resp->content().data().at("result") << '\n';
    else
      std::cout << i << ": " << sssn::error_message(resp.error()) << '\n';
  }
}

CAF_MAIN()
