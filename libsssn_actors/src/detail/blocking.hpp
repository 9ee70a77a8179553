// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>

#include <caf/actor_system.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/timespan.hpp>
#include <caf/unit.hpp>

namespace sssn::detail {

/// Makes the handler that stores a reply of type `T` in `dst`; a
/// `std::tuple` stands for a reply of several values.
template <class T>
struct reply_sink {
  static auto make(std::optional<T>& dst) {
    return [&dst](T& x) { dst = std::move(x); };
  }
};

template <class... Ts>
struct reply_sink<std::tuple<Ts...>> {
  static auto make(std::optional<std::tuple<Ts...>>& dst) {
    return [&dst](Ts&... xs) { dst.emplace(std::move(xs)...); };
  }
};

/// Sends `xs...` to `hdl` as a request and waits up to `timeout` for the
/// answer, a `T` (or nothing, for `void`; a `std::tuple` for several
/// values), from non-actor code: the one
/// blocking request/receive of the library. Errors come back as CAF sends
/// them (`request_timeout`, `request_receiver_down`, the receiver's own);
/// callers translate them.
template <class T, class Handle, class... Ts>
caf::expected<T> blocking_request(caf::actor_system& sys, const Handle& hdl,
                                  caf::timespan timeout, Ts&&... xs) {
  caf::scoped_actor self{sys};
  caf::error failure;
  if constexpr (std::is_void<T>::value) {
    self->request(hdl, timeout, std::forward<Ts>(xs)...)
      .receive([] {}, [&](caf::error& err) { failure = std::move(err); });
    if (failure)
      return failure;
    return caf::unit;
  } else {
    std::optional<T> value;
    self->request(hdl, timeout, std::forward<Ts>(xs)...)
      .receive(reply_sink<T>::make(value),
               [&](caf::error& err) { failure = std::move(err); });
    if (failure)
      return failure;
    return std::move(*value);
  }
}

} // namespace sssn::detail
