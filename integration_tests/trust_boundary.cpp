// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The trust boundary (issue 12): a node started with `sssn serve` with
// access tokens and TLS client certificates, attacked by a peer process
// (helpers/forging_peer.cpp) that holds a valid certificate and speaks BASP
// itself, writing whatever source node and source actor it likes into its
// messages. Each attack of issue 12 in turn; an honest client (this
// process, over TLS, with its own tokens) is served before, during and
// after each, and each refusal is counted in the node's stats:
//
//   1. forged local sender (source node = the node itself): writes without
//      a token, `stop` and `kill` of the channel and of the directory;
//   2. borrowed identity (source node = the honest client's node): writes
//      and reads as the honest client's subject, without a token and with
//      another subject's valid token;
//   3. one valid read token presented from 10,000 made-up node ids;
//   5. `reply_to` naming the node's own channel (by name, and by handle);
//   6. a subscriber that never returns credit;
//   4. a forged BASP down message naming the honest client's subscriber
//      (counted on Debian's CAF, refused by the hardened CAF);
//   7. and 8. in short, in two more test cases (the long tests are named
//      there).
// Stats are read through the library (the honest client's `stats()`) for
// exact deltas, and once at the end through `sssn stats`.
//
// Two more cases hold what this test found in CAF 0.17.6's OpenSSL module:
// a peer that goes without a TLS close_notify drops another connection
// (fixed by the hardened CAF's patch 0010), and a TLS connect to a silent
// listener keeps Debian's CAF from shutting down (bounded by the `sssn`
// command's shutdown deadline; fixed by the hardened CAF's patch 0006).
//
// Every wait is bounded; every child process is killed and reaped, also
// when a check fails. Figures go to stdout, prefixed "trust_boundary:".

#include "compute_types.hpp"
#include "fixture.hpp"
#include "process_fixture.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>

#include "sssn/caf_build.hpp"

#ifndef SSSN_FORGING_PEER
#  error "SSSN_FORGING_PEER must name the forging peer program"
#endif

using namespace std::chrono_literals;
using sssn::test::child_process;
using sssn::test::compute_request;
using sssn::test::compute_response;
using sssn::test::process_fixture;
using sssn::test::run_result;
using sssn::test::server_handle;
using sssn::test::why;
using steady = std::chrono::steady_clock;

namespace {

const std::string secret_text
  = "trust-boundary-test-secret-0123456789abcdef0123456789";

long ms_since(steady::time_point t0) {
  return static_cast<long>(
    std::chrono::duration_cast<std::chrono::milliseconds>(steady::now() - t0)
      .count());
}

template <class Predicate>
bool eventually(Predicate pred, steady::duration limit = 10s) {
  auto until = steady::now() + limit;
  while (steady::now() < until) {
    if (pred())
      return true;
    std::this_thread::sleep_for(10ms);
  }
  return pred();
}

/// Parses the forging peer's "<key> <number>" lines.
std::map<std::string, long> figures_of(const std::string& out) {
  std::map<std::string, long> result;
  std::istringstream lines{out};
  static const std::regex re{R"(^([\w -]+) (\d+)$)"};
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, re))
      result[m[1].str()] = std::stol(m[2].str());
  }
  return result;
}

/// Parses the `name: value` lines of `sssn stats`.
std::map<std::string, std::string> stats_lines(const std::string& out) {
  std::map<std::string, std::string> result;
  std::istringstream in{out};
  for (std::string line; std::getline(in, line);)
    if (auto pos = line.find(": "); pos != std::string::npos)
      result[line.substr(0, pos)] = line.substr(pos + 2);
  return result;
}

/// Honest calls: how many were made, how many came back right.
struct honest_calls {
  int made = 0;
  int correct = 0;
  std::string first_failure;

  void add(const honest_calls& x) {
    made += x.made;
    correct += x.correct;
    if (first_failure.empty())
      first_failure = x.first_failure;
  }
};

/// Counts the deliveries pushed to it and returns their credit.
struct counter_state {
  std::shared_ptr<std::atomic<int>> pushes;
};

