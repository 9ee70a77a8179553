// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/timespan.hpp>

#include "sssn/channel_message.hpp"
#include "sssn/channel_types.hpp"
#include "sssn/content.hpp"
#include "sssn/detail/token_proof.hpp"
#include "sssn/error.hpp"
#include "sssn/export.hpp"
#include "sssn/fwd.hpp"

namespace sssn {

namespace detail {

struct channel_owner;

/// Enables the overloads for event-based actors only when their first
/// argument points to an actor, so that `ch.read("r", 0)` picks the
/// blocking overload instead of being ambiguous.
template <class Self>
using if_actor_t = std::enable_if_t<std::is_class_v<Self>>;

/// Turns CAF's errors about a dead or silent channel into ours.
SSSN_ACTORS_EXPORT caf::error
normalize_channel_error(caf::error err, const std::string& id);

} // namespace detail

/// Wraps a pending request to a channel so that its error handler sees our
/// errors (`ec::channel_down` instead of CAF's `request_receiver_down`).
/// Takes what CAF's own response handles take: `then` and `await` with or
/// without an error handler (without one, the actor's own error handling
/// applies, as with CAF), `receive` from a blocking actor, error handlers
/// taking `caf::error`, `caf::error&` or `const caf::error&`, and may be
/// stored and used later.
///
/// `Normalize` is false where every error the handle can see is already
/// ours (a call: the requester sends them all, and no CAF request with a
/// receiver or a timeout is behind it). Its error handler then keeps no copy
/// of the channel id, which CAF would hold for each pending call.
template <class Handle, bool Normalize = true>
class pending_op {
public:
  pending_op(Handle hdl, std::string channel_id)
    : hdl_(std::move(hdl)), channel_id_(std::move(channel_id)) {
    // nop
  }

  /// Calls `f` with the result, or `g` with the error, when the answer
  /// arrives (the actor keeps handling other messages meanwhile).
  template <class F, class G>
  void then(F f, G g) const {
    hdl_.then(std::move(f), normalized(std::move(g)));
  }

  /// Calls `f` with the result; an error goes to the actor's error handler.
  template <class F>
  void then(F f) const {
    hdl_.then(std::move(f));
  }

  /// Like `then`, but suspends other message handling until the answer
  /// arrives.
  template <class F, class G>
  void await(F f, G g) const {
    hdl_.await(std::move(f), normalized(std::move(g)));
  }

  template <class F>
  void await(F f) const {
    hdl_.await(std::move(f));
  }

  /// Waits for the answer (blocking actors, e.g. a `caf::scoped_actor`).
  template <class F, class G>
  void receive(F f, G g) {
    hdl_.receive(std::move(f), normalized(std::move(g)));
  }

private:
  /// `g`, called with our error instead of CAF's.
  template <class G>
  auto normalized(G g) const {
    if constexpr (Normalize) {
      return [g{std::move(g)}, id{channel_id_}](caf::error& err) mutable {
        auto ours = detail::normalize_channel_error(std::move(err), id);
        g(ours);
      };
    } else {
      return [g{std::move(g)}](caf::error& err) mutable { g(err); };
    }
  }

  Handle hdl_;
  std::string channel_id_;
};

/// A handle to a channel: SSSN's `PassthroughChannel`, as a CAF actor.
///
/// Every operation exists in two forms: a blocking one that returns
/// `caf::expected<T>` (for `main` and other non-actor code), and one for
/// event-based actors that takes `self` first and returns a `pending_op`
/// whose `then` runs when the channel answers. Blocking calls give up after
/// `timeout()` (30 s by default) with `caf::sec::request_timeout`; a dead
/// channel gives `ec::channel_down` at once.
///
/// A handle returned by `spawn_channel` owns the channel: when its last copy
/// is gone, the channel stops. Handles made from an actor handle (for example
/// one received from another node) do not own it.
class SSSN_ACTORS_EXPORT channel {
public:
  // -- construction -----------------------------------------------------------

