// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The hardened CAF (.ci/hardened-caf, patches in .ci/caf-patches) against
// the inputs that take a node on Debian's CAF 0.17.6 down before any sssn
// code runs (issue 13, docs/caf-patches.md). Registered only when the build
// uses the hardened CAF (FindCAF's CAF_HARDENED): on Debian's CAF the first
// row aborts the node.
//
// Each row sends one input to a real node (`sssn serve`), with the crafted
// peer of helpers/crafted_peer.cpp, and then shows that:
//   - the node process is alive and an honest client is served (`sssn
//     request` on a new connection: 7 + 35 = 42);
//   - its memory stays bounded: peak resident memory (VmHWM of
//     /proc/<pid>/status) under `rss_bound`;
//   - where the defect was a busy loop, its CPU time (utime + stime of
//     /proc/<pid>/stat) grows by less than `cpu_bound` over `cpu_window`
//     while the connection is held open: a spinning thread takes most of a
//     core, an idle node almost nothing, so the bound tells the two apart
//     without measuring speed.
// Every wait is bounded; every child process is killed and reaped.
//
// The rows labelled `basp_sources` (patch 0009: BASP messages whose source
// a peer forged) run on both CAFs: CTest runs them a second time as
// integration.hardened_caf.on_debian_caf, the same binaries on Debian's
// libraries (LD_LIBRARY_PATH, SSSN_EXPECT_CAF=debian), where they check the
// old behaviour instead (the forged down ends the subscription; the forged
// local kill reaches our actors, which ignore it).
//
// Figures go to stdout, prefixed "hardened_caf:".

#include "compute_types.hpp"
#include "fixture.hpp"
#include "process_fixture.hpp"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "sssn/caf_build.hpp"

#ifndef SSSN_CRAFTED_PEER
#  error "SSSN_CRAFTED_PEER must name the crafted peer program"
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

/// Peak resident memory a node may reach: sssn serve idles at about 15 MB;
/// the unbounded allocations of Debian's CAF reach 1-4 GB.
constexpr long rss_bound_kb = 200 * 1024;

/// CPU time a node may use in `cpu_window` while a connection that made
/// Debian's CAF spin is held open (a spinning thread: about the whole
/// window).
constexpr auto cpu_window = 3s;
constexpr double cpu_bound_s = 0.6;

/// Reads a "Name:   123 kB" field of /proc/<pid>/status, in kB.
std::optional<long> status_kb(pid_t pid, const std::string& field) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/status"};
  for (std::string line; std::getline(in, line);)
    if (line.rfind(field + ":", 0) == 0) {
      std::istringstream fields{line.substr(field.size() + 1)};
      long kb = 0;
      if (fields >> kb)
        return kb;
    }
  return std::nullopt;
}

/// utime + stime of /proc/<pid>/stat, in seconds.
std::optional<double> cpu_seconds(pid_t pid) {
  std::ifstream in{"/proc/" + std::to_string(pid) + "/stat"};
  std::string text;
  std::getline(in, text);
  // The command name (field 2) is in parentheses and may contain spaces.
  auto close = text.rfind(')');
  if (close == std::string::npos)
    return std::nullopt;
  std::istringstream rest{text.substr(close + 2)};
  std::vector<std::string> fields;
  for (std::string x; rest >> x;)
    fields.push_back(x);
  // fields[0] is field 3 (state); utime and stime are fields 14 and 15.
  if (fields.size() < 13)
    return std::nullopt;
  auto ticks = std::stod(fields[11]) + std::stod(fields[12]);
  return ticks / static_cast<double>(sysconf(_SC_CLK_TCK));
}

/// The node's CPU time over `window`.
double cpu_over(pid_t pid, steady::duration window) {
  auto before = cpu_seconds(pid);
  std::this_thread::sleep_for(window);
  auto after = cpu_seconds(pid);
  BOOST_REQUIRE_MESSAGE(before && after, "cannot read /proc/" << pid
                                                              << "/stat");
  return *after - *before;
}

