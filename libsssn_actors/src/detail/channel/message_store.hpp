// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_clock.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/timespan.hpp>

#include "sssn/channel_message.hpp"
#include "sssn/channel_types.hpp"
#include "sssn/fwd.hpp"

#include "detail/channel/id_index.hpp"
#include "detail/seq_set.hpp"

namespace sssn::detail {

/// One stored message and its consumption state.
struct stored_message {
  channel_message msg;
  channel_actor reply_channel;
  /// Reader (or group member system id) holding the claim; empty if none.
  std::string claim_owner;
  caf::actor_clock::time_point claim_expiry;
  /// Counts claims so that a stale expiry cannot release a new claim.
  uint64_t claim_gen = 0;
  bool acked = false;
  bool group_claim = false;
  /// Set once pushed to a plain subscriber.
  bool pushed = false;
  /// Set when the writer needed a token and was not surely in this
  /// process (see `delivery::from_peer`).
  bool from_peer = false;
  /// Set once pushed to the subscriber that asked for it (a subscription
  /// with `subscription::consume`): consumed, like an acknowledged message.
  bool delivered = false;
  /// The requester waiting for this request's reply and its call number
  /// (one-way call writes), until a responder has the request.
  caf::strong_actor_ptr caller;
  uint64_t call = 0;
};

/// Returns whether `msg` passes the correlation-prefix filter `prefix`
/// (empty: every message).
bool prefix_matches(const std::string& prefix, const channel_message& msg);

/// Returns whether `msg` matches every field that `f` sets.
bool matches(const channel_message& msg, const message_filter& f);

/// The messages of one channel by sequence number, with their indices: ids,
/// the pool of unclaimed work, timestamps (with an age bound), requests
/// whose callers wait, the ids of recently removed messages, and the
/// cursors of shared readers. Retention
/// and eviction live here; what may not be evicted ("pinned": claimed, or
/// awaited by a responder or a subscriber) is the caller's to say, as a
/// predicate `pinned(seq, const stored_message&)`. Evictions never touch a
/// pinned message, so they need nobody else's bookkeeping; removals that
/// may (`clear`, `remove`) settle claims and subscribers before `erase`.
class message_store {
public:
  using entry_map = std::map<uint64_t, stored_message>;
  using iterator = entry_map::iterator;
  using time_point = caf::actor_clock::time_point;

  message_store() = default;

  /// A store that remembers the ids of the last `evicted_window` removed
  /// messages, with `time_index` indexes messages by timestamp (for an age
  /// bound: direct writes keep the writer's timestamp, so sequence order is
  /// not time order), and forgets shared readers idle for
  /// `reader_idle_timeout`.
  message_store(uint64_t evicted_window, bool time_index,
                caf::timespan reader_idle_timeout = std::chrono::hours{1});

  message_store(const message_store&) = delete;
  message_store& operator=(const message_store&) = delete;
  message_store(message_store&&) = default;
  message_store& operator=(message_store&&) = default;

  // -- access -----------------------------------------------------------------

  const entry_map& entries() const noexcept {
    return entries_;
  }

  iterator begin() noexcept {
    return entries_.begin();
  }

  iterator end() noexcept {
    return entries_.end();
  }

  iterator find(uint64_t seq) {
    return entries_.find(seq);
  }

  /// The first message at or after `seq`.
  iterator lower_bound(uint64_t seq) {
    return entries_.lower_bound(seq);
  }

  stored_message& at(uint64_t seq) {
    return entries_.at(seq);
  }

  size_t size() const noexcept {
    return entries_.size();
  }

  /// The sequence number that the next message gets.
  uint64_t next_seq() const noexcept {
    return next_seq_;
  }

  /// The sequence number of the stored message `id`.
  std::optional<uint64_t> seq_of(const std::string& id) const;

  /// Returns whether a message with this id is stored.
  bool contains(const std::string& id) const {
    auto x = ids_.find(id);
    return x && x->live;
  }

  /// Where a read after the message `id` starts: after it if it is stored,
  /// or if it was removed recently (the gone window); none if unknown.
  std::optional<uint64_t> start_after(const std::string& id) const;

