// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_clock.hpp>
#include <caf/error.hpp>
#include <caf/make_message.hpp>
#include <caf/result.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "detail/channel/channel_actor.hpp"
#include "detail/channel/claim_table.hpp"
#include "detail/channel/message_store.hpp"
#include "detail/channel/push_batcher.hpp"
#include "detail/channel/push_fanout.hpp"
#include "detail/channel/responder_group.hpp"
#include "detail/channel/token_checks.hpp"
#include "detail/sender_origin.hpp"
#include "sssn/access_policy.hpp"
#include "sssn/channel_types.hpp"
#include "sssn/content.hpp"
#include "sssn/detail/exit_guard.hpp"
#include "sssn/detail/token_proof.hpp"
#include "sssn/detail/unix_clock.hpp"

namespace sssn::detail {

class channel_state;

/// A channel actor. Drops `exit_reason::kill` from peers (see
/// detail::exit_guard).
using channel_self
  = exit_guard<caf::stateful_actor<channel_state, channel_actor_impl::base>>;

/// The state of a channel actor. It composes the channel's parts (message
/// store, claims, push fan-out, responder group, token checks), checks who
/// may do what, runs each operation across the parts and sends what they
/// decide; the behaviour calls one method per message. The data path
/// (writes, reads, claims, host operations, drains) is defined in
/// channel_state.cpp; who asks (principals, roles, tokens) in
/// channel_access.cpp; what depends on the actor and its peers (the owner's
/// release, subscriptions and DOWN, credit, the timer, calls left without
/// responders) beside the behaviour, in channel_actor.cpp.
class channel_state {
public:
  using time_point = caf::actor_clock::time_point;

  static inline const char* name = "sssn.channel";

  /// Sets up the channel `cfg` on `self`; only the holder of `secret` may
  /// release it. Loads the token secret.
  void init(channel_self* self, channel_config cfg, owner_secret secret);

  // -- describing and refusing ------------------------------------------------

  /// "channel '<id>'", for errors and logs.
  std::string describe() const {
    return "channel '" + cfg_.id + "'";
  }

  /// Counts a refusal (and why) and returns `err`.
  caf::error refuse(caf::error err);

  /// Counts a message that the hardening handlers refused or ignored.
  void count_refusal() noexcept {
    ++stats_.refused;
  }

  /// Refuses an empty principal or one that is not valid UTF-8.
  caf::error check_principal(const std::string& principal, const char* what);

  /// Refuses unless `principal` may do `what` with at least `required`
  /// (the policy, and a token where one is needed).
  caf::error check_role(const std::string& principal, role required,
                        const char* what);

  /// Takes the token that came with the current message off `principal`
  /// (see detail::prove): the behaviour calls it first for every message
  /// that names a principal, before anything else looks at it.
  void take_proof(std::string& principal);

  // -- writes -----------------------------------------------------------------

  caf::result<void> start();

  /// A write that answers with the message's id.
  caf::result<std::string> write(const std::string& sender,
                                 channel_message& msg, write_options& opts);

  /// A write that answers only if it fails; a call's requester also hears
  /// if the channel loses its responders before one has the request.
  void write_one_way(const std::string& sender, channel_message& msg,
                     write_options& opts, uint64_t token);

  /// One-way writes of `msgs`, in order, each with `opts`; what they push
  /// goes out batched at the end.
  void write_batch(const std::string& sender,
                   std::vector<channel_message>& msgs,
                   const write_options& opts, uint64_t token);

  caf::result<std::string> write_data(const std::string& sender,
                                      content& data);

  // -- reads and claims -------------------------------------------------------

  caf::result<std::vector<channel_message>>
  read(const std::string& reader, uint32_t limit, const std::string& after);

  caf::result<std::vector<channel_message>> claim(const std::string& reader,
                                                  uint32_t limit);

  caf::result<uint64_t> acknowledge(const std::string& reader,
                                    const std::vector<std::string>& ids);

  /// What `acknowledge` does, with the count as a plain value.
  caf::expected<uint64_t>
  acknowledge_claims(const std::string& reader,
                     const std::vector<std::string>& ids);

  /// An acknowledge that answers only if it fails.
  void acknowledge_one_way(const std::string& reader,
                           const std::vector<std::string>& ids,
                           uint64_t token);

  caf::result<uint64_t> nack(const std::string& reader,
                             const std::vector<std::string>& ids);

  // -- host operations --------------------------------------------------------

  caf::result<uint64_t> clear(const std::string& admin,
                              const message_filter& filter);

  caf::result<uint64_t> evict(const std::string& admin,
                              const evict_options& opts);

  caf::result<uint64_t> remove(const std::string& admin,
                               const std::vector<std::string>& ids);

