// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The channel's data path (see channel_state.hpp): writes, reads, claims,
// host operations and drains, run across the parts of the channel.

#include "detail/channel/channel_state.hpp"

#include <algorithm>

#include <caf/actor_cast.hpp>
#include <caf/exit_reason.hpp>
#include <caf/response_promise.hpp>

#include "sssn/error.hpp"
#include "sssn/log.hpp"

namespace sssn::detail {

// -- checks -------------------------------------------------------------------

caf::error channel_state::check_accepting() {
  if (accepting_)
    return {};
  auto why = drained_    ? " (drained)"
             : draining_ ? " (draining)"
                         : " (not started)";
  return refuse(make_error(ec::not_accepting_writes,
                           describe() + " is not accepting writes" + why));
}

// -- writes -------------------------------------------------------------------

caf::result<void> channel_state::start() {
  if (draining_ && !drained_)
    return refuse(make_error(ec::not_accepting_writes,
                             describe()
                               + " is draining and cannot start again"));
  // A drained channel opens again, as SSSN's stopped channel does.
  draining_ = false;
  drained_ = false;
  accepting_ = true;
  dispatch();
  return caf::unit;
}

caf::result<std::string> channel_state::write(const std::string& sender,
                                              channel_message& msg,
                                              write_options& opts) {
  auto id = msg.id();
  if (auto err = admit(sender, msg, opts))
    return err;
  return id;
}

caf::error channel_state::admit(const std::string& sender,
                                channel_message& msg, write_options& opts) {
  if (!accepting_)
    return check_accepting();
  if (auto err = check_access(sender, "sender id", role::write, "write to"))
    return err;
  if (auto err = msg.validate()) {
    auto code = is(err, ec::incompatible_version) ? ec::incompatible_version
                                                   : ec::invalid_content;
    return refuse(make_error(code, describe() + ": message from '" + sender
                                     + "' refused: " + error_message(err)));
  }
  if (msg.sender_id() != sender)
    return refuse(make_error(ec::sender_mismatch,
                             describe() + ": sender mismatch: '" + sender
                               + "' wrote message '" + msg.id()
                               + "' whose sender_id is '" + msg.sender_id()
                               + "'"));
  if (store_.contains(msg.id()))
    return refuse(make_error(ec::duplicate_message_id,
                             describe() + ": duplicate message id '"
                               + msg.id() + "' from '" + sender + "'"));
  if (opts.require_responders && !has_responders())
    return refuse(make_error(ec::no_responders,
                             describe() + " has no responders for request '"
                               + msg.correlation_id().value_or(msg.id())
                               + "' from '" + sender + "'"));
  auto from_peer = writer_is_peer();
  // A peer names as reply channel only one of another node (its own):
  // replies into this process's channels are written with this process's
  // authority.
  if (from_peer && opts.reply_channel
      && opts.reply_channel.node() == self_->node())
    return refuse(make_error(
      ec::not_authorized,
      "not authorized: request '" + msg.id() + "' from '" + sender + "' on "
        + describe()
        + " names a reply channel of this node; a request from another "
          "node may only ask for replies on a channel of its own node"));
  return store(std::move(msg), std::move(opts.reply_channel), from_peer);
}

void channel_state::write_one_way(const std::string& sender,
                                  channel_message& msg, write_options& opts,
                                  uint64_t token) {
  auto require_responders = opts.require_responders;
  // No answer on success: the id a two-way write answers is not even made.
  auto err = admit(sender, msg, opts);
  auto& to = self_->current_sender();
  if (err) {
    tell_failed(to, token, std::move(err));
    return;
  }
  if (!require_responders || !to)
    return;
  // `store` gave the request the last sequence number. Once pushed, a
  // responder has it; until then, its caller waits (see `note_responders`).
  // (A message pushed to the subscriber that asked may be gone already.)
  auto seq = store_.next_seq() - 1;
  if (auto i = store_.find(seq); i != store_.end() && !i->second.pushed)
    store_.await_reply(seq, to, token);
}

void channel_state::write_batch(const std::string& sender,
                                std::vector<channel_message>& msgs,
                                const write_options& opts, uint64_t token) {
  batch_scope scope{*this};
  for (auto& msg : msgs) {
    auto each = opts;
    write_one_way(sender, msg, each, token);
  }
}

caf::result<std::string> channel_state::write_data(const std::string& sender,
                                                   content& data) {
  if (auto err = check_accepting())
    return err;
  if (auto err = check_access(sender, "sender id", role::write, "write to"))
    return err;
  if (auto err = data.check())
    return refuse(make_error(ec::invalid_content,
                             describe() + ": data from '" + sender
                               + "' refused: " + error_message(err)));
  // Content that a peer sent malformed, or in another wire version, arrives
  // as error content saying so: refuse it rather than store it.
  if (data.is_error()) {
    auto err = data.error();
    if (is(err, ec::invalid_content) || is(err, ec::incompatible_version))
      return refuse(make_error(static_cast<ec>(err.code()),
                               describe() + ": data from '" + sender
                                 + "' refused: " + error_message(err)));
  }
  auto msg = channel_message::builder{}
               .sender_id(sender)
               .content(std::move(data))
               .build();
  auto id = msg.id();
  if (auto err = store(std::move(msg), channel_actor{}, writer_is_peer()))
    return err;
  return id;
}

caf::error channel_state::store(channel_message msg,
                                channel_actor reply_channel, bool from_peer) {
  // Retention by count: make room, or refuse when only pinned work is left.
  if (!store_.make_room(cfg_.max_messages, fanout_.awaited_from(), pins()))
    return refuse(make_error(
      ec::overloaded, describe() + " is overloaded: all "
                        + std::to_string(store_.size())
                        + " stored messages are claimed or waiting for a "
                          "responder or a subscriber out of credit; "
                          "message '"
                        + msg.id() + "' was not written"));
  auto now = self_->clock().now();
  if (!msg.has_timestamp())
    msg = std::move(msg).with_timestamp(clock_->to_unix_ns(now));
  auto& [seq, e] = *store_.add(std::move(msg), std::move(reply_channel));
  e.from_peer = from_peer;
  ++stats_.writes;
  // Push to plain subscribers with credit, in write order.
  auto waiting = fanout_.waiting();
  for (auto* sub : fanout_.offer(seq, e, now)) {
    send_push(*sub, e);
    if (sub->consume && !e.delivered) {
      e.delivered = true;
      consumed(seq);
    }
  }
  if (fanout_.waiting() > waiting && cfg_.subscriber_credit_timeout)
    schedule_tick(now + *cfg_.subscriber_credit_timeout);
  for (auto& id : fanout_.overflowed())
    end_subscription(id, false);
  dispatch();
  if (cfg_.max_age) {
    // The age bound on write: drop what is too old at the front, at O(1)
    // per message; the timer handles the rest.
    auto limit = clock_->to_unix_ns(now - *cfg_.max_age);
    if (auto oldest = store_.trim_by_age(limit, seq, pins()))
      schedule_tick(std::max(now, clock_->from_unix_ns(*oldest)
                                    + *cfg_.max_age));
  }
  drop_fresh(); // a reply pushed to the requester that asked goes now
  return {};
}

// -- reads and claims ---------------------------------------------------------

caf::result<std::vector<channel_message>>
channel_state::read(const std::string& reader, uint32_t limit,
                    const std::string& after) {
  if (auto err = check_access(reader, "reader id", role::read, "read from"))
    return err;
  std::vector<channel_message> result;
  if (limit == 0)
    return result;
  std::optional<uint64_t> start;
  if (!after.empty()) {
    start = store_.start_after(after);
    if (!start)
      return refuse(make_error(ec::unknown_message_id,
                               describe() + ": unknown message id '" + after
                                 + "' in read(after) by '" + reader + "'"));
  }
  schedule_tick(store_.read(reader, start,
                            std::min(limit, cfg_.max_read_batch),
                            self_->clock().now(), result));
  stats_.reads += result.size();
  return result;
}

caf::result<std::vector<channel_message>>
channel_state::claim(const std::string& reader, uint32_t limit) {
  if (auto err = check_access(reader, "reader id", role::read, "read from"))
    return err;
  std::vector<channel_message> result;
  auto n = std::min(limit, cfg_.max_read_batch);
  while (result.size() < n && !store_.unclaimed().empty()) {
    auto seq = *store_.unclaimed().begin();
    auto& e = store_.at(seq);
    claim_for(seq, e, reader, false);
    result.push_back(e.msg);
  }
  stats_.reads += result.size();
  return result;
}

// Acknowledge and nack: checks, then `apply` to each claimed message (it
// returns whether it changed the message), then hands freed work on.
template <class F>
caf::expected<uint64_t>
channel_state::settle_claims(const std::string& reader,
                             const std::vector<std::string>& ids,
                             const char* op, F apply) {
  auto what = std::string{op} + " on";
  if (auto err = check_access(reader, "reader id", role::read, what.c_str()))
    return err;
  // An explicit admin of a non-open policy may settle anyone's claims.
  auto any_owner = !cfg_.policy.is_open()
                   && cfg_.policy.allows(reader, role::admin)
                   && token_grants(reader, role::admin);
  auto& seqs = settle_seqs_;
  seqs.clear();
  if (auto err = claims_.check(store_, reader, ids, any_owner, op, cfg_.id,
                               seqs))
    return refuse(std::move(err));
  uint64_t n = 0;
  for (auto seq : seqs)
    if (apply(seq, store_.at(seq)))
      ++n;
  drop_fresh(); // acknowledged: consumed for good
  dispatch();
  age_retention();
  finish_drain_if_done();
  return n;
}

caf::result<uint64_t>
channel_state::acknowledge(const std::string& reader,
                           const std::vector<std::string>& ids) {
  return acknowledge_claims(reader, ids);
}

caf::expected<uint64_t>
channel_state::acknowledge_claims(const std::string& reader,
                                  const std::vector<std::string>& ids) {
  return settle_claims(reader, ids, "acknowledge",
                       [this](uint64_t seq, stored_message& e) {
                         settle_member(e);
                         if (!claims_.acknowledge(store_, seq, e))
                           return false;
                         consumed(seq);
                         return true;
                       });
}

void channel_state::acknowledge_one_way(const std::string& reader,
                                        const std::vector<std::string>& ids,
                                        uint64_t token) {
  // No answer on success: the count a two-way acknowledge answers is not
  // even made.
  auto n = acknowledge_claims(reader, ids);
  if (!n)
    tell_failed(self_->current_sender(), token, std::move(n.error()));
}

caf::result<uint64_t> channel_state::nack(const std::string& reader,
                                          const std::vector<std::string>& ids) {
  return settle_claims(reader, ids, "nack",
                       [this](uint64_t seq, stored_message& e) {
                         if (e.claim_owner.empty())
                           return false;
                         release_claim(seq, e);
                         return true;
                       });
}

// -- host operations ----------------------------------------------------------

caf::result<uint64_t> channel_state::clear(const std::string& admin,
                                           const message_filter& filter) {
  if (auto err = check_role(admin, role::admin, "clear"))
    return err;
  uint64_t n = 0;
  for (auto i = store_.begin(); i != store_.end();) {
    if (matches(i->second.msg, filter)) {
      i = erase_entry(i, false);
      ++n;
    } else {
      ++i;
    }
  }
  dispatch();
  finish_drain_if_done();
  return n;
}

caf::result<uint64_t> channel_state::evict(const std::string& admin,
                                           const evict_options& opts) {
  if (auto err = check_role(admin, role::admin, "evict from"))
    return err;
  uint64_t n = 0;
  if (opts.before_ns)
    n += store_.evict_older(*opts.before_ns, pins());
  if (opts.max_count)
    n += store_.evict_to_count(*opts.max_count, fanout_.awaited_from(),
                               pins());
  return n;
}

caf::result<uint64_t>
channel_state::remove(const std::string& admin,
                      const std::vector<std::string>& ids) {
  if (auto err = check_role(admin, role::admin, "remove from"))
    return err;
  for (auto& id : ids)
    if (!store_.contains(id))
      return refuse(make_error(ec::unknown_message_id,
                               describe() + ": unknown message id '" + id
                                 + "' in remove by '" + admin + "'"));
  uint64_t n = 0;
  for (auto& id : ids) {
    auto seq = store_.seq_of(id);
    if (!seq)
      continue; // listed twice
    erase_entry(store_.find(*seq), false);
    ++n;
  }
  dispatch();
  finish_drain_if_done();
  return n;
}

caf::result<void> channel_state::set_policy(const std::string& admin,
                                            access_policy& policy) {
  if (auto err = check_role(admin, role::admin, "set the policy of"))
    return err;
  cfg_.policy = std::move(policy);
  return caf::unit;
}

channel_stats channel_state::stats() const {
  auto result = stats_;
  result.accepting = accepting_;
  result.stored = store_.size();
  result.evicted = store_.evicted();
  result.claimed = claims_.count();
  result.subscribers = fanout_.size();
  result.group_members = group_.size();
  result.readers = store_.readers();
  result.token_bound = tokens_.bound();
  result.in_flight = fanout_.in_flight();
  result.waiting = fanout_.waiting();
  return result;
}

caf::result<void> channel_state::drain(const std::string& admin) {
  if (auto err = check_role(admin, role::admin, "drain"))
    return err;
  if (drained_)
    return caf::unit;
  auto rp = self_->make_response_promise<void>();
  drain_promises_.push_back(rp);
  if (!draining_) {
    draining_ = true;
    accepting_ = false;
    drain_deadline_ = self_->clock().now()
                      + cfg_.drain_timeout.value_or(cfg_.claim_expiry);
    schedule_tick(drain_deadline_);
  }
  finish_drain_if_done();
  return rp;
}

caf::result<void> channel_state::stop(const std::string& admin) {
  if (auto err = check_role(admin, role::admin, "stop"))
    return err;
  shut_down();
  return caf::unit;
}

// -- claims and deliveries ----------------------------------------------------

void channel_state::settle_member(const stored_message& e) {
  if (e.group_claim)
    group_.settle(e.claim_owner);
}

void channel_state::claim_for(uint64_t seq, stored_message& e,
                              const std::string& owner, bool group) {
  auto expiry = self_->clock().now() + cfg_.claim_expiry;
  claims_.claim(store_, seq, e, owner, group, expiry);
  schedule_tick(expiry);
}

void channel_state::release_claim(uint64_t seq, stored_message& e) {
  settle_member(e);
  claims_.release(store_, seq, e);
}

void channel_state::tell_failed(const caf::strong_actor_ptr& to,
                                uint64_t token, caf::error err) {
  if (to)
    self_->send(caf::actor_cast<write_failed_listener>(to),
                write_failed_atom::value, token, std::move(err));
}

// -- drains -------------------------------------------------------------------

void channel_state::answer_drains() {
  for (auto& rp : drain_promises_)
    static_cast<caf::response_promise&>(rp).deliver(caf::unit);
  drain_promises_.clear();
}

void channel_state::shut_down() {
  // What was pushed goes out before the channel stops.
  flush_pushes();
  accepting_ = false;
  answer_drains();
  self_->quit(caf::exit_reason::user_shutdown);
}

// A drain ends once no claim is outstanding (or its time is up): the channel
// keeps what it holds for reads and refuses writes, as SSSN's stopped
// channel does.
void channel_state::finish_drain_if_done() {
  if (!draining_ || drained_)
    return;
  if (claims_.count() > 0 && self_->clock().now() < drain_deadline_)
    return;
  drained_ = true;
  answer_drains();
}

// -- timer --------------------------------------------------------------------

void channel_state::schedule_tick(time_point t) {
  if (tick_scheduled_ && tick_at_ <= t)
    return;
  tick_scheduled_ = true;
  tick_at_ = t;
  self_->scheduled_send(caf::actor_cast<channel_actor_impl>(self_), t,
                        tick_atom::value);
}

} // namespace sssn::detail
