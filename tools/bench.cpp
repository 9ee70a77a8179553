// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// `sssn bench`: sends a number of requests to a served channel with a number
// of them in flight at once, from one event-based actor (as an application
// would), and prints requests/s and latency percentiles, like `nats bench`.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace sssn::cli {

namespace {

using steady = std::chrono::steady_clock;

struct bench_options {
  remote_options remote;
  std::string data = R"({"a":7,"b":35})";
  std::string sender = "sssn-bench";
  uint64_t requests = 1000;
  uint32_t concurrency = 10;
  size_t size = 0;
  bool json = false;
};

/// What a run measured.
struct bench_result {
  std::vector<double> latencies_ms; // of the calls that got a reply
  /// Kind of error (`no_responders`, `request_timeout`, ...) -> count, and
  /// the first message of each kind.
  std::map<std::string, uint64_t> errors;
  std::map<std::string, std::string> examples;
  uint64_t error_count = 0;
  double seconds = 0;
  bool interrupted = false;
};

using bench_stop_atom = caf::atom_constant<caf::atom("bench_stop")>;

struct bench_state {
  sssn::channel request_ch;
  sssn::channel response_ch;
  std::shared_ptr<const bench_options> opts;
  sssn::content data;
  uint64_t sent = 0;
  uint64_t in_flight = 0;
  bool stopped = false;
  steady::time_point start;
  bench_result result;
  std::shared_ptr<std::promise<bench_result>> done;
};

using bench_actor = caf::stateful_actor<bench_state>;

/// Names the kind of `err` without what differs per call (correlation
/// ids): `no_responders`, `request_timeout`, ...
std::string error_kind(const caf::error& err) {
  if (err.category() == caf::atom("sssn"))
    return sssn::to_string(static_cast<sssn::ec>(err.code()));
  if (err.category() == caf::atom("system"))
    return caf::to_string(static_cast<caf::sec>(err.code()));
  return caf::to_string(err.category());
}

void finish_if_done(bench_actor* self) {
  auto& st = self->state;
  if (st.in_flight > 0)
    return;
  if (!st.stopped && st.sent < st.opts->requests)
    return;
  st.result.seconds
    = std::chrono::duration<double>(steady::now() - st.start).count();
  st.result.interrupted = st.stopped;
  st.done->set_value(std::move(st.result));
  self->quit();
}

/// Sends the next request, if any is left; each answer sends the next, so
/// that `concurrency` calls stay in flight.
void launch(bench_actor* self) {
  auto& st = self->state;
  if (st.stopped || st.sent >= st.opts->requests)
    return;
  ++st.sent;
  ++st.in_flight;
  auto t0 = steady::now();
  auto record = [self, t0](const caf::error& err, bool error_reply) {
    auto& st = self->state;
    --st.in_flight;
    if (err) {
      ++st.result.error_count;
      auto kind = error_reply ? std::string{"error reply"} : error_kind(err);
      if (st.result.errors[kind]++ == 0)
        st.result.examples[kind] = sssn::error_message(err);
    } else {
      st.result.latencies_ms.push_back(
        std::chrono::duration<double, std::milli>(steady::now() - t0).count());
    }
    launch(self);
    finish_if_done(self);
  };
  sssn::request_via_channel(self, st.request_ch, st.response_ch,
                            st.opts->sender, st.data,
                            seconds(st.opts->remote.timeout))
    .then(
      [record](const sssn::channel_message& reply) {
        // An error reply is an answer too, but not a successful call.
        auto is_error = reply.content().is_error();
        record(is_error ? reply.content().error() : caf::error{}, is_error);
      },
      [record](const caf::error& err) { record(err, false); });
}

caf::behavior bench(bench_actor* self, sssn::channel request_ch,
                    sssn::channel response_ch,
                    std::shared_ptr<const bench_options> opts,
                    sssn::content data,
                    std::shared_ptr<std::promise<bench_result>> done) {
  auto& st = self->state;
  st.done = std::move(done);
  st.request_ch = std::move(request_ch);
  st.response_ch = std::move(response_ch);
  st.opts = std::move(opts);
  st.data = std::move(data);
  st.start = steady::now();
  for (uint32_t i = 0; i < st.opts->concurrency; ++i)
    launch(self);
  return {
    [self](bench_stop_atom) {
      self->state.stopped = true;
      finish_if_done(self);
    },
  };
}

/// Nearest-rank percentile of sorted `xs` (not empty).
double percentile(const std::vector<double>& xs, double p) {
  auto rank = static_cast<size_t>(
    std::ceil(p / 100.0 * static_cast<double>(xs.size())));
  return xs[std::min(xs.size(), std::max<size_t>(rank, 1)) - 1];
}

std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.*f", digits, x);
  return buf;
}