sssn::subscriber_actor::behavior_type counting_subscriber(
  sssn::subscriber_actor::stateful_pointer<counter_state> self,
  std::shared_ptr<std::atomic<int>> pushes) {
  self->state.pushes = std::move(pushes);
  return {
    [self](sssn::push_atom, const sssn::delivery& d) {
      ++*self->state.pushes;
      sssn::return_credit(self, d);
    },
  };
}

struct fixture : process_fixture {
  fixture() : process_fixture("trust") {
    std::ofstream{path("secret")} << secret_text << '\n';
  }

  /// A token of `subject` for the node's channel.
  std::string token(const std::string& subject, sssn::role r) {
    sssn::token_claims c;
    c.subject = subject;
    c.channels = {"compute-request"};
    c.granted = r;
    c.issued_at = sssn::unix_now();
    c.expires_at = c.issued_at + 600;
    auto result = sssn::issue_token(secret_text, c);
    BOOST_REQUIRE_MESSAGE(result, why(result));
    return *result;
  }

  std::vector<std::string> tls_args() {
    return {"--tls-cert=" + path("client.pem"),
            "--tls-key=" + path("client.key"), "--tls-ca=" + path("ca.pem")};
  }

  /// Runs the forging peer to its end (TLS with the client certificate).
  run_result forge(std::vector<std::string> args,
                   steady::duration timeout = 60s, bool tls = true) {
    args.insert(args.begin(), SSSN_FORGING_PEER);
    if (tls) {
      auto xs = tls_args();
      args.insert(args.end(), xs.begin(), xs.end());
    }
    auto r = run(std::move(args), timeout);
    BOOST_TEST_MESSAGE("forging peer: exit " << r.code << "\n" << r.out);
    BOOST_REQUIRE_MESSAGE(r.code == 0, "forging peer exit "
                                         << r.code << ": " << r.out << r.err);
    BOOST_REQUIRE_MESSAGE(r.out.find("\ndone") != std::string::npos, r.out);
    return r;
  }
};

/// The honest client: this process, over TLS, with its own tokens.
struct honest_client {
  sssn::config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::optional<sssn::remote_node> remote;
  std::optional<sssn::channel> req_ch;
  sssn::channel resp_ch;
  std::atomic<int> calls{0};
  /// Actors of ours to stop before the actor system goes (its destructor
  /// waits for every actor), also when a check fails.
  std::vector<caf::actor> actors;

  ~honest_client() {
    for (auto& x : actors)
      caf::anon_send_exit(x, caf::exit_reason::user_shutdown);
  }

  honest_client(fixture& f, uint16_t port) {
    cfg.openssl_certificate = f.path("client.pem");
    cfg.openssl_key = f.path("client.key");
    cfg.openssl_cafile = f.path("ca.pem");
    sys = std::make_unique<caf::actor_system>(cfg);
    auto r = f.connect(*sys, port);
    BOOST_REQUIRE_MESSAGE(r, why(r));
    remote = *r;
    auto ch = remote->channel("compute-request");
    BOOST_REQUIRE_MESSAGE(ch, why(ch));
    req_ch = *ch;
    resp_ch = sssn::spawn_channel(*sys, "honest-response");
    BOOST_REQUIRE(resp_ch.start());
  }

  /// `n` calls, one after the other; each must come back with a + 0.5.
  honest_calls call_n(int n) {
    honest_calls result;
    for (int i = 0; i < n; ++i) {
      auto a = static_cast<double>(++calls);
      ++result.made;
      auto r = sssn::call<compute_response>(*req_ch, resp_ch, "honest",
                                            compute_request{a, 0.5, "add"},
                                            10s);
      if (r && r->result == a + 0.5)
        ++result.correct;
      else if (result.first_failure.empty())
        result.first_failure = r ? "wrong result " + std::to_string(r->result)
                                 : why(r);
    }
    return result;
  }

  sssn::channel_stats stats() {
    auto st = req_ch->stats();
    BOOST_REQUIRE_MESSAGE(st, why(st));
    return *st;
  }

  sssn::refusal_stats refusals() {
    auto st = remote->stats();
    BOOST_REQUIRE_MESSAGE(st, why(st));
    return st->refusals;
  }
};

