// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/actor_clock.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/message_id.hpp>
#include <caf/timespan.hpp>

#include "sssn/channel_message.hpp"
#include "sssn/content.hpp"
#include "sssn/fwd.hpp"
#include "sssn/requester.hpp"

namespace sssn::detail {

/// Where a blocking caller waits for its reply: the requester fills it in
/// and wakes the caller (no actor per call).
class blocking_call {
public:
  /// Stores the result (the first one wins) and wakes the waiter.
  void deliver(caf::expected<channel_message> x) {
    std::lock_guard<std::mutex> guard{mtx_};
    if (result_)
      return;
    result_.emplace(std::move(x));
    cv_.notify_one();
  }

  /// Waits up to `rel_time` for the result; `std::nullopt` if none came.
  std::optional<caf::expected<channel_message>>
  wait_for(caf::timespan rel_time) {
    std::unique_lock<std::mutex> guard{mtx_};
    if (!cv_.wait_for(guard, rel_time, [this] { return result_.has_value(); }))
      return std::nullopt;
    return std::move(result_);
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  std::optional<caf::expected<channel_message>> result_;
};

/// One call waiting for its reply.
struct pending_call {
  using time_point = caf::actor_clock::time_point;

  /// The caller's actor and the id of its request (event-based callers),
  /// or ...
  caf::strong_actor_ptr to;
  caf::message_id mid;
  /// ... the blocking caller's rendezvous.
  std::shared_ptr<blocking_call> waiter;
  time_point deadline{};
  /// The request channel. Its id, for errors, is in the table (one copy per
  /// channel, not per call: see `call_table::channel_id`).
  caf::actor_addr channel;
  caf::timespan timeout{0};

  caf::actor_addr caller() const {
    return caf::actor_cast<caf::actor_addr>(to);
  }
};

/// A call on its way into the table: the call and its request.
struct call_request {
  pending_call call;
  channel_actor req;
  /// The request channel's id, for errors.
  std::string channel_id;
  std::string sender;
  content data;
  /// The caller's actor clock reading when it called (time since the
  /// clock's epoch; zero: "now"), so that the deadline counts from the call.
  caf::timespan issued_at{0};
};

/// What `call_table::start` did with a call.
struct start_result {
  /// Set: the call is refused; resolve it with this error.
  caf::error refused;
  /// The call waits for the subscription to be confirmed.
  bool queued = false;
  /// Otherwise: its number (the correlation id is `correlation_id(number)`)
  /// and its deadline.
  uint64_t number = 0;
  caf::actor_clock::time_point deadline{};
  /// First call of a caller not watched yet, or first pending call to its
  /// request channel: the requester starts watching them for DOWN.
  bool watch_caller = false;
  bool watch_channel = false;
};

/// A call taken out of the table, and whether the requester stops watching
/// its caller (no pending call left, and `max_idle_callers` callers without
/// one are watched already).
struct taken_call {
  pending_call call;
  bool unwatch_caller = false;
};

/// A call handed back by `call_table::close`, with its request channel's id.
struct closed_call {
  pending_call call;
  std::string channel_id;
};

/// The pending calls of one requester: numbers, correlation ids, deadlines,
/// the callers and channels they depend on, and the requester's counters.
/// Shared by the requester actor and the threads that start calls, so every
/// operation locks; none touches an actor: the requester acts on what they
/// return (sends, monitors, timers).
class call_table {
public:
  using time_point = caf::actor_clock::time_point;

  /// A table whose correlation ids start with `prefix`.
  call_table(requester_config cfg, std::string prefix);

  call_table(const call_table&) = delete;
  call_table& operator=(const call_table&) = delete;

  // -- correlation ids --------------------------------------------------------

  /// "<32 hex digits>.": random per requester, so ids are unique across
  /// nodes and cannot be guessed.
  const std::string& prefix() const noexcept {
    return prefix_;
  }

  /// Returns the correlation id of call `n`: the prefix and `n` in hex.
  std::string correlation_id(uint64_t n) const;

  /// Returns the token that names call `n` in the one-way write of its
  /// request, and in the channel's refusal (`write_failed_atom`). Unlike
  /// `n`, which the correlation id shows to every reader of the request
  /// channel, it is keyed with a random secret of this table: only the
  /// channels this requester writes to learn tokens, so no other peer can
  /// fail a call by forging the channel as sender of a refusal.
  uint64_t refusal_token(uint64_t n) const noexcept {
    return n ^ refusal_key_;
  }

