// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/behavior.hpp>
#include <caf/error.hpp>
#include <caf/local_actor.hpp>
#include <caf/message_handler.hpp>
#include <caf/send.hpp>
#include <caf/spawn_options.hpp>

#include "sssn/channel.hpp"
#include "sssn/channel_message.hpp"
#include "sssn/content.hpp"
#include "sssn/detail/responder_core.hpp"
#include "sssn/detail/responder_handler.hpp"
#include "sssn/detail/token_proof.hpp"
#include "sssn/export.hpp"
#include "sssn/fwd.hpp"
#include "sssn/responder_types.hpp"

namespace sssn {

// -- a responder of its own: spawn_responder -----------------------------------

namespace detail {

SSSN_ACTORS_EXPORT
responder_actor spawn_responder_impl(caf::actor_system& sys,
                                     const channel& request_channel,
                                     erased_handler handler,
                                     responder_config cfg,
                                     caf::spawn_options opts);

} // namespace detail

/// Spawns a responder: an actor that subscribes to `request_channel` (by
/// default in the group `sssn.responders`, so that N responders share the
/// work) and answers each request with what `handler` returns, written to
/// the channel named by the request's `reply_to` with the same correlation
/// id. Requests past their deadline are skipped.
///
/// `handler` takes, in this order:
/// - optionally `self`, the actor the responder runs in (here a
///   `sssn::responder_actor::pointer`; in `make_responder`, your actor), to
///   send, request or spawn from the handler;
/// - the request: `const channel_message&` or `const content&` (generic),
///   or `const Req&` for a struct `Req` declared with `SSSN_CONTENT`: the
///   request is validated into `Req` first, and a request that does not
///   validate gets an error reply naming the field;
/// - optionally a `reply_promise`, to answer later.
///
/// It returns the reply: something convertible to `content` (`json`, a typed
/// struct, a `content`, a `caf::error`) or a `caf::expected` of it (return
/// `sssn::fail("...")` to answer with an error). A handler that answers
/// later returns `void` (it took a `reply_promise`, or self to call
/// `make_reply_promise`) or the `reply_promise` itself, like a CAF handler
/// returning a `caf::response_promise`.
///
/// A handler that throws answers with an error reply; the responder keeps
/// running. The subscription reaches the channel before anything the calling
/// thread sends afterwards, so a call right after this one finds the
/// responder. The responder ends when its request channel does.
///
/// `Os` are CAF's spawn options, as for `sys.spawn<Os>(...)`:
/// `caf::detached` gives the responder a thread of its own, for a handler
/// that blocks (file or database I/O, a blocking call of another library)
/// without holding a worker of the scheduler; `caf::hidden` leaves it out
/// of `await_all_actors_done`; both: `caf::detached + caf::hidden`.
/// (`caf::linked` and `caf::monitored` need a spawning actor: monitor the
/// returned handle yourself.)
template <caf::spawn_options Os = caf::no_spawn_options, class F>
responder_actor spawn_responder(caf::actor_system& sys,
                                const channel& request_channel, F handler,
                                responder_config cfg = {}) {
  static_assert((static_cast<int>(Os)
                 & ~static_cast<int>(caf::detached + caf::hidden))
                  == 0,
                "spawn_responder takes caf::detached and caf::hidden; "
                "monitor or link the returned handle yourself");
  return detail::spawn_responder_impl(
    sys, request_channel,
    detail::erase_handler<responder_actor::base>(std::move(handler)),
    std::move(cfg), Os);
}

// -- a responder in your own actor: make_responder ---------------------------

/// A responder that runs in an actor of yours (see `make_responder`): the
/// handlers to put in its behaviour, and the responder's counters. Copies
/// share the responder. Use it only from the actor it runs in.
class embedded_responder {
public:
  /// @private
  explicit embedded_responder(std::shared_ptr<detail::responder_core> core)
    : core_(std::move(core)) {
    // nop
  }

  /// `(push_atom, delivery)`: the requests. For a typed actor's behaviour,
  /// with `on_reply` and `on_write_failed` (its interface extends
  /// `sssn::responder_interface`).
  auto on_push() const {
    return [core = core_](push_atom, delivery& d) { core->on_push(d); };
  }

  /// `(reply_atom, token, content)`: late answers through promises.
  auto on_reply() const {
    return [core = core_](reply_atom, uint64_t token, content& reply) {
      core->on_reply(token, reply);
    };
  }

  /// `(write_failed_atom, token, error)`: refused replies (logged).
  auto on_write_failed() const {
    return [core = core_](write_failed_atom, uint64_t token,
                          const caf::error& err) {
      core->on_write_failed(token, err);
    };
  }

  /// The responder's handlers as a partial behaviour (CAF's
  /// `message_handler`, which converts to `caf::behavior`), to combine with
  /// your own handlers: `return r.handlers().or_else(your handlers...)`.
  /// The responder handles only `push_atom`, `reply_atom` and
  /// `write_failed_atom` messages.
  caf::message_handler handlers() const {
    return {on_push(), on_reply(), on_write_failed()};
  }

  /// The responder's counters.
  const responder_stats& stats() const noexcept {
    return core_->stats();
  }

