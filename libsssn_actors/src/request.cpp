// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/request.hpp"

#include <caf/sec.hpp>

#include "detail/call_table.hpp"

namespace sssn {

namespace {

/// How long a blocking caller waits beyond the deadline before it gives up
/// on the requester itself (which answers at the deadline in every case but
/// a `kill`).
constexpr caf::timespan backstop_margin = std::chrono::seconds{5};

} // namespace

caf::expected<channel_message>
request_via_channel(const channel& request_channel,
                    const channel& response_channel,
                    const std::string& sender_id, content data,
                    caf::timespan timeout) {
  if (!response_channel)
    return make_error(ec::channel_down, "response channel '"
                                          + response_channel.id()
                                          + "' is an invalid handle");
  auto& sys = response_channel.actor().home_system();
  // No actor per call: the requester fills in `waiter` and wakes us.
  auto waiter = std::make_shared<detail::blocking_call>();
  detail::start_call(sys, request_channel, response_channel, nullptr,
                     caf::message_id{}, waiter, sender_id, std::move(data),
                     timeout, nullptr);
  auto result = waiter->wait_for(timeout + backstop_margin);
  if (!result)
    return make_error(caf::sec::request_timeout,
                      "call to channel '" + request_channel.id()
                        + "': the requester did not answer within the "
                          "deadline and a margin");
  return std::move(*result);
}

} // namespace sssn
