// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/requester.hpp"

#include <cinttypes>
#include <cstdio>

#include <caf/actor_cast.hpp>
#include <caf/default_attachable.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "detail/call_table.hpp"
#include "detail/harden.hpp"
#include "detail/system_registry.hpp"
#include "detail/owner_secret.hpp"
#include "sssn/detail/exit_guard.hpp"
#include "sssn/detail/token_proof.hpp"
#include "sssn/detail/unix_clock.hpp"
#include "sssn/log.hpp"
#include "sssn/refusals.hpp"

namespace sssn {

namespace {

using time_point = caf::actor_clock::time_point;
using detail::call_request;
using detail::call_table;
using detail::pending_call;
using detail::taken_call;

/// What the requester shares with the threads that start calls.
struct requester_link {
  requester_link(const requester_config& cfg, std::string prefix,
                 channel response, time_point now)
    : table(cfg, std::move(prefix)), response(std::move(response)),
      clock(now) {
    // nop
  }

  call_table table;
  /// Non-owning: the requester must not keep its response channel alive.
  channel response;
  detail::unix_clock clock;
  /// The requester (weak: calls must not keep it alive). Set before the
  /// link is handed to any caller.
  caf::actor_addr self_addr;
  caf::weak_actor_ptr self_ptr;
};

using link_ptr = std::shared_ptr<requester_link>;

struct requester_state {
  static inline const char* name = "sssn.requester";

  link_ptr link;
  /// Push credit of the response channel subscription, returned in batches
  /// (only the requester's own handlers touch it).
  credit_returner credit;
};

/// The requester's own interface: the public one plus its deadline timer.
using requester_impl_actor
  = requester_actor::extend<caf::reacts_to<tick_atom>>;

// Drops `exit_reason::kill` from peers (see detail::exit_guard).
using requester_pointer = detail::exit_guard<
  caf::stateful_actor<requester_state, requester_impl_actor::base>>*;

/// Sends the outcome of a call to whoever waits for it, from `sender` (may
/// be null) on the execution unit `host` (may be null).
void resolve(pending_call& call, caf::expected<channel_message> x,
             caf::strong_actor_ptr sender, caf::execution_unit* host) {
  if (call.waiter) {
    call.waiter->deliver(std::move(x));
    return;
  }
  if (!call.to)
    return;
  auto msg = x ? caf::make_message(std::move(*x))
               : caf::make_message(std::move(x.error()));
  call.to->enqueue(std::move(sender), call.mid.response_id(), std::move(msg),
                   host);
}

/// Sends the outcome of a call to whoever waits for it. `self` may be null
/// (the requester has stopped, or a caller's thread resolves its own call).
void resolve(requester_pointer self, pending_call& call,
             caf::expected<channel_message> x) {
  if (self != nullptr)
    resolve(call, std::move(x), self->ctrl(), self->context());
  else
    resolve(call, std::move(x), nullptr, nullptr);
}

/// Stops watching a caller that has no pending call left. A monitor that a
/// racing `start_call` attaches after this detach stays until the next
/// detach removes every copy, or the caller dies: at most one extra.
void unwatch(const requester_link& link, const taken_call& x) {
  if (!x.unwatch_caller)
    return;
  if (auto ptr = caf::actor_cast<caf::strong_actor_ptr>(x.call.caller()))
    ptr->get()->detach(caf::default_attachable::observe_token{
      link.self_addr, caf::default_attachable::monitor});
}

/// Resolves a call taken out of the table.
void finish(requester_pointer self, const requester_link& link, taken_call& x,
            caf::expected<channel_message> result) {
  unwatch(link, x);
  resolve(self, x.call, std::move(result));
}

/// Matches the reply `msg` to its call and resolves it; drops a late or
/// repeated one. Runs on the requester or, through `reply_sink`, on the
/// response channel's thread (`self` is then null).
void take_reply(requester_pointer self, requester_link& link,
                const channel_message& msg, caf::execution_unit* host) {
  auto [what, call] = link.table.take_reply(msg.correlation_id());
  if (what == call_table::match::call) {
    unwatch(link, *call);
    resolve(call->call, msg, self != nullptr ? self->ctrl() : nullptr, host);
  } else if (what == call_table::match::late
             && log_enabled(log_level::debug)) {
    log(log_level::debug, requester_state::name,
        "dropped a late or repeated reply for request '"
          + msg.correlation_id().value_or("") + "'");
  }
}

/// The requester's reply path in process: the response channel hands each
/// reply to it on its own thread, and the waiting call is resolved from
/// there (the table is thread-safe; it is shared with calling threads).
/// The requester's activation per reply is gone; with a response channel
/// on another node, replies still come as pushes.
class reply_sink final : public detail::delivery_sink {
public:
  explicit reply_sink(link_ptr link) : link_(std::move(link)) {
    // nop
  }

