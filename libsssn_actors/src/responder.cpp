// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/responder.hpp"

#include <optional>

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "detail/harden.hpp"
#include "detail/one_way.hpp"
#include "sssn/detail/exit_guard.hpp"
#include "sssn/log.hpp"

namespace sssn {

namespace detail {

reply_state::~reply_state() {
  if (!delivered.load())
    caf::anon_send(self, reply_atom::value, token,
                   content::from_error(dropped_without_reply()));
}

void reply_state::deliver(content x) {
  if (!delivered.exchange(true))
    caf::anon_send(self, reply_atom::value, token, std::move(x));
}

} // namespace detail

namespace {

/// The actor of `spawn_responder`: a thin shell over `responder_core`.
struct responder_state {
  static inline const char* name = "sssn.responder";

  std::optional<detail::responder_core> core;
};

// Drops `exit_reason::kill` from peers (see detail::exit_guard).
using responder_pointer = detail::exit_guard<
  caf::stateful_actor<responder_state, responder_actor::base>>*;

responder_actor::behavior_type responder_impl(responder_pointer self,
                                              channel requests,
                                              detail::erased_handler handler,
                                              responder_config cfg) {
  // The handler was erased for responder_actor::base.
  auto typed_self = static_cast<responder_actor::base*>(self);
  auto& core = self->state.core.emplace(self, static_cast<void*>(typed_self),
                                        std::move(requests),
                                        std::move(handler), std::move(cfg));
  detail::harden(self,
                 detail::make_hardening(
                   responder_state::name,
                   [self] { return self->state.core->describe(); },
                   [self](caf::down_msg& msg) {
                     // Without its request channel, a responder has no work.
                     if (msg.source
                         == self->state.core->requests().actor().address())
                       self->quit(caf::exit_reason::normal);
                   },
                   [] {}));
  self->monitor(core.requests().actor());
  self
    ->request(core.requests().actor(), caf::infinite, subscribe_atom::value,
              core.principal(), caf::actor_cast<subscriber_actor>(self),
              core.make_subscription(true))
    .then([] {},
          [self](caf::error& err) {
            self->state.core->on_subscribe_failed(err);
            self->quit(caf::exit_reason::normal);
          });
  return {
    [self](push_atom, delivery& d) {
      self->state.core->on_push(d);
      return detail::one_way(self);
    },
    [self](push_atom, std::vector<delivery>& ds) {
      self->state.core->on_push_batch(ds);
      return detail::one_way(self);
    },
    [self](reply_atom, uint64_t token, content& reply) {
      self->state.core->on_reply(token, reply);
    },
    [self](write_failed_atom, uint64_t token, caf::error& err) {
      self->state.core->on_write_failed(token, err);
    },
    [self](stats_atom) { return self->state.core->stats(); },
  };
}

} // namespace

namespace detail {

responder_actor spawn_responder_impl(caf::actor_system& sys,
                                     const channel& request_channel,
                                     erased_handler handler,
                                     responder_config cfg,
                                     caf::spawn_options opts) {
  // Filled in here (not only by the core) so that the subscription sent
  // below names the same subscriber as the responder's own.
  if (cfg.system_id.empty())
    cfg.system_id = responder_core::fresh_id();
  // responder_impl handles batches.
  auto sub = responder_core::subscription_for(cfg, true);
  auto system_id = cfg.system_id;
  // The responder holds a non-owning handle: it must not keep its channel
  // alive.
  channel requests{request_channel.actor(), request_channel.id()};
  // CAF takes spawn options as a template argument; spawn_responder
  // allows these two.
  responder_actor hdl;
  auto detach = caf::has_detach_flag(opts);
  auto hide = caf::has_hide_flag(opts);
  if (detach && hide)
    hdl = sys.spawn<caf::detached + caf::hidden>(
      responder_impl, requests, std::move(handler), std::move(cfg));
  else if (detach)
    hdl = sys.spawn<caf::detached>(responder_impl, requests,
                                   std::move(handler), std::move(cfg));
  else if (hide)
    hdl = sys.spawn<caf::hidden>(responder_impl, requests, std::move(handler),
                                 std::move(cfg));
  else
    hdl = sys.spawn(responder_impl, requests, std::move(handler),
                    std::move(cfg));
  // Subscribe from the calling thread too, so that the subscription is in
  // the channel's mailbox before anything this thread sends afterwards: a
  // call right after `spawn_responder` finds the responder. The responder's
  // own subscription (same id, so idempotent) reports a refusal.
  // Sent as the responder (not anonymously): a channel that requires tokens
  // refuses anonymous operations.
  caf::send_as(hdl, request_channel.actor(), subscribe_atom::value,
               detail::prove(request_channel.actor(), system_id),
               caf::actor_cast<subscriber_actor>(hdl), std::move(sub));
  return hdl;
}

} // namespace detail

} // namespace sssn