/// Honest calls in a thread of their own while an attack runs: call
/// `during.stop()` once it is over.
class honest_background {
public:
  explicit honest_background(honest_client& c,
                             std::function<void()> extra = {}) {
    fut_ = std::async(std::launch::async, [this, &c, extra] {
      honest_calls total;
      while (!stop_ || total.made < 3) {
        if (extra)
          extra();
        total.add(c.call_n(1));
        std::this_thread::sleep_for(5ms);
      }
      return total;
    });
  }

  honest_calls stop() {
    stop_ = true;
    BOOST_REQUIRE_MESSAGE(fut_.wait_for(60s) == std::future_status::ready,
                          "honest calls during the attack hung");
    return fut_.get();
  }

  ~honest_background() {
    stop_ = true;
    if (fut_.valid())
      fut_.wait();
  }

private:
  std::atomic<bool> stop_{false};
  std::future<honest_calls> fut_;
};

/// Checks that the honest calls of one phase all came back right.
void expect_served(const honest_calls& x, const char* phase) {
  BOOST_TEST_CONTEXT(phase) {
    BOOST_TEST(x.made > 0);
    BOOST_TEST(x.correct == x.made, x.first_failure);
  }
}

/// A listener on loopback that accepts TCP (the kernel does) and never
/// says a word: no TLS handshake, no BASP handshake.
struct silent_listener {
  int fd = -1;
  uint16_t port = 0;

  silent_listener() {
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    BOOST_REQUIRE(fd >= 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    BOOST_REQUIRE(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr))
                  == 0);
    BOOST_REQUIRE(listen(fd, 16) == 0);
    socklen_t len = sizeof(addr);
    BOOST_REQUIRE(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len)
                  == 0);
    port = ntohs(addr.sin_port);
  }

  ~silent_listener() {
    close(fd);
  }
};