  caf::result<void> set_policy(const std::string& admin,
                               access_policy& policy);

  caf::result<void> drain(const std::string& admin);

  caf::result<void> stop(const std::string& admin);

  /// The owning handle's release: stops the channel if the secret matches.
  void release(uint64_t hi, uint64_t lo);

  channel_stats stats() const;

  // -- subscriptions, tokens and the timer ------------------------------------

  caf::result<void> subscribe(const std::string& system_id,
                              subscriber_actor hdl, const subscription& opts);

  caf::result<void> unsubscribe(const std::string& system_id);

  /// A subscriber or group member is down.
  void down(const caf::down_msg& msg);

  /// Credit back from a plain subscriber: `n` deliveries of the
  /// subscription `token` were handled. Only the subscriber's own node can
  /// return its credit, and never more than it has in flight.
  void credit(uint64_t token, uint32_t n);

  /// Checks a token: tells a client early whether its token is good here,
  /// and renews what an older token of its subject subscribed. Opens no
  /// session: every operation that needs a token brings its own.
  caf::result<void> authenticate(const std::string& token);

  /// The timer: claim expiry, age retention, idle readers, token expiry,
  /// drains and calls without responders.
  void tick();

  /// Sends the pushes that queued up (see `push`).
  void flush_pushes();

private:
  // -- who asks ---------------------------------------------------------------

  /// `check_principal` (`kind` names it: "reader id"), then `check_role`.
  caf::error check_access(const std::string& principal, const char* kind,
                          role required, const char* what);

  /// Where the sender of the current message may come from (see
  /// `origin_of`); looked up once per message.
  sender_origin origin() const;

  /// Returns whether the current message must bring a token: tokens are on
  /// and it does not surely come from this process (another node, no actor
  /// at all, or an actor of this process that a peer can forge), or the
  /// policy wants tokens everywhere.
  bool token_checked() const;

  /// Returns whether the current write had to bring a token from outside
  /// this process, and so comes from a peer as far as replies go
  /// (`delivery::from_peer`).
  bool writer_is_peer() const {
    return (tokens_.enabled() || cfg_.policy.tokens_required())
           && origin() != sender_origin::local;
  }

  /// Returns whether the current message needs no token, or its token
  /// grants `principal` at least `required` (counts nothing).
  bool token_grants(const std::string& principal, role required);

  /// The subscription or membership of `principal`, held by `holder`, was
  /// made by the current message: bound to the expiry of its token if it
  /// brought one, else unbound.
  void bind_to_token(const std::string& principal,
                     const caf::actor_addr& holder);

  /// Refuses for want of a valid token (`ec::not_authorized`).
  caf::error refuse_token(caf::error err);

  caf::error check_accepting();

  // -- storage and retention --------------------------------------------------

  bool has_responders() const {
    return !fanout_.empty() || !group_.empty();
  }

  /// Returns whether retention must keep `e`: it is claimed, waits for a
  /// group member, or a subscriber out of credit waits for it.
  bool pinned(uint64_t seq, const stored_message& e) const {
    if (!e.claim_owner.empty())
      return true;
    if (!group_.empty() && !e.acked && store_.unclaimed().count(seq) > 0)
      return true;
    return fanout_.awaited(seq, e.msg);
  }

  /// `pinned` as the store's predicate.
  auto pins() const {
    return [this](uint64_t seq, const stored_message& e) {
      return pinned(seq, e);
    };
  }

  /// Checks and stores a message; `write` and `write_one_way` differ only in
  /// what they answer. Takes `msg` when it is stored.
  caf::error admit(const std::string& sender, channel_message& msg,
                   write_options& opts);

  caf::error store(channel_message msg, channel_actor reply_channel,
                   bool from_peer);

  /// Erases a message that may be claimed or awaited (host operations).
  message_store::iterator erase_entry(message_store::iterator i, bool evicted);

  /// Applies the age bound and arms the timer for what it evicts next;
  /// first drops consumed messages that are no longer pinned
  /// (`sweep_spent`).
  void age_retention();

  // -- history ----------------------------------------------------------------

  /// The message `seq` was consumed (acknowledged, or delivered to the
  /// subscriber that asked): unless the channel keeps history, it is
  /// dropped by the next `drop_fresh`.
  void consumed(uint64_t seq);

  /// Drops what `consumed` noted, or keeps it in `spent_` while it is
  /// pinned. Runs after the operation that consumed them, never while
  /// references into the store are held.
  void drop_fresh();

  /// Drops the consumed message `seq` if it is stored and not pinned;
  /// keeps it in `spent_` while it is pinned.
  void drop_spent(uint64_t seq);

