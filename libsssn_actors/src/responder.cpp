// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/responder.hpp"

#include <unordered_map>

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/message_view.hpp>
#include <caf/send.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "detail/harden.hpp"
#include "detail/secure_random.hpp"
#include "sssn/detail/exit_guard.hpp"
#include "sssn/detail/token_proof.hpp"
#include "sssn/detail/unix_clock.hpp"
#include "sssn/log.hpp"
#include "sssn/refusals.hpp"

namespace sssn {

namespace detail {

reply_state::~reply_state() {
  if (!delivered.load())
    caf::anon_send(self, reply_atom::value, token,
                   content::from_error(make_error(
                     ec::request_failed,
                     "the responder dropped the request without replying")));
}

void reply_state::deliver(content x) {
  if (!delivered.exchange(true))
    caf::anon_send(self, reply_atom::value, token, std::move(x));
}

} // namespace detail

namespace {

struct responder_state {
  static inline const char* name = "sssn.responder";

  responder_config cfg;
  channel requests;
  detail::erased_handler handler;
  std::optional<detail::unix_clock> clock;
  /// Requests whose handler took the promise, by token.
  std::unordered_map<uint64_t, delivery> waiting;
  responder_stats stats;
  /// Push credit of a plain subscription, returned as requests are done.
  credit_returner credit;