  /// The responder's settings, with its system id and sender id filled in.
  const responder_config& config() const noexcept {
    return core_->config();
  }

private:
  std::shared_ptr<detail::responder_core> core_;
};

/// Makes `self` (an event-based actor of yours, typed or not, stateful or
/// not) a responder of `request_channel`: subscribes it as `spawn_responder`
/// would and returns the handlers to put in its behaviour. `handler` takes
/// the forms of `spawn_responder`'s, with your `Self*` as the optional first
/// argument. Call it where the actor builds its behaviour:
///
/// ```
/// caf::behavior adder(caf::event_based_actor* self, sssn::channel requests) {
///   auto r = sssn::make_responder(self, requests,
///                                 [](const add_request& x) {
///                                   return add_response{x.a + x.b};
///                                 });
///   return r.handlers().or_else([](caf::get_atom) { return 42; });
/// }
/// ```
///
/// A typed actor lists `r.on_push()`, `r.on_reply()` and
/// `r.on_write_failed()` in its behaviour, and extends
/// `sssn::responder_interface`.
///
/// The subscription leaves when the actor builds its behaviour (its first
/// activation, after `spawn` returns): a call made once the actor has
/// handled a first message finds the responder, one made by another thread
/// right after `spawn` may still fail with `no_responders` (`spawn_responder`
/// subscribes from the spawning thread instead). If the request channel
/// refuses the subscription, the refusal is logged and the actor keeps
/// running. The actor stays a subscriber until it ends; it does not end
/// with the channel (monitor the channel for that). One responder per actor,
/// and no other subscription: the responder's push handler takes every
/// push (one from another channel is logged, counted as `unroutable` and
/// dropped).
template <class Self, class F>
embedded_responder make_responder(Self* self, const channel& request_channel,
                                  F handler, responder_config cfg = {}) {
  // A non-owning handle: the responder must not keep its channel alive.
  channel requests{request_channel.actor(), request_channel.id()};
  auto core = std::make_shared<detail::responder_core>(
    self, static_cast<void*>(self), std::move(requests),
    detail::erase_handler<Self>(std::move(handler)), std::move(cfg));
  self
    ->request(request_channel.actor(), caf::infinite, subscribe_atom::value,
              core->principal(), caf::actor_cast<subscriber_actor>(self),
              core->make_subscription())
    .then([] {}, [core](caf::error& err) { core->on_subscribe_failed(err); });
  return embedded_responder{std::move(core)};
}

/// `make_responder(self, request_channel, handler, cfg).handlers()` as a
/// `caf::behavior`: the actor's whole behaviour
/// (`return sssn::responder_behavior(self, ch, f);`), or a part of it after
/// your own handlers:
/// `return caf::message_handler{yours...}.or_else(
///   sssn::responder_behavior(self, ch, f));`
/// (In CAF 0.17, `or_else` is a member of `caf::message_handler`, and a
/// function-based actor must return `caf::behavior` itself; for the
/// responder first, `make_responder(...).handlers().or_else(yours...)`.)
template <class Self, class F>
caf::behavior responder_behavior(Self* self, const channel& request_channel,
                                 F handler, responder_config cfg = {}) {
  return make_responder(self, request_channel, std::move(handler),
                        std::move(cfg))
    .handlers();
}

/// Returns the promise of the request that the handler running in `self`
/// handles now, to answer it later (return it from the handler, as with
/// CAF's `make_response_promise`). Throws `std::logic_error` when called
/// outside a responder handler running in `self`.
template <class Self>
reply_promise make_reply_promise(Self* self) {
  return detail::current_reply_promise(self);
}

// -- answering by hand: reply ------------------------------------------------

/// Answers the request `request` that `self` got pushed as a subscriber of
/// its channel: writes `reply` to the request's reply channel (its
/// `reply_channel`, or the channel of this node named by its `reply_to`)
/// with the request's correlation id, from `sender_id` (empty: the
/// request's channel id followed by `.reply`), as a responder would. Does
/// not acknowledge the request or return its credit (see `acknowledge`,
/// `return_credit`).
///
/// Returns an error, and writes nothing, when `reply` is invalid, when the
/// request names no reply channel, when its reply channel is unknown on this
/// node, or when the request came from another node and asks for replies in
/// a channel of this process (`delivery::from_peer`). The write itself is
/// one-way: a reply channel that refuses it sends `(write_failed_atom,
/// 0, error)` to `self`.
template <class Self>
caf::error reply(Self* self, const delivery& request, content reply,
                 std::string sender_id = {}) {
  if (sender_id.empty())
    sender_id = request.channel_id + ".reply";
  auto now = std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
               .count();
  auto route = detail::route_reply(self, request, std::move(reply), sender_id,
                                   now);
  if (!route)
    return std::move(route.error());
  auto principal = detail::prove(route->target, sender_id);
  if (route->anonymous)
    caf::anon_send(route->target, write_atom::value, std::move(principal),
                   std::move(route->message), write_options{}, uint64_t{0});
  else
    self->send(route->target, write_atom::value, std::move(principal),
               std::move(route->message), write_options{}, uint64_t{0});
  return caf::none;
}

} // namespace sssn
