// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The `sssn` command as a user runs it: `sssn sub`, `sssn bench`, `--data
// @FILE` and `--data -`, `sssn serve --responder none`, `sssn stats --json`,
// the help texts and the man page. Every case runs the real program against
// a real `sssn serve` on loopback; this process plays the user's own
// programs (writers, a responder) through its own actor system. Every wait
// is bounded; the tests check behaviour, not speed.

#include "fixture.hpp"
#include "process_fixture.hpp"

#include <signal.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>

#ifndef SSSN_MAN_PAGE
#  error "SSSN_MAN_PAGE must name docs/sssn.1 (see integration_tests/)"
#endif

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using sssn::json;
using sssn::test::child_process;
using sssn::test::process_fixture;
using sssn::test::run_result;
using sssn::test::server_handle;

namespace {

/// Why `x` failed (empty if it did not): Boost evaluates a check's message
/// also when the check passes.
template <class T>
std::string why(const caf::expected<T>& x) {
  return x ? std::string{} : sssn::error_message(x.error());
}

struct fixture : process_fixture {
  fixture() : process_fixture("cli") {
  }

  sssn::test::threaded_fixture client;

  std::string port_arg(const server_handle& server) const {
    return "--port=" + std::to_string(server.port);
  }

  /// Starts `sssn ARGS...` without waiting for it.
  child_process& start(std::vector<std::string> args) {
    args.insert(args.begin(), SSSN_CLI);
    return spawn(std::move(args));
  }

  /// Waits (at most 15 s) until `proc` said on stderr that it subscribed.
  void wait_subscribed(child_process& proc) {
    auto deadline = steady::now() + 15s;
    while (proc.err().find("subscribed to") == std::string::npos) {
      BOOST_REQUIRE_MESSAGE(steady::now() < deadline,
                            "sssn sub did not subscribe within 15 s; "
                            "stderr: "
                              << proc.err());
      std::this_thread::sleep_for(20ms);
    }
  }

  /// A handle to channel `id` of the node on `port`, from this process.
  sssn::channel remote_channel(uint16_t port, const std::string& id) {
    auto remote = connect(client.sys, port);
    BOOST_REQUIRE_MESSAGE(remote, why(remote));
    auto ch = remote->channel(id);
    BOOST_REQUIRE_MESSAGE(ch, why(ch));
    ch->timeout(10s);
    return *ch;
  }

  /// Writes a message from `sender` with `correlation_id` (none if empty).
  void write(const sssn::channel& ch, const std::string& sender,
             const std::string& correlation_id, json data) {
    sssn::channel_message::builder b;
    b.sender_id(sender).content(sssn::content{std::move(data)});
    if (!correlation_id.empty())
      b.correlation_id(correlation_id);
    auto id = ch.write(sender, b.build());
    BOOST_REQUIRE_MESSAGE(id, why(id));
  }

  /// Runs `sssn ARGS...` with stdin read from `input_path`.
  run_result sssn_with_stdin(const std::string& input_path,
                             std::vector<std::string> args) {
    // sh redirects; "$0" "$@" are the program and its arguments as given.
    args.insert(args.begin(), {"/bin/sh", "-c", "exec \"$0\" \"$@\" < \""
                                                  + input_path + "\"",
                               SSSN_CLI});
    return run(std::move(args));
  }

