// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <chrono>
#include <string>
#include <type_traits>
#include <utility>

#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include "sssn/channel.hpp"
#include "sssn/channel_message.hpp"
#include "sssn/content.hpp"
#include "sssn/export.hpp"
#include "sssn/requester.hpp"

namespace sssn {

/// Default deadline of a call (SSSN's `request_via_channel` default).
inline constexpr caf::timespan default_request_timeout
  = std::chrono::seconds{10};

/// Sends `data` as a request from `sender_id` to `request_channel` and waits
/// for the reply on `response_channel`: SSSN's `request_via_channel`, without
/// polling. Blocks the calling thread; use the overload taking `self` from an
/// actor.
///
/// Returns the reply, or an error saying why not: `caf::sec::request_timeout`
/// after `timeout`, and at once `ec::no_responders`, `ec::channel_down`,
/// `ec::not_accepting_writes`, `ec::not_authorized`, `ec::invalid_content`
/// or `ec::overloaded`. Never throws, never hangs. Any number of threads and
/// actors may call it at once, with the same `sender_id` or not: each call
/// gets its own reply.
SSSN_ACTORS_EXPORT caf::expected<channel_message>
request_via_channel(const channel& request_channel,
                    const channel& response_channel,
                    const std::string& sender_id, content data,
                    caf::timespan timeout = default_request_timeout);

/// Sends a request from an event-based actor; `then` runs with the reply (a
/// `channel_message`) or the error, while the actor keeps serving other
/// messages:
///
/// ~~~
/// sssn::request_via_channel(self, req_ch, resp_ch, "client-a", data, 5s)
///   .then([](const sssn::channel_message& reply) { ... },
///         [](const caf::error& err) { ... });
/// ~~~
template <class Self>
auto request_via_channel(Self* self, const channel& request_channel,
                         const channel& response_channel,
                         const std::string& sender_id, content data,
                         caf::timespan timeout = default_request_timeout) {
  // The call goes straight into the requester's table from here (no
  // message to the requester); its reply arrives as the response to `mid`.
  using handle_type = detail::call_handle<Self>;
  auto mid = self->new_request_id(caf::message_priority::normal);
  detail::start_call(self->system(), request_channel, response_channel,
                     self->ctrl(), mid, nullptr, sender_id, std::move(data),
                     timeout, self->context());
  handle_type hdl{mid.response_id(), self};
  // Every error of a call comes from the requester, already ours.
  return pending_op<decltype(hdl), false>{std::move(hdl),
                                          response_channel.id()};
}

/// Typed call: sends the typed request `req` and validates the reply into
/// `Resp`. An error reply (for example a request that failed validation at
/// the responder) yields that error.
template <class Resp, class Req>
caf::expected<Resp> call(const channel& request_channel,
                         const channel& response_channel,
                         const std::string& sender_id, const Req& req,
                         caf::timespan timeout = default_request_timeout) {
  static_assert(is_typed_content_v<Resp>,
                "Resp must be declared with SSSN_CONTENT");
  auto reply = request_via_channel(request_channel, response_channel,
                                   sender_id, content{req}, timeout);
  if (!reply)
    return std::move(reply.error());
  return reply->content().template as<Resp>();
}

} // namespace sssn
