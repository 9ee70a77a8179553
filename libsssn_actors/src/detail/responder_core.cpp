// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/detail/responder_core.hpp"

#include <exception>
#include <stdexcept>
#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/detail/profiled_send.hpp>
#include <caf/local_actor.hpp>
#include <caf/send.hpp>

#include "detail/secure_random.hpp"
#include "sssn/detail/token_proof.hpp"
#include "sssn/log.hpp"
#include "sssn/refusals.hpp"

namespace sssn::detail {

namespace {

const char* log_name = "sssn.responder";

/// What the tokens of our one-way operations say, when the channel refuses
/// one (write_failed_atom).
constexpr uint64_t reply_token = 0;
constexpr uint64_t ack_token = 1;

/// Sends `xs...` from `self` to `dest` (what `self->send` does, for any
/// actor type).
template <class Handle, class... Ts>
void send_from(caf::local_actor* self, const Handle& dest, Ts&&... xs) {
  caf::detail::profiled_send(self, self->ctrl(), dest,
                             caf::make_message_id(), {}, self->context(),
                             std::forward<Ts>(xs)...);
}

/// Lets `credit_returner` (which calls `self->send`) send from any actor.
struct sending_actor {
  caf::local_actor* self;

  template <class Handle, class... Ts>
  void send(const Handle& dest, Ts&&... xs) {
    send_from(self, dest, std::forward<Ts>(xs)...);
  }
};

/// The request a handler running on this thread handles now (for
/// make_reply_promise).
struct current_request {
  const caf::local_actor* self = nullptr;
  responder_core* core = nullptr;
  /// The request's promise state; made when first asked for (see
  /// `erased_handler::takes_promise`).
  std::shared_ptr<reply_state>* state = nullptr;
};

thread_local current_request current;

/// Sets `current` for the life of a handler call; restores the one before
/// (a handler may run another actor's handler inline, as CAF's test
/// coordinator does).
class current_scope {
public:
  current_scope(const caf::local_actor* self, responder_core* core,
                std::shared_ptr<reply_state>* state)
    : saved_(current) {
    current = current_request{self, core, state};
  }

  ~current_scope() {
    current = saved_;
  }

