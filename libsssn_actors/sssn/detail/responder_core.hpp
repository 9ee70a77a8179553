// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include <caf/expected.hpp>
#include <caf/fwd.hpp>

#include "sssn/channel.hpp"
#include "sssn/channel_protocol.hpp"
#include "sssn/detail/responder_handler.hpp"
#include "sssn/detail/unix_clock.hpp"
#include "sssn/export.hpp"
#include "sssn/fwd.hpp"
#include "sssn/responder_types.hpp"

namespace sssn::detail {

/// Where a reply goes and what it says.
struct reply_route {
  /// The reply channel.
  channel_actor target;
  /// The reply: the request's correlation id, its sender as recipient.
  channel_message message;
  /// Whether the reply must go anonymously: it goes to another node's
  /// channel for a request of a channel of this process. A sender that has
  /// sent to another node is one that peers can reach, and a peer can forge
  /// such a sender, so the channels of this process would take the
  /// answering actor's own operations (acknowledgements) for remote ones.
  bool anonymous = false;
};

/// Routes the reply `reply` to the request `d`, for an actor `self` that
/// answers as `sender_id`: finds the reply channel and builds the reply.
/// Fails (saying why, naming the request) when the request names no reply
/// channel, when its reply channel is unknown on this node, when a request
/// that came from another node asks for replies in a channel of this
/// process (see `delivery::from_peer`), or when `reply` is invalid.
SSSN_ACTORS_EXPORT caf::expected<reply_route>
route_reply(caf::local_actor* self, const delivery& d, content reply,
            const std::string& sender_id, int64_t now_unix_ns);

/// Returns the promise of the request that a handler running in `self`
/// handles now; throws `std::logic_error` outside such a handler.
SSSN_ACTORS_EXPORT reply_promise
current_reply_promise(const caf::local_actor* self);

/// The state of a responder: what a responder actor does with each message,
/// as a plain class that the actor (its own, from `spawn_responder`, or one
/// of the user's that embeds a responder) delegates to. Runs in the actor
/// `self` and sends as it.
class SSSN_ACTORS_EXPORT responder_core {
public:
  /// `typed_self` is `self` as the `Self*` that `handler` was erased for.
  responder_core(caf::local_actor* self, void* typed_self, channel requests,
                 erased_handler handler, responder_config cfg);

  responder_core(const responder_core&) = delete;
  responder_core& operator=(const responder_core&) = delete;

  // -- messages ---------------------------------------------------------------

  /// `(push_atom, delivery)`: a request.
  void on_push(delivery& d);

  /// `(push_atom, std::vector<delivery>)`: requests that queued up in the
  /// channel, handled in order. Their acknowledgements go back in one
  /// message, after the replies.
  void on_push_batch(std::vector<delivery>& ds);

  /// `(reply_atom, token, content)`: a late answer through a promise.
  void on_reply(uint64_t token, content& reply);

  /// `(write_failed_atom, token, error)`: the channel refused a reply or
  /// an acknowledgement.
  void on_write_failed(uint64_t token, const caf::error& err) const;

  /// The request channel refused the subscription: logs it.
  void on_subscribe_failed(const caf::error& err) const;

  // -- the subscription -------------------------------------------------------

  /// The principal of the subscription (with the token this process
  /// remembers for it, if any).
  std::string principal() const;

  /// The subscription's options (group, credit; `batch` for an actor that
  /// handles `(push_atom, std::vector<delivery>)`).
  subscription make_subscription(bool batch = false) const;

  /// The subscription of a responder configured by `cfg` (what
  /// `make_subscription` returns; also for the subscription that
  /// `spawn_responder` sends before its actor has a core).
  static subscription subscription_for(const responder_config& cfg,
                                       bool batch);

  // -- properties -------------------------------------------------------------

  const responder_stats& stats() const noexcept {
    return stats_;
  }

  const responder_config& config() const noexcept {
    return cfg_;
  }

  const channel& requests() const noexcept {
    return requests_;
  }

  /// A fresh system id for a responder configured without one:
  /// `rsp.` and eleven base-62 digits of 64 secure random bits.
  static std::string fresh_id();

  /// "responder 'ID' on channel 'CH'", for log lines and errors.
  std::string describe() const;

private:
  friend reply_promise current_reply_promise(const caf::local_actor* self);

  /// A fresh promise state for the request handled now, with a token that
  /// no waiting request has.
  std::shared_ptr<reply_state> make_reply_state();

  void acknowledge(const delivery& d);

  void answer(const delivery& d, content reply);

  caf::local_actor* self_;
  void* typed_self_;
  channel requests_;
  erased_handler handler_;
  responder_config cfg_;
  responder_stats stats_;
  unix_clock clock_;
  /// Requests whose handler answers later, by promise token.
  std::unordered_map<uint64_t, delivery> waiting_;
  /// Push credit of a plain subscription, returned as requests are done.
  credit_returner credit_;
  /// Acknowledges `ids` to the request channel, one-way.
  void send_ack(std::vector<std::string> ids);

  /// Sends the acknowledgements and replies held while a batch was handled:
  /// one acknowledgement, then one write per reply channel.
  void release_held();

  /// While a batch is handled: its replies and the ids to acknowledge, sent
  /// at its end.
  std::vector<reply_route> held_replies_;
  std::vector<std::string> held_acks_;
  bool holding_ = false;
};

/// The error reply of a request whose handler answers later but whose
/// promise nobody kept.
caf::error dropped_without_reply();

} // namespace sssn::detail
