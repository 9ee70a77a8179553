// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>

#include <caf/actor_clock.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/message_id.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/timespan.hpp>
#include <caf/typed_actor.hpp>

#include "sssn/channel.hpp"
#include "sssn/channel_message.hpp"
#include "sssn/content.hpp"
#include "sssn/export.hpp"
#include "sssn/fwd.hpp"
#include "sssn/detail/inspect.hpp"

namespace sssn {

/// Counters and gauges of one requester.
struct requester_stats {
  /// The random prefix of this requester's correlation ids.
  std::string prefix;
  /// Calls accepted.
  uint64_t issued = 0;
  /// Calls waiting for their reply now.
  uint64_t pending = 0;
  /// Calls resolved with their reply.
  uint64_t replied = 0;
  /// Calls resolved as `caf::sec::request_timeout`.
  uint64_t timed_out = 0;
  /// Calls failed fast (no responders, channel down, not accepting, ...).
  uint64_t failed = 0;
  /// Calls refused because `max_pending` calls were already waiting.
  uint64_t overloaded = 0;
  /// Replies for calls that were already resolved (timed out, or answered
  /// twice): counted and dropped.
  uint64_t late_replies = 0;
  /// Replies whose correlation id this requester never issued.
  uint64_t unknown_replies = 0;
  /// Calls dropped because their caller died.
  uint64_t dropped = 0;
};

/// @relates requester_stats
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, requester_stats& x) {
  return detail::inspect_counted(f,
                                 caf::meta::type_name("sssn::requester_stats"),
                                 x.prefix, x.issued, x.pending, x.replied,
                                 x.timed_out, x.failed, x.overloaded,
                                 x.late_replies, x.unknown_replies, x.dropped);
}

/// The typed interface of a requester: the actor that writes requests with
/// correlation ids and deadlines and resolves each call when its reply is
/// pushed from the response channel. One exists per (actor system, response
/// channel); `requester_for` finds or spawns it.
///
/// Calls do not go through its mailbox: `request_via_channel` enters them
/// into the requester's call table from the caller's thread.
using requester_actor = caf::typed_actor<
  // Replies pushed by the response channel, one by one or, when they queue
  // up, in batches (see `subscription::batch`).
  caf::reacts_to<push_atom, delivery>,
  caf::reacts_to<push_atom, std::vector<delivery>>,
  // A request channel refusing the one-way write of call number n.
  caf::reacts_to<write_failed_atom, uint64_t, caf::error>,
  // stats().
  caf::replies_to<stats_atom>::with<requester_stats>>;

/// Settings of a requester, used when `requester_for` spawns it.
struct requester_config {
  /// Calls that may wait at once; past it a call fails at once with
  /// `ec::overloaded`.
  uint64_t max_pending = 1'000'000;
};

/// Returns the requester of `sys` for `response_channel`, spawning it on
/// first use (then with `cfg`). The requester subscribes once to the
/// response channel, filtered on its own correlation prefix, and stops when
/// the response channel stops. Thread-safe.
SSSN_ACTORS_EXPORT requester_actor
requester_for(caf::actor_system& sys, const channel& response_channel,
              const requester_config& cfg = {});

namespace detail {

/// Where a blocking caller waits for its reply (see src/detail/call_table.hpp).
class blocking_call;

/// The response handle type of a call from an actor of type `Self`: what
/// `self->request` returns for a reply of type `channel_message`.
template <class Self>
using call_handle = decltype(std::declval<Self*>()->request(
  std::declval<caf::typed_actor<
    caf::replies_to<reply_atom>::with<channel_message>>>(),
  caf::infinite, reply_atom::value));

/// Starts a call from the calling thread, without a message to the
/// requester: registers it in the requester's table and writes the request
/// to `request_channel` on the requester's behalf. The reply (or error) goes
/// either to the actor `caller` as the response to the request id `mid`
/// (so that `self->request`'s handle sees it), or to `waiter`. `host` is
/// the calling actor's execution unit, if any.
SSSN_ACTORS_EXPORT
void start_call(caf::actor_system& sys, const channel& request_channel,
                const channel& response_channel, caf::strong_actor_ptr caller,
                caf::message_id mid, std::shared_ptr<blocking_call> waiter,
                const std::string& sender_id, content data,
                caf::timespan timeout, caf::execution_unit* host);

} // namespace detail

} // namespace sssn
