// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "detail/channel/push_fanout.hpp"

#include <algorithm>
#include <limits>

#include "detail/secure_random.hpp"
#include "sssn/log.hpp"

namespace sssn::detail {

push_fanout::push_fanout(std::string channel_id, uint32_t credit,
                         subscriber_overflow overflow)
  : channel_id_(std::move(channel_id)),
    window_(std::max<uint32_t>(1, credit)),
    overflow_(overflow) {
  // nop
}

// -- subscriptions ------------------------------------------------------------

void push_fanout::subscribe(const std::string& id, subscriber_actor hdl,
                            const std::string& prefix, bool consume,
                            bool batch, std::shared_ptr<delivery_sink> sink) {
  if (auto i = subscribers_.find(id); i != subscribers_.end()
                                      && i->second.hdl == hdl
                                      && i->second.prefix == prefix
                                      && i->second.consume == consume
                                      && i->second.sink == sink) {
    i->second.batch = batch;
    return;
  }
  if (auto i = subscribers_.find(id); i != subscribers_.end())
    drop(i);
  uint64_t token = 0;
  while (token == 0 || credit_owners_.count(token) > 0)
    token = secure_random_u64();
  auto& sub = subscribers_[id];
  sub.hdl = std::move(hdl);
  sub.prefix = prefix;
  sub.consume = consume;
  sub.batch = batch;
  sub.sink = std::move(sink);
  sub.token = token;
  credit_owners_.emplace(token, id);
  reindex();
}

bool push_fanout::unsubscribe(const std::string& id) {
  auto i = subscribers_.find(id);
  if (i == subscribers_.end())
    return false;
  drop(i);
  reindex();
  return true;
}

size_t push_fanout::drop_actor(const caf::actor_addr& addr) {
  size_t n = 0;
  for (auto i = subscribers_.begin(); i != subscribers_.end();) {
    if (i->second.hdl.address() == addr) {
      i = drop(i);
      ++n;
    } else {
      ++i;
    }
  }
  if (n > 0)
    reindex();
  return n;
}

const push_subscriber* push_fanout::find(const std::string& id) const {
  auto i = subscribers_.find(id);
  return i != subscribers_.end() ? &i->second : nullptr;
}

push_fanout::subscriber_map::iterator
push_fanout::drop(subscriber_map::iterator i) {
  credit_owners_.erase(i->second.token);
  waiting_.erase(i->first);
  return subscribers_.erase(i);
}

void push_fanout::reindex() {
  unfiltered_.clear();
  by_prefix_.clear();
  for (auto& [id, sub] : subscribers_) {
    if (sub.prefix.empty())
      unfiltered_.push_back(id);
    else
      by_prefix_[sub.prefix.size()][sub.prefix].push_back(id);
  }
}

// -- pushing ------------------------------------------------------------------

const std::vector<push_subscriber*>&
push_fanout::offer(uint64_t seq, stored_message& e, time_point now) {
  auto& msg = e.msg;
  due_.clear();
  overflowed_.clear();
  for (auto& id : unfiltered_)
    offer_to(id, seq, now);
  if (!by_prefix_.empty() && msg.correlation_id()) {
    std::string_view corr = *msg.correlation_id();
    for (auto& [len, index] : by_prefix_) {
      if (len > corr.size())
        break;
      auto i = index.find(corr.substr(0, len));
      if (i != index.end())
        for (auto& id : i->second)
          offer_to(id, seq, now);
    }
  }
  if (!due_.empty())
    e.pushed = true;
  return due_;
}

void push_fanout::offer_to(const std::string& id, uint64_t seq,
                           time_point now) {
  auto i = subscribers_.find(id);
  if (i == subscribers_.end())
    return;
  auto& sub = i->second;
  if (sub.resume != 0)
    return; // out of credit: it gets the message when credit comes back
  if (sub.sink) {
    // Handled when the channel hands it over: no credit to use.
    due_.push_back(&sub);
    return;
  }
  if (sub.in_flight < window_) {
    ++sub.in_flight;
    due_.push_back(&sub);
    return;
  }
  if (overflow_ == subscriber_overflow::backpressure) {
    sub.resume = seq;
    sub.waiting_since = now;
    waiting_.insert(i->first);
    if (log_enabled(log_level::debug))
      log(log_level::debug, "sssn.channel",
          "channel '" + channel_id_ + "': subscriber '" + i->first
            + "' is out of credit; its pushes wait");
    return;
  }
  overflowed_.push_back(i->first);
}

credit_result push_fanout::credit(uint64_t token, uint32_t n,
                                  time_point now) {
  credit_result result;
  auto owner = credit_owners_.find(token);
  if (owner == credit_owners_.end())
    return result; // the subscription has ended since
  auto& sub = subscribers_.at(owner->second);
  result.id = &owner->second;
  result.sub = &sub;
  result.outcome = credit_result::accepted;
  sub.in_flight -= std::min(n, sub.in_flight);
  sub.waiting_since = now;
  return result;
}

const std::vector<stored_message*>&
push_fanout::resume(const std::string& id, push_subscriber& sub,
                    message_store& store) {
  resumed_.clear();
  auto i = store.lower_bound(sub.resume);
  for (; i != store.end() && sub.in_flight < window_; ++i)
    if (prefix_matches(sub.prefix, i->second.msg)) {
      ++sub.in_flight;
      i->second.pushed = true;
      resumed_.push_back(&i->second);
    }
  if (i == store.end()) {
    sub.resume = 0;
    waiting_.erase(id);
  } else {
    sub.resume = i->first;
  }
  return resumed_;
}

// -- liveness -----------------------------------------------------------------

std::vector<std::string> push_fanout::stalled(time_point cutoff) const {
  std::vector<std::string> result;
  for (auto& id : waiting_)
    if (subscribers_.at(id).waiting_since <= cutoff)
      result.push_back(id);
  return result;
}

std::optional<push_fanout::time_point> push_fanout::longest_wait() const {
  std::optional<time_point> result;
  for (auto& id : waiting_) {
    auto t = subscribers_.at(id).waiting_since;
    if (!result || t < *result)
      result = t;
  }
  return result;
}

// -- retention ----------------------------------------------------------------

bool push_fanout::awaited(uint64_t seq, const channel_message& msg) const {
  for (auto& id : waiting_) {
    auto i = subscribers_.find(id);
    if (i != subscribers_.end() && i->second.resume <= seq
        && prefix_matches(i->second.prefix, msg))
      return true;
  }
  return false;
}

uint64_t push_fanout::awaiting(uint64_t seq, const channel_message& msg) const {
  uint64_t n = 0;
  for (auto& id : waiting_) {
    auto& sub = subscribers_.at(id);
    if (sub.resume <= seq && prefix_matches(sub.prefix, msg))
      ++n;
  }
  return n;
}

uint64_t push_fanout::awaited_from() const {
  auto result = std::numeric_limits<uint64_t>::max();
  for (auto& id : waiting_) {
    auto i = subscribers_.find(id);
    if (i != subscribers_.end() && i->second.prefix.empty())
      result = std::min(result, i->second.resume);
  }
  return result;
}

uint64_t push_fanout::awaited_none_below() const {
  auto result = std::numeric_limits<uint64_t>::max();
  for (auto& id : waiting_) {
    auto i = subscribers_.find(id);
    if (i != subscribers_.end())
      result = std::min(result, i->second.resume);
  }
  return result;
}

// -- introspection ------------------------------------------------------------

uint64_t push_fanout::in_flight() const {
  uint64_t n = 0;
  for (auto& kvp : subscribers_)
    n += kvp.second.in_flight;
  return n;
}

} // namespace sssn::detail