  /// Creates an invalid handle.
  channel() = default;

  /// Creates a non-owning handle to the channel actor `hdl` with id `id`.
  channel(channel_actor hdl, std::string id);

  /// Returns the channel's id.
  const std::string& id() const noexcept {
    return id_;
  }

  /// Returns the channel's actor handle.
  const channel_actor& actor() const noexcept {
    return hdl_;
  }

  /// Returns whether this handle points to a channel.
  explicit operator bool() const noexcept {
    return static_cast<bool>(hdl_);
  }

  /// Returns whether this handle (and its copies) keep the channel alive.
  bool owning() const noexcept {
    return owner_ != nullptr;
  }

  /// Returns how long blocking calls wait for the channel.
  caf::timespan timeout() const noexcept {
    return timeout_;
  }

  /// Sets how long blocking calls wait for the channel.
  channel& timeout(caf::timespan x) noexcept {
    timeout_ = x;
    return *this;
  }

  // -- blocking operations ----------------------------------------------------

  /// Opens the channel for writes.
  caf::expected<void> start() const;

  /// Wraps `data` in a new message from `sender_id` and returns its id.
  caf::expected<std::string> write(const std::string& sender_id,
                                   sssn::content data) const;

  /// Writes the ready message `msg` (SSSN's `direct=True`) and returns its
  /// id. Its `sender_id` must equal `sender_id`.
  caf::expected<std::string> write(const std::string& sender_id,
                                   channel_message msg,
                                   write_options opts = {}) const;

  /// Shared read: up to `limit` messages after the reader's cursor (or after
  /// the message `after`, when given), oldest first.
  caf::expected<std::vector<channel_message>>
  read(const std::string& reader_id, uint32_t limit = 10,
       const std::string& after = {}) const;

  /// Exclusive read: claims up to `limit` messages for `reader_id`.
  caf::expected<std::vector<channel_message>>
  read_exclusive(const std::string& reader_id, uint32_t limit = 10) const;

  /// Consumes claimed messages for good; returns how many.
  caf::expected<uint64_t>
  acknowledge(const std::string& reader_id,
              std::vector<std::string> ids) const;

  /// Releases claimed messages now; returns how many.
  caf::expected<uint64_t> nack(const std::string& reader_id,
                               std::vector<std::string> ids) const;

  /// Pushes every new message (or those `opts` selects) to `subscriber`.
  caf::expected<void> subscribe(const std::string& system_id,
                                subscriber_actor subscriber,
                                subscription opts = {}) const;

  /// Ends the subscription of `system_id`.
  caf::expected<void> unsubscribe(const std::string& system_id) const;

  /// Removes every message that `filter` matches; returns how many.
  caf::expected<uint64_t> clear(const std::string& admin_id,
                                message_filter filter = {}) const;

  /// Evicts messages older than `before` (Unix seconds), then the oldest
  /// until at most `max_count` remain; returns how many. A message counts
  /// as older when its `timestamp()` is below `before`, so passing a
  /// message's own `timestamp()` never evicts it.
  caf::expected<uint64_t> evict(const std::string& admin_id,
                                std::optional<double> before,
                                std::optional<uint64_t> max_count) const;

  /// Exact form of `evict`: `opts.before_ns` in Unix nanoseconds (as
  /// `channel_message::timestamp_ns()` returns), e.g.
  /// `evict("admin", {m.timestamp_ns(), std::nullopt})`.
  caf::expected<uint64_t> evict(const std::string& admin_id,
                                evict_options opts) const;

  /// Removes the messages `ids`; returns how many.
  caf::expected<uint64_t> remove(const std::string& admin_id,
                                 std::vector<std::string> ids) const;

  /// Replaces the channel's authorization policy.
  caf::expected<void> set_policy(const std::string& admin_id,
                                 access_policy policy) const;

