// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Integration tests across processes: real `sssn serve` processes on
// loopback (ephemeral ports), with this process as the client through its
// own actor system. Every wait is bounded; every child process is killed and
// reaped by the fixture, also when a check fails.

#include "compute_types.hpp"
#include "fixture.hpp"
#include "process_fixture.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using sssn::test::child_process;
using sssn::test::compute_request;
using sssn::test::compute_response;
using sssn::test::process_fixture;
using sssn::test::run_result;
using sssn::test::server_handle;
using sssn::test::why;

namespace {

double ms_since(steady::time_point t0, steady::time_point t1 = steady::now()) {
  return std::chrono::duration<double, std::milli>(t1 - t0).count();
}


// -- calls from an event-based actor ------------------------------------------

struct call_outcome {
  std::optional<double> result; // set on a valid reply
  caf::error error;             // set otherwise
  steady::time_point at;
};

/// Makes `reqs.size()` concurrent calls from one event-based actor (all sent
/// before any reply can be handled), with sender id `sender`; the future
/// yields every outcome, in the order of `reqs`.
std::future<std::vector<call_outcome>>
call_many(caf::actor_system& sys, sssn::channel req_ch, sssn::channel resp_ch,
          std::string sender, std::vector<compute_request> reqs,
          caf::timespan timeout) {
  struct state {
    std::vector<call_outcome> outcomes;
    size_t done = 0;
    std::promise<std::vector<call_outcome>> promise;
  };
  auto st = std::make_shared<state>();
  st->outcomes.resize(reqs.size());
  auto result = st->promise.get_future();
  if (reqs.empty()) {
    st->promise.set_value({});
    return result;
  }
  sys.spawn([st, req_ch, resp_ch, sender, reqs,
             timeout](caf::event_based_actor* self) {
    auto finish_one = [st] {
      if (++st->done == st->outcomes.size())
        st->promise.set_value(std::move(st->outcomes));
    };
    for (size_t i = 0; i < reqs.size(); ++i) {
      sssn::request_via_channel(self, req_ch, resp_ch, sender,
                                sssn::content{reqs[i]}, timeout)
        .then(
          [st, i, finish_one](const sssn::channel_message& reply) {
            auto& out = st->outcomes[i];
            out.at = steady::now();
            if (auto r = reply.content().as<compute_response>())
              out.result = r->result;
            else
              out.error = r.error();
            finish_one();
          },
          [st, i, finish_one](const caf::error& err) {
            auto& out = st->outcomes[i];
            out.at = steady::now();
            out.error = err;
            finish_one();
          });
    }
  });
  return result;
}

// -- the fixture ----------------------------------------------------------------

struct fixture : process_fixture {
  fixture() : process_fixture("distributed") {
  }

