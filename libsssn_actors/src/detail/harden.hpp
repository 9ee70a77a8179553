// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <string>
#include <utility>

#include <caf/error.hpp>
#include <caf/message.hpp>
#include <caf/message_view.hpp>
#include <caf/result.hpp>
#include <caf/scheduled_actor.hpp>
#include <caf/sec.hpp>
#include <caf/system_messages.hpp>
#include <caf/type_erased_tuple.hpp>

#include "sssn/error.hpp"
#include "sssn/log.hpp"
#include "sssn/refusals.hpp"

namespace sssn::detail {

/// Renders a message for a log line, element by element, stopping once the
/// text passes `max` bytes: a peer chooses what it sends.
inline std::string render_bounded(const caf::type_erased_tuple& x,
                                  size_t max = 256) {
  std::string result = "(";
  for (size_t i = 0; i < x.size(); ++i) {
    if (i > 0)
      result += ", ";
    if (result.size() > max) {
      result += "... " + std::to_string(x.size() - i) + " more";
      break;
    }
    result += x.stringify(i);
  }
  if (result.size() > max) {
    result.resize(max);
    result += "...";
  }
  result += ')';
  return result;
}

/// What `harden` needs to know of an actor: how logs name it, what to do
/// with a genuine DOWN message, and how to count a refusal in its own
/// stats (besides the process-wide `refusals()`).
template <class Describe, class OnDown, class OnRefused>
struct hardening {
  /// Log source, e.g. `"sssn.channel"`.
  const char* log_name;
  /// Returns the actor's name in log lines, e.g. `"channel 'x'"`.
  Describe describe;
  /// Called with every down message that is not forged (`genuine_down`).
  OnDown on_down;
  /// Called once for every message refused or ignored.
  OnRefused on_refused;
};

/// Deduction helper for `hardening`.
template <class Describe, class OnDown, class OnRefused>
hardening<Describe, OnDown, OnRefused>
make_hardening(const char* log_name, Describe describe, OnDown on_down,
               OnRefused on_refused) {
  return {log_name, std::move(describe), std::move(on_down),
          std::move(on_refused)};
}

/// Installs the handlers that every actor of ours needs, because any peer
/// that reaches it (or learns its handle) can send it anything:
/// - exit messages are ignored: we link our actors to nothing, so every
///   exit message comes from an actor they are not linked to, and one must
///   not stop a published actor (a `kill` from another node is dropped
///   earlier, by `exit_guard`);
/// - down messages naming an actor that is still alive were forged: they are
///   counted and dropped; the others go to `h.on_down`;
/// - an error nobody asked for is ignored (CAF's default error handler would
///   stop the actor);
/// - any other unexpected message is answered with
///   `caf::sec::unexpected_message` instead of killing the actor.
/// Each refusal is counted (`refusals()` and `h.on_refused`) and logged.
template <class Self, class Describe, class OnDown, class OnRefused>
void harden(Self* self, hardening<Describe, OnDown, OnRefused> h) {
  auto shared = std::make_shared<decltype(h)>(std::move(h));
  self->set_exit_handler([shared](caf::exit_msg& msg) {
    shared->on_refused();
    count_ignored_exit();
    log(log_level::warning, shared->log_name,
        shared->describe() + ": ignored an exit message ("
          + caf::to_string(msg.reason)
          + ") from an actor it is not linked to");
  });
  self->set_down_handler([shared](caf::down_msg& msg) {
    if (genuine_down(msg))
      shared->on_down(msg);
  });
  self->set_error_handler([shared](caf::error& err) {
    shared->on_refused();
    count_unexpected();
    log(log_level::warning, shared->log_name,
        shared->describe() + ": ignored an error message nobody asked for: "
          + error_message(err));
  });
  self->set_default_handler(
    [shared](caf::scheduled_actor*,
             caf::message_view& view) -> caf::result<caf::message> {
      shared->on_refused();
      count_unexpected();
      log(log_level::warning, shared->log_name,
          shared->describe() + ": refused an unexpected message "
            + render_bounded(view.content()));
      return caf::make_error(caf::sec::unexpected_message,
                             shared->describe()
                               + " does not understand this message");
    });
}

} // namespace sssn::detail