  // -- starting calls ---------------------------------------------------------

  /// Admits `x.call` with its deadline counted from `x.issued_at` (at most
  /// `now`), queues it until `subscribed`, or refuses it (counted).
  /// `response_id` and `x.channel_id` name the channels in errors.
  start_result start(call_request& x, time_point now,
                     const std::string& response_id);

  /// Counts a call that the requester refuses before it reaches the table
  /// (an invalid request channel handle, say) and returns `err`.
  caf::error refuse(caf::error err);

  /// Marks the subscription as confirmed and hands back the queued calls,
  /// to be started again.
  std::vector<call_request> subscribed();

  // -- resolving calls --------------------------------------------------------

  /// What a reply's correlation id matched.
  enum class match { unknown, late, call };

  /// Takes the call that the reply with correlation id `corr` answers.
  /// Counts unknown and late replies.
  std::pair<match, std::optional<taken_call>>
  take_reply(const std::optional<std::string>& corr);

  /// Takes the call named by `token` (see `refusal_token`) if its request
  /// went to the channel `channel` (only that channel may refuse it),
  /// counting it as failed.
  std::optional<taken_call> take_refused(uint64_t token,
                                         const caf::actor_addr& channel);

  /// Takes every call whose deadline is `now` or earlier, with its timeout
  /// error, counting them.
  std::vector<std::pair<taken_call, caf::error>> take_expired(time_point now);

  /// Takes every call whose request went to `channel`, with the error
  /// `make(n, id)` gives (`id`: the channel's), counting them as failed.
  /// Returns nothing unless the channel was watched.
  std::vector<std::pair<taken_call, caf::error>>
  take_channel_down(const caf::actor_addr& channel,
                    const std::function<caf::error(uint64_t,
                                                   const std::string&)>& make);

  /// Drops the calls of a caller that died, counting them.
  void drop_caller(const caf::actor_addr& caller);

  /// Refuses every later call and hands back every call in the table or in
  /// the queue, counted as failed.
  std::vector<closed_call> close();

  // -- timer ------------------------------------------------------------------

  /// Returns when the requester must tick next, if that is earlier than the
  /// tick already scheduled (and marks it scheduled).
  std::optional<time_point> tick_needed();

  /// Notes that the scheduled tick fired.
  void tick_fired();

  // -- introspection ----------------------------------------------------------

  /// The counters, with `pending` filled in.
  requester_stats stats() const;

  /// Calls waiting for their reply.
  size_t pending() const;

  /// Callers watched for DOWN: those with pending calls, and at most
  /// `max_idle_callers` whose calls all ended.
  size_t watched_callers() const;

  /// How many callers without a pending call stay watched.
  static constexpr size_t max_idle_callers = 64;

  /// The id of the request channel `channel`, as the first call to it named
  /// it, while the table watches it; empty otherwise.
  std::string channel_id(const caf::actor_addr& channel) const;

private:
  using deadline_item = std::pair<time_point, uint64_t>;

  /// Lock held.
  taken_call take_locked(std::unordered_map<uint64_t, pending_call>::iterator i);

  /// Lock held.
  std::optional<time_point> tick_needed_locked();

  /// Lock held. See `channel_id`.
  const std::string& channel_id_locked(const caf::actor_addr& channel) const;

  const requester_config cfg_;
  const std::string prefix_;
  const uint64_t refusal_key_;

  mutable std::mutex mtx_;
  uint64_t next_id_ = 1;
  std::unordered_map<uint64_t, pending_call> pending_;
  std::priority_queue<deadline_item, std::vector<deadline_item>,
                      std::greater<deadline_item>>
    deadlines_;
  bool tick_scheduled_ = false;
  time_point tick_at_;
  /// Pending calls per live caller. (Ordered: hashing an `actor_addr`
  /// dereferences it, and tests use null addresses.)
  std::map<caf::actor_addr, size_t> callers_;
  /// Entries of `callers_` with no pending call (still watched).
  size_t idle_callers_ = 0;
  /// Request channels watched for DOWN, with their ids (as the first call
  /// to each named it).
  std::map<caf::actor_addr, std::string> channels_;
  bool subscribed_ = false;
  bool closed_ = false;
  std::vector<call_request> queued_;
  requester_stats stats_;
};

} // namespace sssn::detail
