// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <caf/timespan.hpp>

#include "sssn/access_policy.hpp"

namespace sssn {

// -- configuration of a channel (local, never sent) ---------------------------

/// What a channel does when a plain subscriber has used up its credit (see
/// `channel_config::subscriber_credit`).
enum class subscriber_overflow {
  /// Stop pushing to it: its messages stay stored (retention never evicts
  /// them) and are pushed, in order, as its credit comes back. When
  /// retention is full of such messages, writes fail with `ec::overloaded`.
  backpressure,
  /// End its subscription: it gets one last delivery with `ended` set and
  /// an `ec::overloaded` error, and is counted in
  /// `channel_stats::dropped_subscribers`. Writers never wait for it.
  evict,
};

/// Configuration of a channel, fixed when it is spawned. Every default is
/// the one documented in docs/channels.md.
struct channel_config {
  /// The channel's id (required, unique per actor system).
  std::string id;

  /// Human-readable name.
  std::string name;

  /// How long an exclusive claim lasts before the message is released.
  caf::timespan claim_expiry = std::chrono::seconds{30};

  /// Retention by count: at most this many stored messages.
  uint64_t max_messages = 100'000;

  /// Retention by age: messages older than this are evicted (none: no age
  /// limit).
  std::optional<caf::timespan> max_age;

  /// Whether the channel keeps messages that are done with. false (the
  /// default): a message is dropped as soon as it is consumed, that is
  /// acknowledged (an answered request: its responder acknowledges it after
  /// replying; or work an exclusive reader finished), or pushed to the
  /// subscriber that asked for it (a reply delivered to its requester: a
  /// subscription with `subscription::consume`), so that request and
  /// response channels stay flat however many calls go through them.
  /// Dropped messages are counted in `channel_stats::dropped_acknowledged`
  /// and `channel_stats::dropped_delivered`, not in `evicted`. A message
  /// that is still claimed, waits for a group member or waits for a plain
  /// subscriber out of credit is dropped only once that is over. true: such
  /// messages stay stored, under `max_messages` and `max_age` like any
  /// other (delivered replies stay readable with `read`; acknowledged
  /// messages are never returned by a read, as always).
  bool keep_history = false;

  /// Cursors of readers idle for this long are dropped.
  caf::timespan reader_idle_timeout = std::chrono::hours{1};

  /// How long `drain` waits for outstanding claims (none: one claim expiry).
  std::optional<caf::timespan> drain_timeout;

  /// How long calls waiting in the channel wait for a responder after the
  /// last one went: if none comes back within this grace, they fail with
  /// `ec::no_responders` instead of waiting for their deadlines. A
  /// responder that joins within the grace still answers them.
  caf::timespan no_responder_grace = std::chrono::seconds{1};

  /// How many evicted ids the channel remembers for `read(..., after)`.
  uint64_t evicted_window = 10'000;

  /// Largest batch one read returns, whatever its limit.
  uint32_t max_read_batch = 10'000;

  /// Credit window of each plain subscriber: at most this many deliveries
  /// pushed to it and not yet handed back with `return_credit` (0 counts
  /// as 1). Responder group members have their own window,
  /// `subscription::credit`, returned by `acknowledge`.
  uint32_t subscriber_credit = 256;

  /// What happens to a plain subscriber without credit.
  subscriber_overflow overflow = subscriber_overflow::backpressure;

  /// Liveness of plain subscribers: one that is out of credit and returns
  /// none for this long is ended (it gets a last delivery with `ended` set,
  /// counted in `channel_stats::stalled_subscribers`), so that a subscriber
  /// that never returns credit cannot hold writers back for longer. None:
  /// wait for its credit as long as it takes.
  std::optional<caf::timespan> subscriber_credit_timeout
    = std::chrono::seconds{30};

  /// Who may do what.
  access_policy policy;

  /// File holding the HMAC secret of access tokens (see sssn/token.hpp).
  /// Empty: the actor system's `sssn.auth-secret-file`, if set. With a
  /// secret, every operation from another node needs a token.
  std::string auth_secret_file;
};

} // namespace sssn