/// Parses "<key> <number>" lines of the crafted peer.
std::map<std::string, long> parse_figures(const std::string& out) {
  std::map<std::string, long> result;
  std::istringstream lines{out};
  static const std::regex re{R"(^(\w+(?: [\w-]+)?) (\d+)$)"};
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_match(line, m, re))
      result[m[1].str()] = std::stol(m[2].str());
  }
  return result;
}

struct fixture : process_fixture {
  fixture() : process_fixture("hardened-caf") {
  }

  /// Runs the crafted peer to its end.
  run_result crafted(std::vector<std::string> args,
                     steady::duration timeout = 60s) {
    args.insert(args.begin(), SSSN_CRAFTED_PEER);
    return run(std::move(args), timeout);
  }

  /// Starts the crafted peer and waits (at most 30 s) for its `held` line:
  /// its connections are open and its input sent.
  child_process& crafted_held(std::vector<std::string> args) {
    args.insert(args.begin(), SSSN_CRAFTED_PEER);
    auto& proc = spawn(std::move(args));
    auto deadline = steady::now() + 30s;
    for (;;) {
      auto left = deadline - steady::now();
      BOOST_REQUIRE_MESSAGE(left > 0s, "the crafted peer did not hold its "
                                       "connections within 30 s: "
                                         << proc.err());
      auto line = proc.read_line(left);
      BOOST_REQUIRE_MESSAGE(line, "the crafted peer ended before holding "
                                  "its connections: "
                                    << proc.err());
      if (*line == "held")
        return proc;
    }
  }

  /// One honest call on a new connection: `sssn request` must print 42.
  void expect_honest_call(const std::string& port,
                          std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"request", "--port=" + port,
                                  "--data={\"a\":7,\"b\":35}",
                                  "--timeout=10"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = sssn(args, 30s);
    BOOST_REQUIRE_MESSAGE(r.code == 0, "honest request failed (exit "
                                         << r.code << "): " << r.err);
    auto reply = sssn::json::parse(r.out, nullptr, false);
    BOOST_REQUIRE_MESSAGE(!reply.is_discarded(), r.out);
    BOOST_TEST(reply.at("result").get<double>() == 42.0, r.out);
  }

  /// The node is alive and its peak resident memory is bounded.
  long expect_alive_and_bounded(const server_handle& server,
                                const std::string& after) {
    BOOST_REQUIRE_MESSAGE(!server.proc->wait_exit(0s).has_value(),
                          "the node died after " << after << ": "
                                                 << server.proc->err());
    auto hwm = status_kb(server.proc->pid(), "VmHWM");
    BOOST_REQUIRE(hwm);
    BOOST_TEST(*hwm < rss_bound_kb, "peak resident memory " << *hwm
                                                            << " kB after "
                                                            << after);
    return *hwm;
  }
};

/// Whether the CAF of this process (and of the processes it starts, which
/// load the same libraries) checks BASP sources (patch 0009). With
/// SSSN_EXPECT_CAF set, the loaded CAF must be that one.
bool caf_checks_basp_sources() {
  auto info = sssn::caf_build();
  if (auto env = std::getenv("SSSN_EXPECT_CAF"); env != nullptr && *env)
    BOOST_REQUIRE_MESSAGE(std::string{info.flavor} == env,
                          "SSSN_EXPECT_CAF=" << env << " but this process "
                                                       "runs on "
                                             << sssn::caf_build_description());
  if (info.hardened)
    BOOST_REQUIRE_MESSAGE(info.checks_basp_sources,
                          "the hardened CAF lacks patch 0009: "
                            << sssn::caf_build_description());
  return info.checks_basp_sources;
}