  void take(const channel_message& msg, caf::execution_unit* host) override {
    take_reply(nullptr, *link_, msg, host);
  }

private:
  link_ptr link_;
};

/// Makes sure a tick comes at the earliest deadline.
void schedule_tick(caf::actor_system& sys, requester_link& link) {
  auto t = link.table.tick_needed();
  if (!t)
    return;
  if (auto self = link.self_ptr.lock())
    sys.clock().schedule_message(
      *t, std::move(self),
      caf::make_mailbox_element(nullptr, caf::make_message_id(), {},
                                tick_atom::value));
}

void on_tick(requester_pointer self) {
  auto& link = *self->state.link;
  link.table.tick_fired();
  auto expired = link.table.take_expired(self->clock().now());
  schedule_tick(self->system(), link);
  for (auto& [call, err] : expired)
    finish(self, link, call, std::move(err));
}

void on_push(requester_pointer self, delivery& d) {
  self->state.credit.handled(self, d);
  take_reply(self, *self->state.link, d.message, self->context());
}

void on_down(requester_pointer self, const caf::down_msg& msg) {
  auto& link = *self->state.link;
  if (msg.source == link.response.actor().address()) {
    // Without its response channel, no call can be answered.
    for (auto& x : link.table.close())
      resolve(self, x.call,
              make_error(ec::channel_down,
                         "response channel '" + link.response.id()
                           + "' is down; the call to channel '"
                           + x.channel_id + "' cannot be answered"));
    self->quit(caf::exit_reason::normal);
    return;
  }
  auto failed = link.table.take_channel_down(
    msg.source, [&link](uint64_t n, const std::string& channel_id) {
      return make_error(ec::channel_down,
                        "request channel '" + channel_id
                          + "' is down; request '"
                          + link.table.correlation_id(n)
                          + "' cannot be answered");
    });
  if (!failed.empty()) {
    for (auto& [call, err] : failed)
      finish(self, link, call, std::move(err));
    return;
  }
  link.table.drop_caller(msg.source);
}

/// Enters a call into the table and writes its request, from the requester
/// or from the calling thread (`self` is then null); resolves the call at
/// once if it cannot start.
void start_or_fail(requester_pointer self, caf::actor_system& sys,
                   requester_link& link, call_request x,
                   caf::execution_unit* host) {
  if (!x.req) {
    resolve(self, x.call,
            link.table.refuse(make_error(ec::channel_down,
                                         "request channel '" + x.channel_id
                                           + "' is an invalid handle")));
    return;
  }
  auto now = sys.clock().now();
  auto res = link.table.start(x, now, link.response.id());
  if (res.refused) {
    resolve(self, x.call, std::move(res.refused));
    return;
  }
  if (res.queued)
    return;
  auto self_ptr = link.self_ptr.lock();
  if (!self_ptr) {
    // The requester stopped after admitting the call: its clean-up closed
    // the table and resolved the call.
    return;
  }
  // Watch the caller and the request channel for DOWN (monitors, not
  // functors: attaching them runs nothing of ours).
  if (res.watch_caller)
    x.call.to->get()->attach(
      caf::default_attachable::make_monitor(x.call.caller(), link.self_addr));
  if (res.watch_channel)
    caf::actor_cast<caf::abstract_actor*>(x.req)->attach(
      caf::default_attachable::make_monitor(x.req.address(), link.self_addr));
  schedule_tick(sys, link);
  auto msg = channel_message::builder{}
               .sender_id(x.sender)
               .content(std::move(x.data))
               .correlation_id(link.table.correlation_id(res.number))
               .reply_to(link.response.id())
               .deadline_ns(link.clock.to_unix_ns(res.deadline))
               // Stamped here, so the channel need not copy it to stamp it.
               .timestamp_ns(link.clock.to_unix_ns(now))
               .build();
  write_options opts;
  opts.reply_channel = link.response.actor();
  opts.require_responders = true;
  // A one-way write on the requester's behalf: no response handler per call
  // (CAF 0.17 keeps those in a flat map searched linearly, which made a
  // burst of N calls cost N^2); the channel answers only a refusal, with
  // `write_failed_atom`, to the requester.
  caf::actor_cast<caf::abstract_actor*>(x.req)->enqueue(
    std::move(self_ptr), caf::make_message_id(),
    caf::make_message(write_atom::value,
                      detail::prove(x.req, std::move(x.sender)), std::move(msg),
                      std::move(opts), link.table.refusal_token(res.number)),
    host);
}

/// Resolves every call still in the table, and refuses new ones: the
/// requester stops.
void close_table(requester_pointer self, requester_link& link,
                 caf::error reason) {
  for (auto& x : link.table.close())
    resolve(self, x.call, reason);
}

requester_impl_actor::behavior_type requester_impl(requester_pointer self,
                                              link_ptr link_arg) {
  auto& link = *link_arg;
  self->state.link = link_arg;
  // Whatever stops the requester, no call waits for it in vain.
  self->attach_functor([link_arg] {
    close_table(nullptr, *link_arg,
                make_error(ec::channel_down,
                           "requester for response channel '"
                             + link_arg->response.id()
                             + "' has stopped; the call cannot be answered"));
  });
  detail::harden(self, detail::make_hardening(
                         requester_state::name,
                         [self] {
                           return "requester '"
                                  + self->state.link->table.prefix() + "'";
                         },
                         [self](caf::down_msg& msg) { on_down(self, msg); },
                         [] {}));
  self->monitor(link.response.actor());
  subscription sub;
  sub.correlation_prefix = link.table.prefix();
  sub.require_accepting = true;
  // The replies it selects are for this requester alone: once pushed to it,
  // the channel may drop them (unless it keeps history).
  sub.consume = true;
  sub.batch = true;
  // In process, the channel resolves calls itself (see reply_sink).
  sub.sink = std::make_shared<reply_sink>(link_arg);
  self
    ->request(link.response.actor(), caf::infinite, subscribe_atom::value,
              detail::prove(link.response.actor(),
                            "sssn.requester." + link.table.prefix()),
              caf::actor_cast<subscriber_actor>(self), std::move(sub))
    .then(
      [self] {
        auto& link = *self->state.link;
        for (auto& x : link.table.subscribed())
          start_or_fail(self, self->system(), link, std::move(x),
                        self->context());
      },
      [self](caf::error& err) {
        auto& link = *self->state.link;
        auto reason = detail::normalize_channel_error(err, link.response.id());
        if (is(reason, ec::not_accepting_writes))
          reason = make_error(ec::not_accepting_writes,
                              error_message(reason)
                                + ": no reply could be written to it; start "
                                  "the response channel before calling "
                                  "through it");
        log(log_level::error, requester_state::name,
            "requester cannot subscribe to response channel '"
              + link.response.id() + "': " + error_message(reason));
        // Fail everything that waits, then stop: no reply could ever arrive.
        close_table(self, link, reason);
        self->quit(caf::exit_reason::normal);
      });
  return {
    [self](push_atom, delivery& d) { on_push(self, d); },
    [self](push_atom, std::vector<delivery>& ds) {
      // A batch comes only from this process (the type never crosses the
      // wire): the replies that queued up, in order.
      for (auto& d : ds)
        on_push(self, d);
      // Credit per batch: the channel may push again at once.
      self->state.credit.flush(self);
    },
    [self](write_failed_atom, uint64_t n, caf::error& err) {
      auto& link = *self->state.link;
      // Only the channel the call went to may fail it.
      auto call = link.table.take_refused(
        n, caf::actor_cast<caf::actor_addr>(self->current_sender()));
      if (!call)
        return;
      auto reason = detail::normalize_channel_error(
        std::move(err), link.table.channel_id(call->call.channel));
      finish(self, link, *call, std::move(reason));
    },
    [self](stats_atom) { return self->state.link->table.stats(); },
    [self](tick_atom) { on_tick(self); },
  };
}

/// Returns a fresh correlation prefix: 128 random bits in hex and a dot.
std::string make_prefix() {
  auto bits = detail::random_bits();
  char buf[34];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64 "%016" PRIx64 ".", bits.first,
                bits.second);
  return buf;
}

/// The requester of each actor system for each response channel.
detail::system_registry<caf::actor_addr, link_ptr>& requesters() {
  static detail::system_registry<caf::actor_addr, link_ptr> instance;
  return instance;
}

/// Finds or spawns the requester of `sys` for `response_channel`.
std::pair<requester_actor, link_ptr>
find_or_spawn(caf::actor_system& sys, const channel& response_channel,
              const requester_config& cfg) {
  using entry = detail::system_registry<caf::actor_addr, link_ptr>::entry;
  auto found = requesters().find_or_add(
    sys, response_channel.actor().address(), [&] {
      auto link = std::make_shared<requester_link>(
        cfg, make_prefix(),
        channel{response_channel.actor(), response_channel.id()},
        sys.clock().now());
      auto hdl = sys.spawn(requester_impl, link);
      link->self_addr = hdl.address();
      link->self_ptr = caf::actor_cast<caf::weak_actor_ptr>(hdl);
      return entry{caf::actor_cast<caf::strong_actor_ptr>(hdl),
                   std::move(link)};
    }).first;
  return {caf::actor_cast<requester_actor>(found.actor),
          std::move(found.value)};
}

} // namespace

requester_actor requester_for(caf::actor_system& sys,
                              const channel& response_channel,
                              const requester_config& cfg) {
  return find_or_spawn(sys, response_channel, cfg).first;
}

namespace detail {

void start_call(caf::actor_system& sys, const channel& request_channel,
                const channel& response_channel, caf::strong_actor_ptr caller,
                caf::message_id mid, std::shared_ptr<blocking_call> waiter,
                const std::string& sender_id, content data,
                caf::timespan timeout, caf::execution_unit* host) {
  call_request x;
  x.call.to = std::move(caller);
  x.call.mid = mid;
  x.call.waiter = std::move(waiter);
  x.channel_id = request_channel.id();
  x.call.timeout = timeout;
  if (!response_channel) {
    resolve(nullptr, x.call,
            make_error(ec::channel_down, "response channel '"
                                           + response_channel.id()
                                           + "' is an invalid handle"));
    return;
  }
  x.req = request_channel.actor();
  x.sender = sender_id;
  x.data = std::move(data);
  auto link = find_or_spawn(sys, response_channel, requester_config{}).second;
  start_or_fail(nullptr, sys, *link, std::move(x), host);
}

} // namespace detail

} // namespace sssn