  /// Stops accepting writes and waits for outstanding claims (at most the
  /// configured drain timeout). A drained channel still serves reads of
  /// what it holds and refuses writes with `ec::not_accepting_writes`, as
  /// SSSN's stopped channel does, until `start` opens it again; `stop` (or
  /// the last owning handle going) ends it.
  caf::expected<void> drain(const std::string& admin_id) const;

  /// Stops the channel now.
  caf::expected<void> stop(const std::string& admin_id) const;

  /// Returns the channel's statistics.
  caf::expected<channel_stats> stats() const;

  /// Presents the access token `token` (see sssn/token.hpp) to a channel on
  /// a node that requires tokens. Once the channel has accepted it, this
  /// process sends it along with every operation on this channel that names
  /// the token's subject as sender, reader or system id (the channel checks
  /// it each time: nothing else stands in for it), until it expires; they
  /// are allowed what the token grants (and the channel's policy allows).
  /// Call it again with a fresh token to renew, which also keeps what the
  /// old one subscribed.
  caf::expected<void> authenticate(const std::string& token) const;

  // -- operations for event-based actors --------------------------------------

  /// Sends any channel operation from an event-based actor, e.g.
  /// `ch.request(self, write_atom::value, "me", content{...}).then(...)`.
  template <class Self, class... Ts, class = detail::if_actor_t<Self>>
  auto request(Self* self, Ts&&... xs) const {
    auto hdl = self->request(hdl_, timeout_, std::forward<Ts>(xs)...);
    return pending_op<decltype(hdl)>{std::move(hdl), id_};
  }

  /// Opens the channel for writes.
  template <class Self, class = detail::if_actor_t<Self>>
  auto start(Self* self) const {
    return request(self, start_atom::value);
  }

  /// Wraps `data` in a new message from `sender_id`; yields its id.
  template <class Self, class = detail::if_actor_t<Self>>
  auto write(Self* self, const std::string& sender_id,
             sssn::content data) const {
    return request(self, write_atom::value, detail::prove(hdl_, sender_id), std::move(data));
  }

  /// Writes a ready message; yields its id.
  template <class Self, class = detail::if_actor_t<Self>>
  auto write(Self* self, const std::string& sender_id, channel_message msg,
             write_options opts = {}) const {
    return request(self, write_atom::value, detail::prove(hdl_, sender_id), std::move(msg),
                   std::move(opts));
  }

  /// Shared read; yields a `std::vector<channel_message>`.
  template <class Self, class = detail::if_actor_t<Self>>
  auto read(Self* self, const std::string& reader_id, uint32_t limit = 10,
            const std::string& after = {}) const {
    return request(self, read_atom::value, detail::prove(hdl_, reader_id), limit, after);
  }

  /// Exclusive read; yields a `std::vector<channel_message>`.
  template <class Self, class = detail::if_actor_t<Self>>
  auto read_exclusive(Self* self, const std::string& reader_id,
                      uint32_t limit = 10) const {
    return request(self, claim_atom::value, detail::prove(hdl_, reader_id), limit);
  }

  /// Acknowledges claimed messages; yields how many.
  template <class Self, class = detail::if_actor_t<Self>>
  auto acknowledge(Self* self, const std::string& reader_id,
                   std::vector<std::string> ids) const {
    return request(self, ack_atom::value, detail::prove(hdl_, reader_id), std::move(ids));
  }

  /// Releases claimed messages; yields how many.
  template <class Self, class = detail::if_actor_t<Self>>
  auto nack(Self* self, const std::string& reader_id,
            std::vector<std::string> ids) const {
    return request(self, nack_atom::value, detail::prove(hdl_, reader_id), std::move(ids));
  }

  /// Subscribes `subscriber` for push delivery.
  template <class Self, class = detail::if_actor_t<Self>>
  auto subscribe(Self* self, const std::string& system_id,
                 subscriber_actor subscriber, subscription opts = {}) const {
    return request(self, subscribe_atom::value, detail::prove(hdl_, system_id),
                   std::move(subscriber), std::move(opts));
  }

