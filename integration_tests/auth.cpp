// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Authentication across nodes: two actor systems on loopback; the server
// names a token secret, so every operation from the client needs a token.

#include "fixture.hpp"

#include <atomic>
#include <cstdio>
#include <fstream>
#include <thread>

#include <caf/all.hpp>

using namespace sssn;
using namespace std::chrono_literals;

namespace {

const std::string secret = "auth-test-secret-0123456789abcdef0123456789";

std::string temp_path(const std::string& name) {
  return "/tmp/sssn-auth-test-" + std::to_string(::getpid()) + "-" + name;
}

json add(const content& req) {
  auto& d = req.data();
  return json{{"result", d.at("a").get<int64_t>() + d.at("b").get<int64_t>()}};
}

/// Writes the secret file before the server's config reads it.
struct secret_file {
  std::string path = temp_path("secret");
  secret_file() {
    std::ofstream out{path};
    out << secret << '\n';
  }
  ~secret_file() {
    std::remove(path.c_str());
  }
};

struct server_config : sssn::config {
  explicit server_config(const std::string& secret_path) {
    set(auth_secret_file_option, secret_path);
  }
};

struct two_nodes : secret_file {
  server_config server_cfg{path};
  sssn::config client_cfg;
  caf::actor_system server{server_cfg};
  caf::actor_system client{client_cfg};
  channel requests = spawn_channel(server, "requests");
  channel responses = spawn_channel(client, "responses");
  std::optional<node> n;
  std::optional<channel> remote_requests;
  responder_actor responder;

  two_nodes() {
    BOOST_REQUIRE(requests.start());
    BOOST_REQUIRE(responses.start());
    responder = spawn_responder(server, requests, add);
    auto started = node::start(server);
    BOOST_REQUIRE(started);
    n = *started;
    BOOST_REQUIRE(n->publish(requests));
    auto remote = connect(client, "127.0.0.1", n->port());
    BOOST_REQUIRE(remote);
    auto ch = remote->channel("requests");
    BOOST_REQUIRE(ch);
    remote_requests = *ch;
  }

  std::string token(std::string subject, role r = role::write,
                    std::vector<std::string> channels = {"requests"},
                    int64_t ttl = 3600,
                    const std::string& key = secret) {
    token_claims c;
    c.subject = std::move(subject);
    c.channels = std::move(channels);
    c.granted = r;
    c.issued_at = unix_now();
    c.expires_at = c.issued_at + ttl;
    auto result = issue_token(key, c);
    BOOST_REQUIRE(result);
    return *result;
  }

  caf::expected<channel_message> call_as(const std::string& sender) {
    return request_via_channel(*remote_requests, responses, sender,
                               json{{"a", 7}, {"b", 35}}, 10s);
  }