/// The node says at start-up that it runs on the same CAF as this process.
void expect_node_on_same_caf(const server_handle& server, bool hardened) {
  auto want = hardened ? "runs on CAF 0.17.6, hardened"
                       : "runs on CAF 0.17.6, Debian's";
  auto until = steady::now() + 5s;
  while (server.proc->err().find(want) == std::string::npos
         && steady::now() < until)
    std::this_thread::sleep_for(20ms);
  BOOST_REQUIRE_MESSAGE(server.proc->err().find(want) != std::string::npos,
                        "the node does not say '" << want
                                                  << "': " << server.proc->err());
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

struct counter_state {
  std::shared_ptr<std::atomic<int>> pushes;
};

/// Counts the deliveries pushed to it and returns their credit.
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

/// Starts `sssn serve` under `sh -c 'ulimit -n N; exec ...'` and waits (at
/// most 15 s) for its `listening on` line.
server_handle serve_with_fd_limit(process_fixture& f, int limit,
                                  std::vector<std::string> args) {
  std::vector<std::string> cmd{"/bin/sh", "-c",
                               "ulimit -n " + std::to_string(limit)
                                 + " && exec \"$@\"",
                               "sh", SSSN_CLI, "serve"};
  cmd.insert(cmd.end(), args.begin(), args.end());
  auto& proc = f.spawn(std::move(cmd));
  auto line = proc.read_line(15s);
  BOOST_REQUIRE_MESSAGE(line, "no 'listening on' line within 15 s; stderr: "
                                << proc.err());
  static const std::regex re{R"(^listening on (\S+):(\d+)$)"};
  std::smatch m;
  BOOST_REQUIRE_MESSAGE(std::regex_match(*line, m, re),
                        "unexpected first line: " << *line);
  return {&proc, static_cast<uint16_t>(std::stoi(m[2].str()))};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(hardened_caf, fixture)

BOOST_AUTO_TEST_CASE(this_process_runs_on_the_hardened_caf) {
  auto info = sssn::caf_build();
  BOOST_TEST(info.hardened, sssn::caf_build_description());
  // And so does the node: it says so at start-up.
  auto server = serve();
  std::this_thread::sleep_for(200ms);
  auto err = server.proc->err();
  BOOST_TEST(err.find("runs on CAF 0.17.6, hardened") != std::string::npos,
             err);
}

// -- rows 1-4: inputs that CAF decodes, after a handshake ----------------------

BOOST_AUTO_TEST_CASE(crafted_builtin_values_are_refused) {
  auto server = serve();
  auto port = std::to_string(server.port);
  expect_honest_call(port);
  struct row {
    const char* mode;
    const char* effect_on_debian;
  };
  std::vector<row> rows{
    {"bad-config-value", "abort (invalid type found)"},
    {"deep-config-value", "stack overflow (config_value 20,000 deep)"},
    {"deep-message", "stack overflow (message 100,000 deep)"},
    {"charbuf", "4 GiB allocation (charbuf length 4 GiB-1)"},
  };
  for (auto& x : rows) {
    BOOST_TEST_CONTEXT(x.mode) {
      auto r = crafted({x.mode, "--port=" + port});
      BOOST_REQUIRE_MESSAGE(r.code == 0, "crafted peer exit "
                                           << r.code << ": " << r.out
                                           << r.err);
      BOOST_TEST(r.out.find(std::string{"sent "} + x.mode + " 1")
                   != std::string::npos,
                 r.out);
      expect_honest_call(port);
      auto hwm = expect_alive_and_bounded(server, x.mode);
      std::cout << "hardened_caf: " << x.mode << " (on Debian's CAF: "
                << x.effect_on_debian
                << "): node alive, honest call served, peak RSS " << hwm
                << " kB" << std::endl;
    }
  }
}

// -- row 5: a BASP header announcing 1 GB, before any handshake ------------------

BOOST_AUTO_TEST_CASE(a_huge_basp_payload_is_refused_before_allocation) {
  auto server = serve();
  auto port = std::to_string(server.port);
  auto& peer = crafted_held({"basp-huge", "--port=" + port,
                             "--connections=4", "--size=1073741824",
                             "--hold=4"});
  // While the connections are held: an honest client is served, the node's
  // memory stays small.
  expect_honest_call(port);
  auto rss = status_kb(server.proc->pid(), "VmRSS");
  BOOST_REQUIRE(rss);
  BOOST_TEST(*rss < rss_bound_kb, "resident memory " << *rss << " kB");
  auto out = peer.read_all(30s);
  auto code = peer.wait_exit(10s);
  BOOST_TEST((code && *code == 0), "crafted peer: " << out << peer.err());
  auto figures = parse_figures(out);
  // The node closes every such connection at once.
  BOOST_TEST(figures["closed"] == 4, out);
  BOOST_TEST(figures["silent"] == 0, out);
  auto hwm = expect_alive_and_bounded(server, "basp-huge");
  std::cout << "hardened_caf: basp-huge (4 connections announcing 1 GiB "
               "each; on Debian's CAF: 1 GiB allocated per connection): "
               "closed "
            << figures["closed"] << "/4, RSS while held " << *rss
            << " kB, peak RSS " << hwm << " kB" << std::endl;
}

// -- row 6: half a ClientHello, then nothing -------------------------------------

BOOST_AUTO_TEST_CASE(a_stalled_tls_handshake_does_not_spin) {
  make_certificates();
  std::vector<std::string> tls{"--tls-cert=" + path("server.pem"),
                               "--tls-key=" + path("server.key"),
                               "--tls-ca=" + path("ca.pem")};
  auto server = serve(tls);
  auto port = std::to_string(server.port);
  std::vector<std::string> client_tls{"--tls-cert=" + path("client.pem"),
                                      "--tls-key=" + path("client.key"),
                                      "--tls-ca=" + path("ca.pem")};
  expect_honest_call(port, client_tls);
  auto idle = cpu_over(server.proc->pid(), cpu_window);
  auto& peer = crafted_held({"tls-half-hello", "--port=" + port,
                             "--hold=12"});
  auto held = cpu_over(server.proc->pid(), cpu_window);
  BOOST_TEST(held < cpu_bound_s, "the node used " << held << " s of CPU in "
                                                  << cpu_window.count()
                                                  << " s with a stalled "
                                                     "TLS handshake open");
  // Honest TLS clients are served while it is open.
  expect_honest_call(port, client_tls);
  BOOST_TEST(!peer.wait_exit(0s).has_value(),
             "the stalled connection was not held during the checks");
  peer.kill(SIGKILL);
  auto hwm = expect_alive_and_bounded(server, "tls-half-hello");
  std::cout << "hardened_caf: tls-half-hello (on Debian's CAF: the "
               "multiplexer spins): node CPU "
            << idle << " s idle, " << held << " s with the stalled "
            << "handshake open (each over " << cpu_window.count()
            << " s), peak RSS " << hwm << " kB" << std::endl;
}

// -- row 7: more connections than file descriptors -------------------------------

// Runs the flood against a node limited to 64 descriptors (`ini`: extra
// CAF settings, e.g. a cap above the limit so that accept itself runs out
// of descriptors), with an honest client connected before it.
void flood_case(fixture& f, const std::string& label, const std::string& ini) {
  std::vector<std::string> args;
  if (!ini.empty()) {
    auto file = f.path(label + ".ini");
    std::ofstream{file} << ini;
    args.push_back("--caf-config=" + file);
  }
  auto server = serve_with_fd_limit(f, 64, args);
  auto port = std::to_string(server.port);
  f.expect_honest_call(port);
  // An honest client that holds its connection through the flood.
  sssn::config cfg;
  caf::actor_system sys{cfg};
  auto remote = f.connect(sys, server.port);
  BOOST_REQUIRE_MESSAGE(remote, why(remote));
  auto req_ch = remote->channel("compute-request");
  BOOST_REQUIRE_MESSAGE(req_ch, why(req_ch));
  auto resp_ch = sssn::spawn_channel(sys, "honest-response");
  BOOST_REQUIRE(resp_ch.start());
  auto call = [&](double a) {
    auto r = sssn::call<compute_response>(*req_ch, resp_ch, "honest",
                                          compute_request{a, 35, "add"}, 10s);
    return r && r->result == a + 35;
  };
  BOOST_REQUIRE(call(7));
  auto& peer = f.crafted_held({"flood", "--port=" + port,
                               "--connections=150", "--hold=8"});
  auto busy = cpu_over(server.proc->pid(), cpu_window);
  BOOST_TEST(busy < cpu_bound_s, label << ": the node used " << busy
                                       << " s of CPU in "
                                       << cpu_window.count()
                                       << " s during the flood");
  // The honest client is still served during the flood.
  BOOST_TEST(call(8), label);
  auto out = peer.read_all(30s);
  auto code = peer.wait_exit(10s);
  BOOST_TEST((code && *code == 0), "crafted peer: " << out << peer.err());
  auto figures = parse_figures(out);
  // Every connection was either taken or closed: none left hanging.
  BOOST_TEST(figures["greeted"] + figures["closed"] + figures["silent"]
                 + figures["failed"]
               == 150,
             out);
  BOOST_TEST(figures["failed"] == 0, label << ": " << out);
  BOOST_TEST(figures["silent"] == 0, label << ": " << out);
  BOOST_TEST(figures["closed"] > 0, label << ": " << out);
  // After the flood: served on a new connection too.
  f.expect_honest_call(port);
  BOOST_TEST(call(9), label);
  auto hwm = f.expect_alive_and_bounded(server, "flood");
  std::cout << "hardened_caf: flood " << label
            << " (150 connections, ulimit -n 64; on Debian's CAF: the "
               "accept loop spins, new clients hang): greeted "
            << figures["greeted"] << ", closed " << figures["closed"]
            << ", silent " << figures["silent"] << ", node CPU " << busy
            << " s over " << cpu_window.count() << " s, peak RSS " << hwm
            << " kB" << std::endl;
}

BOOST_AUTO_TEST_CASE(a_connection_flood_is_capped) {
  // The default cap (three quarters of the descriptor limit).
  flood_case(*this, "default-cap", "");
}

BOOST_AUTO_TEST_CASE(running_out_of_descriptors_does_not_spin) {
  // A cap above the limit: accept itself fails with EMFILE.
  flood_case(*this, "out-of-descriptors",
             "[middleman]\nmax-connections=100000\n");
}

// -- rows 8-9: BASP messages whose source a peer forged (both CAFs) -----------

// This process is an honest client node subscribed to the node's channel;
// the crafted peer, another node, tells the node that the subscriber is
// down. Only this process's node may say so.
BOOST_AUTO_TEST_CASE(a_forged_down_does_not_end_another_nodes_subscription,
                     *boost::unit_test::label("basp_sources")) {
  auto checks = caf_checks_basp_sources();
  auto server = serve();
  auto port = std::to_string(server.port);
  expect_node_on_same_caf(server, checks);
  expect_honest_call(port);
  sssn::config cfg;
  caf::actor_system sys{cfg};
  auto remote = connect(sys, server.port);
  BOOST_REQUIRE_MESSAGE(remote, why(remote));
  auto ch = remote->channel("compute-request");
  BOOST_REQUIRE_MESSAGE(ch, why(ch));
  auto stats = [&] {
    auto st = ch->stats();
    BOOST_REQUIRE_MESSAGE(st, why(st));
    return *st;
  };
  auto node_refusals = [&] {
    auto st = remote->stats();
    BOOST_REQUIRE_MESSAGE(st, why(st));
    return st->refusals;
  };
  auto write = [&](int n) {
    auto id = ch->write("writer", sssn::content{sssn::json{{"n", n}}});
    BOOST_REQUIRE_MESSAGE(id, why(id));
  };
  auto st0 = stats();
  auto pushes = std::make_shared<std::atomic<int>>(0);
  auto sub = sys.spawn(counting_subscriber, pushes);
  BOOST_REQUIRE(ch->subscribe("watcher", sub));
  write(1);
  BOOST_REQUIRE(eventually([&] { return *pushes >= 1; }));
  // An honest down first, on both CAFs: a second subscriber of this node
  // goes away, and this node (the peer of the connection) says so.
  auto others = std::make_shared<std::atomic<int>>(0);
  auto leaver = sys.spawn(counting_subscriber, others);
  BOOST_REQUIRE(ch->subscribe("leaver", leaver));
  BOOST_REQUIRE_EQUAL(stats().subscribers, st0.subscribers + 2);
  caf::anon_send_exit(leaver, caf::exit_reason::user_shutdown);
  BOOST_REQUIRE(eventually(
    [&] { return stats().subscribers == st0.subscribers + 1; }));
  auto st1 = stats();
  BOOST_TEST(st1.remote_downs == st0.remote_downs + 1);
  BOOST_TEST(node_refusals().caf_forged_downs == 0u);
  // Three down messages for `sub`, from the crafted peer's node.
  auto r = crafted({"forged-down", "--port=" + port,
                    "--node=" + caf::to_string(sys.node()),
                    "--actor=" + std::to_string(sub.id()), "--count=3",
                    "--hold=1"});
  BOOST_REQUIRE_MESSAGE(r.code == 0, "crafted peer exit " << r.code << ": "
                                                          << r.out << r.err);
  auto figures = parse_figures(r.out);
  BOOST_TEST(figures["sent forged-down"] == 3, r.out);
  // The node drops the message, not the connection.
  BOOST_TEST(figures["closed"] == 0, r.out);
  auto seen = pushes->load();
  uint64_t refused = 0;
  if (checks) {
    BOOST_TEST(eventually(
      [&] { return node_refusals().caf_forged_downs >= 3u; }));
    refused = node_refusals().caf_forged_downs;
    BOOST_TEST(refused == 3u);
    // The subscriber keeps receiving.
    write(2);
    BOOST_TEST(eventually([&] { return *pushes > seen; }));
    auto st2 = stats();
    BOOST_TEST(st2.subscribers == st1.subscribers);
    BOOST_TEST(st2.remote_downs == st1.remote_downs);
  } else {
    // Debian's CAF kills its proxy of `sub`: the channel sees a genuine
    // down and ends the subscription.
    BOOST_TEST(eventually(
      [&] { return stats().subscribers == st1.subscribers - 1; }));
    BOOST_TEST(stats().remote_downs == st1.remote_downs + 1);
    write(2);
    std::this_thread::sleep_for(500ms);
    BOOST_TEST(pushes->load() == seen);
    BOOST_TEST(node_refusals().caf_forged_downs == 0u);
  }
  expect_honest_call(port);
  auto hwm = expect_alive_and_bounded(server, "forged-down");
  auto st3 = stats();
  std::cout << "hardened_caf: forged-down on "
            << (checks ? "the hardened CAF" : "Debian's CAF")
            << " (3 BASP down messages for a subscriber of another node): "
            << "caf_forged_downs " << refused << ", subscribers "
            << st1.subscribers << " -> " << st3.subscribers
            << ", remote_downs " << st1.remote_downs << " -> "
            << st3.remote_downs << ", pushes after it "
            << (pushes->load() - seen) << ", peak RSS " << hwm << " kB"
            << std::endl;
  caf::anon_send_exit(sub, caf::exit_reason::user_shutdown);
}

// The crafted peer sends the node's directory `kill` exit messages that
// name the node itself as their source and the directory as their sender.
// Honest clients are served before, while the forging connection is open,
// and after.
BOOST_AUTO_TEST_CASE(a_forged_local_sender_is_refused,
                     *boost::unit_test::label("basp_sources")) {
  auto checks = caf_checks_basp_sources();
  auto server = serve();
  auto port = std::to_string(server.port);
  expect_node_on_same_caf(server, checks);
  sssn::config cfg;
  caf::actor_system sys{cfg};
  auto remote = connect(sys, server.port);
  BOOST_REQUIRE_MESSAGE(remote, why(remote));
  auto node_refusals = [&] {
    auto st = remote->stats();
    BOOST_REQUIRE_MESSAGE(st, why(st));
    return st->refusals;
  };
  expect_honest_call(port);
  auto r0 = node_refusals();
  auto& peer = crafted_held({"forged-local", "--port=" + port, "--count=3",
                             "--hold=8"});
  expect_honest_call(port);
  if (checks)
    BOOST_TEST(eventually([&] {
      return node_refusals().caf_forged_senders
             >= r0.caf_forged_senders + 3;
    }));
  else
    // Debian's CAF delivers them as sent by the directory: only our exit
    // guard keeps the directory alive (a registered actor drops every
    // kill).
    BOOST_TEST(eventually(
      [&] { return node_refusals().ignored_exits >= r0.ignored_exits + 3; }));
  auto r1 = node_refusals();
  if (checks) {
    BOOST_TEST(r1.caf_forged_senders - r0.caf_forged_senders == 3u);
    BOOST_TEST(r1.ignored_exits == r0.ignored_exits);
  } else {
    BOOST_TEST(r1.ignored_exits - r0.ignored_exits == 3u);
    BOOST_TEST(r1.caf_forged_senders == 0u);
  }
  BOOST_TEST(!peer.wait_exit(0s).has_value(),
             "the forging connection was not held during the checks");
  expect_honest_call(port);
  auto out = peer.read_all(30s);
  auto code = peer.wait_exit(10s);
  BOOST_TEST((code && *code == 0), "crafted peer: " << out << peer.err());
  // (Its `sent forged-local 3` line came before `held`.)
  auto figures = parse_figures(out);
  BOOST_TEST(figures.count("closed") == 1u, out);
  BOOST_TEST(figures["closed"] == 0, out);
  expect_honest_call(port);
  auto hwm = expect_alive_and_bounded(server, "forged-local");
  std::cout << "hardened_caf: forged-local on "
            << (checks ? "the hardened CAF" : "Debian's CAF")
            << " (3 kills naming the node's own directory as sender): "
            << "caf_forged_senders +"
            << (r1.caf_forged_senders - r0.caf_forged_senders)
            << ", ignored_exits +" << (r1.ignored_exits - r0.ignored_exits)
            << ", honest calls served before, during and after, peak RSS "
            << hwm << " kB" << std::endl;
}

// What 0009 costs: CAF itself sends a routed message naming the receiving
// node as its source when another node relays a message of ours back with
// its original sender (`delegate` to an actor of ours). Two nodes in this
// process: `relay` on node C delegates the request of node D's scoped
// actor to D's actor `inc`. Debian's CAF delivers it; the hardened one
// refuses it (the request times out) unless
// middleman.accept-relayed-local-senders is set.
namespace {

struct relay_state {
  caf::actor target;
};

caf::behavior relay_actor(caf::stateful_actor<relay_state>* self) {
  return {
    [self](const caf::actor& target) { self->state.target = target; },
    [self](int x) { return self->delegate(self->state.target, x); },
  };
}

struct mm_config : caf::actor_system_config {
  explicit mm_config(bool accept_relayed) {
    load<caf::io::middleman>();
    set("work-stealing.moderate-poll-attempts", 0);
    if (accept_relayed)
      set("middleman.accept-relayed-local-senders", true);
  }
};

/// Whether D's request, delegated by C back to D, is answered.
bool relayed_back_request_answered(bool accept_relayed) {
  mm_config cfg_d{accept_relayed};
  mm_config cfg_c{false};
  caf::actor_system d{cfg_d};
  caf::actor_system c{cfg_c};
  BOOST_REQUIRE(d.node() != c.node());
  auto inc = d.spawn([]() -> caf::behavior {
    return {[](int x) { return x + 1; }};
  });
  auto relay = c.spawn(relay_actor);
  auto port = c.middleman().publish(relay, 0, "127.0.0.1");
  BOOST_REQUIRE_MESSAGE(port, why(port));
  auto remote = d.middleman().remote_actor("127.0.0.1", *port);
  BOOST_REQUIRE_MESSAGE(remote, why(remote));
  {
    caf::scoped_actor self{d};
    self->send(*remote, inc);
  }
  bool answered = false;
  {
    caf::scoped_actor self{d};
    // The handle of `inc` arrives before the request (same sender, same
    // connection).
    self->request(*remote, 2s, 41)
      .receive([&](int y) { answered = y == 42; },
               [&](caf::error&) { answered = false; });
  }
  caf::anon_send_exit(relay, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(inc, caf::exit_reason::user_shutdown);
  c.middleman().unpublish(relay, *port);
  return answered;
}

} // namespace

BOOST_AUTO_TEST_CASE(a_message_of_ours_relayed_back_needs_the_option,
                     *boost::unit_test::label("basp_sources")) {
  auto checks = caf_checks_basp_sources();
  auto plain = relayed_back_request_answered(false);
  // Debian's CAF does not know the option (and needs none).
  auto with_option = relayed_back_request_answered(checks);
  BOOST_TEST(plain == !checks);
  BOOST_TEST(with_option);
  std::cout << "hardened_caf: relayed-back request on "
            << (checks ? "the hardened CAF" : "Debian's CAF")
            << ": answered " << (plain ? "yes" : "no")
            << ", with middleman.accept-relayed-local-senders "
            << (with_option ? "yes" : "no") << std::endl;
}

BOOST_AUTO_TEST_SUITE_END()