  std::string describe() const {
    return "responder '" + cfg.system_id + "' on channel '" + requests.id()
           + "'";
  }
};

// Drops `exit_reason::kill` from peers (see detail::exit_guard).
using responder_pointer = detail::exit_guard<
  caf::stateful_actor<responder_state, responder_actor::base>>*;

/// What the tokens of our one-way operations say, when the channel refuses
/// one (write_failed_atom).
constexpr uint64_t reply_token = 0;
constexpr uint64_t ack_token = 1;

void acknowledge(responder_pointer self, const delivery& d) {
  auto& st = self->state;
  st.credit.handled(self, d);
  if (!d.claimed)
    return;
  // One-way: no response handler per request. A refusal (the request may
  // have been removed or its claim may have expired: then another member
  // handles it, and the requester resolves the call once) comes back as
  // write_failed_atom and is logged.
  self->send(st.requests.actor(), ack_atom::value,
             detail::prove(st.requests.actor(), st.cfg.system_id),
             std::vector<std::string>{d.message.id()}, ack_token);
}

void answer(responder_pointer self, const delivery& d, content reply) {
  auto& st = self->state;
  auto& req = d.message;
  if (!req.reply_to() && !d.reply_channel) {
    // Nobody waits for an answer.
    acknowledge(self, d);
    return;
  }
  channel_actor target = d.reply_channel;
  std::string target_id = req.reply_to().value_or(std::string{});
  // Replies go into a channel of this process (written with its authority)
  // only for requests written in this process; a peer gets replies only on
  // a channel of another node, which it must name with a handle.
  auto in_process = !d.from_peer && d.source
                    && d.source.node() == self->node();
  if (!in_process && (!target || target.node() == self->node())) {
    ++st.stats.unroutable;
    log(log_level::warning, responder_state::name,
        st.describe() + ": will not answer request '" + req.id()
          + "' from '" + req.sender_id()
          + "' into a channel of this process ("
          + (target ? std::string{"the reply handle it gave"}
                    : "'" + target_id + "'")
          + "): the request came from another node; replies to it go only "
            "to a channel of another node, given as its reply handle");
    acknowledge(self, d);
    return;
  }
  if (!target) {
    if (auto found = find_channel(self->system(), target_id))
      target = found->actor();
  }
  if (!target) {
    ++st.stats.unroutable;
    log(log_level::warning, responder_state::name,
        st.describe() + ": cannot answer request '" + req.id()
          + "': reply channel '" + target_id + "' is unknown on this node");
    acknowledge(self, d);
    return;
  }
  if (auto err = reply.check()) {
    ++st.stats.failed;
    reply = content::from_error(make_error(
      ec::request_failed, st.describe() + " produced an invalid reply: "
                            + error_message(err)));
  }
  channel_message::builder b;
  b.sender_id(st.cfg.sender_id)
    .content(std::move(reply))
    .timestamp_ns(st.clock->to_unix_ns(self->clock().now()));
  if (req.correlation_id())
    b.correlation_id(*req.correlation_id());
  if (req.sender_id().size() > 0)
    b.recipient_id(req.sender_id());
  auto msg = b.build();
  ++st.stats.replied;
  // A one-way write: the channel answers only a refusal
  // (`write_failed_atom`), so no response handler per reply. To a channel
  // of this process, sent as this responder (a refusal is logged here); to
  // another node's, anonymously: a sender that has sent to another node
  // is one that peers can reach, and a peer can forge such a sender, so
  // the channels of this process would take this responder's own
  // operations (acknowledgements) for remote ones. That channel counts
  // what it refuses. (A responder of another node's channel is a sender to
  // that node anyway, and answers as itself.)
  if (target.node() == self->node()
      || st.requests.actor().node() != self->node())
    self->send(target, write_atom::value,
               detail::prove(target, st.cfg.sender_id), std::move(msg),
               write_options{}, reply_token);
  else
    caf::anon_send(target, write_atom::value,
                   detail::prove(target, st.cfg.sender_id), std::move(msg),
                   write_options{}, reply_token);
  acknowledge(self, d);
}

void on_push(responder_pointer self, delivery& d) {
  auto& st = self->state;
  if (d.ended) { // evicted for lack of credit: no request, nothing follows
    log(log_level::error, responder_state::name,
        st.describe() + ": " + error_message(d.message.content().error()));
    return;
  }
  auto& req = d.message;
  if (auto deadline = req.deadline_ns()) {
    auto now = st.clock->to_unix_ns(self->clock().now());
    if (now > *deadline) {
      ++st.stats.expired;
      if (log_enabled(log_level::debug))
        log(log_level::debug, responder_state::name,
            st.describe() + ": skipped expired request '" + req.id() + "'");
      acknowledge(self, d);
      return;
    }
  }
  ++st.stats.handled;
  // Unguessable: a peer that reaches this responder must not answer for
  // the handler.
  uint64_t token = 0;
  while (token == 0 || st.waiting.count(token) > 0)
    token = detail::secure_random_u64();
  auto state = std::make_shared<detail::reply_state>(
    caf::actor_cast<responder_actor>(self), token);
  std::optional<content> reply;
  try {
    reply = st.handler(req, reply_promise{state});
  } catch (std::exception& ex) {
    reply = content::from_error(make_error(
      ec::request_failed, st.describe() + ": handler failed on request '"
                            + req.id() + "': " + ex.what()));
  } catch (...) {
    reply = content::from_error(make_error(
      ec::request_failed, st.describe() + ": handler failed on request '"
                            + req.id() + "' with an unknown exception"));
  }
  if (reply) {
    // Answered at once: the promise is moot.
    state->delivered = true;
    if (reply->is_error()) {
      if (is(reply->error(), ec::invalid_content))
        ++st.stats.invalid;
      else
        ++st.stats.failed;
    }
    answer(self, d, std::move(*reply));
    return;
  }
  st.waiting.emplace(token, std::move(d));
}

responder_actor::behavior_type responder_impl(responder_pointer self,
                                              channel requests,
                                              detail::erased_handler handler,
                                              responder_config cfg) {
  auto& st = self->state;
  st.cfg = std::move(cfg);
  st.requests = std::move(requests);
  st.handler = std::move(handler);
  st.clock.emplace(self->clock().now());
  detail::harden(self,
                 detail::make_hardening(
                   responder_state::name, [self] { return self->state.describe(); },
                   [self](caf::down_msg& msg) {
                     // Without its request channel, a responder has no work.
                     if (msg.source == self->state.requests.actor().address())
                       self->quit(caf::exit_reason::normal);
                   },
                   [] {}));
  self->monitor(st.requests.actor());
  subscription sub;
  sub.group = st.cfg.group;
  sub.credit = st.cfg.credit;
  self
    ->request(st.requests.actor(), caf::infinite, subscribe_atom::value,
              detail::prove(st.requests.actor(), st.cfg.system_id),
              caf::actor_cast<subscriber_actor>(self),
              std::move(sub))
    .then([] {},
          [self](caf::error& err) {
            auto& st = self->state;
            log(log_level::error, responder_state::name,
                st.describe() + " cannot subscribe: "
                  + error_message(detail::normalize_channel_error(
                    err, st.requests.id())));
            self->quit(caf::exit_reason::normal);
          });
  return {
    [self](push_atom, delivery& d) { on_push(self, d); },
    [self](reply_atom, uint64_t token, content& reply) {
      auto& st = self->state;
      auto i = st.waiting.find(token);
      if (i == st.waiting.end()) {
        // Only a peer sends replies for tokens nobody waits for.
        detail::count_unexpected();
        return;
      }
      auto d = std::move(i->second);
      st.waiting.erase(i);
      if (reply.is_error())
        ++st.stats.failed;
      answer(self, d, std::move(reply));
    },
    [self](write_failed_atom, uint64_t token, caf::error& err) {
      if (token == ack_token)
        log(log_level::info, responder_state::name,
            self->state.describe() + ": an acknowledge was refused: "
              + error_message(err));
      else
        log(log_level::warning, responder_state::name,
            self->state.describe() + ": a reply was refused: "
              + error_message(err));
    },
    [self](stats_atom) { return self->state.stats; },
  };
}

} // namespace

namespace detail {

responder_actor spawn_responder_impl(caf::actor_system& sys,
                                     const channel& request_channel,
                                     erased_handler handler,
                                     responder_config cfg,
                                     caf::spawn_options opts) {
  if (cfg.system_id.empty())
    cfg.system_id = "sssn.responder." + make_uuid();
  if (cfg.sender_id.empty())
    cfg.sender_id = cfg.system_id;
  subscription sub;
  sub.group = cfg.group;
  sub.credit = cfg.credit;
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