/// Pads the JSON object `data` with a "pad" string so that its JSON text has
/// at least `size` bytes.
void pad(sssn::json& data, size_t size) {
  auto base = data.dump().size();
  // `,"pad":""` adds 9 bytes (8 to an empty object).
  size_t overhead = data.empty() ? 8 : 9;
  if (size > base + overhead)
    data["pad"] = std::string(size - base - overhead, 'x');
  else if (size > base)
    data["pad"] = "";
}

void print_summary(const bench_options& opts, size_t payload_bytes,
                   bench_result& r) {
  auto ok = r.latencies_ms.size();
  auto completed = ok + r.error_count;
  auto rate = r.seconds > 0 ? static_cast<double>(completed) / r.seconds : 0;
  std::sort(r.latencies_ms.begin(), r.latencies_ms.end());
  double mean = 0;
  for (auto x : r.latencies_ms)
    mean += x;
  if (ok > 0)
    mean /= static_cast<double>(ok);
  auto where = address(opts.remote.host, opts.remote.port);
  if (opts.json) {
    nlohmann::ordered_json j;
    j["channel"] = opts.remote.channel;
    j["address"] = where;
    j["requests"] = opts.requests;
    j["concurrency"] = opts.concurrency;
    j["payload_bytes"] = payload_bytes;
    j["completed"] = completed;
    j["ok"] = ok;
    j["errors"] = r.error_count;
    j["error_kinds"] = r.errors;
    j["error_examples"] = r.examples;
    j["interrupted"] = r.interrupted;
    j["seconds"] = r.seconds;
    j["requests_per_second"] = rate;
    if (ok > 0)
      j["latency_ms"] = {{"min", r.latencies_ms.front()},
                         {"p50", percentile(r.latencies_ms, 50)},
                         {"p90", percentile(r.latencies_ms, 90)},
                         {"p99", percentile(r.latencies_ms, 99)},
                         {"max", r.latencies_ms.back()},
                         {"mean", mean}};
    else
      j["latency_ms"] = nullptr;
    std::cout << j.dump(2, ' ', false,
                        nlohmann::json::error_handler_t::replace)
              << std::endl;
    return;
  }
  std::ostringstream out;
  out << "sssn bench: " << opts.requests << " requests to '"
      << opts.remote.channel << "' on " << where << ", "
      << opts.concurrency << " in flight, " << payload_bytes
      << "-byte payload\n";
  out << "completed: " << completed << " (" << ok << " ok, " << r.error_count
      << " errors) in " << fixed(r.seconds, 3) << " s"
      << (r.interrupted ? " (interrupted)" : "") << '\n';
  out << "throughput: " << fixed(rate, 1) << " requests/s\n";
  if (ok > 0)
    out << "latency: min " << fixed(r.latencies_ms.front(), 3) << " ms, p50 "
        << fixed(percentile(r.latencies_ms, 50), 3) << " ms, p90 "
        << fixed(percentile(r.latencies_ms, 90), 3) << " ms, p99 "
        << fixed(percentile(r.latencies_ms, 99), 3) << " ms, max "
        << fixed(r.latencies_ms.back(), 3) << " ms, mean " << fixed(mean, 3)
        << " ms\n";
  else
    out << "latency: no successful request\n";
  for (auto& [kind, n] : r.errors)
    out << "errors: " << n << " x " << kind << " (e.g. " << r.examples[kind]
        << ")\n";
  std::cout << out.str() << std::flush;
}