  channel_stats stats() {
    auto st = requests.stats();
    BOOST_REQUIRE(st);
    return *st;
  }
};

/// Counts what a channel pushes to it.
struct counter_state {
  std::shared_ptr<std::atomic<int>> pushes;
};

subscriber_actor::behavior_type
counting_subscriber(subscriber_actor::stateful_pointer<counter_state> self,
                    std::shared_ptr<std::atomic<int>> pushes) {
  self->state.pushes = std::move(pushes);
  return {
    [self](push_atom, const delivery& d) {
      ++*self->state.pushes;
      return_credit(self, d);
    },
  };
}

template <class Predicate>
bool eventually(Predicate pred, caf::timespan limit = 10s) {
  auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (pred())
      return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(auth_tests, two_nodes)

BOOST_AUTO_TEST_CASE(a_remote_call_without_a_token_is_not_authorized) {
  auto reply = call_as("client");
  BOOST_REQUIRE(!reply);
  BOOST_TEST(is(reply.error(), ec::not_authorized), error_message(reply.error()));
  BOOST_TEST(error_message(reply.error()).find("'client' presented no token")
             != std::string::npos);
  auto st = stats();
  BOOST_TEST(st.token_refusals == 1u);
  BOOST_TEST(st.unauthorized == 1u);
  BOOST_TEST(st.writes == 0u);
}

BOOST_AUTO_TEST_CASE(a_remote_call_with_its_subjects_token_succeeds) {
  BOOST_REQUIRE(remote_requests->authenticate(token("client")));
  auto reply = call_as("client");
  BOOST_REQUIRE_MESSAGE(reply, (reply ? "" : error_message(reply.error())));
  BOOST_TEST(reply->content().data().at("result") == 42);
  // The token came with each operation: a second call needs nothing more.
  reply = call_as("client");
  BOOST_REQUIRE_MESSAGE(reply, (reply ? "" : error_message(reply.error())));
  auto st = stats();
  BOOST_TEST(st.authentications == 1u);
  BOOST_TEST(st.token_refusals == 0u);
}

BOOST_AUTO_TEST_CASE(a_token_is_not_lent_to_other_messages_from_its_node) {
  // The client has presented alice's token; a message of the client's
  // node that does not bring it (another actor of that process, or a peer
  // that claims that node's id, which CAF lets it write) is refused: no
  // session is keyed by anything a peer can write.
  BOOST_REQUIRE(remote_requests->authenticate(token("alice")));
  BOOST_REQUIRE(static_cast<bool>(call_as("alice")));
  auto refusals = stats().token_refusals;
  caf::scoped_actor other{client};
  caf::error err;
  other
    ->request(remote_requests->actor(), 10s, write_atom::value,
              std::string{"alice"}, content{json{{"x", 1}}})
    .receive([](const std::string&) { BOOST_FAIL("write accepted"); },
             [&](caf::error& e) { err = std::move(e); });
  BOOST_TEST(is(err, ec::not_authorized));
  BOOST_TEST(error_message(err).find("'alice' presented no token")
               != std::string::npos,
             error_message(err));
  // Nor does a token for another subject stand in for alice's.
  other
    ->request(remote_requests->actor(), 10s, write_atom::value,
              std::string{"alice"} + '\0' + token("mallory"),
              content{json{{"x", 1}}})
    .receive([](const std::string&) { BOOST_FAIL("write accepted"); },
             [&](caf::error& e) { err = std::move(e); });
  BOOST_TEST(error_message(err).find("is for 'mallory'") != std::string::npos,
             error_message(err));
  BOOST_TEST(stats().token_refusals == refusals + 2);
  // The same message with alice's token is taken, whoever sends it.
  other
    ->request(remote_requests->actor(), 10s, write_atom::value,
              std::string{"alice"} + '\0' + token("alice"),
              content{json{{"x", 1}}})
    .receive([](const std::string&) {},
             [](caf::error& e) { BOOST_FAIL(error_message(e)); });
}

BOOST_AUTO_TEST_CASE(a_responder_answering_remote_callers_stays_unreachable) {
  // The responder answers into the client's channel anonymously: were it a
  // sender to another node, peers could name it, and the request channel
  // would take its acknowledgements for remote operations without a token.
  BOOST_REQUIRE(remote_requests->authenticate(token("client")));
  for (int i = 0; i < 3; ++i) {
    auto reply = call_as("client");
    BOOST_REQUIRE_MESSAGE(reply, (reply ? "" : error_message(reply.error())));
  }
  BOOST_TEST((server.registry().get(responder.id()) == nullptr));
  // Its acknowledgements (sent after each reply) are taken.
  auto until = std::chrono::steady_clock::now() + 10s;
  while (stats().claimed > 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(5ms);
  auto st = stats();
  BOOST_TEST(st.refused == 0u);
  BOOST_TEST(st.claimed == 0u);
}

BOOST_AUTO_TEST_CASE(an_in_process_actor_that_peers_can_reach_needs_a_token) {
  // CAF lets a peer forge a sender that is in its registry (a routed
  // message naming this node and that actor's id): such a sender counts as
  // remote, and must bring a token like any peer.
  caf::scoped_actor reachable{server};
  server.registry().put(reachable->id(), reachable.ptr());
  auto refusals = stats().token_refusals;
  caf::error err;
  reachable
    ->request(requests.actor(), 10s, write_atom::value, std::string{"local"},
              content{json{{"x", 1}}})
    .receive([](const std::string&) { BOOST_FAIL("write accepted"); },
             [&](caf::error& e) { err = std::move(e); });
  BOOST_TEST(is(err, ec::not_authorized));
  BOOST_TEST(error_message(err).find("'local' presented no token")
               != std::string::npos,
             error_message(err));
  BOOST_TEST(stats().token_refusals == refusals + 1);
  // With its token, it may.
  reachable
    ->request(requests.actor(), 10s, write_atom::value,
              std::string{"local"} + '\0' + token("local"),
              content{json{{"x", 1}}})
    .receive([](const std::string&) {},
             [](caf::error& e) { BOOST_FAIL(error_message(e)); });
  // The same actor, once no peer can name it, is in-process again.
  server.registry().erase(reachable->id());
  reachable
    ->request(requests.actor(), 10s, write_atom::value, std::string{"local"},
              content{json{{"x", 1}}})
    .receive([](const std::string&) {},
             [](caf::error& e) { BOOST_FAIL(error_message(e)); });
}

BOOST_AUTO_TEST_CASE(a_peer_cannot_have_replies_written_into_server_channels) {
  // A channel of the server that the client may not write: the responder,
  // writing as itself in-process, must not be the client's way in.
  auto victim = spawn_channel(server, "victim");
  BOOST_REQUIRE(victim.start());
  BOOST_REQUIRE(n->publish(victim));
  auto remote = connect(client, "127.0.0.1", n->port());
  BOOST_REQUIRE(remote);
  auto victim_hdl = remote->channel("victim");
  BOOST_REQUIRE(victim_hdl);
  BOOST_REQUIRE(remote_requests->authenticate(token("client")));
  int calls = 0;
  auto request = [&calls](std::optional<std::string> reply_to) {
    auto b = channel_message::builder{};
    b.sender_id("client")
      .content(content{json{{"a", 1}, {"b", 2}}})
      .correlation_id("c-" + std::to_string(++calls));
    if (reply_to)
      b.reply_to(*reply_to);
    return b.build();
  };
  // 1. A handle of the server's channel as reply channel: refused at once.
  write_options opts;
  opts.reply_channel = victim_hdl->actor();
  auto w = remote_requests->write("client", request("victim"), opts);
  BOOST_REQUIRE(!w);
  BOOST_TEST(is(w.error(), ec::not_authorized));
  BOOST_TEST(error_message(w.error()).find("names a reply channel of this "
                                           "node")
               != std::string::npos,
             error_message(w.error()));
  // 2. The server channel's name alone: stored, handled, and the responder
  // will not write the reply there.
  BOOST_REQUIRE(remote_requests->write("client", request("victim")));
  auto unroutable = [&] {
    caf::scoped_actor self{server};
    uint64_t n = 0;
    self->request(responder, 10s, stats_atom::value)
      .receive([&](const responder_stats& st) { n = st.unroutable; },
               [](caf::error& e) { BOOST_FAIL(error_message(e)); });
    return n;
  };
  auto until = std::chrono::steady_clock::now() + 10s;
  while (unroutable() == 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(5ms);
  BOOST_TEST(unroutable() == 1u);
  BOOST_TEST(victim.stats()->writes == 0u);
  // 3. The same request written in the server's process is answered there.
  BOOST_REQUIRE(requests.write("local", [&] {
    return channel_message::builder{}
      .sender_id("local")
      .content(content{json{{"a", 1}, {"b", 2}}})
      .reply_to("victim")
      .build();
  }()));
  until = std::chrono::steady_clock::now() + 10s;
  while (victim.stats()->writes == 0 && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(5ms);
  BOOST_TEST(victim.stats()->writes == 1u);
  // And calls with the client's own reply channel are still answered.
  auto reply = call_as("client");
  BOOST_REQUIRE_MESSAGE(reply, (reply ? "" : error_message(reply.error())));
  BOOST_TEST(reply->content().data().at("result") == 42);
}

BOOST_AUTO_TEST_CASE(claiming_another_sender_id_is_not_authorized) {
  BOOST_REQUIRE(remote_requests->authenticate(token("alice")));
  // Alice's token does not let this peer write as bob.
  auto reply = call_as("bob");
  BOOST_REQUIRE(!reply);
  BOOST_TEST(is(reply.error(), ec::not_authorized));
  BOOST_TEST(error_message(reply.error()).find("'bob'") != std::string::npos);
  // Nor read or claim as bob.
  auto read = remote_requests->read("bob");
  BOOST_REQUIRE(!read);
  BOOST_TEST(is(read.error(), ec::not_authorized));
  auto claim = remote_requests->read_exclusive("bob");
  BOOST_REQUIRE(!claim);
  BOOST_TEST(is(claim.error(), ec::not_authorized));
  BOOST_TEST(stats().token_refusals == 3u);
  // As alice, it may.
  BOOST_TEST(static_cast<bool>(call_as("alice")));
}

BOOST_AUTO_TEST_CASE(a_token_for_another_channel_is_refused) {
  auto ok = remote_requests->authenticate(token("client", role::write,
                                                {"other"}));
  BOOST_REQUIRE(!ok);
  BOOST_TEST(is(ok.error(), ec::not_authorized));
  BOOST_TEST(error_message(ok.error()).find("does not name channel "
                                            "'requests'")
             != std::string::npos);
  BOOST_TEST(!call_as("client"));
  BOOST_TEST(stats().token_refusals == 2u);
}

BOOST_AUTO_TEST_CASE(forged_and_expired_tokens_are_refused_and_counted) {
  auto forged = remote_requests->authenticate(
    token("client", role::write, {"requests"}, 3600,
          "another-secret-0123456789abcdef0123456789"));
  BOOST_REQUIRE(!forged);
  BOOST_TEST(is(forged.error(), ec::not_authorized));
  BOOST_TEST(error_message(forged.error()).find("signature")
             != std::string::npos);
  auto expired = remote_requests->authenticate(
    token("client", role::write, {"requests"}, -10));
  BOOST_REQUIRE(!expired);
  BOOST_TEST(error_message(expired.error()).find("expired")
             != std::string::npos);
  auto garbage = remote_requests->authenticate("not.a.token");
  BOOST_REQUIRE(!garbage);
  auto st = stats();
  BOOST_TEST(st.token_refusals == 3u);
  BOOST_TEST(st.authentications == 0u);
  BOOST_TEST(!call_as("client"));
}

BOOST_AUTO_TEST_CASE(a_read_token_cannot_write) {
  BOOST_REQUIRE(remote_requests->authenticate(token("reader", role::read)));
  auto w = remote_requests->write("reader", content{json{{"x", 1}}});
  BOOST_REQUIRE(!w);
  BOOST_TEST(is(w.error(), ec::not_authorized));
  BOOST_TEST(error_message(w.error()).find("may not write")
             != std::string::npos);
  BOOST_TEST(static_cast<bool>(remote_requests->read("reader")));
}

BOOST_AUTO_TEST_CASE(a_token_caps_what_an_acl_admin_may_do_remotely) {
  auto acl = access_policy::acl({{"boss", role::admin}, {"worker", role::write}});
  BOOST_REQUIRE(requests.set_policy("admin", acl));
  auto other = spawn_channel(server, "plain");
  BOOST_REQUIRE(other.start());
  BOOST_REQUIRE(n->publish(other));
  BOOST_REQUIRE(other.set_policy("admin", acl));
  BOOST_REQUIRE(other.write("worker", content{json{{"x", 1}}}));
  auto claimed = other.read_exclusive("worker", 1);
  BOOST_REQUIRE(claimed);
  BOOST_REQUIRE(claimed->size() == 1u);
  auto id = claimed->front().id();
  auto remote = connect(client, "127.0.0.1", n->port());
  BOOST_REQUIRE(remote);
  auto rplain = remote->channel("plain");
  BOOST_REQUIRE(rplain);
  // The ACL makes boss an admin, but this token grants only read: boss may
  // not settle the worker's claim from the other node.
  BOOST_REQUIRE(rplain->authenticate(token("boss", role::read, {"plain"})));
  auto ack = rplain->acknowledge("boss", {id});
  BOOST_REQUIRE(!ack);
  BOOST_TEST(is(ack.error(), ec::not_claimed));
  // With an admin token it may.
  BOOST_REQUIRE(rplain->authenticate(token("boss", role::admin, {"plain"})));
  auto ok = rplain->acknowledge("boss", {id});
  BOOST_REQUIRE(ok);
  BOOST_TEST(*ok == 1u);
}

BOOST_AUTO_TEST_CASE(in_process_operations_need_no_token) {
  BOOST_TEST(static_cast<bool>(requests.write("local", content{json{{"x", 1}}})));
  auto local_resp = spawn_channel(server, "local-responses");
  BOOST_REQUIRE(local_resp.start());
  auto ok = request_via_channel(requests, local_resp, "local",
                                json{{"a", 1}, {"b", 2}}, 10s);
  BOOST_REQUIRE_MESSAGE(ok, (ok ? "" : error_message(ok.error())));
  BOOST_TEST(ok->content().data().at("result") == 3);
  BOOST_TEST(stats().token_refusals == 0u);
}

BOOST_AUTO_TEST_CASE(a_policy_can_require_tokens_in_process_too) {
  auto strict = access_policy::open();
  strict.require_tokens();
  BOOST_REQUIRE(requests.set_policy("admin", strict));
  auto w = requests.write("local", content{json{{"x", 1}}});
  BOOST_REQUIRE(!w);
  BOOST_TEST(is(w.error(), ec::not_authorized));
  BOOST_REQUIRE(requests.authenticate(token("local")));
  BOOST_TEST(static_cast<bool>(requests.write("local", content{json{{"x", 1}}})));
}

BOOST_AUTO_TEST_CASE(a_subscription_ends_when_its_token_expires) {
  // Expires within 1 to 2 seconds (expiry has one-second resolution).
  BOOST_REQUIRE(remote_requests->authenticate(
    token("watcher", role::read, {"requests"}, 2)));
  auto pushes = std::make_shared<std::atomic<int>>(0);
  auto sub = client.spawn(counting_subscriber, pushes);
  BOOST_REQUIRE(remote_requests->subscribe("watcher", sub));
  BOOST_TEST(stats().token_bound == 1u);
  BOOST_REQUIRE(requests.write("local", content{json{{"n", 1}}}));
  BOOST_REQUIRE(eventually([&] { return *pushes >= 1; }));
  BOOST_REQUIRE(eventually([&] { return stats().subscribers == 0; }));
  auto st = stats();
  BOOST_TEST(st.expired_subscriptions == 1u);
  BOOST_TEST(st.token_bound == 0u);
  auto seen = pushes->load();
  BOOST_REQUIRE(requests.write("local", content{json{{"n", 2}}}));
  std::this_thread::sleep_for(200ms);
  BOOST_TEST(pushes->load() == seen);
  // Subscribing again needs a fresh token.
  auto again = remote_requests->subscribe("watcher", sub);
  BOOST_REQUIRE(!again);
  BOOST_TEST(is(again.error(), ec::not_authorized));
  caf::anon_send_exit(sub, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_CASE(an_unreadable_secret_file_stops_the_node_from_starting) {
  server_config cfg{"/nonexistent/sssn-secret"};
  caf::actor_system sys{cfg};
  auto n = node::start(sys);
  BOOST_REQUIRE(!n);
  BOOST_TEST(is(n.error(), ec::invalid_argument));
  BOOST_TEST(error_message(n.error()).find("/nonexistent/sssn-secret")
             != std::string::npos);
  // Its channels fail closed: nothing from another node gets through, and
  // in-process use still works.
  auto ch = spawn_channel(sys, "c");
  BOOST_REQUIRE(ch.start());
  BOOST_TEST(static_cast<bool>(ch.write("local", content{json{{"x", 1}}})));
}
