// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <queue>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <caf/actor_clock.hpp>
#include <caf/error.hpp>

#include "detail/channel/message_store.hpp"

namespace sssn::detail {

/// A claim that ran out and was released.
struct expired_claim {
  uint64_t seq;
  /// Who held it.
  std::string owner;
  /// Whether a responder group member held it (it gets its credit back).
  bool group;
};

/// The claims on a channel's stored messages: who holds which, and when
/// each runs out. A claim takes its message out of the store's pool of
/// unclaimed work until it is released (back into the pool), acknowledged
/// (consumed for good) or expires (released). The claim itself is recorded
/// on the message (`stored_message::claim_owner` and friends); a group
/// member's credit is the caller's (`expired_claim::group`).
class claim_table {
public:
  using time_point = caf::actor_clock::time_point;

  // -- claims -----------------------------------------------------------------

  /// Claims `e` (sequence number `seq`) for `owner` until `expiry`; `group`
  /// marks a delivery to a responder group member.
  void claim(message_store& store, uint64_t seq, stored_message& e,
             const std::string& owner, bool group, time_point expiry);

  /// Ends the claim on `e`, if any, leaving the message out of the pool
  /// (it is about to go).
  void drop(uint64_t seq, stored_message& e);

  /// Ends the claim on `e` and puts it back into the pool, unless it was
  /// acknowledged.
  void release(message_store& store, uint64_t seq, stored_message& e);

  /// Ends the claim on `e` and consumes it for good. Returns false if it
  /// was acknowledged already.
  bool acknowledge(message_store& store, uint64_t seq, stored_message& e);

  /// Releases every claim that `owner` holds; returns how many.
  size_t release_all(message_store& store, const std::string& owner);

  /// Releases every claim that runs out at `now` or earlier, soonest
  /// first, and returns them.
  std::vector<expired_claim> expire(message_store& store, time_point now);

  /// Checks that each of `ids` is stored and claimed by `reader` (with
  /// `any_owner`: by anyone, or by no one) before `op` on the channel
  /// `channel_id` settles them; appends their sequence numbers to `seqs`.
  /// Otherwise says which id is unknown or not `reader`'s.
  caf::error check(const message_store& store, const std::string& reader,
                   const std::vector<std::string>& ids, bool any_owner,
                   const char* op, const std::string& channel_id,
                   std::vector<uint64_t>& seqs) const;

  // -- introspection ----------------------------------------------------------

  /// When the next claim runs out, if any is held (a released claim may
  /// still answer: an early tick finds nothing to do).
  std::optional<time_point> next_expiry() const;

  /// Claims held now.
  uint64_t count() const noexcept {
    return count_;
  }

  /// The messages that `owner` holds (empty: none).
  const seq_set& claims_of(const std::string& owner) const;

  /// Expiries kept, of held claims and of settled ones not yet pruned.
  /// After each claim, at most the larger of 1024 and twice the claims held.
  size_t tracked_expiries() const noexcept {
    return expiries_.size();
  }

  /// Owners of claims held now, plus at most `max_idle_owners` whose claims
  /// all ended (kept for their next claim).
  size_t tracked_owners() const noexcept {
    return by_owner_.size();
  }

  /// How many owners holding no claim keep their entry.
  static constexpr size_t max_idle_owners = 64;

private:
  using expiry_item = std::tuple<time_point, uint64_t, uint64_t>;

  /// Whether `x` is the expiry of a claim that is no longer held (released,
  /// acknowledged, claimed again, or its message gone).
  static bool stale(const message_store& store, const expiry_item& x);

  /// Drops settled claims' expiries from the top, and rebuilds the heap
  /// from the held claims when settled ones make up most of it.
  void prune(const message_store& store);

  std::unordered_map<std::string, seq_set> by_owner_;
  /// Entries of `by_owner_` with no claim.
  size_t idle_owners_ = 0;
  uint64_t count_ = 0;
  std::priority_queue<expiry_item, std::vector<expiry_item>,
                      std::greater<expiry_item>>
    expiries_;
};

} // namespace sssn::detail
