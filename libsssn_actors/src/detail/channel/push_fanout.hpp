// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <optional>

#include <caf/actor_addr.hpp>
#include <caf/actor_clock.hpp>

#include "detail/channel/message_store.hpp"
#include "sssn/channel_types.hpp"
#include "sssn/detail/delivery_sink.hpp"
#include "sssn/fwd.hpp"

namespace sssn::detail {

/// A plain push subscriber.
struct push_subscriber {
  subscriber_actor hdl;
  std::string prefix;
  /// It asked for what its filter selects (`subscription::consume`).
  bool consume = false;
  /// It takes pushes in batches (`subscription::batch`, in process only).
  bool batch = false;
  /// Takes its deliveries on the channel's thread, without credit
  /// (`subscription::sink`, in process only).
  std::shared_ptr<delivery_sink> sink;
  /// Names this subscription in credit messages (random, never 0).
  uint64_t token = 0;
  /// Deliveries pushed and not yet credited back.
  uint32_t in_flight = 0;
  /// While out of credit (backpressure): the sequence number from which
  /// its pushes resume; 0 while it has credit.
  uint64_t resume = 0;
  /// While out of credit: since when it has returned none.
  caf::actor_clock::time_point waiting_since{};
};

/// What `push_fanout::credit` made of returned credit.
struct credit_result {
  enum outcome_t {
    /// No subscription has this token (any more).
    unknown,
    /// Taken.
    accepted,
  };
  outcome_t outcome = unknown;
  /// The subscriber (`unknown`: none).
  const std::string* id = nullptr;
  push_subscriber* sub = nullptr;
};

/// The plain subscribers of a channel, by system id: their correlation-id
/// filters (indexed by prefix), credit windows and, under backpressure,
/// where each out of credit resumes. It decides who gets a message now,
/// who waits and who is dropped; the caller sends the deliveries. Lists it
/// returns are reused by the next call of the same kind.
class push_fanout {
public:
  using time_point = caf::actor_clock::time_point;

  push_fanout() = default;

  /// Subscribers of `channel_id` get `credit` deliveries (0 counts as 1)
  /// before they must return credit; `overflow` says what happens then.
  push_fanout(std::string channel_id, uint32_t credit,
              subscriber_overflow overflow);

  // -- subscriptions ----------------------------------------------------------

  /// Subscribes `id` with a fresh credit token, replacing an earlier
  /// subscription of that id. The same subscription again changes nothing:
  /// it keeps its credit and what it waits for.
  void subscribe(const std::string& id, subscriber_actor hdl,
                 const std::string& prefix, bool consume = false,
                 bool batch = false,
                 std::shared_ptr<delivery_sink> sink = nullptr);

  /// Ends the subscription of `id`; returns whether there was one.
  bool unsubscribe(const std::string& id);

  /// Ends every subscription whose subscriber is `addr` (it is down);
  /// returns how many.
  size_t drop_actor(const caf::actor_addr& addr);

  /// The subscription of `id`, if any.
  const push_subscriber* find(const std::string& id) const;

  // -- pushing ----------------------------------------------------------------

  /// The credit window.
  uint32_t window() const noexcept {
    return window_;
  }

  /// Offers the new message `e` (sequence number `seq`) to every
  /// subscriber whose filter it passes, unfiltered ones first, then by
  /// prefix length. Returns those that get it now (each used one credit;
  /// `e` is marked pushed). One without credit waits from `seq` on
  /// (backpressure, from `now` on) or is listed in `overflowed()` (evict:
  /// the caller ends its subscription).
  const std::vector<push_subscriber*>& offer(uint64_t seq, stored_message& e,
                                             time_point now = {});

  /// The subscribers that the last `offer` found out of credit under
  /// `subscriber_overflow::evict`.
  const std::vector<std::string>& overflowed() const noexcept {
    return overflowed_;
  }

  /// Credit: `n` deliveries of the subscription `token` were handled. The
  /// token is the proof (random, sent only to the subscriber; the sender's
  /// node would prove nothing, a peer writes it itself), and no more comes
  /// back than the subscriber has in flight. A subscriber
  /// out of credit (`sub->resume != 0`) then needs `resume`; it has shown
  /// it is alive at `now`.
  credit_result credit(uint64_t token, uint32_t n, time_point now = {});

  /// What the subscriber `id` out of credit missed, oldest first, as far as
  /// its credit goes (each used one, and is marked pushed): the caller
  /// pushes these. It has credit again once it has caught up.
  const std::vector<stored_message*>& resume(const std::string& id,
                                             push_subscriber& sub,
                                             message_store& store);

  // -- liveness ---------------------------------------------------------------

  /// The subscribers out of credit that have returned none since `cutoff`
  /// or earlier: the caller ends them.
  std::vector<std::string> stalled(time_point cutoff) const;

  /// Since when the subscriber out of credit longest has waited, if any
  /// waits.
  std::optional<time_point> longest_wait() const;

  // -- retention --------------------------------------------------------------

  /// Returns whether a subscriber out of credit still waits for `msg`.
  bool awaited(uint64_t seq, const channel_message& msg) const;

  /// How many subscribers out of credit wait for `msg`.
  uint64_t awaiting(uint64_t seq, const channel_message& msg) const;

  /// The sequence number from which every stored message is awaited by an
  /// unfiltered subscriber out of credit (retention stops looking there).
  uint64_t awaited_from() const;

  /// The sequence number below which no subscriber out of credit waits for
  /// any message (the maximum if none waits).
  uint64_t awaited_none_below() const;

  // -- introspection ----------------------------------------------------------

  bool empty() const noexcept {
    return subscribers_.empty();
  }

  size_t size() const noexcept {
    return subscribers_.size();
  }

  /// Subscribers out of credit now.
  size_t waiting() const noexcept {
    return waiting_.size();
  }

  /// Deliveries pushed and not credited back, over every subscriber.
  uint64_t in_flight() const;

private:
  using subscriber_map = std::unordered_map<std::string, push_subscriber>;

  subscriber_map::iterator drop(subscriber_map::iterator i);

  void reindex();

  /// Offers to one subscriber (see `offer`).
  void offer_to(const std::string& id, uint64_t seq, time_point now);

  std::string channel_id_;
  uint32_t window_ = 1;
  subscriber_overflow overflow_ = subscriber_overflow::backpressure;
  subscriber_map subscribers_;
  /// Subscribers without a filter.
  std::vector<std::string> unfiltered_;
  /// Filtered subscribers by prefix length, then by prefix (ordered with
  /// `std::less<>`: a write looks its correlation id's prefix up as a view,
  /// without copying it).
  std::map<size_t,
           std::map<std::string, std::vector<std::string>, std::less<>>>
    by_prefix_;
  /// Subscribers by credit token.
  std::unordered_map<uint64_t, std::string> credit_owners_;
  /// Subscribers out of credit (backpressure).
  std::set<std::string> waiting_;
  /// Reused results.
  std::vector<push_subscriber*> due_;
  std::vector<std::string> overflowed_;
  std::vector<stored_message*> resumed_;
};

} // namespace sssn::detail