  /// Returns whether the message `id` was dropped recently (within the gone
  /// window) because it was consumed (see `drop`).
  bool was_consumed(const std::string& id) const;

  /// Shared read: appends up to `n` messages from `start` on that are
  /// neither claimed nor acknowledged to `out`; returns where the next read
  /// starts.
  uint64_t scan(uint64_t start, size_t n,
                std::vector<channel_message>& out) const;

  /// Stored messages that are neither claimed nor acknowledged, oldest
  /// first: the pool that exclusive readers and the responder group draw
  /// from.
  const seq_set& unclaimed() const noexcept {
    return unclaimed_;
  }

  /// Requests whose callers wait for a responder (see
  /// `stored_message::caller`).
  const seq_set& calls_waiting() const noexcept {
    return calls_waiting_;
  }

  /// Messages evicted so far (by retention or `evict`).
  uint64_t evicted() const noexcept {
    return evicted_;
  }

  // -- shared readers ---------------------------------------------------------

  /// Shared read by `reader` at `now`: appends up to `n` messages from
  /// `start` (none: from where its last read ended) to `out` and moves its
  /// cursor past them. Returns when idle readers are looked for next.
  time_point read(const std::string& reader, std::optional<uint64_t> start,
                  size_t n, time_point now, std::vector<channel_message>& out);

  /// Forgets the readers idle for the idle timeout, if it is time to look.
  void sweep_readers(time_point now);

  /// When idle readers are looked for next (none: no reader).
  std::optional<time_point> next_sweep() const;

  /// Readers with a cursor.
  size_t readers() const noexcept {
    return cursors_.size();
  }

  // -- writing ----------------------------------------------------------------

  /// Stores `msg` (it has its timestamp) as unclaimed work under the next
  /// sequence number; returns where (`->first` is that number).
  iterator add(channel_message msg, channel_actor reply_channel);

  /// The caller of the stored request `seq` waits for its reply (call
  /// number `call`) until a responder has it.
  void await_reply(uint64_t seq, caf::strong_actor_ptr caller, uint64_t call);

  /// Forgets every waiting caller (each was told, or has its answer).
  void clear_calls_waiting() {
    calls_waiting_.clear();
  }

  /// Takes `seq` out of the pool (claimed).
  void take(uint64_t seq) {
    unclaimed_.erase(seq);
  }

  /// Puts `seq` back into the pool (a claim ended).
  void put_back(uint64_t seq) {
    unclaimed_.insert(seq);
  }

  /// Marks `e` (sequence number `seq`) acknowledged: consumed for good, and
  /// its caller has been answered.
  void consume(uint64_t seq, stored_message& e);

  // -- removal ----------------------------------------------------------------

  /// Erases a stored message and remembers its id; `evicted` counts it as
  /// an eviction. Returns the next message.
  iterator erase(iterator i, bool evicted);

  /// Erases a consumed message (acknowledged, or delivered to the
  /// subscriber that asked) and remembers its id as consumed.
  void drop(iterator i);

  /// Retention by count before a write: makes room for one more message
  /// under `max_count`, evicting before `limit`. Returns false when only
  /// pinned messages are left to evict.
  template <class Pinned>
  bool make_room(uint64_t max_count, uint64_t limit, Pinned&& pinned);

  /// Evicts the oldest message before `limit` (a sequence number) that is
  /// not pinned. Returns false when there is none.
  template <class Pinned>
  bool evict_one(uint64_t limit, Pinned&& pinned);

  /// Evicts every message strictly older than `before_ns` that is not
  /// pinned, looking at every message (timestamps need not follow write
  /// order). Returns how many.
  template <class Pinned>
  uint64_t evict_older(int64_t before_ns, Pinned&& pinned);

  /// Evicts the oldest messages before `limit` that are not pinned until at
  /// most `max_count` remain. Returns how many.
  template <class Pinned>
  uint64_t evict_to_count(uint64_t max_count, uint64_t limit, Pinned&& pinned);