  /// `sssn stats --json` of `channel`, parsed.
  json stats_json(const server_handle& server, const std::string& channel) {
    auto r = sssn({"stats", port_arg(server), "--channel=" + channel,
                   "--json"});
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    auto j = json::parse(r.out, nullptr, false);
    BOOST_REQUIRE_MESSAGE(j.is_object(), "not a JSON object: " << r.out);
    return j;
  }
};

/// Every `--long-option` in `text`.
std::set<std::string> long_options(const std::string& text) {
  std::set<std::string> result;
  static const std::regex re{R"(--[a-z][a-z0-9-]*)"};
  for (std::sregex_iterator i{text.begin(), text.end(), re}, end; i != end;
       ++i)
    result.insert(i->str());
  return result;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(cli, fixture)

// -- sssn sub -----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(sub_prints_messages_live_filtered_by_prefix_and_sender) {
  auto server = serve({"--channel=events", "--responder=none"});
  auto& sub = start({"sub", port_arg(server), "--channel=events",
                     "--correlation-prefix=order-", "--sender=alice",
                     "--sender=carol", "--count=3"});
  wait_subscribed(sub);
  auto ch = remote_channel(server.port, "events");
  write(ch, "alice", "order-1", json{{"n", 1}});
  write(ch, "bob", "order-2", json{{"n", 2}});   // another sender
  write(ch, "alice", "other-3", json{{"n", 3}}); // another prefix
  write(ch, "alice", "", json{{"n", 4}});        // no correlation id
  write(ch, "carol", "order-5", json{{"n", 5}});
  // Live: the first line is there before anything else is written.
  auto line = sub.read_line(10s);
  BOOST_REQUIRE_MESSAGE(line, "no line from sssn sub; stderr: " << sub.err());
  BOOST_TEST(line->find(" alice correlation_id=order-1 {\"n\":1}")
               != std::string::npos,
             *line);
  line = sub.read_line(10s);
  BOOST_REQUIRE(line);
  BOOST_TEST(line->find(" carol correlation_id=order-5 {\"n\":5}")
               != std::string::npos,
             *line);
  write(ch, "alice", "order-6", json{{"n", 6}});
  line = sub.read_line(10s);
  BOOST_REQUIRE(line);
  BOOST_TEST(line->find("correlation_id=order-6") != std::string::npos, *line);
  // --count=3: done, exit 0, nothing else printed.
  auto code = sub.wait_exit(10s);
  BOOST_REQUIRE_MESSAGE(code, "sssn sub did not exit after --count");
  BOOST_TEST(*code == 0, sub.err());
  BOOST_TEST(sub.read_all(5s).empty());
  BOOST_TEST(sub.err().find("3 messages received") != std::string::npos,
             sub.err());
}

BOOST_AUTO_TEST_CASE(sub_returns_credit_and_prints_json) {
  // More messages than a subscription's credit window (256): all of them
  // arrive only if sssn sub hands credit back.
  auto server = serve({"--channel=events", "--responder=none"});
  constexpr int n = 600;
  auto& sub = start({"sub", port_arg(server), "--channel=events", "--json",
                     "--count=" + std::to_string(n)});
  wait_subscribed(sub);
  auto ch = remote_channel(server.port, "events");
  for (int i = 0; i < n; ++i)
    write(ch, "writer", "c-" + std::to_string(i), json{{"i", i}});
  for (int i = 0; i < n; ++i) {
    auto line = sub.read_line(10s);
    BOOST_REQUIRE_MESSAGE(line, "message " << i << " did not arrive; stderr: "
                                           << sub.err());
    auto j = json::parse(*line, nullptr, false);
    BOOST_REQUIRE_MESSAGE(j.is_object(), "not JSON: " << *line);
    BOOST_TEST(j.at("channel") == "events");
    BOOST_TEST(j.at("sender_id") == "writer");
    BOOST_TEST(j.at("correlation_id") == "c-" + std::to_string(i));
    BOOST_TEST(j.at("content").at("i") == i);
    BOOST_TEST(j.at("id").is_string());
    BOOST_TEST(j.at("timestamp").is_number());
    BOOST_TEST(j.at("reply_to").is_null());
  }
  auto code = sub.wait_exit(10s);
  BOOST_REQUIRE(code);
  BOOST_TEST(*code == 0, sub.err());
}

BOOST_AUTO_TEST_CASE(sub_stops_cleanly_on_sigint_and_sigterm) {
  auto server = serve({"--channel=events", "--responder=none"});
  for (auto sig : {SIGINT, SIGTERM}) {
    auto& sub = start({"sub", port_arg(server), "--channel=events",
                       "--id=watcher"});
    wait_subscribed(sub);
    BOOST_TEST(stats_json(server, "events").at("subscribers") == 1);
    sub.kill(sig);
    auto code = sub.wait_exit(10s);
    BOOST_REQUIRE_MESSAGE(code, "sssn sub did not stop within 10 s");
    BOOST_TEST(*code == 0, sub.err());
    auto name = sig == SIGINT ? "SIGINT" : "SIGTERM";
    BOOST_TEST(sub.err().find(std::string{"stopping ("} + name + ")")
                 != std::string::npos,
               sub.err());
    // It unsubscribed on its way out.
    BOOST_TEST(stats_json(server, "events").at("subscribers") == 0);
  }
}

BOOST_AUTO_TEST_CASE(sub_says_so_when_the_channel_ends_the_subscription) {
  auto server = serve({"--channel=events", "--responder=none"});
  auto& sub = start({"sub", port_arg(server), "--channel=events"});
  wait_subscribed(sub);
  // The node stops: its channel goes, and with it the subscription.
  server.proc->kill(SIGTERM);
  BOOST_REQUIRE(server.proc->wait_exit(10s));
  auto code = sub.wait_exit(10s);
  BOOST_REQUIRE_MESSAGE(code, "sssn sub did not notice within 10 s that the "
                              "channel went");
  BOOST_TEST(*code == 1);
  BOOST_TEST(sub.err().find("channel 'events' is gone") != std::string::npos,
             sub.err());
  BOOST_TEST(sub.err().find("the subscription ended") != std::string::npos,
             sub.err());
  // And when the node is killed (the connection drops).
  auto server2 = serve({"--channel=events", "--responder=none"});
  auto& sub2 = start({"sub", port_arg(server2), "--channel=events"});
  wait_subscribed(sub2);
  server2.proc->kill(SIGKILL);
  code = sub2.wait_exit(10s);
  BOOST_REQUIRE(code);
  BOOST_TEST(*code == 1);
  BOOST_TEST(sub2.err().find("the subscription ended") != std::string::npos,
             sub2.err());
}

BOOST_AUTO_TEST_CASE(sub_errors) {
  auto server = serve();
  auto r = sssn({"sub", port_arg(server), "--channel=nope", "--timeout=5"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("nope") != std::string::npos, r.err);
  r = sssn({"sub", port_arg(server), "--count=-1"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("--count") != std::string::npos, r.err);
  r = sssn({"sub"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("--port") != std::string::npos, r.err);
}

BOOST_AUTO_TEST_CASE(sub_and_bench_present_tokens) {
  std::ofstream{path("secret")}
    << "a-cli-test-secret-of-more-than-32-bytes-long\n";
  auto server = serve({"--auth-secret-file=" + path("secret")});
  auto token = [&](const std::string& subject, const std::string& role) {
    auto r = sssn({"token", "--secret-file=" + path("secret"),
                   "--subject=" + subject, "--channel=compute-request",
                   "--role=" + role});
    BOOST_REQUIRE_MESSAGE(r.code == 0, r.err);
    return r.out.substr(0, r.out.find('\n'));
  };
  // Without a token: refused, saying who.
  auto r = sssn({"sub", port_arg(server), "--id=watcher", "--count=1"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("'watcher'") != std::string::npos, r.err);
  // The subject's token: subscribed; it sees a request made with a token.
  std::ofstream{path("watcher.token")} << token("watcher", "read") << '\n';
  auto& sub = start({"sub", port_arg(server), "--id=watcher", "--count=1",
                     "--token-file=" + path("watcher.token")});
  wait_subscribed(sub);
  auto bench_token = token("bencher", "write");
  r = sssn({"bench", port_arg(server), "-n", "20", "-c", "4",
            "--sender=bencher", "--token=" + bench_token});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("20 ok") != std::string::npos, r.out);
  auto line = sub.read_line(10s);
  BOOST_REQUIRE_MESSAGE(line, "no line; stderr: " << sub.err());
  BOOST_TEST(line->find(" bencher ") != std::string::npos, *line);
  auto code = sub.wait_exit(10s);
  BOOST_REQUIRE(code);
  BOOST_TEST(*code == 0, sub.err());
  // bench without one: every request refused.
  r = sssn({"bench", port_arg(server), "-n", "5", "--sender=bencher"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.find("errors: 5 x not_authorized") != std::string::npos,
             r.out);
}

// -- sssn bench ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(bench_reports_throughput_and_latency_percentiles) {
  auto server = serve();
  auto t0 = steady::now();
  auto r = sssn({"bench", port_arg(server), "--requests=300",
                 "--concurrency=8", "--size=2048"},
                30s);
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST((steady::now() - t0 < 10s)); // against a 30 s deadline
  BOOST_TEST(r.out.find("sssn bench: 300 requests to 'compute-request'")
               != std::string::npos,
             r.out);
  BOOST_TEST(r.out.find("8 in flight, 2048-byte payload") != std::string::npos,
             r.out);
  BOOST_TEST(r.out.find("completed: 300 (300 ok, 0 errors)")
               != std::string::npos,
             r.out);
  static const std::regex throughput{R"(throughput: [0-9.]+ requests/s)"};
  BOOST_TEST(std::regex_search(r.out, throughput), r.out);
  static const std::regex latency{
    R"(latency: min [0-9.]+ ms, p50 [0-9.]+ ms, p90 [0-9.]+ ms, )"
    R"(p99 [0-9.]+ ms, max [0-9.]+ ms, mean [0-9.]+ ms)"};
  BOOST_TEST(std::regex_search(r.out, latency), r.out);
  // Every request reached the channel.
  BOOST_TEST(stats_json(server, "compute-request").at("writes") >= 300);
  // --json: the same numbers for programs.
  r = sssn({"bench", port_arg(server), "-n", "100", "-c", "4", "--json"},
           30s);
  BOOST_TEST(r.code == 0, r.err);
  auto j = json::parse(r.out, nullptr, false);
  BOOST_REQUIRE_MESSAGE(j.is_object(), "not JSON: " << r.out);
  BOOST_TEST(j.at("requests") == 100);
  BOOST_TEST(j.at("concurrency") == 4);
  BOOST_TEST(j.at("ok") == 100);
  BOOST_TEST(j.at("errors") == 0);
  BOOST_TEST(j.at("requests_per_second").get<double>() > 0);
  auto& lat = j.at("latency_ms");
  BOOST_TEST(lat.at("min").get<double>() <= lat.at("p50").get<double>());
  BOOST_TEST(lat.at("p50").get<double>() <= lat.at("p90").get<double>());
  BOOST_TEST(lat.at("p90").get<double>() <= lat.at("p99").get<double>());
  BOOST_TEST(lat.at("p99").get<double>() <= lat.at("max").get<double>());
}

BOOST_AUTO_TEST_CASE(bench_counts_failed_requests) {
  // No responder: every request fails at once with no_responders.
  auto server = serve({"--responder=none"});
  auto r = sssn({"bench", port_arg(server), "-n", "20", "-c", "4"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.find("completed: 20 (0 ok, 20 errors)") != std::string::npos,
             r.out);
  BOOST_TEST(r.out.find("errors: 20 x no_responders") != std::string::npos,
             r.out);
  // Error replies are failures too.
  auto server2 = serve();
  r = sssn({"bench", port_arg(server2), "-n", "10",
            R"(--data={"a":1,"b":2,"operation":"pow"})"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.out.find("errors: 10 x error reply (e.g. Unknown operation: "
                        "pow)")
               != std::string::npos,
             r.out);
  // Usage errors.
  for (auto bad : std::vector<std::vector<std::string>>{
         {"--concurrency=0"}, {"--requests=0"}, {"--size=-1"},
         {"--size=100", "--data=[1,2]"}}) {
    auto args = bad;
    args.insert(args.begin(), {"bench", port_arg(server2)});
    r = sssn(args);
    BOOST_TEST(r.code == 2, bad.front() << ": " << r.err);
  }
}

// -- --data @FILE and --data - --------------------------------------------------------

BOOST_AUTO_TEST_CASE(data_from_a_file_and_from_stdin) {
  auto server = serve();
  // 140 KB: too long for one argument ("Argument list too long").
  auto big = json{{"a", 40}, {"b", 2}, {"pad", std::string(140'000, 'x')}};
  std::ofstream{path("big.json")} << big.dump();
  auto r = sssn({"request", port_arg(server), "--data=@" + path("big.json")});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("\"result\":42.0") != std::string::npos, r.out);
  r = sssn_with_stdin(path("big.json"),
                      {"request", port_arg(server), "--data", "-"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("\"result\":42.0") != std::string::npos, r.out);
  // The subscriber saw the whole payload.
  auto& sub = start({"sub", port_arg(server), "--json", "--count=1"});
  wait_subscribed(sub);
  r = sssn({"request", port_arg(server), "--data", "@" + path("big.json")});
  BOOST_TEST(r.code == 0, r.err);
  auto line = sub.read_line(10s);
  BOOST_REQUIRE(line);
  auto seen = json::parse(*line, nullptr, false);
  BOOST_REQUIRE(seen.is_object());
  BOOST_TEST(seen.at("content").at("pad").get<std::string>().size()
             == 140'000u);
  // bench takes --data too.
  std::ofstream{path("mul.json")} << R"({"a":6,"b":7,"operation":"mul"})";
  r = sssn_with_stdin(path("mul.json"),
                      {"bench", port_arg(server), "-n", "5", "--data=-"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out.find("5 ok") != std::string::npos, r.out);
}

BOOST_AUTO_TEST_CASE(bad_data_files_are_clear_usage_errors) {
  // Nothing needs a server: --data is read before connecting.
  auto missing = path("missing.json");
  auto r = sssn({"request", "--port=1", "--data=@" + missing});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("cannot read --data file '" + missing + "'")
               != std::string::npos,
             r.err);
  BOOST_TEST(r.err.find("No such file") != std::string::npos, r.err);
  // A directory is no file.
  r = sssn({"request", "--port=1", "--data=@" + dir});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("'" + dir + "'") != std::string::npos, r.err);
  r = sssn({"bench", "--port=1", "--data=@" + missing});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find(missing) != std::string::npos, r.err);
  r = sssn({"request", "--port=1", "--data=@"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("--data=@FILE") != std::string::npos, r.err);
  // Invalid JSON: the error names the file and the position.
  std::ofstream{path("bad.json")} << R"({"a":7,)";
  r = sssn({"request", "--port=1", "--data=@" + path("bad.json")});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("bad.json") != std::string::npos, r.err);
  BOOST_TEST(r.err.find("line 1, column") != std::string::npos, r.err);
  r = sssn_with_stdin(path("bad.json"), {"request", "--port=1", "--data=-"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("stdin") != std::string::npos, r.err);
  std::ofstream{path("empty.json")};
  r = sssn_with_stdin(path("empty.json"), {"request", "--port=1", "--data=-"});
  BOOST_TEST(r.code == 2);
  BOOST_TEST(r.err.find("stdin") != std::string::npos, r.err);
}

// -- sssn serve --responder none ------------------------------------------------------

BOOST_AUTO_TEST_CASE(serve_responder_none_hosts_a_bare_channel) {
  auto server = serve({"--channel=orders", "--responder=none"});
  BOOST_TEST(server.proc->err().find("responder none") != std::string::npos,
             server.proc->err());
  // Nobody answers yet: the request fails at once, nothing swallowed it.
  auto t0 = steady::now();
  auto r = sssn({"request", port_arg(server), "--channel=orders",
                 "--timeout=20"});
  BOOST_TEST(r.code == 1);
  BOOST_TEST(r.err.find("no responders") != std::string::npos, r.err);
  BOOST_TEST((steady::now() - t0 < 10s));
  // A user program (this process) answers on the channel.
  auto ch = remote_channel(server.port, "orders");
  sssn::responder_config rcfg;
  rcfg.sender_id = "user-program";
  auto responder = sssn::spawn_responder(
    client.sys, ch,
    [](const sssn::channel_message& req) {
      return json{
        {"doubled", 2 * req.content().data().at("x").get<int64_t>()}};
    },
    rcfg);
  // The responder has joined once the channel counts it.
  auto deadline = steady::now() + 10s;
  while (stats_json(server, "orders").at("group_members") != 1) {
    BOOST_REQUIRE_MESSAGE(steady::now() < deadline,
                          "the responder did not join within 10 s");
    std::this_thread::sleep_for(50ms);
  }
  r = sssn({"request", port_arg(server), "--channel=orders",
            R"(--data={"x":21})"});
  BOOST_TEST(r.code == 0, r.err);
  BOOST_TEST(r.out == "{\"doubled\":42}\n", r.out);
  r = sssn({"bench", port_arg(server), "--channel=orders", "-n", "50",
            R"(--data={"x":1})"});
  BOOST_TEST(r.code == 0, r.err);
  // The responder lives as long as the channel: stop the node.
  server.proc->kill(SIGTERM);
  BOOST_REQUIRE(server.proc->wait_exit(10s));
  caf::anon_send_exit(responder, caf::exit_reason::kill);
}

// -- sssn stats --json ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(stats_json_has_every_counter_of_the_text_form) {
  auto server = serve();
  auto r = sssn({"request", port_arg(server)});
  BOOST_TEST(r.code == 0, r.err);
  auto j = stats_json(server, "compute-request");
  BOOST_TEST(j.at("id") == "compute-request");
  BOOST_TEST(j.at("accepting") == true);
  BOOST_TEST(j.at("writes") == 1);
  BOOST_TEST(j.at("group_members") == 1);
  BOOST_TEST(j.at("node").at("published") == 1);
  // The text form has the same names, the node's as node.<name>.
  r = sssn({"stats", port_arg(server)});
  BOOST_TEST(r.code == 0, r.err);
  std::map<std::string, std::string> lines;
  std::istringstream in{r.out};
  for (std::string line; std::getline(in, line);) {
    auto pos = line.find(": ");
    BOOST_REQUIRE_MESSAGE(pos != std::string::npos, "bad line: " << line);
    lines[line.substr(0, pos)] = line.substr(pos + 2);
  }
  size_t keys = 0;
  for (auto& [key, value] : j.items()) {
    if (key == "node") {
      for (auto& [k, v] : value.items()) {
        ++keys;
        BOOST_TEST(lines.count("node." + k) == 1u, "node." << k);
      }
      continue;
    }
    ++keys;
    BOOST_TEST(lines.count(key) == 1u, key);
  }
  BOOST_TEST(keys == lines.size());
}

// -- help and man page ------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(help_and_man_page_describe_every_command_and_option) {
  auto r = sssn({"--help"});
  BOOST_TEST(r.code == 0);
  std::ifstream in{SSSN_MAN_PAGE};
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << SSSN_MAN_PAGE);
  std::stringstream buf;
  buf << in.rdbuf();
  // roff writes '-' as "\-".
  auto man = std::regex_replace(buf.str(), std::regex{R"(\\-)"}, "-");
  BOOST_TEST(man.find(".TH SSSN 1") != std::string::npos);
  for (std::string cmd : {"serve", "request", "sub", "bench", "stats",
                          "token"}) {
    BOOST_TEST(r.out.find("\n  " + cmd + " ") != std::string::npos,
               "sssn --help lists " << cmd);
    auto help = sssn({cmd, "--help"});
    BOOST_TEST(help.code == 0);
    BOOST_TEST(help.out.find("Usage:") != std::string::npos, help.out);
    BOOST_TEST(man.find(".SS sssn " + cmd) != std::string::npos,
               "the man page has a section on " << cmd);
    for (auto& opt : long_options(help.out))
      BOOST_TEST(man.find(opt) != std::string::npos,
                 "the man page names " << opt << " of " << cmd);
  }
  auto help = sssn({"request", "--help"});
  BOOST_TEST(help.out.find("@FILE") != std::string::npos, help.out);
  help = sssn({"serve", "--help"});
  BOOST_TEST(help.out.find("none") != std::string::npos, help.out);
}

BOOST_AUTO_TEST_SUITE_END()
