// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <atomic>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>

#include <caf/actor_system.hpp>
#include <caf/detail/type_list.hpp>
#include <caf/detail/type_traits.hpp>
#include <caf/expected.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/spawn_options.hpp>

#include "sssn/channel.hpp"
#include "sssn/channel_message.hpp"
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

/// The typed interface of a responder actor.
using responder_actor = caf::typed_actor<
  // Requests pushed by the request channel.
  caf::reacts_to<push_atom, delivery>,
  // A late answer from a handler that took a `reply_promise`.
  caf::reacts_to<reply_atom, uint64_t, content>,
  // A reply channel refusing the one-way write of a reply.
  caf::reacts_to<write_failed_atom, uint64_t, caf::error>,
  // stats().
  caf::replies_to<stats_atom>::with<responder_stats>>;

/// Settings of a responder.
struct responder_config {
  /// The id under which the responder subscribes (empty: a fresh
  /// `sssn.responder.<uuid>`).
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
  reply_state(responder_actor self, uint64_t token)
    : self(std::move(self)), token(token) {
    // nop
  }

  ~reply_state();

  void deliver(content x);

  responder_actor self;
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

namespace detail {

/// A responder's handler with its type erased: returns the reply, or nothing
/// when it took the promise to answer later.
using erased_handler
  = std::function<std::optional<content>(const channel_message&,
                                         const reply_promise&)>;

SSSN_ACTORS_EXPORT
responder_actor spawn_responder_impl(caf::actor_system& sys,
                                     const channel& request_channel,
                                     erased_handler handler,
                                     responder_config cfg,
                                     caf::spawn_options opts);

template <class T>
content to_reply(T&& x) {
  using type = std::decay_t<T>;
  if constexpr (std::is_same<type, content>::value) {
    return std::forward<T>(x);
  } else if constexpr (std::is_same<type, caf::error>::value) {
    return content::from_error(x);
  } else {
    return content{std::forward<T>(x)};
  }
}

template <class T>
content to_reply(caf::expected<T>&& x) {
  if (!x)
    return content::from_error(x.error());
  return to_reply(std::move(*x));
}

template <class F>
erased_handler erase_handler(F f) {
  using trait = caf::detail::get_callable_trait_t<F>;
  using args = typename trait::arg_types;
  static_assert(trait::num_args == 1 || trait::num_args == 2,
                "a responder handler takes the request, and optionally a "
                "reply_promise");
  using arg0 = std::decay_t<caf::detail::tl_head_t<args>>;
  constexpr bool takes_promise = trait::num_args == 2;
  return [f{std::move(f)}](const channel_message& msg,
                           const reply_promise& rp) -> std::optional<content> {
    if constexpr (std::is_same<arg0, channel_message>::value) {
      if constexpr (takes_promise) {
        f(msg, rp);
        return std::nullopt;
      } else {
        return to_reply(f(msg));
      }
    } else if constexpr (std::is_same<arg0, content>::value) {
      if constexpr (takes_promise) {
        f(msg.content(), rp);
        return std::nullopt;
      } else {
        return to_reply(f(msg.content()));
      }
    } else {
      static_assert(is_typed_content_v<arg0>,
                    "a responder handler takes a channel_message, a content, "
                    "or a struct declared with SSSN_CONTENT");
      auto req = msg.content().template as<arg0>();
      if (!req)
        return content::from_error(req.error());
      if constexpr (takes_promise) {
        f(*req, rp);
        return std::nullopt;
      } else {
        return to_reply(f(*req));
      }
    }
  };
}

} // namespace detail

/// Spawns a responder: an actor that subscribes to `request_channel` (by
/// default in the group `sssn.responders`, so that N responders share the
/// work) and answers each request with what `handler` returns, written to
/// the channel named by the request's `reply_to` with the same correlation
/// id. Requests past their deadline are skipped.
///
/// `handler` takes one of:
/// - `const channel_message&` or `const content&` (generic), returning
///   something convertible to `content` (e.g. `json`, a typed struct) or a
///   `caf::expected` of it;
/// - `const Req&` for a struct `Req` declared with `SSSN_CONTENT`: the
///   request is validated into `Req` first, and a request that does not
///   validate gets an error reply naming the field; it returns `Resp` or
///   `caf::expected<Resp>` (return `sssn::fail("...")` to answer with an
///   error);
/// - either of the above plus a `reply_promise` as second argument,
///   returning `void`, to answer later.
///
/// A handler that throws answers with an error reply; the responder keeps
/// running. The subscription reaches the channel before anything the calling
/// thread sends afterwards, so a call right after this one finds the
/// responder.
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
  return detail::spawn_responder_impl(sys, request_channel,
                                      detail::erase_handler(std::move(handler)),
                                      std::move(cfg), Os);
}

} // namespace sssn