int run_bench(const common_options& common, bench_options opts_in) {
  auto stop_signals = block_stop_signals();
  if (!load_token(opts_in.remote))
    return exit_usage;
  auto data = load_data(opts_in.data);
  if (!data)
    return exit_usage;
  if (opts_in.size > 0) {
    if (data->is_error() || !data->data().is_object()) {
      std::cerr << "error: --size pads a JSON object; --data is not one\n";
      return exit_usage;
    }
    auto padded = data->data();
    pad(padded, opts_in.size);
    data = sssn::content{std::move(padded)};
  }
  auto payload_bytes = data->to_json().size();
  auto opts = std::make_shared<const bench_options>(std::move(opts_in));
  sssn::config cfg;
  if (auto rc = configure(cfg, common, opts->remote.tls))
    return *rc;
  caf::actor_system sys{cfg};
  shutdown_deadline deadline;
  auto target = open_remote_channel(sys, opts->remote);
  if (!target)
    return exit_failure;
  auto response_ch = sssn::spawn_channel(sys, "sssn-bench.response");
  if (auto ok = response_ch.start(); !ok) {
    std::cerr << "error: " << sssn::error_message(ok.error()) << '\n';
    return exit_failure;
  }
  std::cerr << "sssn bench: " << opts->requests << " requests, "
            << opts->concurrency << " in flight, " << payload_bytes
            << "-byte payload; Ctrl-C stops early" << std::endl;
  auto done = std::make_shared<std::promise<bench_result>>();
  auto fut = done->get_future();
  auto hdl = sys.spawn(bench, target->channel, response_ch, opts,
                       std::move(*data), done);
  bool stopping = false;
  while (fut.wait_for(std::chrono::seconds{0}) != std::future_status::ready) {
    if (auto sig = wait_for_signal(stop_signals,
                                   std::chrono::milliseconds{50});
        sig != 0 && !stopping) {
      std::cerr << "sssn bench: stopping (" << signal_name(sig)
                << "), waiting for the calls in flight" << std::endl;
      caf::anon_send(hdl, bench_stop_atom::value);
      stopping = true;
    }
  }
  auto result = fut.get();
  print_summary(*opts, payload_bytes, result);
  return deadline.exit_with(
    result.error_count == 0 && !result.interrupted ? exit_ok : exit_failure);
}

} // namespace

command add_bench_command(CLI::App& app, const common_options& common) {
  auto opts = std::make_shared<bench_options>();
  auto cmd = app.add_subcommand(
    "bench", "send requests to a served channel, many in flight at once, "
             "and print requests/s and latency percentiles (p50, p90, p99, "
             "max); exit code 1 if any request failed");
  add_remote_options(cmd, opts->remote,
                     "seconds to wait for the node, and for each reply", true,
                     "--sender");
  add_data_option(cmd, opts->data);
  cmd->add_option("--sender", opts->sender, "sender id of the requests")
    ->capture_default_str();
  cmd
    ->add_option("--requests,-n", opts->requests,
                 "how many requests to send")
    ->check(CLI::Range(uint64_t{1}, uint64_t{100'000'000}))
    ->capture_default_str();
  cmd
    ->add_option("--concurrency,-c", opts->concurrency,
                 "how many requests are in flight at once")
    ->check(CLI::Range(uint32_t{1}, uint32_t{10'000}))
    ->capture_default_str();
  cmd
    ->add_option("--size", opts->size,
                 "pad the request (a JSON object) with a \"pad\" string to "
                 "at least this many bytes of JSON (0: --data as it is)")
    ->check(CLI::Range(size_t{0}, size_t{16} * 1024 * 1024))
    ->capture_default_str();
  cmd->add_flag("--json", opts->json, "print the summary as one JSON object");
  return {cmd, [&common, opts] { return run_bench(common, *opts); }};
}

} // namespace sssn::cli
