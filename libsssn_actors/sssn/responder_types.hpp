// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include <caf/actor.hpp>
#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "sssn/content.hpp"
#include "sssn/detail/inspect.hpp"
#include "sssn/error.hpp"
#include "sssn/export.hpp"
#include "sssn/fwd.hpp"

namespace sssn {

/// Counters of one responder.
struct responder_stats {
  /// Requests given to the handler.
  uint64_t handled = 0;
  /// Replies written.
  uint64_t replied = 0;
  /// Requests skipped because their deadline had passed.
  uint64_t expired = 0;
  /// Typed requests that failed validation (answered with an error reply).
  uint64_t invalid = 0;
  /// Handler failures (answered with an error reply).
  uint64_t failed = 0;
  /// Requests left without a reply because their reply channel could not
  /// be found, or because a request from another node asked for replies in
  /// a channel of this process (see `delivery::from_peer`).
  uint64_t unroutable = 0;
};

/// @relates responder_stats
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, responder_stats& x) {
  return detail::inspect_counted(f,
                                 caf::meta::type_name("sssn::responder_stats"),
                                 x.handled, x.replied, x.expired, x.invalid,
                                 x.failed, x.unroutable);
}

/// The messages of a responder: what a typed actor that embeds one (see
/// `make_responder`) lists in its interface, for example
/// `sssn::responder_interface::extend<caf::replies_to<get_atom>::with<int>>`.
using responder_interface = caf::typed_actor<
  // Requests pushed by the request channel.
  caf::reacts_to<push_atom, delivery>,
  // A late answer from a handler that took a `reply_promise`.
  caf::reacts_to<reply_atom, uint64_t, content>,
  // A reply channel refusing the one-way write of a reply.
  caf::reacts_to<write_failed_atom, uint64_t, caf::error>>;

/// The typed interface of a responder actor from `spawn_responder`.
using responder_actor = responder_interface::extend<
  // Requests that queued up, pushed in one message (see
  // `subscription::batch`; only from this process).
  caf::reacts_to<push_atom, std::vector<delivery>>,
  // stats().
  caf::replies_to<stats_atom>::with<responder_stats>>;

/// Settings of a responder.
struct responder_config {
  /// The id under which the responder subscribes (empty: a fresh
  /// `rsp.<11 base-62 digits>`, 64 random bits).
  std::string system_id;

  /// The `sender_id` of replies (empty: the system id).
  std::string sender_id;

  /// The responder group to join; the members of a group share the work,
  /// each request going to one of them. Empty: a plain subscriber that gets
  /// every request.
  std::string group = "sssn.responders";

  /// Requests a group member may hold unacknowledged at once.
  uint32_t credit = 32;
};

namespace detail {

/// Shared state of a `reply_promise`.
struct SSSN_ACTORS_EXPORT reply_state {
  reply_state(caf::actor self, uint64_t token)
    : self(std::move(self)), token(token) {
    // nop
  }

  ~reply_state();

  void deliver(content x);

  /// The actor the responder runs in.
  caf::actor self;
  uint64_t token;
  std::atomic<bool> delivered{false};
};

} // namespace detail

/// Lets a handler answer a request later, from any thread or actor. A
/// promise whose last copy goes away unanswered answers with an
/// `ec::request_failed` error reply, so that no caller waits for its
/// deadline because of a forgotten promise.
class reply_promise {
public:
  /// @private
  explicit reply_promise(std::shared_ptr<detail::reply_state> state)
    : state_(std::move(state)) {
    // nop
  }

  /// Answers with `x` (generic data, typed content or an error content).
  /// Only the first answer counts.
  void deliver(content x) const {
    state_->deliver(std::move(x));
  }

  /// Answers with an error reply.
  void deliver(const caf::error& err) const {
    state_->deliver(content::from_error(err));
  }

  /// Returns whether no answer was given yet.
  bool pending() const {
    return !state_->delivered.load();
  }

private:
  std::shared_ptr<detail::reply_state> state_;
};

/// Makes the error that a handler returns for a failed request (SSSN's
/// `raise ValueError(...)`): `ec::request_failed` with the sentence `what`.
inline caf::error fail(std::string what) {
  return make_error(ec::request_failed, std::move(what));
}

} // namespace sssn
