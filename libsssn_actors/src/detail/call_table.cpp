// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "detail/call_table.hpp"

#include "detail/secure_random.hpp"

#include <algorithm>
#include <cstdio>

#include <caf/sec.hpp>

#include "sssn/error.hpp"

namespace sssn::detail {

call_table::call_table(requester_config cfg, std::string prefix)
  : cfg_(cfg), prefix_(std::move(prefix)), refusal_key_(secure_random_u64()) {
  stats_.prefix = prefix_;
}

std::string call_table::correlation_id(uint64_t n) const {
  static constexpr char digits[] = "0123456789abcdef";
  char buf[16];
  size_t len = 0;
  do {
    buf[len++] = digits[n & 0xF];
    n >>= 4;
  } while (n != 0);
  std::string result;
  result.reserve(prefix_.size() + len);
  result += prefix_;
  while (len > 0)
    result += buf[--len];
  return result;
}

// -- starting calls -------------------------------------------------------------

start_result call_table::start(call_request& x, time_point now,
                               const std::string& response_id) {
  start_result result;
  auto& req_id = x.channel_id;
  std::lock_guard<std::mutex> guard{mtx_};
  auto refuse = [&](caf::error err) {
    result.refused = std::move(err);
    return std::move(result);
  };
  if (closed_) {
    ++stats_.failed;
    return refuse(make_error(ec::channel_down,
                             "response channel '" + response_id
                               + "' is down; call to channel '" + req_id
                               + "' refused"));
  }
  if (pending_.size() >= cfg_.max_pending) {
    ++stats_.overloaded;
    return refuse(make_error(ec::overloaded,
                             "requester for response channel '" + response_id
                               + "' already has "
                               + std::to_string(pending_.size())
                               + " pending calls; call to channel '" + req_id
                               + "' refused"));
  }
  if (x.call.timeout <= caf::timespan{0}) {
    ++stats_.failed;
    return refuse(make_error(ec::invalid_argument,
                             "call to channel '" + req_id
                               + "' needs a timeout above 0"));
  }
  if (!subscribed_) {
    // Started once the subscription is confirmed, so that no reply can
    // arrive before we listen for it. The deadline counts from now.
    if (x.issued_at.count() <= 0)
      x.issued_at = now.time_since_epoch();
    queued_.push_back(std::move(x));
    result.queued = true;
    return result;
  }
  // The deadline counts from when the caller called, not from when the
  // requester got to the call (it may have a backlog).
  auto issued = x.issued_at.count() > 0
                  ? std::min(now, time_point{std::chrono::duration_cast<
                                    time_point::duration>(x.issued_at)})
                  : now;
  auto n = next_id_++;
  auto& call = x.call;
  call.deadline = issued + call.timeout;
  call.channel = x.req.address();
  if (auto caller = call.caller()) {
    auto [j, added] = callers_.try_emplace(caller, 0);
    if (j->second++ == 0 && !added)
      --idle_callers_; // still watched from its last call (see take_locked)
    result.watch_caller = added;
  }
  result.watch_channel = channels_.try_emplace(call.channel, req_id).second;
  result.number = n;
  result.deadline = call.deadline;
  deadlines_.emplace(call.deadline, n);
  pending_.emplace(n, call);
  ++stats_.issued;
  return result;
}

caf::error call_table::refuse(caf::error err) {
  std::lock_guard<std::mutex> guard{mtx_};
  ++stats_.failed;
  return err;
}

std::vector<call_request> call_table::subscribed() {
  std::lock_guard<std::mutex> guard{mtx_};
  subscribed_ = true;
  return std::move(queued_);
}

// -- resolving calls ------------------------------------------------------------

taken_call
call_table::take_locked(std::unordered_map<uint64_t, pending_call>::iterator i) {
  taken_call result{std::move(i->second), false};
  pending_.erase(i);
  if (auto caller = result.call.caller()) {
    // A caller whose last call ends usually calls again (an actor calling
    // in turn): it stays watched, up to `max_idle_callers` of them, so its
    // next call neither watches it nor makes an entry. One that dies
    // meanwhile is dropped on its DOWN (`drop_caller`).
    auto j = callers_.find(caller);
    if (j != callers_.end() && --j->second == 0) {
      if (idle_callers_ < max_idle_callers) {
        ++idle_callers_;
      } else {
        callers_.erase(j);
        result.unwatch_caller = true;
      }
    }
  }
  return result;
}

std::pair<call_table::match, std::optional<taken_call>>
call_table::take_reply(const std::optional<std::string>& corr) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto unknown = [this] {
    ++stats_.unknown_replies;
    return std::make_pair(match::unknown, std::optional<taken_call>{});
  };
  if (!corr || corr->compare(0, prefix_.size(), prefix_) != 0)
    return unknown();
  uint64_t n = 0;
  auto digits = corr->size() - prefix_.size();
  if (digits == 0 || digits > 16)
    return unknown();
  for (size_t i = prefix_.size(); i < corr->size(); ++i) {
    auto c = (*corr)[i];
    if (c >= '0' && c <= '9')
      n = n * 16 + static_cast<uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      n = n * 16 + static_cast<uint64_t>(c - 'a' + 10);
    else
      return unknown();
  }
  if (n == 0 || n >= next_id_)
    return unknown();
  auto i = pending_.find(n);
  if (i == pending_.end()) {
    ++stats_.late_replies;
    return {match::late, std::nullopt};
  }
  ++stats_.replied;
  return {match::call, take_locked(i)};
}

