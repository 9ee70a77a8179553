// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

#include <caf/detail/type_list.hpp>
#include <caf/detail/type_traits.hpp>
#include <caf/expected.hpp>

#include "sssn/channel_message.hpp"
#include "sssn/content.hpp"
#include "sssn/typed_content.hpp"

namespace sssn {

class reply_promise;

namespace detail {

/// A responder's handler with its type erased.
struct erased_handler {
  /// Takes the actor the handler runs in (as the `Self*` it was erased for,
  /// cast to `void*`), the request and its promise; returns the reply, or
  /// nothing when the handler answers later through the promise.
  std::function<std::optional<content>(void*, const channel_message&,
                                       const reply_promise&)>
    fn;

  /// Whether the handler takes the promise as an argument. If not, the
  /// promise it gets is empty, and the request's promise is made only if
  /// the handler asks for it (`make_reply_promise`).
  bool takes_promise = true;
};

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

/// Calls `f` (with `self` first if it takes it, with `rp` last if it takes
/// a promise) and turns what it returns into a reply; nothing for a handler
/// that answers later (returns `void` or a `reply_promise`).
template <class Result, class F, class... Ts>
std::optional<content> invoke_handler(F& f, Ts&&... xs) {
  if constexpr (std::is_void<Result>::value) {
    f(std::forward<Ts>(xs)...);
    return std::nullopt;
  } else if constexpr (std::is_same<std::decay_t<Result>,
                                    reply_promise>::value) {
    // The promise the handler returns answers later (it may be a copy of
    // the one it got, or one from make_reply_promise).
    static_cast<void>(f(std::forward<Ts>(xs)...));
    return std::nullopt;
  } else {
    return to_reply(f(std::forward<Ts>(xs)...));
  }
}

/// Erases a handler of a responder that runs in an actor of type `Self`.
/// See `spawn_responder` for the forms a handler may take.
template <class Self, class F>
erased_handler erase_handler(F f) {
  using trait = caf::detail::get_callable_trait_t<F>;
  using args = typename trait::arg_types;
  using result = typename trait::result_type;
  static_assert(trait::num_args >= 1 && trait::num_args <= 3,
                "a responder handler takes the request, optionally after "
                "the actor's self pointer and before a reply_promise");
  using first = caf::detail::tl_head_t<args>;
  constexpr bool takes_self = std::is_pointer<first>::value;
  if constexpr (takes_self)
    static_assert(std::is_convertible<Self*, first>::value,
                  "the handler's first argument is a pointer that the "
                  "responder's actor does not convert to: take the type of "
                  "`self` where the responder runs (sssn::responder_actor::"
                  "pointer for spawn_responder)");
  using rest = std::conditional_t<takes_self, caf::detail::tl_tail_t<args>,
                                  args>;
  constexpr size_t rest_size = caf::detail::tl_size<rest>::value;
  static_assert(rest_size == 1 || rest_size == 2,
                "a responder handler takes the request, optionally after "
                "the actor's self pointer and before a reply_promise");
  using request = std::decay_t<caf::detail::tl_head_t<rest>>;
  constexpr bool takes_promise = rest_size == 2;
  if constexpr (takes_promise)
    static_assert(std::is_same<std::decay_t<caf::detail::tl_at_t<rest, 1>>,
                               reply_promise>::value,
                  "a responder handler's last argument, after the request, "
                  "is a reply_promise");
  static_assert(!std::is_void<result>::value || takes_promise || takes_self,
                "a responder handler returns its reply, unless it takes a "
                "reply_promise (or self, to call make_reply_promise)");
  static_assert(std::is_same<request, channel_message>::value
                  || std::is_same<request, content>::value
                  || is_typed_content_v<request>,
                "a responder handler takes a channel_message, a content, or "
                "a struct declared with SSSN_CONTENT");
  auto fn = [f{std::move(f)}](void* self_ptr, const channel_message& msg,
                              const reply_promise& rp) mutable
    -> std::optional<content> {
    // Everything but the request, in the order the handler takes them.
    auto call = [&](auto&& req) -> std::optional<content> {
      auto self = static_cast<Self*>(self_ptr);
      static_cast<void>(self);
      if constexpr (takes_self && takes_promise)
        return invoke_handler<result>(f, self, req, rp);
      else if constexpr (takes_self)
        return invoke_handler<result>(f, self, req);
      else if constexpr (takes_promise)
        return invoke_handler<result>(f, req, rp);
      else
        return invoke_handler<result>(f, req);
    };
    if constexpr (std::is_same<request, channel_message>::value) {
      return call(msg);
    } else if constexpr (std::is_same<request, content>::value) {
      return call(msg.content());
    } else {
      auto req = msg.content().template as<request>();
      if (!req)
        return content::from_error(req.error());
      return call(std::as_const(*req));
    }
  };
  return erased_handler{std::move(fn), takes_promise};
}

} // namespace detail

} // namespace sssn
