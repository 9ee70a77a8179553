// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// In-process tests of sssn::node: two actor systems talking over loopback.

#include "fixture.hpp"

#include <algorithm>
#include <mutex>
#include <string_view>
#include <vector>

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

#include "sssn/caf_build.hpp"

using namespace sssn;
using namespace std::chrono_literals;

namespace {

json add(const content& req) {
  auto& d = req.data();
  return json{{"result", d.at("a").get<int64_t>() + d.at("b").get<int64_t>()}};
}

/// Two real actor systems: `server` publishes, `client` connects.
struct two_nodes {
  sssn::config server_cfg;
  sssn::config client_cfg;
  caf::actor_system server{server_cfg};
  caf::actor_system client{client_cfg};
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(node_tests, two_nodes)

BOOST_AUTO_TEST_CASE(a_call_reaches_a_responder_on_another_node) {
  auto req = spawn_channel(server, "compute-request");
  BOOST_REQUIRE(req.start());
  spawn_responder(server, req, add);
  auto n = node::start(server);
  BOOST_REQUIRE(n);
  BOOST_TEST(n->port() != 0);
  BOOST_REQUIRE(n->publish(req));
  auto resp = spawn_channel(client, "compute-response");
  BOOST_REQUIRE(resp.start());
  auto remote = connect(client, "127.0.0.1", n->port());
  BOOST_REQUIRE(remote);
  auto ids = remote->channels();
  BOOST_REQUIRE(ids);
  BOOST_TEST(*ids == std::vector<std::string>{"compute-request"});
  auto rreq = remote->channel("compute-request");
  BOOST_REQUIRE(rreq);
  BOOST_TEST(!rreq->owning());
  auto reply = request_via_channel(*rreq, resp, "client",
                                   json{{"a", 7}, {"b", 35}}, 5s);
  BOOST_REQUIRE(reply);
  BOOST_TEST(reply->content().data().at("result") == 42);
}

BOOST_AUTO_TEST_CASE(an_unpublished_channel_is_a_clear_error) {
  auto n = node::start(server);
  BOOST_REQUIRE(n);
  auto remote = connect(client, "127.0.0.1", n->port());
  BOOST_REQUIRE(remote);
  auto ch = remote->channel("nope");
  BOOST_REQUIRE(!ch);
  BOOST_TEST(is(ch.error(), ec::channel_down));
  BOOST_TEST(error_message(ch.error()).find("'nope'") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_peer_of_another_wire_version_is_refused) {
  auto n = node::start(server);
  BOOST_REQUIRE(n);
  caf::scoped_actor self{client};
  auto remote = connect(client, "127.0.0.1", n->port());
  BOOST_REQUIRE(remote);
  caf::error failure;
  self
    ->request(remote->directory(), 5s, hello_atom::value,
              static_cast<uint8_t>(wire_version + 1))
    .receive([](uint8_t) {}, [&](caf::error& err) { failure = err; });
  BOOST_TEST(is(failure, ec::incompatible_version));
  BOOST_TEST(error_message(failure).find("version") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_config_without_sssn_types_fails_where_it_is_made) {
  // A user's own config that forgot sssn::add_message_types: starting a
  // node and connecting say so at once, instead of peers getting
  // unexpected_actor_messaging_interface later.
  struct bare_config : caf::actor_system_config {
    bare_config() {
      load<caf::io::middleman>();
    }
  };
  bare_config cfg;
  caf::actor_system bare{cfg};
  auto started = node::start(bare);
  BOOST_REQUIRE(!started);
  BOOST_TEST(is(started.error(), ec::invalid_argument));
  BOOST_TEST(error_message(started.error()).find("sssn::add_message_types")
               != std::string::npos,
             error_message(started.error()));
  auto connected = connect(bare, "127.0.0.1", 1);
  BOOST_REQUIRE(!connected);
  BOOST_TEST(error_message(connected.error()).find("connecting to a node")
               != std::string::npos,
             error_message(connected.error()));
  BOOST_TEST(!check_message_types(server, "starting a node"));
}

BOOST_AUTO_TEST_CASE(publishing_beyond_loopback_needs_tls_or_insecure) {
  node_config cfg;
  cfg.host = "0.0.0.0";
  auto refused = node::start(server, cfg);
  BOOST_REQUIRE(!refused);
  BOOST_TEST(is(refused.error(), ec::invalid_argument));
  BOOST_TEST(error_message(refused.error()).find("without TLS")
             != std::string::npos);
  cfg.insecure = true;
  // It says which CAF it runs, and on Debian's CAF beyond loopback warns
  // that every peer that gets in is trusted with CAF's own decoding.
  std::mutex mtx;
  std::vector<std::string> warnings;
  set_log_handler([&](log_level level, std::string_view, std::string_view m) {
    std::lock_guard<std::mutex> guard{mtx};
    if (level >= log_level::warning)
      warnings.emplace_back(m);
  });
  auto allowed = node::start(server, cfg);
  set_log_handler({});
  BOOST_REQUIRE(allowed);
  allowed->stop();
  std::unique_lock<std::mutex> guard{mtx};
  auto caf_warning = std::count_if(warnings.begin(), warnings.end(),
                                   [](const std::string& w) {
                                     return w.find("Debian's CAF")
                                            != std::string::npos;
                                   });
  BOOST_TEST(caf_warning == (caf_build().hardened ? 0 : 1));
  // On loopback, no such warning.
  warnings.clear();
  guard.unlock();
  set_log_handler([&](log_level level, std::string_view, std::string_view m) {
    std::lock_guard<std::mutex> guard{mtx};
    if (level >= log_level::warning)
      warnings.emplace_back(m);
  });
  auto local = node::start(server);
  set_log_handler({});
  BOOST_REQUIRE(local);
  local->stop();
  std::lock_guard<std::mutex> after{mtx};
  BOOST_TEST(warnings.empty());
}

BOOST_AUTO_TEST_CASE(two_channels_cannot_share_an_id_on_one_node) {
  auto n = node::start(server);
  BOOST_REQUIRE(n);
  auto a = spawn_channel(server, "same");
  channel_config cfg;
  cfg.id = "same";
  auto b = spawn_channel(server, cfg);
  BOOST_REQUIRE(n->publish(a));
  BOOST_REQUIRE(n->publish(a)); // again: fine
  auto clash = n->publish(b);
  BOOST_REQUIRE(!clash);
  BOOST_TEST(is(clash.error(), ec::invalid_argument));
}

BOOST_AUTO_TEST_CASE(the_directory_ignores_exit_messages_from_peers) {
  auto n = node::start(server);
  BOOST_REQUIRE(n);
  auto remote = connect(client, "127.0.0.1", n->port());
  BOOST_REQUIRE(remote);
  caf::anon_send_exit(remote->directory(), caf::exit_reason::user_shutdown);
  std::this_thread::sleep_for(50ms);
  auto ids = remote->channels();
  BOOST_TEST(static_cast<bool>(ids));
}

BOOST_AUTO_TEST_SUITE_END()