  /// Drops the messages of `spent_` that are no longer pinned (those below
  /// the first message a subscriber out of credit waits for).
  void sweep_spent();

  // -- claims and deliveries --------------------------------------------------

  /// A group member's delivery ended: it has that credit back.
  void settle_member(const stored_message& e);

  void claim_for(uint64_t seq, stored_message& e, const std::string& owner,
                 bool group);

  void release_claim(uint64_t seq, stored_message& e);

  /// Checks and settles the claims of `ids` with `apply`; returns how many
  /// it settled (a plain value: a one-way acknowledgement makes no answer).
  template <class F>
  caf::expected<uint64_t> settle_claims(const std::string& reader,
                                        const std::vector<std::string>& ids,
                                        const char* op, F apply);

  /// A delivery of `e` from this channel.
  delivery make_delivery(const stored_message& e) const;

  /// Hands unclaimed messages to group members with credit left.
  void dispatch();

  void send_push(const push_subscriber& sub, const stored_message& e);

  /// Pushes `d` to `hdl`: at once, or, for a subscriber that takes batches
  /// (`batch`), queued while more work waits (see channel_push.cpp).
  void push(const subscriber_actor& hdl, delivery d, bool batch);

  /// Sends the queued pushes now if nothing else waits in the mailbox, or
  /// else once the work queued now is done (a flush_atom to self).
  void flush_when_idle();

  /// Ends a subscription out of credit: at once (`subscriber_overflow::evict`)
  /// or, `stalled`, because no credit came back within
  /// `subscriber_credit_timeout`.
  void end_subscription(const std::string& system_id, bool stalled);

  void remove_member(const std::string& system_id);

  /// Ends what expired tokens made: the subscriptions and group
  /// memberships still held by the same subscriber.
  void end_bound(
    const std::vector<std::pair<std::string, token_binding>>& ended);

  /// Holds the pushes of an operation that may push several messages; they
  /// go out, batched, when the last scope ends (see `flush_when_idle`).
  class batch_scope {
  public:
    explicit batch_scope(channel_state& st);
    ~batch_scope();
    batch_scope(const batch_scope&) = delete;
    batch_scope& operator=(const batch_scope&) = delete;

  private:
    channel_state& st_;
  };

  /// Tells the writer `to` of a one-way operation `token` that it failed.
  void tell_failed(const caf::strong_actor_ptr& to, uint64_t token,
                   caf::error err);

  // -- drains -----------------------------------------------------------------

  void answer_drains();

  void shut_down();

  void finish_drain_if_done();

  // -- calls without responders -----------------------------------------------

  /// Starts the grace period when the last responder has gone while calls
  /// wait (see `channel_config::no_responder_grace`).
  void note_responders();

  /// Once the grace has run out without a responder, fails every call whose
  /// request still waits: its requester hears `no_responders` now rather
  /// than at its deadline. The requests stay stored.
  void abandon_waiting_calls();

  /// The grace period's part of a tick; returns when it needs the next one.
  std::optional<time_point> check_responder_grace(time_point now);

  // -- timer ------------------------------------------------------------------

  void schedule_tick(time_point t);

  // -- member variables -------------------------------------------------------

  channel_self* self_ = nullptr;
  channel_config cfg_;
  owner_secret secret_;
  std::optional<unix_clock> clock_;
  bool accepting_ = false;
  bool draining_ = false;
  /// Set when a drain has finished: the channel stays readable and refuses
  /// writes until it is started again.
  bool drained_ = false;
  time_point drain_deadline_;
  std::vector<caf::typed_response_promise<void>> drain_promises_;
  message_store store_;
  claim_table claims_;
  push_fanout fanout_;
  responder_group group_;
  token_checks tokens_;
  /// The token that came with the current message (empty: none).
  std::string proof_;
  /// Where the current message comes from, once asked.
  mutable std::optional<sender_origin> origin_;
  /// Since when the channel has had no responder, while calls wait.
  std::optional<time_point> responders_gone_at_;
  bool tick_scheduled_ = false;
  time_point tick_at_;
  channel_stats stats_;
  /// Messages consumed by the current operation (see `consumed`).
  std::vector<uint64_t> fresh_;
  /// Consumed messages kept while they are pinned: claimed, or awaited by a
  /// subscriber out of credit.
  std::set<uint64_t> spent_;
  /// Pushes queued for subscribers that take batches.
  push_batcher batcher_;
  /// The claims an acknowledgement names (`settle_claims`); kept to reuse
  /// its capacity.
  std::vector<uint64_t> settle_seqs_;
  /// A flush_atom to self is on its way.
  bool flush_scheduled_ = false;
  /// Open batch scopes.
  int batch_depth_ = 0;
};

} // namespace sssn::detail