  /// The certificates of process_fixture, the client's key encrypted with
  /// the passphrase "secret".
  void make_certificates() {
    process_fixture::make_certificates("secret");
  }
};

/// Waits (bounded) for a future and returns its value.
template <class T>
T get_within(std::future<T>& fut, steady::duration timeout,
             const char* what) {
  BOOST_REQUIRE_MESSAGE(fut.wait_for(timeout) == std::future_status::ready,
                        what << ": no result in time");
  return fut.get();
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(distributed, fixture)

// -- 1. many concurrent calls with one sender id -------------------------------

BOOST_AUTO_TEST_CASE(thousand_concurrent_calls_with_one_sender_id) {
  auto server = serve();
  sssn::config cfg;
  caf::actor_system sys{cfg};
  auto remote = connect(sys, server.port);
  BOOST_REQUIRE_MESSAGE(remote, why(remote));
  auto req_ch = remote->channel("compute-request");
  BOOST_REQUIRE_MESSAGE(req_ch, why(req_ch));
  auto resp_ch = sssn::spawn_channel(sys, "compute-response");
  BOOST_REQUIRE(resp_ch.start());
  std::vector<compute_request> reqs;
  for (int i = 0; i < 1000; ++i)
    reqs.push_back(compute_request{static_cast<double>(i), 3.0,
                                   i % 2 == 0 ? "add" : "mul"});
  auto t0 = steady::now();
  auto fut = call_many(sys, *req_ch, resp_ch, "shared-sender", reqs, 30s);
  auto outcomes = get_within(fut, 60s, "1000 concurrent calls");
  BOOST_TEST_MESSAGE("1000 concurrent calls across processes: "
                     << ms_since(t0) << " ms");
  size_t correct = 0;
  for (size_t i = 0; i < reqs.size(); ++i) {
    auto expected = reqs[i].operation == "add" ? reqs[i].a + reqs[i].b
                                               : reqs[i].a * reqs[i].b;
    auto& out = outcomes[i];
    if (out.result && *out.result == expected) {
      ++correct;
    } else if (correct + 10 > i) { // report the first few only
      BOOST_ERROR("call " << i << ": "
                          << (out.result ? std::to_string(*out.result)
                                         : sssn::error_message(out.error))
                          << ", expected " << expected);
    }
  }
  BOOST_TEST(correct == reqs.size());
}

// -- 2. a killed server fails pending calls fast; a restarted one serves ------

BOOST_AUTO_TEST_CASE(killed_server_fails_pending_calls_then_restart_works) {
  auto server = serve({"--responder=hold"});
  auto port = server.port;
  sssn::config cfg;
  caf::actor_system sys{cfg};
  auto remote = connect(sys, port);
  BOOST_REQUIRE_MESSAGE(remote, why(remote));
  auto req_ch = remote->channel("compute-request");
  BOOST_REQUIRE_MESSAGE(req_ch, why(req_ch));
  auto resp_ch = sssn::spawn_channel(sys, "compute-response");
  BOOST_REQUIRE(resp_ch.start());
  std::vector<compute_request> reqs(100, compute_request{1, 2, "add"});
  auto fut = call_many(sys, *req_ch, resp_ch, "shared-sender", reqs, 30s);
  // Wait until the server's channel holds all 100 requests.
  {
    auto probe = *req_ch;
    probe.timeout(2s);
    auto deadline = steady::now() + 10s;
    uint64_t writes = 0;
    while (steady::now() < deadline) {
      if (auto st = probe.stats(); st && (writes = st->writes) >= 100)
        break;
      std::this_thread::sleep_for(10ms);
    }
    BOOST_REQUIRE_MESSAGE(writes >= 100, "only " << writes
                                                 << " requests reached the "
                                                    "server");
  }
  BOOST_REQUIRE(fut.wait_for(0s) == std::future_status::timeout);
  auto t_kill = steady::now();
  server.proc->kill(SIGKILL);
  auto outcomes = get_within(fut, 10s, "pending calls after SIGKILL");
  double worst_ms = 0;
  size_t down = 0;
  for (auto& out : outcomes) {
    worst_ms = std::max(worst_ms, ms_since(t_kill, out.at));
    if (!out.result && sssn::is(out.error, sssn::ec::channel_down))
      ++down;
  }
  BOOST_TEST_MESSAGE("SIGKILL -> all 100 pending calls failed within "
                     << worst_ms << " ms");
  BOOST_TEST(down == outcomes.size());
  if (down != outcomes.size()) {
    for (auto& out : outcomes)
      if (out.result || !sssn::is(out.error, sssn::ec::channel_down)) {
        BOOST_TEST_MESSAGE("first odd outcome: "
                           << (out.result ? std::to_string(*out.result)
                                          : sssn::error_message(out.error)));
        break;
      }
  }
  BOOST_TEST(worst_ms < 2000.0);
  BOOST_REQUIRE(server.proc->wait_exit(5s).has_value());

  // A new call on the old handle fails fast, too.
  {
    auto t0 = steady::now();
    auto r = sssn::request_via_channel(*req_ch, resp_ch, "shared-sender",
                                       sssn::content{compute_request{1, 2}},
                                       30s);
    auto took = ms_since(t0);
    BOOST_TEST_MESSAGE("new call on the dead handle failed after " << took
                                                                   << " ms");
    BOOST_REQUIRE(!r);
    BOOST_TEST(sssn::is(r.error(), sssn::ec::channel_down),
               why(r));
    BOOST_TEST(took < 2000.0);
  }

  // Restart on the same port; connect again; a call succeeds, with the
  // same client actor system and response channel.
  auto restarted = serve({"--port=" + std::to_string(port)});
  BOOST_REQUIRE_EQUAL(restarted.port, port);
  auto remote2 = connect(sys, port);
  BOOST_REQUIRE_MESSAGE(remote2, why(remote2));
  auto req_ch2 = remote2->channel("compute-request");
  BOOST_REQUIRE_MESSAGE(req_ch2, why(req_ch2));
  BOOST_TEST((req_ch2->actor() != req_ch->actor()));
  auto r = sssn::call<compute_response>(*req_ch2, resp_ch, "shared-sender",
                                        compute_request{7, 35, "add"}, 10s);
  BOOST_REQUIRE_MESSAGE(r, why(r));
  BOOST_TEST(r->result == 42.0);
}

// -- 3. TLS ------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(tls_authenticates_both_sides) {
  auto t0 = steady::now();
  make_certificates();
  BOOST_TEST_MESSAGE("certificates made in " << ms_since(t0) << " ms");
  auto server = serve({"--tls-cert=" + path("server.pem"),
                       "--tls-key=" + path("server.key"),
                       "--tls-ca=" + path("ca.pem")});
  auto call_42 = [](const sssn::remote_node& remote,
                    const sssn::channel& resp_ch) {
    auto req_ch = remote.channel("compute-request");
    BOOST_REQUIRE_MESSAGE(req_ch, why(req_ch));
    auto r = sssn::call<compute_response>(*req_ch, resp_ch, "tls-client",
                                          compute_request{6, 7, "mul"}, 10s);
    BOOST_REQUIRE_MESSAGE(r, why(r));
    BOOST_TEST(r->result == 42.0);
  };
  // A client that holds a certificate of the same CA (its key needs a
  // passphrase): its own actor system, configured for TLS before it starts.
  {
    sssn::config cfg;
    cfg.openssl_certificate = path("client.pem");
    cfg.openssl_key = path("client.key");
    cfg.openssl_passphrase = "secret";
    cfg.openssl_cafile = path("ca.pem");
    caf::actor_system sys{cfg};
    auto remote = connect(sys, server.port);
    BOOST_REQUIRE_MESSAGE(remote, why(remote));
    auto resp_ch = sssn::spawn_channel(sys, "compute-response");
    BOOST_REQUIRE(resp_ch.start());
    call_42(*remote, resp_ch);
  }
  // A client whose certificate comes from another CA is refused.
  {
    sssn::config cfg;
    cfg.openssl_certificate = path("rogue.pem");
    cfg.openssl_key = path("rogue.key");
    cfg.openssl_cafile = path("ca2.pem");
    caf::actor_system sys{cfg};
    auto t1 = steady::now();
    auto remote = connect(sys, server.port);
    BOOST_TEST_MESSAGE("client with a foreign certificate refused after "
                       << ms_since(t1) << " ms: "
                       << (remote ? std::string{"(connected!)"}
                                  : why(remote)));
    BOOST_TEST(!remote);
  }
  // So is one that trusts our CA but holds a foreign certificate.
  {
    sssn::config cfg;
    cfg.openssl_certificate = path("rogue.pem");
    cfg.openssl_key = path("rogue.key");
    cfg.openssl_cafile = path("ca.pem");
    caf::actor_system sys{cfg};
    BOOST_TEST(!connect(sys, server.port));
  }
  // And a client without TLS.
  {
    sssn::config cfg;
    caf::actor_system sys{cfg};
    BOOST_TEST(!connect(sys, server.port));
  }
  // The server still serves honest clients, also from a process.
  auto r = sssn({"request", "--port=" + std::to_string(server.port),
            "--tls-cert=" + path("client.pem"),
            "--tls-key=" + path("client.key"), "--tls-ca=" + path("ca.pem"),
            "--data={\"a\":20,\"b\":22}"},
           20s, {}, {"SSSN_TLS_PASSPHRASE=secret"});
  BOOST_TEST(r.code == 0, r.err);
  auto reply = sssn::json::parse(r.out, nullptr, false);
  BOOST_REQUIRE(!reply.is_discarded());
  BOOST_TEST(reply.at("result").get<double>() == 42.0);
}

BOOST_AUTO_TEST_CASE(tls_settings_from_caf_config_file) {
  make_certificates();
  // openssl.* from an ini file: --caf-config for the server, and
  // caf-application.ini in the working directory for the client.
  auto ini = [&](const std::string& file, const std::string& cert,
                 const std::string& key, const std::string& pass) {
    std::ofstream out{path(file)};
    out << "[openssl]\n"
        << "certificate=\"" << path(cert) << "\"\n"
        << "key=\"" << path(key) << "\"\n"
        << "cafile=\"" << path("ca.pem") << "\"\n";
    if (!pass.empty())
      out << "passphrase=\"" << pass << "\"\n";
  };
  ini("server.ini", "server.pem", "server.key", "");
  auto server = serve({"--caf-config=" + path("server.ini")});
  std::filesystem::create_directory(path("client-cwd"));
  ini("client-cwd/caf-application.ini", "client.pem", "client.key",
      "secret");
  auto port = "--port=" + std::to_string(server.port);
  auto r = sssn({"request", port}, 20s, path("client-cwd"));
  BOOST_TEST(r.code == 0, r.err);
  auto reply = sssn::json::parse(r.out, nullptr, false);
  BOOST_REQUIRE(!reply.is_discarded());
  BOOST_TEST(reply.at("result").get<double>() == 42.0);
  // Without the ini, the same client speaks plain TCP and is refused.
  r = sssn({"request", port}, 20s);
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("cannot connect") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(bad_tls_key_or_passphrase_exits_at_once) {
  make_certificates();
  struct bad_case {
    const char* what;
    std::vector<std::string> args;
    const char* expected; // in stderr
  };
  std::vector<bad_case> cases{
    {"wrong passphrase",
     {"--tls-cert=" + path("client.pem"), "--tls-key=" + path("client.key"),
      "--tls-ca=" + path("ca.pem"), "--tls-passphrase=wrong"},
     "private key"},
    {"no passphrase for an encrypted key",
     {"--tls-cert=" + path("client.pem"), "--tls-key=" + path("client.key"),
      "--tls-ca=" + path("ca.pem")},
     "private key"},
    {"key of another certificate",
     {"--tls-cert=" + path("server.pem"), "--tls-key=" + path("rogue.key"),
      "--tls-ca=" + path("ca.pem")},
     "does not match certificate"},
    {"missing key file",
     {"--tls-cert=" + path("server.pem"), "--tls-key=" + path("nokey.pem"),
      "--tls-ca=" + path("ca.pem")},
     "nokey.pem"},
    {"certificate without key",
     {"--tls-cert=" + path("server.pem"), "--tls-ca=" + path("ca.pem")},
     "private key"},
  };
  for (auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      auto args = c.args;
      args.insert(args.begin(), "serve");
      auto t0 = steady::now();
      auto r = sssn(args, 5s);
      auto took = ms_since(t0);
      BOOST_TEST_MESSAGE(c.what << ": exit " << r.code << " after " << took
                                << " ms: " << r.err);
      BOOST_TEST(r.code == 1);
      BOOST_TEST(took < 5000.0);
      BOOST_TEST(r.out.find("listening") == std::string::npos);
      BOOST_TEST(r.err.rfind("error: ", 0) == 0, r.err);
      BOOST_TEST(r.err.find(c.expected) != std::string::npos, r.err);
    }
  }
}

// -- 4. publishing beyond loopback ------------------------------------------------

BOOST_AUTO_TEST_CASE(a_listener_that_never_greets_fails_within_the_timeout) {
  // A TCP listener that accepts (the kernel completes the connection) and
  // never says a word: CAF's remote_actor waits for its handshake forever.
  // The connect now has its own deadline: --timeout.
  int fd = socket(AF_INET, SOCK_STREAM, 0);
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
  auto port = "--port=" + std::to_string(ntohs(addr.sin_port));
  for (auto cmd : {"request", "stats"}) {
    auto t0 = steady::now();
    auto r = sssn({cmd, port, "--timeout=1"}, 30s);
    auto took = ms_since(t0);
    BOOST_TEST(r.code == 1, cmd << ": exit " << r.code << ": " << r.err);
    BOOST_TEST(r.err.find("no handshake within 1 s") != std::string::npos,
               r.err);
    BOOST_TEST(took < 10000.0, cmd << " took " << took << " ms");
  }
  // The library call, too.
  sssn::test::threaded_fixture client;
  auto t0 = steady::now();
  auto remote = sssn::connect(client.sys, "127.0.0.1", ntohs(addr.sin_port), 1s);
  BOOST_REQUIRE(!remote);
  BOOST_TEST(sssn::is(remote.error(), sssn::ec::channel_down));
  BOOST_TEST(ms_since(t0) < 10000.0);
  close(fd);
}

BOOST_AUTO_TEST_CASE(non_loopback_needs_tls_or_insecure) {
  auto r = sssn({"serve", "--host=0.0.0.0"}, 5s);
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("refusing to publish") != std::string::npos, r.err);
  BOOST_TEST(r.out.empty());
  auto server = serve({"--host=0.0.0.0", "--insecure"});
  BOOST_TEST(server.proc->err().find("INSECURE") != std::string::npos,
             server.proc->err());
  // Reachable through loopback; then SIGTERM stops it cleanly.
  auto req = sssn({"request", "--port=" + std::to_string(server.port)});
  BOOST_TEST(req.code == 0, req.err);
  server.proc->kill(SIGTERM);
  auto code = server.proc->wait_exit(10s);
  BOOST_REQUIRE_MESSAGE(code, "sssn serve did not stop within 10 s of "
                              "SIGTERM");
  BOOST_TEST(*code == 0);
}

