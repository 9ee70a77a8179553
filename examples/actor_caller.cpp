// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// A CAF application's own event-based actor calling a responder through the
// request helper without blocking: the actor keeps handling other messages
// while its calls are in flight, and each reply arrives in its `then`.

#include <iostream>
#include <map>

#include <caf/all.hpp>

#include "sssn/all.hpp"

using namespace std::chrono_literals;
using sssn::json;

using sum_atom = caf::atom_constant<caf::atom("sum")>;

struct caller_state {
  std::map<int, int64_t> results;
};

// Asks for i + 2i for i = 1..3, all at once, and prints the answers in order
// once all of them are there.
caf::behavior caller(caf::stateful_actor<caller_state>* self,
                     sssn::channel request_ch, sssn::channel response_ch) {
  return {
    [=](sum_atom) {
      for (int i = 1; i <= 3; ++i) {
        sssn::request_via_channel(self, request_ch, response_ch, "app-actor",
                                  json{{"a", i}, {"b", 2 * i}}, 5s)
          .then(
            [=](const sssn::channel_message& reply) {
              self->state.results[i]
                = reply.content().data().at("result").get<int64_t>();
              if (self->state.results.size() == 3) {
                for (auto& [k, v] : self->state.results)
                  std::cout << k << " + " << 2 * k << " = " << v << '\n';
                self->quit();
              }
            },
            [=](const caf::error& err) {
              std::cout << "call " << i
                        << " failed: " << sssn::error_message(err) << '\n';
              self->quit();
            });
      }
      // Returns at once: the replies come later, as messages.
      std::cout << "3 calls in flight\n";
    },
  };
}

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
  auto app = sys.spawn(caller, request_ch, response_ch);
  caf::anon_send(app, sum_atom::value);
}

CAF_MAIN()
