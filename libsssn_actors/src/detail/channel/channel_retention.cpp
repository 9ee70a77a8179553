// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// What a channel keeps (see channel_state.hpp): retention, and what it keeps
// of consumed messages (docs/channels.md, "History"). Split from
// channel_state.cpp, which keeps the data path that calls into it.

#include "detail/channel/channel_state.hpp"

#include <algorithm>

namespace sssn::detail {

// -- storage and retention ----------------------------------------------------

// Only host operations remove what is claimed or what a subscriber out of
// credit waits for (it has skipped it); evictions leave such messages.
message_store::iterator channel_state::erase_entry(message_store::iterator i,
                                                   bool evicted) {
  auto seq = i->first;
  auto& e = i->second;
  stats_.skipped += fanout_.awaiting(seq, e.msg);
  settle_member(e);
  claims_.drop(seq, e);
  spent_.erase(seq);
  return store_.erase(i, evicted);
}

// Runs on the timer, on writes and whenever a claim ends, so that an old
// message that was pinned goes as soon as it may.
void channel_state::age_retention() {
  sweep_spent();
  if (!cfg_.max_age)
    return;
  auto now = self_->clock().now();
  auto limit = clock_->to_unix_ns(now - *cfg_.max_age);
  if (auto next = store_.apply_age_bound(limit, pins()))
    schedule_tick(std::max(now, clock_->from_unix_ns(*next) + *cfg_.max_age));
}

// -- history ------------------------------------------------------------------

// Without history, a consumed message goes as soon as nothing pins it: an
// answered request once acknowledged, a reply once pushed to the requester
// that asked. What pins it (a claim, a subscriber out of credit that has not
// had it yet) keeps it, in `spent_`, until that is over.
void channel_state::consumed(uint64_t seq) {
  if (!cfg_.keep_history)
    fresh_.push_back(seq);
}

void channel_state::drop_fresh() {
  if (fresh_.empty())
    return;
  // By index, so that the buffer is kept for the next write (no allocation
  // per message), and safe even if dropping ever consumed (it does not).
  for (size_t k = 0; k < fresh_.size(); ++k)
    drop_spent(fresh_[k]);
  fresh_.clear();
}

void channel_state::drop_spent(uint64_t seq) {
  auto i = store_.find(seq);
  if (i == store_.end() || !(i->second.acked || i->second.delivered)) {
    spent_.erase(seq);
    return;
  }
  if (pinned(seq, i->second)) {
    spent_.insert(seq);
    return;
  }
  if (i->second.acked)
    ++stats_.dropped_acknowledged;
  else
    ++stats_.dropped_delivered;
  spent_.erase(seq);
  store_.drop(i);
}

void channel_state::sweep_spent() {
  if (spent_.empty())
    return;
  // Above this, a subscriber out of credit may still wait for them.
  auto limit = fanout_.awaited_none_below();
  for (auto i = spent_.begin(); i != spent_.end() && *i < limit;) {
    auto seq = *i++; // drop_spent erases `seq` from `spent_` if it goes
    drop_spent(seq);
  }
}

} // namespace sssn::detail