  /// Yields the channel's statistics.
  template <class Self, class = detail::if_actor_t<Self>>
  auto stats(Self* self) const {
    return request(self, stats_atom::value);
  }

  /// Presents an access token (see the blocking overload). This process
  /// sends it along with its later operations on this channel that name
  /// the token's subject (from now on, whatever the channel answers: a
  /// token it refuses is refused again with each of them, saying why).
  template <class Self, class = detail::if_actor_t<Self>>
  auto authenticate(Self* self, const std::string& token) const {
    detail::remember_token(caf::actor_cast<caf::strong_actor_ptr>(hdl_),
                           token);
    return request(self, auth_atom::value, token);
  }

  // -- comparison -------------------------------------------------------------

  friend bool operator==(const channel& x, const channel& y) noexcept {
    return x.hdl_ == y.hdl_;
  }

  friend bool operator!=(const channel& x, const channel& y) noexcept {
    return !(x == y);
  }

private:
  friend SSSN_ACTORS_EXPORT channel spawn_channel(caf::actor_system&,
                                                  channel_config);

  template <class T, class... Ts>
  caf::expected<T> blocking(Ts&&... xs) const;

  channel_actor hdl_;
  std::string id_;
  caf::timespan timeout_ = std::chrono::seconds{30};
  std::shared_ptr<detail::channel_owner> owner_;
};

// -- push credit ------------------------------------------------------------------

/// Hands the credit of the delivery `d` back to the channel that pushed it,
/// once `d` is handled: a plain subscriber gets at most
/// `channel_config::subscriber_credit` deliveries ahead of the credit it
/// returned (so its mailbox stays bounded). Call it from the subscribing
/// actor, or from another actor on its node. Does nothing for deliveries
/// that carry no credit (group members return theirs with `acknowledge`).
template <class Self>
void return_credit(Self* self, const delivery& d, uint32_t n = 1) {
  if (d.credit_token != 0 && d.source && n > 0)
    self->send(d.source, credit_atom::value, d.credit_token, n);
}

/// Returns credit in batches: one credit message per quarter of the credit
/// window instead of one per delivery. Call `handled` once for each
/// delivery, after handling it. It holds back less than the window, so the
/// channel never waits for credit held here; `flush` returns what it holds.
class credit_returner {
public:
  template <class Self>
  void handled(Self* self, const delivery& d) {
    if (d.credit_token == 0 || !d.source)
      return;
    if (d.credit_token != token_) {
      flush(self);
      token_ = d.credit_token;
      source_ = d.source;
    }
    auto batch = std::max<uint32_t>(1, d.credit_window / 4);
    if (++held_ >= batch)
      flush(self);
  }

  template <class Self>
  void flush(Self* self) {
    if (held_ > 0 && source_)
      self->send(source_, credit_atom::value, token_, held_);
    held_ = 0;
  }

  /// Returns how many credits are held back now.
  uint32_t held() const noexcept {
    return held_;
  }

private:
  channel_actor source_;
  uint64_t token_ = 0;
  uint32_t held_ = 0;
};

/// Spawns a channel with configuration `cfg` and returns its owning handle.
/// The channel must be started before it accepts writes (as in SSSN). An id
/// already used by a live channel of the same actor system is logged as a
/// warning; `find_channel` keeps returning the first one.
SSSN_ACTORS_EXPORT channel spawn_channel(caf::actor_system& sys,
                                         channel_config cfg);

/// Spawns a channel with the default configuration.
SSSN_ACTORS_EXPORT channel spawn_channel(caf::actor_system& sys,
                                         std::string id,
                                         std::string name = {});

/// Looks up a live channel of `sys` by id, for resolving `reply_to`. The
/// returned handle does not own the channel.
SSSN_ACTORS_EXPORT std::optional<channel>
find_channel(caf::actor_system& sys, const std::string& id);

} // namespace sssn
