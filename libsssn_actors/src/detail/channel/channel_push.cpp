// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The channel's pushes: to responder group members (dispatch) and plain
// subscribers, one delivery per message or, for subscribers that take
// batches, several in one message when they queue up (push_batcher).

#include "detail/channel/channel_state.hpp"

namespace sssn::detail {

delivery_sink::~delivery_sink() = default;

void channel_state::dispatch() {
  if (group_.empty() || draining_)
    return;
  // What one call hands out goes in one message per member.
  batch_scope scope{*this};
  while (!store_.unclaimed().empty()) {
    auto pick = group_.next();
    if (pick == nullptr)
      return;
    auto seq = *store_.unclaimed().begin();
    auto& e = store_.at(seq);
    claim_for(seq, e, pick->first, true);
    ++stats_.pushes;
    auto d = make_delivery(e);
    d.claimed = true;
    push(pick->second.hdl, std::move(d), pick->second.batch);
  }
}

delivery channel_state::make_delivery(const stored_message& e) const {
  delivery d;
  d.channel_id = cfg_.id;
  d.message = e.msg;
  d.reply_channel = e.reply_channel;
  d.source = caf::actor_cast<channel_actor>(self_);
  d.from_peer = e.from_peer;
  return d;
}

void channel_state::send_push(const push_subscriber& sub,
                              const stored_message& e) {
  ++stats_.pushes;
  if (sub.sink) {
    // In process, on this thread: the requester's reply path.
    sub.sink->take(e.msg, self_->context());
    return;
  }
  auto d = make_delivery(e);
  d.credit_token = sub.token;
  d.credit_window = fanout_.window();
  push(sub.hdl, std::move(d), sub.batch);
}

void channel_state::push(const subscriber_actor& hdl, delivery d,
                          bool batch) {
  // With nothing queued and nothing else to do, a push goes at once: one
  // message in flight waits for no batch. Under load (more messages in the
  // mailbox, or an operation that writes several) deliveries queue up until
  // the flush, which a message to self puts after the queued work.
  if (!batch
      || (batch_depth_ == 0 && batcher_.empty() && self_->mailbox().empty())) {
    self_->send(hdl, push_atom::value, std::move(d));
    return;
  }
  batcher_.add(hdl, std::move(d));
  if (batch_depth_ == 0)
    flush_when_idle();
}

void channel_state::flush_when_idle() {
  if (batcher_.empty())
    return;
  if (self_->mailbox().empty()) {
    flush_pushes();
  } else if (!flush_scheduled_) {
    // Behind the queued work: whatever it pushes joins the batch.
    flush_scheduled_ = true;
    self_->send(caf::actor_cast<channel_actor_impl>(self_), flush_atom::value);
  }
}

void channel_state::flush_pushes() {
  flush_scheduled_ = false;
  if (batcher_.empty())
    return;
  batcher_.flush(self_);
}

channel_state::batch_scope::batch_scope(channel_state& st) : st_(st) {
  ++st_.batch_depth_;
}

channel_state::batch_scope::~batch_scope() {
  if (--st_.batch_depth_ == 0)
    st_.flush_when_idle();
}

} // namespace sssn::detail