std::optional<taken_call>
call_table::take_refused(uint64_t token, const caf::actor_addr& channel) {
  auto n = token ^ refusal_key_;
  std::lock_guard<std::mutex> guard{mtx_};
  auto i = pending_.find(n);
  if (i == pending_.end() || i->second.channel != channel)
    return std::nullopt;
  ++stats_.failed;
  return take_locked(i);
}

std::vector<std::pair<taken_call, caf::error>>
call_table::take_expired(time_point now) {
  std::vector<std::pair<taken_call, caf::error>> result;
  std::lock_guard<std::mutex> guard{mtx_};
  while (!deadlines_.empty() && deadlines_.top().first <= now) {
    auto [t, n] = deadlines_.top();
    deadlines_.pop();
    auto i = pending_.find(n);
    if (i == pending_.end() || i->second.deadline != t)
      continue;
    ++stats_.timed_out;
    auto secs = std::chrono::duration<double>(i->second.timeout).count();
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", secs);
    auto err = caf::make_error(
      caf::sec::request_timeout,
      "request '" + correlation_id(n) + "' to channel '"
        + channel_id_locked(i->second.channel) + "' got no reply within "
        + buf + " s");
    result.emplace_back(take_locked(i), std::move(err));
  }
  return result;
}

std::vector<std::pair<taken_call, caf::error>> call_table::take_channel_down(
  const caf::actor_addr& channel,
  const std::function<caf::error(uint64_t, const std::string&)>& make) {
  std::vector<std::pair<taken_call, caf::error>> result;
  std::lock_guard<std::mutex> guard{mtx_};
  auto ch = channels_.find(channel);
  if (ch == channels_.end())
    return result;
  auto id = std::move(ch->second);
  channels_.erase(ch);
  for (auto i = pending_.begin(); i != pending_.end();) {
    if (i->second.channel != channel) {
      ++i;
      continue;
    }
    auto n = i->first;
    auto err = make(n, id);
    auto next = std::next(i);
    ++stats_.failed;
    result.emplace_back(take_locked(i), std::move(err));
    i = next;
  }
  return result;
}

void call_table::drop_caller(const caf::actor_addr& caller) {
  std::lock_guard<std::mutex> guard{mtx_};
  auto j = callers_.find(caller);
  if (j == callers_.end())
    return;
  if (j->second == 0)
    --idle_callers_;
  callers_.erase(j);
  for (auto i = pending_.begin(); i != pending_.end();) {
    if (i->second.caller() == caller) {
      i = pending_.erase(i);
      ++stats_.dropped;
    } else {
      ++i;
    }
  }
}

std::vector<closed_call> call_table::close() {
  std::vector<closed_call> result;
  std::lock_guard<std::mutex> guard{mtx_};
  closed_ = true;
  for (auto& kvp : pending_) {
    auto id = channel_id_locked(kvp.second.channel);
    result.push_back({std::move(kvp.second), std::move(id)});
  }
  for (auto& q : queued_)
    result.push_back({std::move(q.call), std::move(q.channel_id)});
  stats_.failed += result.size();
  pending_.clear();
  queued_.clear();
  callers_.clear();
  idle_callers_ = 0;
  return result;
}

// -- timer ------------------------------------------------------------------------

std::optional<call_table::time_point> call_table::tick_needed() {
  std::lock_guard<std::mutex> guard{mtx_};
  return tick_needed_locked();
}

std::optional<call_table::time_point> call_table::tick_needed_locked() {
  // Drop resolved calls from the top, so that the timer only ever wakes up
  // for a call that is still waiting.
  while (!deadlines_.empty()) {
    auto [t, n] = deadlines_.top();
    auto i = pending_.find(n);
    if (i != pending_.end() && i->second.deadline == t)
      break;
    deadlines_.pop();
  }
  // Rebuild the heap when resolved calls make up most of it.
  if (deadlines_.size() > 1024 && deadlines_.size() > 2 * pending_.size()) {
    decltype(deadlines_) fresh;
    for (auto& [n, call] : pending_)
      fresh.emplace(call.deadline, n);
    deadlines_.swap(fresh);
  }
  if (deadlines_.empty())
    return std::nullopt;
  auto t = deadlines_.top().first;
  if (tick_scheduled_ && tick_at_ <= t)
    return std::nullopt;
  tick_scheduled_ = true;
  tick_at_ = t;
  return t;
}

void call_table::tick_fired() {
  std::lock_guard<std::mutex> guard{mtx_};
  tick_scheduled_ = false;
}

// -- introspection ----------------------------------------------------------------

requester_stats call_table::stats() const {
  std::lock_guard<std::mutex> guard{mtx_};
  auto result = stats_;
  result.pending = pending_.size();
  return result;
}

size_t call_table::pending() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return pending_.size();
}

size_t call_table::watched_callers() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return callers_.size();
}

std::string call_table::channel_id(const caf::actor_addr& channel) const {
  std::lock_guard<std::mutex> guard{mtx_};
  return channel_id_locked(channel);
}

const std::string&
call_table::channel_id_locked(const caf::actor_addr& channel) const {
  static const std::string none;
  auto i = channels_.find(channel);
  return i != channels_.end() ? i->second : none;
}

} // namespace sssn::detail
