// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "detail/channel/message_store.hpp"

namespace sssn::detail {

bool prefix_matches(const std::string& prefix, const channel_message& msg) {
  if (prefix.empty())
    return true;
  auto& corr = msg.correlation_id();
  return corr && corr->compare(0, prefix.size(), prefix) == 0;
}

bool matches(const channel_message& msg, const message_filter& f) {
  if (!f.sender_id.empty() && msg.sender_id() != f.sender_id)
    return false;
  if (!prefix_matches(f.correlation_prefix, msg))
    return false;
  if (!f.recipient_id.empty()
      && msg.recipient_id().value_or(std::string{}) != f.recipient_id)
    return false;
  if (f.before_ns != 0 && msg.timestamp_ns() >= f.before_ns)
    return false;
  return true;
}

message_store::message_store(uint64_t evicted_window, bool time_index,
                             caf::timespan reader_idle_timeout)
  : time_index_(time_index),
    reader_idle_timeout_(reader_idle_timeout),
    ids_(evicted_window) {
  // nop
}

// -- access -------------------------------------------------------------------

std::optional<uint64_t> message_store::seq_of(const std::string& id) const {
  if (auto x = ids_.find(id); x && x->live)
    return x->seq;
  return std::nullopt;
}

std::optional<uint64_t>
message_store::start_after(const std::string& id) const {
  // Stored or gone: after it.
  if (auto x = ids_.find(id))
    return x->seq + 1;
  return std::nullopt;
}

bool message_store::was_consumed(const std::string& id) const {
  auto x = ids_.find(id);
  return x && !x->live && x->consumed;
}

uint64_t message_store::scan(uint64_t start, size_t n,
                             std::vector<channel_message>& out) const {
  auto first = out.size();
  for (auto i = entries_.lower_bound(start); i != entries_.end(); ++i) {
    auto& e = i->second;
    if (!e.claim_owner.empty() || e.acked)
      continue;
    out.push_back(e.msg);
    if (out.size() - first == n)
      return i->first + 1;
  }
  return next_seq_;
}

// -- shared readers -----------------------------------------------------------

message_store::time_point
message_store::read(const std::string& reader, std::optional<uint64_t> start,
                    size_t n, time_point now,
                    std::vector<channel_message>& out) {
  if (!start) {
    auto i = cursors_.find(reader);
    start = i != cursors_.end() ? i->second.next : 0;
  }
  auto next = scan(*start, n, out);
  auto& cur = cursors_[reader];
  cur.next = next;
  cur.last_active = now;
  if (cursors_.size() == 1)
    next_sweep_ = now + reader_idle_timeout_;
  return next_sweep_;
}

void message_store::sweep_readers(time_point now) {
  if (cursors_.empty() || now < next_sweep_)
    return;
  for (auto i = cursors_.begin(); i != cursors_.end();) {
    if (now - i->second.last_active >= reader_idle_timeout_)
      i = cursors_.erase(i);
    else
      ++i;
  }
  next_sweep_ = now + reader_idle_timeout_ / 4;
}

std::optional<message_store::time_point> message_store::next_sweep() const {
  if (cursors_.empty())
    return std::nullopt;
  return next_sweep_;
}

// -- writing ------------------------------------------------------------------

message_store::iterator message_store::add(channel_message msg,
                                           channel_actor reply_channel) {
  auto seq = next_seq_++;
  // Sequence numbers only grow: the new entry goes last.
  auto i = entries_.try_emplace(entries_.end(), seq);
  auto& e = i->second;
  e.msg = std::move(msg);
  e.reply_channel = std::move(reply_channel);
  // An id in the gone window is live again (`write` refuses only an id
  // that is stored now).
  ids_.add(e.msg.id(), seq);
  unclaimed_.insert(seq);
  if (time_index_)
    by_time_.emplace(e.msg.timestamp_ns(), seq);
  return i;
}

void message_store::await_reply(uint64_t seq, caf::strong_actor_ptr caller,
                                uint64_t call) {
  auto& e = entries_.at(seq);
  e.caller = std::move(caller);
  e.call = call;
  calls_waiting_.insert(seq);
}

void message_store::consume(uint64_t seq, stored_message& e) {
  unclaimed_.erase(seq);
  calls_waiting_.erase(seq);
  e.caller = nullptr;
  e.acked = true;
}

// -- removal ------------------------------------------------------------------

message_store::iterator message_store::erase(iterator i, bool evicted) {
  return erase_entry(i, evicted, false);
}

void message_store::drop(iterator i) {
  erase_entry(i, false, true);
}

message_store::iterator message_store::erase_entry(iterator i, bool evicted,
                                                   bool consumed) {
  auto seq = i->first;
  auto& e = i->second;
  unclaimed_.erase(seq);
  calls_waiting_.erase(seq);
  if (time_index_)
    unindex_time(e.msg.timestamp_ns(), seq);
  ids_.remove(e.msg.id(), seq, consumed);
  if (evicted)
    ++evicted_;
  return entries_.erase(i);
}

void message_store::unindex_time(int64_t timestamp_ns, uint64_t seq) {
  auto range = by_time_.equal_range(timestamp_ns);
  for (auto j = range.first; j != range.second; ++j)
    if (j->second == seq) {
      by_time_.erase(j);
      return;
    }
}

} // namespace sssn::detail
