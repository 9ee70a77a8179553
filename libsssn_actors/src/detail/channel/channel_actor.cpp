#include "detail/channel/channel_actor.hpp"

#include <algorithm>
#include <deque>
#include <limits>
#include <map>
#include <queue>
#include <set>
#include <unordered_map>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/message_view.hpp>
#include <caf/result.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "detail/channel/auth_sessions.hpp"
#include "detail/channel/claim_table.hpp"
#include "detail/channel/message_store.hpp"
#include "detail/channel/push_fanout.hpp"
#include "detail/channel/responder_group.hpp"
#include "detail/harden.hpp"
#include "sssn/detail/content_json.hpp"
#include "sssn/detail/exit_guard.hpp"
#include "sssn/detail/unix_clock.hpp"
#include "sssn/error.hpp"
#include "sssn/log.hpp"
#include "sssn/refusals.hpp"
#include "sssn/token.hpp"

namespace sssn::detail {

namespace {

using time_point = caf::actor_clock::time_point;

struct channel_state {
  static inline const char* name = "sssn.channel";

  channel_config cfg;
  owner_secret secret;
  std::optional<unix_clock> clock;
  bool accepting = false;
  bool draining = false;
  /// Set when a drain has finished: the channel stays readable and refuses
  /// writes until it is started again.
  bool drained = false;
  time_point drain_deadline;
  std::vector<caf::typed_response_promise<void>> drain_promises;

  // -- storage ----------------------------------------------------------------

  message_store store;

  // -- claims -----------------------------------------------------------------

  claim_table claims;

  // -- readers and subscribers ------------------------------------------------

  push_fanout fanout;
  responder_group group;

  /// Since when the channel has had no responder, while calls wait.
  std::optional<time_point> responders_gone_at;

  // -- timers -----------------------------------------------------------------

  bool tick_scheduled = false;
  time_point tick_at;

  // -- authentication ---------------------------------------------------------

  /// The actor itself, to see where the current message comes from.
  caf::local_actor* self_ptr = nullptr;
  auth_sessions sessions;

  // -- stats ------------------------------------------------------------------

  channel_stats stats;

  // -- helpers ----------------------------------------------------------------

  std::string describe() const {
    return "channel '" + cfg.id + "'";
  }

  caf::error refuse(caf::error err) {
    ++stats.refused;
    if (is(err, ec::not_authorized))
      ++stats.unauthorized;
    if (is(err, ec::overloaded))
      ++stats.overloaded;
    if (log_enabled(log_level::debug))
      log(log_level::debug, name, error_message(err));
    return err;
  }

  caf::error check_role(const std::string& principal, role required,
                        const char* what) {
    auto granted = cfg.policy.role_of(principal);
    if ((sessions.enabled() || cfg.policy.tokens_required())
        && needs_token()) {
      auto res = sessions.role_of(session_key{origin(), principal}, what,
                                  unix_now());
      if (!res)
        return refuse_token(std::move(res.error()));
      granted = std::min(granted, *res);
    }
    if (granted >= required)
      return {};
    return refuse(make_error(ec::not_authorized,
                             "not authorized: '" + principal + "' may not "
                               + what + " " + describe()));
  }

  /// Returns whether the current message must be backed by a token: it
  /// comes from another node, from no actor at all (which a peer can fake),
  /// or the policy wants tokens everywhere.
  bool needs_token() const {
    if (cfg.policy.tokens_required())
      return true;
    auto& src = self_ptr->current_sender();
    return !src || src->node() != self_ptr->node();
  }

  /// The node the current message comes from (invalid for anonymous ones).
  caf::node_id origin() const {
    auto& src = self_ptr->current_sender();
    return src ? src->node() : caf::node_id{};
  }

  /// Returns whether the current message needs no token, or the session of
  /// `principal` grants at least `required` (counts nothing).
  bool token_grants(const std::string& principal, role required) const {
    if (!(sessions.enabled() || cfg.policy.tokens_required())
        || !needs_token())
      return true;
    return sessions.grants(session_key{origin(), principal}, required,
                           unix_now());
  }

  /// Refuses for want of a valid token (`ec::not_authorized`).
  caf::error refuse_token(caf::error err) {
    ++stats.token_refusals;
    return refuse(std::move(err));
  }

  caf::error check_principal(const std::string& principal, const char* what) {
    if (principal.empty())
      return refuse(make_error(ec::invalid_argument,
                               std::string{"empty "} + what + " on "
                                 + describe()));
    if (!valid_utf8(principal))
      return refuse(make_error(ec::invalid_argument,
                               std::string{what} + " '"
                                 + sanitize_utf8(principal) + "' on "
                                 + describe() + " is not valid UTF-8"));
    return {};
  }

