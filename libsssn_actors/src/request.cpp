#include "sssn/request.hpp"

#include <caf/scoped_actor.hpp>
#include <caf/sec.hpp>

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
  auto requester = requester_for(sys, response_channel);
  caf::scoped_actor self{sys};
  std::optional<channel_message> reply;
  caf::error failure;
  self
    ->request(requester, timeout + backstop_margin, call_atom::value,
              request_channel.actor(), request_channel.id(), sender_id,
              std::move(data), timeout, clock_reading(sys))
    .receive([&](channel_message& msg) { reply = std::move(msg); },
             [&](caf::error& err) { failure = std::move(err); });
  if (failure) {
    if (failure == caf::sec::request_receiver_down)
      return make_error(ec::channel_down, "response channel '"
                                            + response_channel.id()
                                            + "' is down");
    return failure;
  }
  return std::move(*reply);
}

} // namespace sssn