  current_scope(const current_scope&) = delete;
  current_scope& operator=(const current_scope&) = delete;

private:
  current_request saved_;
};

} // namespace

// -- routing a reply ------------------------------------------------------------

namespace {

/// `route_reply`, which checks `reply` only if `check_reply` (a responder
/// has checked it already, turning an invalid reply into an error reply).
caf::expected<reply_route>
build_route(caf::local_actor* self, const delivery& d, content reply,
            const std::string& sender_id, int64_t now_unix_ns,
            bool check_reply) {
  auto& req = d.message;
  if (!req.reply_to() && !d.reply_channel)
    return make_error(ec::invalid_argument,
                      "request '" + req.id() + "' from '" + req.sender_id()
                        + "' names no reply channel (no reply_to)");
  reply_route route;
  route.target = d.reply_channel;
  static const std::string no_target;
  const auto& target_id = req.reply_to() ? *req.reply_to() : no_target;
  // Replies go into a channel of this process (written with its authority)
  // only for requests written in this process; a peer gets replies only on
  // a channel of another node, which it must name with a handle.
  auto in_process = !d.from_peer && d.source
                    && d.source.node() == self->node();
  if (!in_process && (!route.target || route.target.node() == self->node()))
    return make_error(
      ec::not_authorized,
      "will not answer request '" + req.id() + "' from '" + req.sender_id()
        + "' into a channel of this process ("
        + (route.target ? std::string{"the reply handle it gave"}
                        : "'" + target_id + "'")
        + "): the request came from another node; replies to it go only to "
          "a channel of another node, given as its reply handle");
  if (!route.target) {
    if (auto found = find_channel(self->system(), target_id))
      route.target = found->actor();
    else
      return make_error(ec::invalid_argument,
                        "cannot answer request '" + req.id()
                          + "': reply channel '" + target_id
                          + "' is unknown on this node");
  }
  if (auto err = check_reply ? reply.check() : caf::error{})
    return make_error(ec::invalid_content,
                      "invalid reply to request '" + req.id()
                        + "': " + error_message(err));
  channel_message::builder b;
  b.sender_id(sender_id).content(std::move(reply)).timestamp_ns(now_unix_ns);
  if (req.correlation_id())
    b.correlation_id(*req.correlation_id());
  if (req.sender_id().size() > 0)
    b.recipient_id(req.sender_id());
  route.message = b.build();
  // To another node's channel for a request of a channel of this process:
  // anonymously (see reply_route::anonymous). (An actor answering a request
  // of another node's channel is a sender to that node anyway.)
  route.anonymous = route.target.node() != self->node() && d.source
                    && d.source.node() == self->node();
  return route;
}

/// Writes `payload` (one reply or several) to `route.target` as `sender_id`,
/// from `self` or, where the reply must not carry `self`, anonymously.
template <class Payload>
void write_reply(caf::local_actor* self, const reply_route& route,
                 const std::string& sender_id, Payload&& payload) {
  auto principal = prove(route.target, sender_id);
  if (route.anonymous)
    caf::anon_send(route.target, write_atom::value, std::move(principal),
                   std::forward<Payload>(payload), write_options{},
                   reply_token);
  else
    send_from(self, route.target, write_atom::value, std::move(principal),
              std::forward<Payload>(payload), write_options{}, reply_token);
}

} // namespace

caf::expected<reply_route> route_reply(caf::local_actor* self,
                                       const delivery& d, content reply,
                                       const std::string& sender_id,
                                       int64_t now_unix_ns) {
  return build_route(self, d, std::move(reply), sender_id, now_unix_ns, true);
}

reply_promise current_reply_promise(const caf::local_actor* self) {
  if (current.self == nullptr || current.self != self)
    throw std::logic_error(
      "sssn::make_reply_promise: called outside a responder handler running "
      "in this actor");
  if (!*current.state)
    *current.state = current.core->make_reply_state();
  return reply_promise{*current.state};
}

caf::error dropped_without_reply() {
  return make_error(ec::request_failed,
                    "the responder dropped the request without replying");
}

// -- responder_core ---------------------------------------------------------------

responder_core::responder_core(caf::local_actor* self, void* typed_self,
                               channel requests, erased_handler handler,
                               responder_config cfg)
  : self_(self),
    typed_self_(typed_self),
    requests_(std::move(requests)),
    handler_(std::move(handler)),
    cfg_(std::move(cfg)),
    clock_(self->clock().now()) {
  if (cfg_.system_id.empty())
    cfg_.system_id = fresh_id();
  if (cfg_.sender_id.empty())
    cfg_.sender_id = cfg_.system_id;
}

std::string responder_core::fresh_id() {
  // 64 secure random bits in eleven base-62 digits after "rsp.": fifteen
  // characters, which std::string keeps without an allocation. The id is
  // copied into every claim, acknowledgement and reply of the responder.
  static constexpr char digits[]
    = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  constexpr size_t prefix = 4;
  constexpr size_t width = 11; // 62^11 > 2^64
  std::string id(prefix + width, '0');
  id.replace(0, prefix, "rsp.");
  auto bits = secure_random_u64();
  for (auto i = id.size(); i > prefix; --i) {
    id[i - 1] = digits[bits % 62];
    bits /= 62;
  }
  return id;
}

std::string responder_core::describe() const {
  return "responder '" + cfg_.system_id + "' on channel '" + requests_.id()
         + "'";
}

std::string responder_core::principal() const {
  return prove(requests_.actor(), cfg_.system_id);
}

subscription responder_core::make_subscription(bool batch) const {
  return subscription_for(cfg_, batch);
}

subscription responder_core::subscription_for(const responder_config& cfg,
                                              bool batch) {
  subscription sub;
  sub.group = cfg.group;
  sub.credit = cfg.credit;
  sub.batch = batch;
  return sub;
}

void responder_core::send_ack(std::vector<std::string> ids) {
  send_from(self_, requests_.actor(), ack_atom::value,
            prove(requests_.actor(), cfg_.system_id), std::move(ids),
            ack_token);
}

void responder_core::on_subscribe_failed(const caf::error& err) const {
  log(log_level::error, log_name,
      describe() + " cannot subscribe: "
        + error_message(normalize_channel_error(err, requests_.id())));
}

void responder_core::acknowledge(const delivery& d) {
  sending_actor sender{self_};
  credit_.handled(&sender, d);
  if (!d.claimed)
    return;
  if (holding_) {
    held_acks_.push_back(d.message.id());
    return;
  }
  // One-way: no response handler per request. A refusal (the request may
  // have been removed or its claim may have expired: then another member
  // handles it, and the requester resolves the call once) comes back as
  // write_failed_atom and is logged. (Not `send_ack({id})`: a braced list
  // copies the id once into the list and once more into the vector.)
  std::vector<std::string> ids;
  ids.reserve(1);
  ids.emplace_back(d.message.id());
  send_ack(std::move(ids));
}

void responder_core::answer(const delivery& d, content reply) {
  auto& req = d.message;
  if (!req.reply_to() && !d.reply_channel) {
    // Nobody waits for an answer.
    acknowledge(d);
    return;
  }
  if (auto err = reply.check()) {
    ++stats_.failed;
    reply = content::from_error(make_error(
      ec::request_failed,
      describe() + " produced an invalid reply: " + error_message(err)));
  }
  // Checked above: not again.
  auto route = build_route(self_, d, std::move(reply), cfg_.sender_id,
                           clock_.to_unix_ns(self_->clock().now()), false);
  if (!route) {
    ++stats_.unroutable;
    log(log_level::warning, log_name,
        describe() + ": " + error_message(route.error()));
    acknowledge(d);
    return;
  }
  ++stats_.replied;
  if (holding_) {
    held_replies_.push_back(std::move(*route));
    acknowledge(d);
    return;
  }
  // The acknowledgement goes first: CAF runs the actor woken last first on
  // this worker, so the response channel (the caller's critical path) runs
  // next, and the acknowledgement often shares the request channel's next
  // activation with the caller's next request.
  acknowledge(d);
  // A one-way write: the channel answers only a refusal
  // (`write_failed_atom`), so no response handler per reply. Sent as this
  // actor (a refusal is logged here) unless it must go anonymously (that
  // channel counts what it refuses).
  write_reply(self_, *route, cfg_.sender_id, std::move(route->message));
}

void responder_core::on_push_batch(std::vector<delivery>& ds) {
  // Replies and acknowledgements of the batch go out at its end, also when
  // a handler throws.
  struct release_at_end {
    responder_core& core;
    ~release_at_end() {
      core.release_held();
    }
  };
  holding_ = true;
  release_at_end guard{*this};
  for (auto& d : ds)
    on_push(d);
}

void responder_core::release_held() {
  holding_ = false;
  // Credit per batch (a plain subscription's; a group member's credit is
  // its acknowledgements).
  sending_actor sender{self_};
  credit_.flush(&sender);
  // Acknowledgements first, then replies (see `answer`).
  if (!held_acks_.empty()) {
    auto ids = std::move(held_acks_);
    held_acks_.clear();
    send_ack(std::move(ids));
  }
  auto replies = std::move(held_replies_);
  held_replies_.clear();
  // Consecutive replies to the same channel go in one write.
  for (size_t i = 0; i < replies.size();) {
    auto j = i + 1;
    while (j < replies.size() && replies[j].target == replies[i].target
           && replies[j].anonymous == replies[i].anonymous)
      ++j;
    if (j - i == 1) {
      write_reply(self_, replies[i], cfg_.sender_id,
                  std::move(replies[i].message));
    } else {
      std::vector<channel_message> msgs;
      msgs.reserve(j - i);
      for (auto k = i; k < j; ++k)
        msgs.push_back(std::move(replies[k].message));
      write_reply(self_, replies[i], cfg_.sender_id, std::move(msgs));
    }
    i = j;
  }
}

void responder_core::on_push(delivery& d) {
  if (d.source && d.source != requests_.actor()) {
    // The actor that embeds this responder subscribed to another channel
    // too: its pushes reach the first push handler, this one.
    ++stats_.unroutable;
    log(log_level::error, log_name,
        describe() + ": got a push from channel '" + d.channel_id
          + "', which is not its request channel: an actor that embeds a "
            "responder subscribes to no other channel (one responder per "
            "actor)");
    sending_actor sender{self_};
    return_credit(&sender, d);
    return;
  }
  if (d.ended) { // evicted for lack of credit: no request, nothing follows
    log(log_level::error, log_name,
        describe() + ": " + error_message(d.message.content().error()));
    return;
  }
  auto& req = d.message;
  if (auto deadline = req.deadline_ns()) {
    if (clock_.to_unix_ns(self_->clock().now()) > *deadline) {
      ++stats_.expired;
      if (log_enabled(log_level::debug))
        log(log_level::debug, log_name,
            describe() + ": skipped expired request '" + req.id() + "'");
      acknowledge(d);
      return;
    }
  }
  ++stats_.handled;
  // The promise's state only for a handler that takes the promise or asks
  // for it: most answer at once and never see it.
  std::shared_ptr<reply_state> state;
  if (handler_.takes_promise)
    state = make_reply_state();
  std::optional<content> reply;
  try {
    current_scope scope{self_, this, &state};
    static const reply_promise no_promise{nullptr};
    reply = handler_.fn(typed_self_, req,
                        state ? reply_promise{state} : no_promise);
  } catch (std::exception& ex) {
    reply = content::from_error(make_error(
      ec::request_failed, describe() + ": handler failed on request '"
                            + req.id() + "': " + ex.what()));
  } catch (...) {
    reply = content::from_error(make_error(
      ec::request_failed, describe() + ": handler failed on request '"
                            + req.id() + "' with an unknown exception"));
  }
  if (!reply && !state) {
    // Answers later, but nobody holds a promise to answer with: what the
    // last copy of an unkept promise answers.
    ++stats_.failed;
    answer(d, content::from_error(dropped_without_reply()));
    return;
  }
  if (reply) {
    // Answered at once: the promise is moot.
    if (state)
      state->delivered = true;
    if (reply->is_error()) {
      if (is(reply->error(), ec::invalid_content))
        ++stats_.invalid;
      else
        ++stats_.failed;
    }
    answer(d, std::move(*reply));
    return;
  }
  waiting_.emplace(state->token, std::move(d));
}

std::shared_ptr<reply_state> responder_core::make_reply_state() {
  // Unguessable: a peer that reaches this actor must not answer for the
  // handler.
  uint64_t token = 0;
  while (token == 0 || waiting_.count(token) > 0)
    token = secure_random_u64();
  return std::make_shared<reply_state>(caf::actor_cast<caf::actor>(self_),
                                       token);
}

void responder_core::on_reply(uint64_t token, content& reply) {
  auto i = waiting_.find(token);
  if (i == waiting_.end()) {
    // Only a peer sends replies for tokens nobody waits for.
    count_unexpected();
    return;
  }
  auto d = std::move(i->second);
  waiting_.erase(i);
  if (reply.is_error())
    ++stats_.failed;
  answer(d, std::move(reply));
}

void responder_core::on_write_failed(uint64_t token,
                                     const caf::error& err) const {
  if (token == ack_token)
    log(log_level::info, log_name,
        describe() + ": an acknowledge was refused: " + error_message(err));
  else
    log(log_level::warning, log_name,
        describe() + ": a reply was refused: " + error_message(err));
}

} // namespace sssn::detail
