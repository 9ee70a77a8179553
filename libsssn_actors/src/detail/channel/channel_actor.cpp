// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The channel actor (see channel_state.hpp): its behaviour, one line per
// message delegating to channel_state, and what depends on the actor and its
// peers: the owner's release, subscriptions and DOWN messages, credit, the
// timer, and calls left without responders. Who asks (principals, roles,
// tokens) is in channel_access.cpp.

#include "detail/channel/channel_actor.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "detail/channel/channel_state.hpp"
#include "detail/harden.hpp"
#include "detail/one_way.hpp"
#include "detail/sender_origin.hpp"
#include "sssn/detail/json_util.hpp"
#include "sssn/error.hpp"
#include "sssn/log.hpp"
#include "sssn/refusals.hpp"
#include "sssn/token.hpp"

namespace sssn::detail {

// -- setup and the owner's release --------------------------------------------

void channel_state::init(channel_self* self, channel_config cfg,
                         owner_secret secret) {
  self_ = self;
  cfg_ = std::move(cfg);
  secret_ = secret;
  clock_.emplace(self->clock().now());
  store_ = message_store{cfg_.evicted_window, cfg_.max_age.has_value(),
                         cfg_.reader_idle_timeout};
  fanout_ = push_fanout{cfg_.id, cfg_.subscriber_credit, cfg_.overflow};
  tokens_ = token_checks{cfg_.id};
  stats_.id = cfg_.id;
  stats_.name = cfg_.name;
  // The token secret: from `cfg.auth_secret_file`, else from the actor
  // system's `sssn.auth-secret-file`. A secret that is configured but cannot
  // be loaded fails closed: every remote operation is refused, saying why.
  auto path = cfg_.auth_secret_file;
  if (path.empty())
    path = caf::get_or(self->system().config(), auth_secret_file_option,
                       std::string{});
  if (path.empty())
    return;
  if (auto& problem = tokens_.load_secret(path); !problem.empty())
    log(log_level::error, name,
        describe() + ": " + problem
          + "; every remote operation will be refused");
}

void channel_state::release(uint64_t hi, uint64_t lo) {
  if (hi == secret_.first && lo == secret_.second) {
    shut_down();
    return;
  }
  ++stats_.refused;
  count_unexpected();
  log(log_level::warning, name,
      describe() + ": refused a release with a wrong secret");
}

// -- subscriptions ------------------------------------------------------------

caf::result<void> channel_state::subscribe(const std::string& system_id,
                                           subscriber_actor hdl,
                                           const subscription& opts) {
  if (auto err = check_access(system_id, "system id", role::read,
                              "subscribe to"))
    return err;
  if (!hdl)
    return refuse(make_error(ec::invalid_argument,
                             describe() + ": subscriber of '" + system_id
                               + "' is an invalid handle"));
  if (opts.require_accepting)
    if (auto err = check_accepting())
      return err;
  if (opts.consume && opts.correlation_prefix.empty())
    return refuse(make_error(ec::invalid_argument,
                             describe() + ": subscriber '" + system_id
                               + "' may consume only what a correlation "
                                 "prefix selects"));
  // Batches and sinks only in process: neither is ever sent over the wire
  // (a subscription from a peer arrives without them).
  auto local = hdl.node() == self_->node();
  auto batch = opts.batch && local;
  if (opts.group.empty()) {
    if (group_.contains(system_id))
      remove_member(system_id);
    fanout_.subscribe(system_id, hdl, opts.correlation_prefix, opts.consume,
                      batch, local ? opts.sink : nullptr);
    age_retention();
  } else {
    if (!opts.correlation_prefix.empty())
      return refuse(make_error(ec::invalid_argument,
                               describe() + ": group member '" + system_id
                                 + "' cannot also filter by correlation "
                                   "prefix"));
    if (opts.credit == 0)
      return refuse(make_error(ec::invalid_argument,
                               describe() + ": group member '" + system_id
                                 + "' needs a credit above 0"));
    if (!group_.admits(opts.group))
      return refuse(make_error(ec::invalid_argument,
                               describe() + " already has responder group '"
                                 + group_.name() + "'; '" + system_id
                                 + "' cannot join group '" + opts.group
                                 + "' (one group per channel)"));
    fanout_.unsubscribe(system_id);
    group_.join(opts.group, system_id, hdl, opts.credit, batch);
  }
  bind_to_token(system_id, caf::actor_cast<caf::actor_addr>(hdl));
  self_->monitor(hdl);
  dispatch();
  return caf::unit;
}

caf::result<void> channel_state::unsubscribe(const std::string& system_id) {
  if (auto err = check_access(system_id, "system id", role::read,
                              "unsubscribe from"))
    return err;
  if (fanout_.unsubscribe(system_id))
    age_retention();
  remove_member(system_id);
  tokens_.unbind(system_id);
  note_responders();
  return caf::unit;
}

void channel_state::end_subscription(const std::string& system_id,
                                     bool stalled) {
  auto sub = fanout_.find(system_id);
  if (sub == nullptr)
    return;
  auto why = describe() + " is overloaded: it ended the subscription of '"
             + system_id + "', which had " + std::to_string(sub->in_flight)
             + " deliveries without credit back (subscriber_credit "
             + std::to_string(fanout_.window()) + ")";
  if (stalled) {
    char timeout[32];
    std::snprintf(timeout, sizeof(timeout), "%g",
                  std::chrono::duration<double>(
                    cfg_.subscriber_credit_timeout.value_or(caf::timespan{}))
                    .count());
    why += " and returned none for " + std::string{timeout}
           + " s (subscriber_credit_timeout)";
  }
  log(log_level::warning, name, why);
  delivery d;
  d.channel_id = cfg_.id;
  d.source = caf::actor_cast<channel_actor>(self_);
  d.message = channel_message::builder{}
                .sender_id(cfg_.id)
                .content(content::from_error(
                  make_error(ec::overloaded, std::move(why))))
                .timestamp_ns(clock_->to_unix_ns(self_->clock().now()))
                .build();
  d.ended = true;
  // After what it still has queued (see push_batcher).
  push(sub->hdl, std::move(d), sub->batch);
  fanout_.unsubscribe(system_id);
  note_responders();
  if (stalled)
    ++stats_.stalled_subscribers;
  else
    ++stats_.dropped_subscribers;
}

void channel_state::remove_member(const std::string& system_id) {
  if (!group_.leave(system_id))
    return;
  claims_.release_all(store_, system_id);
  dispatch();
  age_retention();
  note_responders();
}

void channel_state::down(const caf::down_msg& msg) {
  auto remote = msg.source && msg.source.node() != self_->node();
  auto dropped = fanout_.drop_actor(msg.source);
  if (dropped > 0)
    age_retention();
  auto members = group_.members_at(msg.source);
  if (remote && dropped + members.size() > 0) {
    // CAF killed its proxy: the connection ended, or a peer said so.
    stats_.remote_downs += dropped + members.size();
    if (log_enabled(log_level::info))
      log(log_level::info, name,
          describe() + ": a subscriber on another node is down ("
            + caf::to_string(msg.reason) + "); its subscription ended");
  }
  for (auto& id : members) {
    if (log_enabled(log_level::info))
      log(log_level::info, name,
          describe() + ": group member '" + id
            + "' is down; releasing its claims");
    remove_member(id);
  }
  note_responders();
}

void channel_state::credit(uint64_t token, uint32_t n) {
  // The token is the proof: random, and known only to the subscriber.
  auto res = fanout_.credit(token, n, self_->clock().now());
  if (res.outcome == credit_result::unknown)
    return; // the subscription has ended since
  auto& sub = *res.sub;
  if (sub.resume == 0)
    return;
  // What the credit lets through goes in one message.
  batch_scope scope{*this};
  for (auto* e : fanout_.resume(*res.id, sub, store_)) {
    send_push(sub, *e);
    if (sub.consume && !e->delivered) {
      e->delivered = true;
      if (auto seq = store_.seq_of(e->msg.id()))
        consumed(*seq);
    }
  }
  drop_fresh();
  if (sub.resume == 0)
    age_retention();
  else
    sweep_spent();
}

// -- the timer ----------------------------------------------------------------

void channel_state::tick() {
  tick_scheduled_ = false;
  auto now = self_->clock().now();
  auto expired = claims_.expire(store_, now);
  for (auto& x : expired) {
    ++stats_.expired_claims;
    if (x.group)
      group_.settle(x.owner);
    if (log_enabled(log_level::info))
      log(log_level::info, name,
          describe() + ": claim of message '" + store_.at(x.seq).msg.id()
            + "' by '" + x.owner + "' expired");
  }
  if (!expired.empty())
    dispatch();
  age_retention();
  store_.sweep_readers(now);
  if (tokens_.bound() > 0)
    end_bound(tokens_.expire(unix_now()));
  if (cfg_.subscriber_credit_timeout && fanout_.waiting() > 0) {
    for (auto& id : fanout_.stalled(now - *cfg_.subscriber_credit_timeout))
      end_subscription(id, true);
    age_retention();
  }
  finish_drain_if_done();
  auto grace_due = check_responder_grace(now);
  // Next wake-up: the earliest of the pending deadlines.
  std::optional<time_point> next;
  auto consider = [&](std::optional<time_point> t) {
    if (t && (!next || *t < *next))
      next = t;
  };
  consider(claims_.next_expiry());
  consider(store_.next_sweep());
  if (draining_ && !drained_)
    consider(drain_deadline_);
  consider(grace_due);
  consider(tokens_.next_expiry());
  if (auto since = fanout_.longest_wait();
      since && cfg_.subscriber_credit_timeout)
    consider(*since + *cfg_.subscriber_credit_timeout);
  if (next)
    schedule_tick(std::max(*next, now));
}

// -- calls without responders -------------------------------------------------

void channel_state::note_responders() {
  if (has_responders()) {
    responders_gone_at_.reset();
    return;
  }
  if (responders_gone_at_ || store_.calls_waiting().empty())
    return;
  auto now = self_->clock().now();
  responders_gone_at_ = now;
  schedule_tick(now + cfg_.no_responder_grace);
}

void channel_state::abandon_waiting_calls() {
  char grace[32];
  std::snprintf(grace, sizeof(grace), "%g",
                std::chrono::duration<double>(cfg_.no_responder_grace)
                  .count());
  for (auto seq : store_.calls_waiting()) {
    auto& e = store_.at(seq);
    // Claimed by a reader: it may still answer.
    if (e.acked || e.pushed || !e.claim_owner.empty() || !e.caller)
      continue;
    ++stats_.abandoned_calls;
    tell_failed(e.caller, e.call,
                make_error(ec::no_responders,
                           describe() + " has had no responders for " + grace
                             + " s; request '"
                             + e.msg.correlation_id().value_or(e.msg.id())
                             + "' from '" + e.msg.sender_id()
                             + "' cannot be answered"));
    e.caller = nullptr;
  }
  store_.clear_calls_waiting();
}

std::optional<channel_state::time_point>
channel_state::check_responder_grace(time_point now) {
  if (!responders_gone_at_)
    return std::nullopt;
  if (has_responders()) {
    responders_gone_at_.reset();
    return std::nullopt;
  }
  auto due = *responders_gone_at_ + cfg_.no_responder_grace;
  if (now < due)
    return due;
  responders_gone_at_.reset();
  abandon_waiting_calls();
  return std::nullopt;
}

// -- the behaviour ------------------------------------------------------------

namespace {

channel_actor_impl::behavior_type
channel_impl(channel_self* self, channel_config cfg, owner_secret secret) {
  auto& st = self->state;
  st.init(self, std::move(cfg), secret);
  harden(self, make_hardening(
                 channel_state::name, [self] { return self->state.describe(); },
                 [self](caf::down_msg& msg) { self->state.down(msg); },
                 [self] { self->state.count_refusal(); }));
  return {
    [&st](start_atom) { return st.start(); },
    [&st](write_atom, std::string& sender, channel_message& msg,
          write_options& opts) {
      st.take_proof(sender);
      return st.write(sender, msg, opts);
    },
    [self, &st](write_atom, std::string& sender, channel_message& msg,
                write_options& opts, uint64_t token) {
      st.take_proof(sender);
      st.write_one_way(sender, msg, opts, token);
      return one_way(self);
    },
    [self, &st](write_atom, std::string& sender,
                std::vector<channel_message>& msgs, write_options& opts,
                uint64_t token) {
      st.take_proof(sender);
      st.write_batch(sender, msgs, opts, token);
      return one_way(self);
    },
    [&st](write_atom, std::string& sender, content& data) {
      st.take_proof(sender);
      return st.write_data(sender, data);
    },
    [&st](read_atom, std::string& reader, uint32_t limit,
          const std::string& after) {
      st.take_proof(reader);
      return st.read(reader, limit, after);
    },
    [&st](claim_atom, std::string& reader, uint32_t limit) {
      st.take_proof(reader);
      return st.claim(reader, limit);
    },
    [&st](ack_atom, std::string& reader,
          const std::vector<std::string>& ids) {
      st.take_proof(reader);
      return st.acknowledge(reader, ids);
    },
    [self, &st](ack_atom, std::string& reader,
                const std::vector<std::string>& ids, uint64_t token) {
      st.take_proof(reader);
      st.acknowledge_one_way(reader, ids, token);
      return one_way(self);
    },
    [&st](nack_atom, std::string& reader,
          const std::vector<std::string>& ids) {
      st.take_proof(reader);
      return st.nack(reader, ids);
    },
    [&st](subscribe_atom, std::string& system_id, subscriber_actor& hdl,
          const subscription& opts) {
      st.take_proof(system_id);
      return st.subscribe(system_id, std::move(hdl), opts);
    },
    [&st](unsubscribe_atom, std::string& system_id) {
      st.take_proof(system_id);
      return st.unsubscribe(system_id);
    },
    [&st](clear_atom, std::string& admin, const message_filter& filter) {
      st.take_proof(admin);
      return st.clear(admin, filter);
    },
    [&st](evict_atom, std::string& admin, const evict_options& opts) {
      st.take_proof(admin);
      return st.evict(admin, opts);
    },
    [&st](remove_atom, std::string& admin,
          const std::vector<std::string>& ids) {
      st.take_proof(admin);
      return st.remove(admin, ids);
    },
    [&st](policy_atom, std::string& admin, access_policy& policy) {
      st.take_proof(admin);
      return st.set_policy(admin, policy);
    },
    [&st](drain_atom, std::string& admin) {
      st.take_proof(admin);
      return st.drain(admin);
    },
    [&st](stop_atom, std::string& admin) {
      st.take_proof(admin);
      return st.stop(admin);
    },
    [&st](stats_atom) { return st.stats(); },
    [&st](auth_atom, const std::string& token) {
      return st.authenticate(token);
    },
    [&st](credit_atom, uint64_t token, uint32_t n) { st.credit(token, n); },
    [&st](tick_atom) { st.tick(); },
    [&st](flush_atom) { st.flush_pushes(); },
    [&st](release_atom, uint64_t hi, uint64_t lo) { st.release(hi, lo); },
  };
}

} // namespace

channel_actor spawn_channel_actor(caf::actor_system& sys, channel_config cfg,
                                  owner_secret secret) {
  return sys.spawn(channel_impl, std::move(cfg), secret);
}

} // namespace sssn::detail