/// `sssn request` and `sssn stats --timeout=2` against a silent listener
/// (with `extra` options) end, with exit code 1, within 10 s.
void expect_bounded_connect(fixture& f, const std::vector<std::string>& extra,
                            const char* what) {
  silent_listener listener;
  auto port = "--port=" + std::to_string(listener.port);
  for (auto cmd : {"request", "stats"}) {
    BOOST_TEST_CONTEXT(cmd << " " << what) {
      std::vector<std::string> args{cmd, port, "--timeout=2"};
      args.insert(args.end(), extra.begin(), extra.end());
      auto t0 = steady::now();
      auto r = f.sssn(args, 20s);
      auto took = ms_since(t0);
      BOOST_TEST(r.code == 1, "exit " << r.code << " (-1: killed after 20 s)"
                                      << ": " << r.err);
      // 2 s of timeout, plus up to 5 s of shutdown deadline on Debian's
      // CAF over TLS: well under 12 s unless something waits for good.
      BOOST_TEST(took < 12000, took << " ms");
      BOOST_TEST(r.err.find("no handshake within 2 s") != std::string::npos,
                 r.err);
      std::cout << "trust_boundary: 8. sssn " << cmd << " --timeout=2 "
                << what << " against a silent listener: exit " << r.code
                << " after " << took << " ms" << std::endl;
    }
  }
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(trust_boundary, fixture)

BOOST_AUTO_TEST_CASE(every_forgery_is_refused_and_honest_clients_are_served) {
  auto t0 = steady::now();
  auto hardened = sssn::caf_build().checks_basp_sources;
  make_certificates();
  auto server = serve({"--auth-secret-file=" + path("secret"),
                       "--tls-cert=" + path("server.pem"),
                       "--tls-key=" + path("server.key"),
                       "--tls-ca=" + path("ca.pem")});
  auto port = "--port=" + std::to_string(server.port);
  honest_client honest{*this, server.port};
  BOOST_REQUIRE(honest.req_ch->authenticate(token("honest", sssn::role::write)));
  BOOST_REQUIRE(honest.req_ch->authenticate(token("watcher", sssn::role::read)));
  // A subscriber of the honest client: the victim of the forged down.
  auto pushes = std::make_shared<std::atomic<int>>(0);
  auto watcher = honest.sys->spawn(counting_subscriber, pushes);
  honest.actors.push_back(caf::actor_cast<caf::actor>(watcher));
  BOOST_REQUIRE(honest.req_ch->subscribe("watcher", watcher));
  expect_served(honest.call_n(5), "warm-up");
  BOOST_REQUIRE(eventually([&] { return *pushes >= 5; }));
  auto channel_actor = "--channel-actor="
                       + std::to_string(honest.req_ch->actor().id());
  auto honest_node = "--victim-node=" + caf::to_string(honest.sys->node());
  // Everything that must hold after every attack: the channel accepts
  // writes, the directory answers a fresh lookup, the node lives.
  auto expect_still_serving = [&] {
    BOOST_TEST(honest.stats().accepting);
    auto again = honest.remote->channel("compute-request");
    BOOST_TEST(static_cast<bool>(again), why(again));
    BOOST_TEST(!server.proc->wait_exit(0s).has_value());
  };
  // Runs one attack with honest calls before, during and after; returns
  // the peer's output and the honest calls made meanwhile.
  struct outcome {
    run_result peer;
    std::map<std::string, long> figures;
    int honest_writes = 0; // honest calls, i.e. writes, during the phase
  };
  auto attack = [&](const char* name, std::vector<std::string> args,
                    std::function<void()> extra = {}) {
    outcome result;
    auto calls0 = honest.calls.load();
    expect_served(honest.call_n(3), "before");
    honest_background bg{honest, extra};
    auto t1 = steady::now();
    result.peer = forge(std::move(args));
    auto took = ms_since(t1);
    BOOST_TEST_MESSAGE("node's stderr so far:\n" << server.proc->err());
    expect_served(bg.stop(), "during");
    expect_served(honest.call_n(3), "after");
    result.figures = figures_of(result.peer.out);
    result.honest_writes = honest.calls.load() - calls0;
    std::cout << "trust_boundary: " << name << ": peer ran " << took
              << " ms; honest calls before, during and after all served ("
              << result.honest_writes << ")" << std::endl;
    return result;
  };

  // -- 1. forged local sender -------------------------------------------------
  BOOST_TEST_CONTEXT("1. forged local sender") {
    auto st0 = honest.stats();
    auto r0 = honest.refusals();
    auto out = attack("1. forged local sender",
                      {"forged-local", port, channel_actor,
                       "--count=3"});
    BOOST_TEST(out.figures["sent total"] == 15);
    auto st1 = honest.stats();
    auto r1 = honest.refusals();
    // Not one forged write was stored.
    BOOST_TEST(st1.writes - st0.writes == uint64_t(out.honest_writes));
    if (hardened) {
      // The hardened CAF drops a routed message claiming this node as its
      // source before any of our code runs.
      BOOST_TEST(r1.caf_forged_senders - r0.caf_forged_senders == 15u);
      BOOST_TEST(st1.token_refusals == st0.token_refusals);
    } else {
      // Debian's CAF delivers them with a real local sender: the channel
      // still asks for a token (the sender is registered, so a peer can
      // name it): 3 writes and 3 stops refused; both `kill`s are dropped
      // by the exit guard, and the directory does not know `stop`.
      BOOST_TEST(st1.token_refusals - st0.token_refusals == 6u);
      BOOST_TEST(st1.unauthorized - st0.unauthorized == 6u);
      BOOST_TEST(r1.ignored_exits - r0.ignored_exits == 6u);
      BOOST_TEST(r1.unexpected - r0.unexpected >= 3u);
    }
    expect_still_serving();
  }

  // -- 2. borrowed identity ---------------------------------------------------
  BOOST_TEST_CONTEXT("2. borrowed identity") {
    auto st0 = honest.stats();
    auto out = attack("2. borrowed identity",
                      {"borrow", port, channel_actor,
                       honest_node,
                       "--token=" + token("mallory", sssn::role::write),
                       "--count=3"});
    BOOST_TEST(out.figures["sent total"] == 9);
    auto st1 = honest.stats();
    // Claiming the honest client's node id gains nothing: 3 writes and 3
    // reads as "honest" without a token, 3 writes with mallory's token.
    BOOST_TEST(st1.token_refusals - st0.token_refusals == 9u);
    BOOST_TEST(st1.unauthorized - st0.unauthorized == 9u);
    BOOST_TEST(st1.writes - st0.writes == uint64_t(out.honest_writes));
    expect_still_serving();
  }

  // -- 3. one token from 10,000 node ids ----------------------------------------
  BOOST_TEST_CONTEXT("3. one token, 10,000 node ids") {
    auto st0 = honest.stats();
    // The honest client authenticates again (a fresh token) before each
    // call while the flood runs: the old bug refused every other client's
    // authentication once one token had filled the session table.
    std::atomic<int> auths{0};
    std::atomic<int> auth_failures{0};
    auto fresh = token("honest", sssn::role::write);
    auto out = attack("3. one token from 10,000 node ids",
                      {"auth-flood", port, channel_actor,
                       "--token=" + token("flooder", sssn::role::read),
                       "--count=10000"},
                      [&] {
                        ++auths;
                        if (!honest.req_ch->authenticate(fresh))
                          ++auth_failures;
                      });
    BOOST_TEST(out.figures["sent auth-flood"] == 10000);
    BOOST_TEST(out.figures["auth-ok"] == 10000, out.peer.out);
    BOOST_TEST(out.figures["auth-refused"] == 0);
    BOOST_TEST(auth_failures == 0);
    auto late = honest.req_ch->authenticate(token("late", sssn::role::write));
    BOOST_TEST(static_cast<bool>(late), why(late));
    auto st1 = honest.stats();
    BOOST_TEST(st1.authentications - st0.authentications
               == uint64_t(10000 + auths + 1));
    BOOST_TEST(st1.token_refusals == st0.token_refusals);
    std::cout << "trust_boundary: 3. the flood took "
              << out.figures["auth-ms"] << " ms; " << auths
              << " honest authentications meanwhile, all accepted"
              << std::endl;
    expect_still_serving();
  }

  // -- 5. reply_to naming a channel of the node ---------------------------------
  BOOST_TEST_CONTEXT("5. reply_to confused deputy") {
    auto st0 = honest.stats();
    auto out = attack("5. reply_to naming the node's channel",
                      {"reply-to", port, channel_actor,
                       "--token=" + token("mallory", sssn::role::write)});
    // By name: the request is stored (mallory may write), and the responder
    // will not write the reply into the node's channel for a peer.
    BOOST_TEST(out.figures["reply-to-name-accepted"] == 1, out.peer.out);
    // With the channel's handle as reply channel: refused at once.
    BOOST_TEST(out.figures["reply-to-handle-refused"] == 1, out.peer.out);
    BOOST_TEST(out.peer.out.find("names a reply channel of this node")
                 != std::string::npos,
               out.peer.out);
    // The responder took the request (the honest calls after it went
    // through the same responder); give a stray reply time to land.
    BOOST_TEST(eventually([&] { return honest.stats().claimed == 0; }));
    std::this_thread::sleep_for(300ms);
    auto st1 = honest.stats();
    BOOST_TEST(st1.writes - st0.writes == uint64_t(out.honest_writes + 1),
               "writes grew by " << st1.writes - st0.writes
                                 << ", honest calls " << out.honest_writes
                                 << " + the forged request");
    BOOST_TEST(st1.unauthorized - st0.unauthorized == 1u);
    BOOST_TEST(st1.token_refusals == st0.token_refusals);
    expect_still_serving();
  }

  // -- 6. a subscriber that never returns credit ----------------------------------
  // Ending it after `subscriber_credit_timeout` (30 s, which `sssn serve`
  // does not shorten) is integration.overload's
  // a_subscriber_that_never_returns_credit_is_ended_in_time; here: the
  // honest client is served while the stalled subscription exists.
  BOOST_TEST_CONTEXT("6. stalled subscriber") {
    auto st0 = honest.stats();
    std::vector<std::string> args{SSSN_FORGING_PEER, "stall", port,
                                  channel_actor,
                                  "--token="
                                    + token("staller", sssn::role::read),
                                  "--hold=60"};
    auto tls = tls_args();
    args.insert(args.end(), tls.begin(), tls.end());
    auto& peer = spawn(std::move(args));
    std::string seen;
    for (auto line = peer.read_line(20s); line; line = peer.read_line(20s)) {
      seen += *line + "\n";
      if (*line == "held")
        break;
    }
    BOOST_REQUIRE_MESSAGE(seen.find("subscribed 1") != std::string::npos,
                          seen << peer.err());
    BOOST_TEST(honest.stats().subscribers == st0.subscribers + 1);
    // More honest calls than the staller's credit window (256): four
    // threads, 80 calls each.
    std::vector<std::future<honest_calls>> threads;
    for (int i = 0; i < 4; ++i)
      threads.push_back(std::async(std::launch::async,
                                   [&] { return honest.call_n(80); }));
    honest_calls during;
    for (auto& t : threads) {
      BOOST_REQUIRE(t.wait_for(60s) == std::future_status::ready);
      during.add(t.get());
    }
    expect_served(during, "while a subscriber holds back its credit");
    auto st1 = honest.stats();
    BOOST_TEST(st1.waiting >= 1u, "waiting " << st1.waiting);
    BOOST_TEST(st1.overloaded == st0.overloaded);
    // The peer goes (SIGTERM: it closes its connection properly; see
    // an_abrupt_tls_close_drops_no_other_connection for why a kill would
    // not do): its subscription ends with the connection.
    peer.kill(SIGTERM);
    auto rest = peer.read_all(15s);
    auto peer_code = peer.wait_exit(5s);
    BOOST_TEST((peer_code && *peer_code == 0), rest);
    BOOST_TEST(rest.find("\ndone") != std::string::npos, rest);
    BOOST_TEST(eventually(
      [&] { return honest.stats().subscribers == st0.subscribers; }));
    BOOST_TEST(honest.stats().waiting == 0u);
    expect_served(honest.call_n(3), "after");
    std::cout << "trust_boundary: 6. a subscriber kept its credit through "
              << during.made << " honest calls, all served; waiting "
              << st1.waiting << ", in flight " << st1.in_flight << std::endl;
    expect_still_serving();
  }

  // -- 4. a forged down naming the honest client's subscriber -------------------
  BOOST_TEST_CONTEXT("4. forged down") {
    auto st0 = honest.stats();
    auto r0 = honest.refusals();
    auto out = attack("4. forged down message",
                      {"forged-down", port, honest_node,
                       "--victim-actor=" + std::to_string(watcher.id()),
                       "--count=3", "--hold=1"});
    BOOST_TEST(out.figures["sent forged-down"] == 3);
    auto st1 = honest.stats();
    auto r1 = honest.refusals();
    auto seen = pushes->load();
    if (hardened) {
      // Refused: the watcher's node, not the peer, speaks for it.
      BOOST_TEST(r1.caf_forged_downs - r0.caf_forged_downs == 3u);
      BOOST_TEST(st1.subscribers == st0.subscribers);
      BOOST_TEST(st1.remote_downs == st0.remote_downs);
      expect_served(honest.call_n(3), "watcher still subscribed");
      BOOST_TEST(eventually([&] { return *pushes >= seen + 3; }));
    } else {
      // Debian's CAF kills its proxy of the watcher: the subscription
      // ends, counted; the watcher must subscribe again.
      BOOST_TEST(eventually(
        [&] { return honest.stats().subscribers == st0.subscribers - 1; }));
      BOOST_TEST(honest.stats().remote_downs - st0.remote_downs == 1u);
      BOOST_TEST(r1.caf_forged_downs == 0u);
      BOOST_REQUIRE(honest.req_ch->subscribe("watcher", watcher));
      seen = pushes->load();
      expect_served(honest.call_n(3), "after subscribing again");
      BOOST_TEST(eventually([&] { return *pushes >= seen + 3; }));
    }
    std::cout << "trust_boundary: 4. forged down on "
              << (hardened ? "the hardened CAF: refused" : "Debian's CAF: counted")
              << " (caf_forged_downs +" << r1.caf_forged_downs - r0.caf_forged_downs
              << ", remote_downs +" << honest.stats().remote_downs - st0.remote_downs
              << ")" << std::endl;
    expect_still_serving();
  }

  // -- the same counters through `sssn stats` -------------------------------------
  auto final_st = honest.stats();
  auto final_r = honest.refusals();
  auto args = std::vector<std::string>{"stats", port};
  auto tls = tls_args();
  args.insert(args.end(), tls.begin(), tls.end());
  auto cli = sssn(args);
  BOOST_TEST(cli.code == 0, cli.err);
  auto lines = stats_lines(cli.out);
  auto num = [&](const char* key) {
    auto i = lines.find(key);
    BOOST_REQUIRE_MESSAGE(i != lines.end(), "no '" << key << "' in "
                                                   << cli.out);
    return std::stoull(i->second);
  };
  BOOST_TEST(num("token_refusals") == final_st.token_refusals);
  BOOST_TEST(num("unauthorized") == final_st.unauthorized);
  BOOST_TEST(num("remote_downs") == final_st.remote_downs);
  BOOST_TEST(num("node.ignored_exits") == final_r.ignored_exits);
  BOOST_TEST(num("node.caf_forged_senders") == final_r.caf_forged_senders);
  BOOST_TEST(num("node.caf_forged_downs") == final_r.caf_forged_downs);
  BOOST_TEST(lines["accepting"] == "true");
  // And the node stops cleanly on SIGTERM.
  server.proc->kill(SIGTERM);
  auto code = server.proc->wait_exit(15s);
  BOOST_REQUIRE_MESSAGE(code, "sssn serve did not stop within 15 s of SIGTERM");
  BOOST_TEST(*code == 0);
  std::cout << "trust_boundary: on "
            << (hardened ? "the hardened CAF" : "Debian's CAF")
            << ": token_refusals " << final_st.token_refusals
            << ", unauthorized " << final_st.unauthorized
            << ", authentications " << final_st.authentications
            << ", remote_downs " << final_st.remote_downs
            << ", node.ignored_exits " << final_r.ignored_exits
            << ", node.unexpected " << final_r.unexpected
            << ", node.caf_forged_senders " << final_r.caf_forged_senders
            << ", node.caf_forged_downs " << final_r.caf_forged_downs
            << "; took " << ms_since(t0) << " ms" << std::endl;
}


// -- 7. and 8., in short ------------------------------------------------------------
// The long tests: unit.log a_full_stderr_pipe_never_blocks_a_logging_thread
// (7) and integration.distributed
// a_listener_that_never_greets_fails_within_the_timeout and sssn_usage_errors
// (8). Here: the node of `sssn serve` itself, and the TLS options.

BOOST_AUTO_TEST_CASE(a_node_whose_stderr_nobody_reads_keeps_serving) {
  // stderr: a FIFO whose read end we hold open and never read.
  auto fifo = path("stderr.fifo");
  BOOST_REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  int rfd = open(fifo.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  BOOST_REQUIRE(rfd >= 0);
  struct fd_guard {
    int fd;
    ~fd_guard() {
      close(fd);
    }
  } guard{rfd};
  child_process::options opts;
  opts.args = {SSSN_CLI, "serve", "--auth-secret-file=" + path("secret")};
  opts.stderr_path = fifo;
  children.push_back(std::make_unique<child_process>(std::move(opts)));
  auto& node = *children.back();
  auto line = node.read_line(15s);
  BOOST_REQUIRE_MESSAGE(line, "no 'listening on' line within 15 s");
  static const std::regex re{R"(^listening on \S+:(\d+)$)"};
  std::smatch m;
  BOOST_REQUIRE_MESSAGE(std::regex_match(*line, m, re), *line);
  auto port = "--port=" + m[1].str();
  // 1,500 messages the directory does not understand: a warning each,
  // about 300 bytes: far more than the pipe holds (64 KiB).
  auto t0 = steady::now();
  auto r = forge({"noise", port, "--count=1500"}, 60s, false);
  BOOST_TEST(figures_of(r.out)["sent noise"] == 1500, r.out);
  int unread = 0;
  BOOST_REQUIRE(ioctl(rfd, FIONREAD, &unread) == 0);
  BOOST_TEST(unread >= 32 * 1024, unread << " bytes in the pipe");
  // It still answers (with a token: the node has a secret) ...
  auto req = sssn({"request", port, "--sender=honest",
                   "--token=" + token("honest", sssn::role::write),
                   "--timeout=5"});
  BOOST_TEST(req.code == 0, req.err);
  BOOST_TEST(req.out.find("42") != std::string::npos, req.out);
  // ... and stops on SIGTERM.
  node.kill(SIGTERM);
  auto code = node.wait_exit(15s);
  BOOST_REQUIRE_MESSAGE(code, "sssn serve with a full stderr pipe did not "
                              "stop within 15 s of SIGTERM");
  BOOST_TEST(*code == 0);
  std::cout << "trust_boundary: 7. a node with " << unread
            << " bytes unread in its stderr pipe answered and stopped on "
               "SIGTERM; "
            << ms_since(t0) << " ms" << std::endl;
}

BOOST_AUTO_TEST_CASE(connecting_to_a_listener_that_never_greets_is_bounded) {
  expect_bounded_connect(*this, {}, "without TLS");
  // Over TLS too. On Debian's CAF the connect keeps the multiplexer busy
  // (the client side of row 5 of docs/caf-patches.md) and the actor
  // system's shutdown waits for it: `sssn` ends anyway, by its shutdown
  // deadline (5 s after the command's end, within the 12 s checked).
  make_certificates();
  expect_bounded_connect(*this, tls_args(), "over TLS");
  auto nan = sssn({"stats", "--port=1", "--timeout=nan"});
  BOOST_TEST(nan.code == 2, nan.err);
  BOOST_TEST(nan.err.find("--timeout") != std::string::npos, nan.err);
}

// Found by this test (not one of issue 12's eight): CAF 0.17.6's OpenSSL
// module leaves OpenSSL's per-thread error queue dirty when a TLS
// connection fails. `session::handle_ssl_result` drains the queue only
// inside CAF_LOG_INFO, which Debian's build (log level QUIET) compiles out,
// and nothing calls ERR_clear_error before the next SSL call. A connection
// that ends without a close_notify (a killed client, a reset: OpenSSL 3
// queues "unexpected eof while reading") leaves an error that the next TLS
// read of the multiplexer thread that returns nothing takes for its own:
// the node drops another, honest, connection (its proxies go down, its
// calls fail). Any holder of a certificate can do it at will; an honest
// client that crashes does it by accident. The hardened CAF's patch 0010
// clears the queue around every SSL call: this case checks the fix there
// (`.ci/hardened-caf test` runs this test on the hardened CAF), and on
// Debian's CAF checks the graceful close only and says so.
BOOST_AUTO_TEST_CASE(an_abrupt_tls_close_drops_no_other_connection) {
  make_certificates();
  auto server = serve({"--tls-cert=" + path("server.pem"),
                       "--tls-key=" + path("server.key"),
                       "--tls-ca=" + path("ca.pem")});
  auto port = "--port=" + std::to_string(server.port);
  honest_client honest{*this, server.port};
  expect_served(honest.call_n(3), "before");
  // A peer that closes properly: nothing happens to the honest client.
  auto r = forge({"hello", port});
  BOOST_TEST(r.out.find("closing gracefully") != std::string::npos, r.out);
  std::this_thread::sleep_for(300ms);
  expect_served(honest.call_n(3), "after a graceful close");
  auto patches = sssn::caf_build().patches;
  if (patches.find("tls-error-queue") == std::string::npos) {
    std::cout << "trust_boundary: an abrupt TLS close is not tried on this "
                 "CAF (" << sssn::caf_build_description()
              << "): it drops another connection there (docs/caf-patches.md, "
                 "row 9); `.ci/hardened-caf test` checks the fix"
              << std::endl;
    return;
  }
  // A peer that goes without a close_notify, as a killed process does.
  r = forge({"hello", port, "--abrupt=1"});
  BOOST_TEST(r.out.find("closing abruptly") != std::string::npos, r.out);
  std::this_thread::sleep_for(300ms);
  expect_served(honest.call_n(3), "after an abrupt close of another peer");
  BOOST_TEST(!server.proc->wait_exit(0s).has_value());
  std::cout << "trust_boundary: an abrupt TLS close of one peer left the "
               "honest TLS client served" << std::endl;
}

BOOST_AUTO_TEST_SUITE_END()
