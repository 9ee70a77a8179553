// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Calls through the request helper from an event-based actor, recording
// each outcome: shared by the tests of the request path.

#pragma once

#include <map>
#include <memory>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/expected.hpp>

#include "sssn/all.hpp"

namespace sssn::test {

/// Outcomes of calls, by call number.
using outcome_map = std::map<int, caf::expected<channel_message>>;

/// Spawns an event-based actor that issues one call per entry of `calls`
/// (call number → request content) from `sender` and records each outcome
/// in `out` under the call's number.
template <class Data>
void spawn_caller(caf::actor_system& sys, const channel& req,
                  const channel& resp, std::shared_ptr<outcome_map> out,
                  std::map<int, Data> calls, caf::timespan timeout,
                  std::string sender) {
  sys.spawn([=](caf::event_based_actor* self) {
    for (auto& [i, data] : calls)
      request_via_channel(self, req, resp, sender, content{data}, timeout)
        .then([=, i = i](const channel_message& msg) { out->emplace(i, msg); },
              [=, i = i](const caf::error& err) {
                out->emplace(i, caf::expected<channel_message>{err});
              });
  });
}

} // namespace sssn::test