BOOST_AUTO_TEST_CASE(port_in_use_exits_at_once) {
  auto server = serve();
  auto r = sssn({"serve", "--port=" + std::to_string(server.port)}, 5s);
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("cannot listen") != std::string::npos, r.err);
  server.proc->kill(SIGINT);
  auto code = server.proc->wait_exit(10s);
  BOOST_REQUIRE(code);
  BOOST_TEST(*code == 0);
}

// -- 5. the sssn command as a process ----------------------------------------------

BOOST_AUTO_TEST_CASE(sssn_request_and_stats_end_to_end) {
  auto server = serve();
  auto port = "--port=" + std::to_string(server.port);
  // Defaults: {"a":7,"b":35}, add.
  auto r = sssn({"request", port});
  BOOST_TEST(r.code == 0, r.err);
  auto reply = sssn::json::parse(r.out, nullptr, false);
  BOOST_REQUIRE_MESSAGE(!reply.is_discarded(), "not JSON: " << r.out);
  BOOST_TEST(reply.at("result").get<double>() == 42.0);
  BOOST_TEST(reply.at("error").is_null());
  // Space-separated values, another operation.
  r = sssn({"request", "--port", std::to_string(server.port), "--data",
            R"({"a":6,"b":7,"operation":"mul"})", "--sender", "me"});
  BOOST_TEST(r.code == 0, r.err);
  reply = sssn::json::parse(r.out, nullptr, false);
  BOOST_REQUIRE(!reply.is_discarded());
  BOOST_TEST(reply.at("result").get<double>() == 42.0);
  // An error reply: exit 1 and the responder's message.
  r = sssn({"request", port, R"(--data={"a":1,"b":2,"operation":"pow"})"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("error: Unknown operation: pow") != std::string::npos,
             r.err);
  // A request that does not validate: the error names the field.
  r = sssn({"request", port, R"(--data={"a":"x","b":2})"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("'a'") != std::string::npos, r.err);
  // A channel that is not published.
  r = sssn({"request", port, "--channel=nope"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("nope") != std::string::npos, r.err);
  // Stats: one "name: value" per line.
  r = sssn({"stats", port});
  BOOST_TEST(r.code == 0, r.err);
  std::map<std::string, std::string> fields;
  std::istringstream lines{r.out};
  for (std::string line; std::getline(lines, line);) {
    auto pos = line.find(": ");
    BOOST_REQUIRE_MESSAGE(pos != std::string::npos, "bad line: " << line);
    fields[line.substr(0, pos)] = line.substr(pos + 2);
  }
  BOOST_TEST(fields["id"] == "compute-request");
  BOOST_TEST(fields["accepting"] == "true");
  BOOST_TEST(fields["group_members"] == "1");
  BOOST_TEST(std::stoul(fields.at("writes")) >= 4u);
  BOOST_TEST(fields.count("readers") == 1u);
  // Nothing listens on a port of a stopped server.
  server.proc->kill(SIGTERM);
  BOOST_REQUIRE(server.proc->wait_exit(10s));
  r = sssn({"request", port, "--timeout=2"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("cannot connect") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(sssn_tokens_end_to_end) {
  {
    std::ofstream out{path("secret")};
    out << "an-end-to-end-test-secret-of-more-than-32-bytes\n";
  }
  std::ofstream{path("short")} << "too short\n";
  // A secret that is too short: the node does not start.
  auto r = sssn({"serve", "--auth-secret-file=" + path("short")});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("at least 32") != std::string::npos, r.err);
  auto server = serve({"--auth-secret-file=" + path("secret")});
  auto port = "--port=" + std::to_string(server.port);
  auto token = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"token", "--secret-file=" + path("secret")});
    auto t = sssn(args);
    BOOST_REQUIRE_MESSAGE(t.code == 0, t.err);
    auto text = t.out.substr(0, t.out.find('\n'));
    std::ofstream{path("token")} << text << '\n';
    return text;
  };
  // No token: refused, saying who lacks one.
  r = sssn({"request", port, "--sender=cli"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("'cli' presented no token") != std::string::npos,
             r.err);
  // The subject's token, from the command line and from a file: served.
  auto good = token({"--subject=cli", "--channel=compute-request"});
  r = sssn({"request", port, "--sender=cli", "--token=" + good});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("42") != std::string::npos, r.out);
  r = sssn({"request", port, "--sender=cli", "--token-file=" + path("token")});
  BOOST_TEST(r.code == 0, r.err);
  // Another subject's token does not let the peer claim to be "cli".
  auto other = token({"--subject=mallory", "--channel=compute-request"});
  r = sssn({"request", port, "--sender=cli", "--token=" + other});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("not authorized") != std::string::npos, r.err);
  // A token for another channel, a read-only token, a forged token.
  auto elsewhere = token({"--subject=cli", "--channel=other"});
  r = sssn({"request", port, "--sender=cli", "--token=" + elsewhere});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("does not name channel") != std::string::npos, r.err);
  auto reader = token({"--subject=cli", "--channel=*", "--role=read"});
  r = sssn({"request", port, "--sender=cli", "--token=" + reader});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("may not write") != std::string::npos, r.err);
  auto forged = good;
  forged[forged.size() - 2] = forged[forged.size() - 2] == 'A' ? 'B' : 'A';
  r = sssn({"request", port, "--sender=cli", "--token=" + forged});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("signature") != std::string::npos, r.err);
  // Every refusal is counted in the channel's stats: four for tokens (none,
  // another subject's, another channel's, forged), one for the role.
  r = sssn({"stats", port});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("token_refusals: 4") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("unauthorized: 5") != std::string::npos, r.out);
  BOOST_TEST(r.out.find("authentications: 4") != std::string::npos, r.out);
  // Usage errors of `sssn token`.
  r = sssn({"token", "--secret-file=" + path("secret"), "--subject=x"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("--channel") != std::string::npos, r.err);
  r = sssn({"token", "--secret-file=" + path("short"), "--subject=x",
            "--channel=c"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("at least 32") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(sssn_usage_errors) {
  // Bad --data: exit 2, naming the position.
  auto r = sssn({"request", "--port=1", R"(--data={"a":7,)"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("line 1, column") != std::string::npos, r.err);
  // Unknown options and subcommands: exit 2, naming them.
  r = sssn({"request", "--port=1", "--bogus=3"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("--bogus") != std::string::npos, r.err);
  r = sssn({"serve", "--bogus"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("--bogus") != std::string::npos, r.err);
  r = sssn({"frobnicate"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("frobnicate") != std::string::npos, r.err);
  r = sssn({});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("subcommand") != std::string::npos, r.err);
  r = sssn({"request"}); // --port is required
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("--port") != std::string::npos, r.err);
  r = sssn({"serve", "--port=70000"});
  BOOST_TEST(r.code == 2);
  r = sssn({"serve", "--responder=other"});
  BOOST_TEST(r.code == 2);
  // A timeout that is not a finite number: NaN passed the range check and
  // then waited forever.
  for (auto bad : {"nan", "inf", "-nan", "0"}) {
    for (auto cmd : {"request", "stats"}) {
      r = sssn({cmd, "--port=1", std::string{"--timeout="} + bad});
      BOOST_TEST(r.code == 2, cmd << " --timeout=" << bad);
      BOOST_TEST(r.err.find("--timeout") != std::string::npos, r.err);
    }
  }
  r = sssn({"--caf-config=" + path("missing.ini"), "serve"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("missing.ini") != std::string::npos, r.err);
  // Help: exit 0, on the program and on each subcommand.
  for (auto args : std::vector<std::vector<std::string>>{
         {"--help"}, {"serve", "--help"}, {"request", "--help"},
         {"stats", "--help"}, {"token", "--help"}}) {
    r = sssn(args);
    BOOST_TEST(r.code == 0);
    BOOST_TEST(r.out.find("Usage:") != std::string::npos, r.out);
  }
}

BOOST_AUTO_TEST_SUITE_END()