  bool has_responders() const {
    return !fanout.empty() || !group.empty();
  }

  bool pinned(uint64_t seq, const stored_message& e) const {
    if (!e.claim_owner.empty())
      return true;
    if (!group.empty() && !e.acked && store.unclaimed().count(seq) > 0)
      return true;
    return fanout.awaited(seq, e.msg);
  }

};

// Drops `exit_reason::kill` from peers (see detail::exit_guard).
using channel_pointer = exit_guard<
  caf::stateful_actor<channel_state, channel_actor_impl::base>>*;

// -- storage operations ---------------------------------------------------------

/// A group member's delivery ended: it has that credit back.
void settle_member(channel_state& st, const stored_message& e) {
  if (e.group_claim)
    st.group.settle(e.claim_owner);
}

/// Ends the claim on a message that is about to go.
void drop_claim(channel_state& st, uint64_t seq, stored_message& e) {
  settle_member(st, e);
  st.claims.drop(seq, e);
}

/// Erases a stored message, settling its claim and counting it as skipped
/// for the subscribers out of credit that wait for it (only host operations
/// remove such messages); `evicted` counts it as eviction.
message_store::iterator erase_entry(channel_state& st,
                                    message_store::iterator i, bool evicted) {
  auto seq = i->first;
  auto& e = i->second;
  st.stats.skipped += st.fanout.awaiting(seq, e.msg);
  drop_claim(st, seq, e);
  return st.store.erase(i, evicted);
}

/// Whether retention must keep a message (see `channel_state::pinned`).
auto pins(const channel_state& st) {
  return [&st](uint64_t seq, const stored_message& e) {
    return st.pinned(seq, e);
  };
}

// -- timers ---------------------------------------------------------------------

void schedule_tick(channel_pointer self, time_point t) {
  auto& st = self->state;
  if (st.tick_scheduled && st.tick_at <= t)
    return;
  st.tick_scheduled = true;
  st.tick_at = t;
  self->scheduled_send(caf::actor_cast<channel_actor_impl>(self), t,
                       tick_atom::value);
}

void claim_for(channel_pointer self, uint64_t seq, stored_message& e,
               const std::string& owner, bool group) {
  auto& st = self->state;
  auto expiry = self->clock().now() + st.cfg.claim_expiry;
  st.claims.claim(st.store, seq, e, owner, group, expiry);
  schedule_tick(self, expiry);
}

/// Hands waiting messages to responder group members with free credit.
void dispatch(channel_pointer self) {
  auto& st = self->state;
  if (st.group.empty() || st.draining)
    return;
  while (!st.store.unclaimed().empty()) {
    auto pick = st.group.next();
    if (pick == nullptr)
      return;
    auto seq = *st.store.unclaimed().begin();
    auto& e = st.store.at(seq);
    claim_for(self, seq, e, pick->first, true);
    ++st.stats.pushes;
    delivery d;
    d.channel_id = st.cfg.id;
    d.message = e.msg;
    d.reply_channel = e.reply_channel;
    d.claimed = true;
    d.source = caf::actor_cast<channel_actor>(self);
    self->send(pick->second.hdl, push_atom::value, std::move(d));
  }
}

void release(channel_pointer self, uint64_t seq, stored_message& e) {
  auto& st = self->state;
  settle_member(st, e);
  st.claims.release(st.store, seq, e);
}

void age_retention(channel_pointer self);
void note_responders(channel_pointer self);

void remove_member(channel_pointer self, const std::string& system_id) {
  auto& st = self->state;
  if (!st.group.leave(system_id))
    return;
  st.claims.release_all(st.store, system_id);
  dispatch(self);
  age_retention(self);
  note_responders(self);
}

/// Applies the age bound now and arms the timer for the next message it
/// will evict. Runs on the timer, on writes and whenever a claim ends, so
/// that an old message that was pinned goes as soon as it may.
void age_retention(channel_pointer self) {
  auto& st = self->state;
  if (!st.cfg.max_age)
    return;
  auto now = self->clock().now();
  auto limit = st.clock->to_unix_ns(now - *st.cfg.max_age);
  if (auto next = st.store.apply_age_bound(limit, pins(st)))
    schedule_tick(self, std::max(now, st.clock->from_unix_ns(*next)
                                        + *st.cfg.max_age));
}

/// Answers every pending drain.
void answer_drains(channel_state& st) {
  for (auto& rp : st.drain_promises)
    static_cast<caf::response_promise&>(rp).deliver(caf::unit);
  st.drain_promises.clear();
}

/// Answers every pending drain and stops the channel.
void shut_down(channel_pointer self) {
  auto& st = self->state;
  st.accepting = false;
  answer_drains(st);
  self->quit(caf::exit_reason::user_shutdown);
}

/// Ends a drain once no claim is outstanding (or its time is up): the
/// channel keeps what it holds for reads and refuses writes, as SSSN's
/// stopped channel does.
void finish_drain_if_done(channel_pointer self) {
  auto& st = self->state;
  if (!st.draining || st.drained)
    return;
  if (st.claims.count() > 0 && self->clock().now() < st.drain_deadline)
    return;
  st.drained = true;
  answer_drains(st);
}

// -- calls without responders -----------------------------------------------------

/// Starts the grace period when the last responder has gone while calls
/// wait (see `channel_config::no_responder_grace`).
void note_responders(channel_pointer self) {
  auto& st = self->state;
  if (st.has_responders()) {
    st.responders_gone_at.reset();
    return;
  }
  if (st.responders_gone_at || st.store.calls_waiting().empty())
    return;
  auto now = self->clock().now();
  st.responders_gone_at = now;
  schedule_tick(self, now + st.cfg.no_responder_grace);
}

/// Fails every call whose request still waits for a responder once the
/// grace has run out without one: its requester hears `no_responders` now
/// rather than at its deadline. The requests stay stored.
void abandon_waiting_calls(channel_pointer self) {
  auto& st = self->state;
  char grace[32];
  std::snprintf(grace, sizeof(grace), "%g",
                std::chrono::duration<double>(st.cfg.no_responder_grace)
                  .count());
  for (auto seq : st.store.calls_waiting()) {
    auto& e = st.store.at(seq);
    // Claimed by a reader: it may still answer.
    if (e.acked || e.pushed || !e.claim_owner.empty() || !e.caller)
      continue;
    ++st.stats.abandoned_calls;
    auto err = make_error(ec::no_responders,
                          st.describe() + " has had no responders for "
                            + grace + " s; request '"
                            + e.msg.correlation_id().value_or(e.msg.id())
                            + "' from '" + e.msg.sender_id()
                            + "' cannot be answered");
    self->send(caf::actor_cast<write_failed_listener>(e.caller),
               write_failed_atom::value, e.call, std::move(err));
    e.caller = nullptr;
  }
  st.store.clear_calls_waiting();
}

/// The grace period's part of a tick; returns when it needs the next one.
std::optional<time_point> check_responder_grace(channel_pointer self,
                                                time_point now) {
  auto& st = self->state;
  if (!st.responders_gone_at)
    return std::nullopt;
  if (st.has_responders()) {
    st.responders_gone_at.reset();
    return std::nullopt;
  }
  auto due = *st.responders_gone_at + st.cfg.no_responder_grace;
  if (now < due)
    return due;
  st.responders_gone_at.reset();
  abandon_waiting_calls(self);
  return std::nullopt;
}

/// Ends what the sessions `ended` held: the subscriptions and group
/// memberships their subject holds from their node.
void end_sessions(channel_pointer self, const std::vector<session_key>& ended) {
  auto& st = self->state;
  for (auto& [node, subject] : ended) {
    if (auto sub = st.fanout.find(subject); sub && sub->hdl.node() == node) {
      st.fanout.unsubscribe(subject);
      ++st.stats.expired_subscriptions;
    }
    if (auto m = st.group.find(subject); m && m->hdl.node() == node) {
      remove_member(self, subject);
      ++st.stats.expired_subscriptions;
    }
    if (log_enabled(log_level::info))
      log(log_level::info, channel_state::name,
          st.describe() + ": the token of '" + subject
            + "' expired; its session ended");
  }
  note_responders(self);
}

/// Ends the sessions whose token expired, and what they held.
void expire_sessions(channel_pointer self) {
  auto& st = self->state;
  if (!st.sessions.empty())
    end_sessions(self, st.sessions.expire(unix_now()));
}

/// Checks a token and opens (or renews) the session of its subject for the
/// node the current message comes from.
caf::result<void> authenticate(channel_pointer self, const std::string& token) {
  auto& st = self->state;
  auto res = st.sessions.authenticate(st.origin(), token, unix_now(),
                                      self->clock().now());
  if (!res.ended.empty())
    end_sessions(self, res.ended);
  if (res.refused) {
    if (is(res.refused, ec::not_authorized))
      return st.refuse_token(std::move(res.refused));
    return st.refuse(std::move(res.refused));
  }
  ++st.stats.authentications;
  schedule_tick(self, res.expires);
  return caf::unit;
}

void on_tick(channel_pointer self) {
  auto& st = self->state;
  st.tick_scheduled = false;
  auto now = self->clock().now();
  // Claim expiry.
  auto expired = st.claims.expire(st.store, now);
  for (auto& x : expired) {
    ++st.stats.expired_claims;
    if (x.group)
      st.group.settle(x.owner);
    if (log_enabled(log_level::info))
      log(log_level::info, channel_state::name,
          st.describe() + ": claim of message '" + st.store.at(x.seq).msg.id()
            + "' by '" + x.owner + "' expired");
  }
  if (!expired.empty())
    dispatch(self);
  age_retention(self);
  st.store.sweep_readers(now);
  expire_sessions(self);
  finish_drain_if_done(self);
  auto grace_due = check_responder_grace(self, now);
  // Next wake-up: the earliest of the pending deadlines.
  std::optional<time_point> next;
  auto consider = [&](time_point t) {
    if (!next || t < *next)
      next = t;
  };
  if (auto t = st.claims.next_expiry())
    consider(*t);
  if (auto t = st.store.next_sweep())
    consider(*t);
  if (st.draining && !st.drained)
    consider(st.drain_deadline);
  if (grace_due)
    consider(*grace_due);
  if (auto t = st.sessions.next_expiry())
    consider(*t);
  if (next)
    schedule_tick(self, std::max(*next, now));
}

// -- push credit ------------------------------------------------------------------

/// Pushes `e` to the plain subscriber `sub` (`push_fanout` took its credit).
void send_push(channel_pointer self, const push_subscriber& sub,
               const stored_message& e) {
  auto& st = self->state;
  ++st.stats.pushes;
  delivery d;
  d.channel_id = st.cfg.id;
  d.message = e.msg;
  d.reply_channel = e.reply_channel;
  d.source = caf::actor_cast<channel_actor>(self);
  d.credit_token = sub.token;
  d.credit_window = st.fanout.window();
  self->send(sub.hdl, push_atom::value, std::move(d));
}

/// Ends the subscription of a plain subscriber out of credit
/// (`subscriber_overflow::evict`), telling it why.
void end_subscription(channel_pointer self, const std::string& system_id) {
  auto& st = self->state;
  auto sub = st.fanout.find(system_id);
  if (sub == nullptr)
    return;
  auto why = st.describe() + " is overloaded: it ended the subscription of '"
             + system_id + "', which had " + std::to_string(sub->in_flight)
             + " deliveries without credit back (subscriber_credit "
             + std::to_string(st.fanout.window()) + ")";
  log(log_level::warning, channel_state::name, why);
  delivery d;
  d.channel_id = st.cfg.id;
  d.message = channel_message::builder{}
                .sender_id(st.cfg.id)
                .content(content::from_error(
                  make_error(ec::overloaded, std::move(why))))
                .timestamp_ns(st.clock->to_unix_ns(self->clock().now()))
                .build();
  d.source = caf::actor_cast<channel_actor>(self);
  d.ended = true;
  self->send(sub->hdl, push_atom::value, std::move(d));
  st.fanout.unsubscribe(system_id);
  note_responders(self);
  ++st.stats.dropped_subscribers;
}

/// Credit from a subscriber: `n` deliveries of the subscription `token`
/// were handled. Only the subscriber's own node can return its credit, and
/// never more than it has in flight.
void on_credit(channel_pointer self, uint64_t token, uint32_t n) {
  auto& st = self->state;
  auto& src = self->current_sender();
  auto res = st.fanout.credit(token, n, src ? src->node() : caf::node_id{});
  if (res.outcome == credit_result::unknown)
    return; // the subscription has ended since
  if (res.outcome == credit_result::foreign) {
    ++st.stats.refused;
    count_unexpected();
    log(log_level::warning, channel_state::name,
        st.describe() + ": refused credit for the subscription of '"
          + *res.id + "' from another node than the subscriber's");
    return;
  }
  auto& sub = *res.sub;
  if (sub.resume != 0) {
    for (auto* e : st.fanout.resume(*res.id, sub, st.store))
      send_push(self, sub, *e);
    if (sub.resume == 0)
      age_retention(self);
  }
}

// -- operations -------------------------------------------------------------------

caf::result<std::string> store(channel_pointer self, channel_message msg,
                               channel_actor reply_channel) {
  auto& st = self->state;
  // Retention by count: make room, or refuse when only pinned work is left.
  if (!st.store.make_room(st.cfg.max_messages, st.fanout.awaited_from(),
                          pins(st)))
    return st.refuse(make_error(
      ec::overloaded, st.describe() + " is overloaded: all "
                        + std::to_string(st.store.size())
                        + " stored messages are claimed or waiting for a "
                          "responder or a subscriber out of credit; "
                          "message '"
                        + msg.id() + "' was not written"));
  auto now = self->clock().now();
  if (!msg.has_timestamp())
    msg = msg.with_timestamp(st.clock->to_unix_ns(now));
  auto seq = st.store.add(std::move(msg), std::move(reply_channel));
  auto& e = st.store.at(seq);
  ++st.stats.writes;
  // Push to plain subscribers with credit, in write order.
  for (auto* sub : st.fanout.offer(seq, e))
    send_push(self, *sub, e);
  for (auto& id : st.fanout.overflowed())
    end_subscription(self, id);
  dispatch(self);
  if (st.cfg.max_age) {
    // The age bound on write: drop what is too old at the front, at O(1)
    // per message; the timer handles the rest.
    auto limit = st.clock->to_unix_ns(now - *st.cfg.max_age);
    if (auto oldest = st.store.trim_by_age(limit, seq, pins(st)))
      schedule_tick(self, std::max(now, st.clock->from_unix_ns(*oldest)
                                          + *st.cfg.max_age));
  }
  return e.msg.id();
}

caf::error check_accepting(channel_state& st) {
  if (st.accepting)
    return {};
  auto why = st.drained    ? " (drained)"
             : st.draining ? " (draining)"
                           : " (not started)";
  return st.refuse(make_error(ec::not_accepting_writes,
                              st.describe() + " is not accepting writes"
                                + why));
}

caf::result<std::vector<channel_message>>
shared_read(channel_pointer self, const std::string& reader, uint32_t limit,
            const std::string& after) {
  auto& st = self->state;
  if (auto err = st.check_principal(reader, "reader id"))
    return err;
  if (auto err = st.check_role(reader, role::read, "read from"))
    return err;
  std::vector<channel_message> result;
  if (limit == 0)
    return result;
  std::optional<uint64_t> start;
  if (!after.empty()) {
    start = st.store.start_after(after);
    if (!start)
      return st.refuse(make_error(ec::unknown_message_id,
                                  st.describe() + ": unknown message id '"
                                    + after + "' in read(after) by '" + reader
                                    + "'"));
  }
  schedule_tick(self, st.store.read(reader, start,
                                    std::min(limit, st.cfg.max_read_batch),
                                    self->clock().now(), result));
  st.stats.reads += result.size();
  return result;
}

caf::result<std::vector<channel_message>>
exclusive_read(channel_pointer self, const std::string& reader,
               uint32_t limit) {
  auto& st = self->state;
  if (auto err = st.check_principal(reader, "reader id"))
    return err;
  if (auto err = st.check_role(reader, role::read, "read from"))
    return err;
  std::vector<channel_message> result;
  auto n = std::min(limit, st.cfg.max_read_batch);
  while (result.size() < n && !st.store.unclaimed().empty()) {
    auto seq = *st.store.unclaimed().begin();
    auto& e = st.store.at(seq);
    claim_for(self, seq, e, reader, false);
    result.push_back(e.msg);
  }
  st.stats.reads += result.size();
  return result;
}

/// Acknowledge and nack: checks, then `apply` to each claimed message (it
/// returns whether it changed the message), then hands freed work on.
template <class F>
caf::result<uint64_t> settle_claims(channel_pointer self,
                                    const std::string& reader,
                                    const std::vector<std::string>& ids,
                                    const char* op, F apply) {
  auto& st = self->state;
  if (auto err = st.check_principal(reader, "reader id"))
    return err;
  auto what = std::string{op} + " on";
  if (auto err = st.check_role(reader, role::read, what.c_str()))
    return err;
  // An explicit admin of a non-open policy may settle anyone's claims.
  auto any_owner = !st.cfg.policy.is_open()
                   && st.cfg.policy.allows(reader, role::admin)
                   && st.token_grants(reader, role::admin);
  std::vector<uint64_t> seqs;
  if (auto err = st.claims.check(st.store, reader, ids, any_owner, op,
                                 st.cfg.id, seqs))
    return st.refuse(std::move(err));
  uint64_t n = 0;
  for (auto seq : seqs)
    if (apply(seq, st.store.at(seq)))
      ++n;
  dispatch(self);
  age_retention(self);
  finish_drain_if_done(self);
  return n;
}

caf::result<uint64_t> acknowledge(channel_pointer self,
                                  const std::string& reader,
                                  const std::vector<std::string>& ids) {
  auto& st = self->state;
  return settle_claims(self, reader, ids, "acknowledge",
                       [&st](uint64_t seq, stored_message& e) {
                         settle_member(st, e);
                         return st.claims.acknowledge(st.store, seq, e);
                       });
}

caf::result<uint64_t> nack(channel_pointer self, const std::string& reader,
                           const std::vector<std::string>& ids) {
  return settle_claims(self, reader, ids, "nack",
                       [self](uint64_t seq, stored_message& e) {
                         if (e.claim_owner.empty())
                           return false;
                         release(self, seq, e);
                         return true;
                       });
}

caf::result<void> subscribe(channel_pointer self, const std::string& system_id,
                            subscriber_actor hdl, const subscription& opts) {
  auto& st = self->state;
  if (auto err = st.check_principal(system_id, "system id"))
    return err;
  if (auto err = st.check_role(system_id, role::read, "subscribe to"))
    return err;
  if (!hdl)
    return st.refuse(make_error(ec::invalid_argument,
                                st.describe() + ": subscriber of '" + system_id
                                  + "' is an invalid handle"));
  if (opts.group.empty()) {
    if (st.group.contains(system_id))
      remove_member(self, system_id);
    st.fanout.subscribe(system_id, hdl, opts.correlation_prefix);
    age_retention(self);
  } else {
    if (!opts.correlation_prefix.empty())
      return st.refuse(make_error(ec::invalid_argument,
                                  st.describe() + ": group member '"
                                    + system_id
                                    + "' cannot also filter by correlation "
                                      "prefix"));
    if (opts.credit == 0)
      return st.refuse(make_error(ec::invalid_argument,
                                  st.describe() + ": group member '"
                                    + system_id + "' needs a credit above 0"));
    if (!st.group.admits(opts.group))
      return st.refuse(make_error(ec::invalid_argument,
                                  st.describe() + " already has responder "
                                    "group '" + st.group.name()
                                    + "'; '" + system_id
                                    + "' cannot join group '" + opts.group
                                    + "' (one group per channel)"));
    st.fanout.unsubscribe(system_id);
    st.group.join(opts.group, system_id, hdl, opts.credit);
  }
  self->monitor(hdl);
  dispatch(self);
  return caf::unit;
}

void unsubscribe(channel_pointer self, const std::string& system_id) {
  auto& st = self->state;
  if (st.fanout.unsubscribe(system_id))
    age_retention(self);
  remove_member(self, system_id);
  note_responders(self);
}

void on_down(channel_pointer self, const caf::down_msg& msg) {
  auto& st = self->state;
  if (st.fanout.drop_actor(msg.source) > 0)
    age_retention(self);
  for (auto& id : st.group.members_at(msg.source)) {
    if (log_enabled(log_level::info))
      log(log_level::info, channel_state::name,
          st.describe() + ": group member '" + id
            + "' is down; releasing its claims");
    remove_member(self, id);
  }
  note_responders(self);
}

/// A direct write: every check, then `store`.
caf::result<std::string> direct_write(channel_pointer self,
                                      const std::string& sender,
                                      channel_message& msg,
                                      write_options& opts) {
  auto& st = self->state;
  if (auto err = check_accepting(st))
    return err;
  if (auto err = st.check_principal(sender, "sender id"))
    return err;
  if (auto err = st.check_role(sender, role::write, "write to"))
    return err;
  if (auto err = msg.validate()) {
    auto code = is(err, ec::incompatible_version) ? ec::incompatible_version
                                                   : ec::invalid_content;
    return st.refuse(make_error(code, st.describe() + ": message from '"
                                        + sender + "' refused: "
                                        + error_message(err)));
  }
  if (msg.sender_id() != sender)
    return st.refuse(make_error(ec::sender_mismatch,
                                st.describe() + ": sender mismatch: '"
                                  + sender + "' wrote message '" + msg.id()
                                  + "' whose sender_id is '"
                                  + msg.sender_id() + "'"));
  if (st.store.contains(msg.id()))
    return st.refuse(make_error(ec::duplicate_message_id,
                                st.describe() + ": duplicate message id '"
                                  + msg.id() + "' from '" + sender + "'"));
  if (opts.require_responders && !st.has_responders())
    return st.refuse(make_error(ec::no_responders,
                                st.describe() + " has no responders for "
                                  "request '"
                                  + msg.correlation_id().value_or(msg.id())
                                  + "' from '" + sender + "'"));
  return store(self, std::move(msg), std::move(opts.reply_channel));
}

} // namespace

// -- the behavior ---------------------------------------------------------------

namespace {

/// Loads the token secret: from `cfg.auth_secret_file`, else from the actor
/// system's `sssn.auth-secret-file`. A secret that is configured but cannot
/// be loaded fails closed: every remote operation is refused, saying why.
void init_auth(channel_pointer self) {
  auto& st = self->state;
  auto path = st.cfg.auth_secret_file;
  if (path.empty())
    path = caf::get_or(self->system().config(), auth_secret_file_option,
                       std::string{});
  if (path.empty())
    return;
  if (auto& problem = st.sessions.load_secret(path); !problem.empty())
    log(log_level::error, channel_state::name,
        st.describe() + ": " + problem
          + "; every remote operation will be refused");
}

channel_actor_impl::behavior_type
channel_impl(channel_pointer self, channel_config cfg, owner_secret secret) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.secret = secret;
  st.clock.emplace(self->clock().now());
  st.store = message_store{st.cfg.evicted_window, st.cfg.max_age.has_value(),
                           st.cfg.reader_idle_timeout};
  st.fanout = push_fanout{st.cfg.id, st.cfg.subscriber_credit, st.cfg.overflow};
  st.sessions = auth_sessions{st.cfg.id};
  st.stats.id = st.cfg.id;
  st.stats.name = st.cfg.name;
  st.self_ptr = self;
  init_auth(self);
  harden(self, make_hardening(
                 channel_state::name, [self] { return self->state.describe(); },
                 [self](caf::down_msg& msg) { on_down(self, msg); },
                 [self] { ++self->state.stats.refused; }));
  return {
    [self](start_atom) -> caf::result<void> {
      auto& st = self->state;
      if (st.draining && !st.drained)
        return st.refuse(make_error(ec::not_accepting_writes,
                                    st.describe()
                                      + " is draining and cannot start again"));
      // A drained channel opens again, as SSSN's stopped channel does.
      st.draining = false;
      st.drained = false;
      st.accepting = true;
      dispatch(self);
      return caf::unit;
    },
    [self](write_atom, const std::string& sender, channel_message& msg,
           write_options& opts) -> caf::result<std::string> {
      return direct_write(self, sender, msg, opts);
    },
    [self](write_atom, const std::string& sender, channel_message& msg,
           write_options& opts, uint64_t token) {
      // One-way write: nothing comes back unless it fails. A call's
      // requester also hears if the channel loses its responders before
      // one has the request (see `note_responders`).
      auto require_responders = opts.require_responders;
      auto res = direct_write(self, sender, msg, opts);
      auto& to = self->current_sender();
      if (res.flag == caf::rt_error) {
        if (to)
          self->send(caf::actor_cast<write_failed_listener>(to),
                     write_failed_atom::value, token, std::move(res.err));
        return;
      }
      if (!require_responders || !to)
        return;
      auto& st = self->state;
      // `store` gave the request the last sequence number.
      auto seq = st.store.next_seq() - 1;
      if (st.store.at(seq).pushed)
        return;
      st.store.await_reply(seq, to, token);
    },
    [self](write_atom, const std::string& sender,
           content& data) -> caf::result<std::string> {
      auto& st = self->state;
      if (auto err = check_accepting(st))
        return err;
      if (auto err = st.check_principal(sender, "sender id"))
        return err;
      if (auto err = st.check_role(sender, role::write, "write to"))
        return err;
      if (auto err = data.check())
        return st.refuse(make_error(ec::invalid_content,
                                    st.describe() + ": data from '" + sender
                                      + "' refused: " + error_message(err)));
      // Content that a peer sent malformed, or in another wire version,
      // arrives as error content saying so: refuse it rather than store it.
      if (data.is_error()) {
        auto err = data.error();
        if (is(err, ec::invalid_content) || is(err, ec::incompatible_version))
          return st.refuse(make_error(static_cast<ec>(err.code()),
                                      st.describe() + ": data from '" + sender
                                        + "' refused: "
                                        + error_message(err)));
      }
      auto msg = channel_message::builder{}
                   .sender_id(sender)
                   .content(std::move(data))
                   .build();
      return store(self, std::move(msg), channel_actor{});
    },
    [self](read_atom, const std::string& reader, uint32_t limit,
           const std::string& after) {
      return shared_read(self, reader, limit, after);
    },
    [self](claim_atom, const std::string& reader, uint32_t limit) {
      return exclusive_read(self, reader, limit);
    },
    [self](ack_atom, const std::string& reader,
           const std::vector<std::string>& ids) {
      return acknowledge(self, reader, ids);
    },
    [self](ack_atom, const std::string& reader,
           const std::vector<std::string>& ids, uint64_t token) {
      // One-way acknowledge: nothing comes back unless it fails.
      auto res = acknowledge(self, reader, ids);
      if (res.flag == caf::rt_error)
        if (auto& to = self->current_sender())
          self->send(caf::actor_cast<write_failed_listener>(to),
                     write_failed_atom::value, token, std::move(res.err));
    },
    [self](nack_atom, const std::string& reader,
           const std::vector<std::string>& ids) {
      return nack(self, reader, ids);
    },
    [self](subscribe_atom, const std::string& system_id, subscriber_actor& hdl,
           const subscription& opts) {
      return subscribe(self, system_id, std::move(hdl), opts);
    },
    [self](unsubscribe_atom, const std::string& system_id) -> caf::result<void> {
      auto& st = self->state;
      if (auto err = st.check_principal(system_id, "system id"))
        return err;
      if (auto err = st.check_role(system_id, role::read, "unsubscribe from"))
        return err;
      unsubscribe(self, system_id);
      return caf::unit;
    },
    [self](clear_atom, const std::string& admin,
           const message_filter& filter) -> caf::result<uint64_t> {
      auto& st = self->state;
      if (auto err = st.check_role(admin, role::admin, "clear"))
        return err;
      uint64_t n = 0;
      for (auto i = st.store.begin(); i != st.store.end();) {
        if (matches(i->second.msg, filter)) {
          i = erase_entry(st, i, false);
          ++n;
        } else {
          ++i;
        }
      }
      dispatch(self);
      finish_drain_if_done(self);
      return n;
    },
    [self](evict_atom, const std::string& admin,
           const evict_options& opts) -> caf::result<uint64_t> {
      auto& st = self->state;
      if (auto err = st.check_role(admin, role::admin, "evict from"))
        return err;
      uint64_t n = 0;
      if (opts.before_ns)
        n += st.store.evict_older(*opts.before_ns, pins(st));
      if (opts.max_count)
        n += st.store.evict_to_count(*opts.max_count,
                                     st.fanout.awaited_from(), pins(st));
      return n;
    },
    [self](remove_atom, const std::string& admin,
           const std::vector<std::string>& ids) -> caf::result<uint64_t> {
      auto& st = self->state;
      if (auto err = st.check_role(admin, role::admin, "remove from"))
        return err;
      for (auto& id : ids)
        if (!st.store.contains(id))
          return st.refuse(make_error(ec::unknown_message_id,
                                      st.describe() + ": unknown message id '"
                                        + id + "' in remove by '" + admin
                                        + "'"));
      uint64_t n = 0;
      for (auto& id : ids) {
        auto seq = st.store.seq_of(id);
        if (!seq)
          continue; // listed twice
        erase_entry(st, st.store.find(*seq), false);
        ++n;
      }
      dispatch(self);
      finish_drain_if_done(self);
      return n;
    },
    [self](policy_atom, const std::string& admin,
           access_policy& policy) -> caf::result<void> {
      auto& st = self->state;
      if (auto err = st.check_role(admin, role::admin, "set the policy of"))
        return err;
      st.cfg.policy = std::move(policy);
      return caf::unit;
    },
    [self](drain_atom, const std::string& admin) -> caf::result<void> {
      auto& st = self->state;
      if (auto err = st.check_role(admin, role::admin, "drain"))
        return err;
      if (st.drained)
        return caf::unit;
      auto rp = self->make_response_promise<void>();
      st.drain_promises.push_back(rp);
      if (!st.draining) {
        st.draining = true;
        st.accepting = false;
        st.drain_deadline = self->clock().now()
                            + st.cfg.drain_timeout.value_or(
                              st.cfg.claim_expiry);
        schedule_tick(self, st.drain_deadline);
      }
      finish_drain_if_done(self);
      return rp;
    },
    [self](stop_atom, const std::string& admin) -> caf::result<void> {
      auto& st = self->state;
      if (auto err = st.check_role(admin, role::admin, "stop"))
        return err;
      shut_down(self);
      return caf::unit;
    },
    [self](stats_atom) {
      auto& st = self->state;
      auto result = st.stats;
      result.accepting = st.accepting;
      result.stored = st.store.size();
      result.evicted = st.store.evicted();
      result.claimed = st.claims.count();
      result.subscribers = st.fanout.size();
      result.group_members = st.group.size();
      result.readers = st.store.readers();
      result.auth_sessions = st.sessions.size();
      result.in_flight = st.fanout.in_flight();
      result.waiting = st.fanout.waiting();
      return result;
    },
    [self](auth_atom, const std::string& token) {
      return authenticate(self, token);
    },
    [self](credit_atom, uint64_t token, uint32_t n) {
      on_credit(self, token, n);
    },
    [self](tick_atom) { on_tick(self); },
    [self](release_atom, uint64_t hi, uint64_t lo) {
      auto& st = self->state;
      if (hi == st.secret.first && lo == st.secret.second) {
        shut_down(self);
      } else {
        ++st.stats.refused;
        count_unexpected();
        log(log_level::warning, channel_state::name,
            st.describe() + ": refused a release with a wrong secret");
      }
    },
  };
}

} // namespace

channel_actor spawn_channel_actor(caf::actor_system& sys, channel_config cfg,
                                  owner_secret secret) {
  return sys.spawn(channel_impl, std::move(cfg), secret);
}

} // namespace sssn::detail
