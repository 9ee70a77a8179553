// Uses the installed sssn_actors package as an application would: a channel,
// a responder and one call through the request helper.
#include <iostream>

#include <caf/all.hpp>

#include "sssn/all.hpp"

using namespace std::chrono_literals;

int main() {
  sssn::config cfg;
  caf::actor_system sys{cfg};
  auto requests = sssn::spawn_channel(sys, "consumer-request");
  auto replies = sssn::spawn_channel(sys, "consumer-response");
  if (!requests.start() || !replies.start()) {
    std::cerr << "consumer: cannot start channels\n";
    return 1;
  }
  sssn::spawn_responder(sys, requests, [](const sssn::content& req) {
    return sssn::json{{"echo", req.data()}};
  });
  auto reply = sssn::request_via_channel(requests, replies, "consumer",
                                         sssn::json{{"x", 1}}, 5s);
  if (!reply) {
    std::cerr << "consumer: " << sssn::error_message(reply.error()) << '\n';
    return 1;
  }
  std::cout << "consumer ok: " << reply->content().to_json() << '\n';
  return 0;
}