  /// Age retention through the time index: evicts what is older than
  /// `limit_ns` and not pinned. Returns the timestamp of the oldest message
  /// that the bound evicts next (pinned messages wait for their claim to
  /// end, which runs this again).
  template <class Pinned>
  std::optional<int64_t> apply_age_bound(int64_t limit_ns, Pinned&& pinned);

  /// The age bound on write, at O(1) per message: evicts what is older
  /// than `limit_ns` at the front of the time index until a message that
  /// is pinned, or `keep` (the one just written). Returns the oldest
  /// timestamp left.
  template <class Pinned>
  std::optional<int64_t> trim_by_age(int64_t limit_ns, uint64_t keep,
                                     Pinned&& pinned);

private:
  /// A shared reader's cursor: the sequence number of the next message to
  /// scan.
  struct cursor {
    uint64_t next = 0;
    time_point last_active;
  };

  /// Removes `seq` from the time index.
  void unindex_time(int64_t timestamp_ns, uint64_t seq);

  iterator erase_entry(iterator i, bool evicted, bool consumed);

  bool time_index_ = false;
  caf::timespan reader_idle_timeout_ = std::chrono::hours{1};
  uint64_t next_seq_ = 1;
  uint64_t evicted_ = 0;
  entry_map entries_;
  /// Ids of stored and of recently removed messages (`read(after = id)`).
  id_index ids_;
  seq_set unclaimed_;
  std::multimap<int64_t, uint64_t> by_time_;
  seq_set calls_waiting_;
  std::unordered_map<std::string, cursor> cursors_;
  time_point next_sweep_;
};

// -- eviction (templates: the predicate is inlined on the write path) ---------

template <class Pinned>
bool message_store::make_room(uint64_t max_count, uint64_t limit,
                              Pinned&& pinned) {
  if (entries_.size() < max_count)
    return true;
  if (!evict_one(limit, pinned))
    return false;
  evict_to_count(max_count - 1, limit, pinned);
  return true;
}

template <class Pinned>
bool message_store::evict_one(uint64_t limit, Pinned&& pinned) {
  for (auto i = entries_.begin(); i != entries_.end() && i->first < limit;
       ++i) {
    if (!pinned(i->first, i->second)) {
      erase(i, true);
      return true;
    }
  }
  return false;
}

template <class Pinned>
uint64_t message_store::evict_older(int64_t before_ns, Pinned&& pinned) {
  uint64_t n = 0;
  for (auto i = entries_.begin(); i != entries_.end();) {
    if (i->second.msg.timestamp_ns() < before_ns
        && !pinned(i->first, i->second)) {
      i = erase(i, true);
      ++n;
    } else {
      ++i;
    }
  }
  return n;
}

template <class Pinned>
uint64_t message_store::evict_to_count(uint64_t max_count, uint64_t limit,
                                       Pinned&& pinned) {
  uint64_t n = 0;
  for (auto i = entries_.begin(); i != entries_.end() && i->first < limit
                                  && entries_.size() > max_count;) {
    if (pinned(i->first, i->second)) {
      ++i;
    } else {
      i = erase(i, true);
      ++n;
    }
  }
  return n;
}

template <class Pinned>
std::optional<int64_t> message_store::apply_age_bound(int64_t limit_ns,
                                                      Pinned&& pinned) {
  for (auto i = by_time_.begin(); i != by_time_.end();) {
    auto j = entries_.find(i->second);
    if (j == entries_.end()) {
      i = by_time_.erase(i);
      continue;
    }
    if (pinned(j->first, j->second)) {
      ++i;
      continue;
    }
    if (i->first >= limit_ns)
      return i->first;
    ++i; // erase removes the index entry `i` pointed to
    erase(j, true);
  }
  return std::nullopt;
}

template <class Pinned>
std::optional<int64_t>
message_store::trim_by_age(int64_t limit_ns, uint64_t keep, Pinned&& pinned) {
  while (!by_time_.empty() && by_time_.begin()->first < limit_ns) {
    auto j = entries_.find(by_time_.begin()->second);
    if (j == entries_.end() || j->first == keep || pinned(j->first, j->second))
      break;
    erase(j, true);
  }
  if (by_time_.empty())
    return std::nullopt;
  return by_time_.begin()->first;
}

} // namespace sssn::detail
