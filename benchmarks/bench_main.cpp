// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// sssn-bench: measures every path of sssn-actors against raw CAF doing the
// same job in the same run, and prints one table (and writes it as JSON).
//
//   sssn-bench run [--json=FILE] [--reps=N] [--quick] [--only=a,b]
//                              the whole suite (benchmarks/run calls this)
//   sssn-bench case NAME SIDE [key=value...]
//                              one case on one side, in this process
//   sssn-bench serve [SECONDS] the server process of the remote cases
//   sssn-bench settings        the scheduler settings CAF reads back
//
// Every case runs in a fresh child process per side, and the sides of a pair
// alternate (ours, raw, ours, raw, ...) so that both see the same machine.
// Figures are medians over the repetitions; ratios are medians of the
// per-repetition ratios (each pair ran back to back). Every child has a time
// budget and is killed when it overruns it.

#include "bench.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

using json = nlohmann::json;

namespace bench {

namespace {

using clk = std::chrono::steady_clock;

std::string self_exe() {
  char buf[4096];
  auto n = readlink("/proc/self/exe", buf, sizeof(buf) - 1);
  if (n <= 0)
    return "sssn-bench";
  buf[n] = '\0';
  return buf;
}

// -- child processes ------------------------------------------------------------

struct child {
  pid_t pid = -1;
  int out = -1; // its stdout
  int in = -1;  // its stdin (-1: /dev/null)
};

child start_child(const std::vector<std::string>& argv, bool with_stdin) {
  int out_pipe[2];
  int in_pipe[2] = {-1, -1};
  if (pipe(out_pipe) != 0 || (with_stdin && pipe(in_pipe) != 0)) {
    std::perror("pipe");
    std::exit(1);
  }
  auto pid = fork();
  if (pid < 0) {
    std::perror("fork");
    std::exit(1);
  }
  if (pid == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    close(out_pipe[0]);
    close(out_pipe[1]);
    if (with_stdin) {
      dup2(in_pipe[0], STDIN_FILENO);
      close(in_pipe[0]);
      close(in_pipe[1]);
    } else {
      int null = open("/dev/null", O_RDONLY);
      dup2(null, STDIN_FILENO);
      close(null);
    }
    std::vector<char*> args;
    for (auto& a : argv)
      args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    std::perror("execv");
    _exit(127);
  }
  close(out_pipe[1]);
  child c;
  c.pid = pid;
  c.out = out_pipe[0];
  if (with_stdin) {
    close(in_pipe[0]);
    c.in = in_pipe[1];
  }
  return c;
}

/// Reads lines from the child until `stop(line)` says so, EOF, or the
/// deadline. Returns false on timeout.
template <class Stop>
bool read_lines(child& c, clk::time_point deadline, std::string& buffer,
                Stop stop) {
  for (;;) {
    auto nl = buffer.find('\n');
    while (nl != std::string::npos) {
      auto line = buffer.substr(0, nl);
      buffer.erase(0, nl + 1);
      if (stop(line))
        return true;
      nl = buffer.find('\n');
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                  deadline - clk::now())
                  .count();
    if (left <= 0)
      return false;
    pollfd pfd{c.out, POLLIN, 0};
    auto rc = poll(&pfd, 1, static_cast<int>(std::min<long>(left, 1000)));
    if (rc < 0 && errno != EINTR)
      return false;
    if (rc <= 0)
      continue;
    char buf[4096];
    auto n = read(c.out, buf, sizeof(buf));
    if (n <= 0) {
      // EOF: hand over a last unterminated line.
      if (!buffer.empty()) {
        auto line = buffer;
        buffer.clear();
        stop(line);
      }
      return true;
    }
    buffer.append(buf, static_cast<size_t>(n));
  }
}

/// Waits for the child to exit for at most `grace`, then kills it. Returns
/// whether it exited by itself.
bool reap(child& c, std::chrono::milliseconds grace) {
  auto deadline = clk::now() + grace;
  int status = 0;
  for (;;) {
    auto rc = waitpid(c.pid, &status, WNOHANG);
    if (rc == c.pid)
      break;
    if (clk::now() >= deadline) {
      kill(c.pid, SIGKILL);
      waitpid(c.pid, &status, 0);
      if (c.out >= 0)
        close(c.out);
      if (c.in >= 0)
        close(c.in);
      c.out = c.in = -1;
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds{10});
  }
  if (c.out >= 0)
    close(c.out);
  if (c.in >= 0)
    close(c.in);
  c.out = c.in = -1;
  return true;
}

/// Runs `sssn-bench case NAME SIDE args...` and returns its RESULT object.
json run_child_case(const std::string& name, const std::string& side,
                    const std::vector<std::string>& args, int budget_s) {
  std::vector<std::string> argv{self_exe(), "case", name, side};
  argv.insert(argv.end(), args.begin(), args.end());
  auto c = start_child(argv, false);
  std::string buffer;
  std::optional<json> result;
  auto deadline = clk::now() + std::chrono::seconds{budget_s};
  bool in_time = read_lines(c, deadline, buffer, [&](const std::string& line) {
    if (line.rfind("RESULT ", 0) == 0) {
      result = json::parse(line.substr(7), nullptr, false);
      return true;
    }
    return false;
  });
  // A child that printed its result gets a few seconds to shut down.
  bool exited = reap(c, in_time && result ? std::chrono::milliseconds{10000}
                                          : std::chrono::milliseconds{0});
  if (!result || result->is_discarded()) {
    return {{"error", in_time ? "no result (the process failed)"
                              : "killed after its budget of "
                                  + std::to_string(budget_s) + " s"}};
  }
  if (!exited)
    (*result)["warning"] = "killed: did not exit within 10 s of its result";
  return *result;
}

struct server {
  child proc;
  int node_port = 0;
  int raw_port = 0;
};

std::optional<server> start_server() {
  server s;
  s.proc = start_child({self_exe(), "serve", "240"}, true);
  std::string buffer;
  read_lines(s.proc, clk::now() + std::chrono::seconds{20}, buffer,
             [&](const std::string& line) {
               return std::sscanf(line.c_str(), "PORTS %d %d", &s.node_port,
                                  &s.raw_port)
                      == 2;
             });
  if (s.node_port <= 0 || s.raw_port <= 0) {
    reap(s.proc, std::chrono::milliseconds{0});
    return std::nullopt;
  }
  return s;
}

void stop_server(server& s) {
  if (s.proc.in >= 0) {
    close(s.proc.in);
    s.proc.in = -1;
  }
  reap(s.proc, std::chrono::milliseconds{8000});
}

// -- machine --------------------------------------------------------------------

std::string read_first(const char* path, const char* key) {
  std::ifstream in{path};
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(key, 0) == 0) {
      auto colon = line.find(':');
      auto value = colon == std::string::npos ? line : line.substr(colon + 1);
      auto first = value.find_first_not_of(" \t");
      return first == std::string::npos ? "" : value.substr(first);
    }
  return "";
}

std::string loadavg() {
  std::ifstream in{"/proc/loadavg"};
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

json machine() {
  utsname u{};
  uname(&u);
  auto now = std::time(nullptr);
  char date[64];
  std::strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&now));
  return {{"nproc", sysconf(_SC_NPROCESSORS_ONLN)},
          {"cpu", read_first("/proc/cpuinfo", "model name")},
          {"kernel", std::string{u.sysname} + " " + u.release},
          {"date", date}};
}

// -- statistics -----------------------------------------------------------------

double median(std::vector<double> xs) {
  if (xs.empty())
    return std::nan("");
  std::sort(xs.begin(), xs.end());
  auto n = xs.size();
  return n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
}

/// Spread of the samples: (max - min) / median, in percent.
double spread_pct(const std::vector<double>& xs) {
  if (xs.size() < 2)
    return 0;
  auto [lo, hi] = std::minmax_element(xs.begin(), xs.end());
  auto m = median(xs);
  return m != 0 ? 100.0 * (*hi - *lo) / std::fabs(m) : 0;
}

// -- the suite ------------------------------------------------------------------

/// One job: a case run on each side, `reps` times, alternating sides.
struct job {
  std::string key;  // unique name of the job
  std::string name; // case name
  std::vector<std::string> sides;
  std::vector<std::string> args;
  int reps = 1;
  int budget_s = 60;
  bool remote = false;
};

/// samples[job key][side] = one JSON result per repetition.
using samples_t = std::map<std::string, std::map<std::string, std::vector<json>>>;

enum class goal { none, ratio_at_most, ratio_at_least, ours_at_most, ours_below };

struct row_spec {
  std::string label;  // case column
  std::string metric; // metric column
  std::string job;
  std::string field;
  std::string unit;
  goal kind = goal::none;
  double target = 0;
  std::string ours_side = "ours";
  std::string raw_side = "raw";
};

struct row {
  row_spec spec;
  std::vector<double> ours;
  std::vector<double> raw;
  std::vector<double> ratios;
  std::string target_text;
  std::optional<bool> met;
  std::string note;
};

std::vector<double> field_values(const std::vector<json>& xs,
                                 const std::string& field, std::string& note) {
  std::vector<double> result;
  for (auto& x : xs) {
    if (x.contains("error")) {
      note = x["error"].get<std::string>();
      continue;
    }
    if (x.contains("failed") && x["failed"].is_number() && x["failed"] != 0) {
      note = "failed calls: " + x["failed"].dump() + " ("
             + x.value("first_error", std::string{}) + ")";
    }
    if (x.contains(field) && x[field].is_number())
      result.push_back(x[field].get<double>());
  }
  return result;
}

row make_row(const row_spec& spec, samples_t& samples) {
  row r;
  r.spec = spec;
  auto& by_side = samples[spec.job];
  r.ours = field_values(by_side[spec.ours_side], spec.field, r.note);
  r.raw = field_values(by_side[spec.raw_side], spec.field, r.note);
  for (size_t i = 0; i < std::min(r.ours.size(), r.raw.size()); ++i)
    if (r.raw[i] != 0)
      r.ratios.push_back(r.ours[i] / r.raw[i]);
  auto ours = median(r.ours);
  auto ratio = median(r.ratios);
  char buf[64];
  switch (spec.kind) {
    case goal::none:
      break;
    case goal::ratio_at_most:
      std::snprintf(buf, sizeof(buf), "<= %gx", spec.target);
      r.target_text = buf;
      if (!std::isnan(ratio))
        r.met = ratio <= spec.target;
      break;
    case goal::ratio_at_least:
      std::snprintf(buf, sizeof(buf), ">= %gx", spec.target);
      r.target_text = buf;
      if (!std::isnan(ratio))
        r.met = ratio >= spec.target;
      break;
    case goal::ours_at_most:
      std::snprintf(buf, sizeof(buf), "ours <= %g %s", spec.target,
                    spec.unit.c_str());
      r.target_text = buf;
      if (!std::isnan(ours))
        r.met = ours <= spec.target;
      break;
    case goal::ours_below:
      std::snprintf(buf, sizeof(buf), "ours < %g %s", spec.target,
                    spec.unit.c_str());
      r.target_text = buf;
      if (!std::isnan(ours))
        r.met = ours < spec.target;
      break;
  }
  return r;
}

std::string fmt_value(double x) {
  if (std::isnan(x))
    return "-";
  char buf[64];
  auto a = std::fabs(x);
  if (a >= 1e6)
    std::snprintf(buf, sizeof(buf), "%.3gM", x / 1e6);
  else if (a >= 1e4)
    std::snprintf(buf, sizeof(buf), "%.0fk", x / 1e3);
  else if (a >= 100)
    std::snprintf(buf, sizeof(buf), "%.0f", x);
  else if (a >= 10)
    std::snprintf(buf, sizeof(buf), "%.1f", x);
  else
    std::snprintf(buf, sizeof(buf), "%.2f", x);
  return buf;
}

std::string fmt_ratio(double x) {
  if (std::isnan(x))
    return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), x >= 10 ? "%.1fx" : "%.2fx", x);
  return buf;
}

void print_table(const std::vector<row>& rows) {
  std::vector<std::vector<std::string>> cells;
  cells.push_back({"case", "metric", "ours", "raw CAF", "ratio", "target",
                   "met?"});
  for (auto& r : rows) {
    auto with_unit = [&](double x) {
      auto s = fmt_value(x);
      return s == "-" ? s : s + " " + r.spec.unit;
    };
    std::string met = r.met ? (*r.met ? "yes" : "NO") : "";
    cells.push_back({r.spec.label, r.spec.metric, with_unit(median(r.ours)),
                     with_unit(median(r.raw)), fmt_ratio(median(r.ratios)),
                     r.target_text, met});
  }
  std::vector<size_t> width(cells[0].size(), 0);
  for (auto& line : cells)
    for (size_t i = 0; i < line.size(); ++i)
      width[i] = std::max(width[i], line[i].size());
  auto print_line = [&](const std::vector<std::string>& line) {
    std::string out;
    for (size_t i = 0; i < line.size(); ++i) {
      auto& s = line[i];
      bool right = i >= 2 && i <= 4;
      auto pad = std::string(width[i] - s.size(), ' ');
      out += right ? pad + s : s + pad;
      if (i + 1 < line.size())
        out += "  ";
    }
    while (!out.empty() && out.back() == ' ')
      out.pop_back();
    std::printf("%s\n", out.c_str());
  };
  print_line(cells[0]);
  size_t total = 0;
  for (auto w : width)
    total += w + 2;
  std::printf("%s\n", std::string(total - 2, '-').c_str());
  for (size_t i = 1; i < cells.size(); ++i)
    print_line(cells[i]);
  for (auto& r : rows)
    if (!r.note.empty())
      std::printf("note: %s / %s: %s\n", r.spec.label.c_str(),
                  r.spec.metric.c_str(), r.note.c_str());
}

json row_json(const row& r) {
  auto num = [](double x) { return std::isnan(x) ? json(nullptr) : json(x); };
  json j{{"case", r.spec.label},
         {"metric", r.spec.metric},
         {"unit", r.spec.unit},
         {"ours", num(median(r.ours))},
         {"raw_caf", num(median(r.raw))},
         {"ratio", num(median(r.ratios))},
         {"target", r.target_text},
         {"met", r.met ? json(*r.met) : json(nullptr)},
         {"ours_samples", r.ours},
         {"raw_caf_samples", r.raw},
         {"ratio_samples", r.ratios},
         {"ours_spread_pct", spread_pct(r.ours)},
         {"raw_caf_spread_pct", spread_pct(r.raw)},
         {"ours_side", r.spec.ours_side},
         {"raw_side", r.spec.raw_side}};
  if (!r.note.empty())
    j["note"] = r.note;
  return j;
}

int run_suite(const std::string& json_path, int reps, bool quick,
              const std::vector<std::string>& only) {
  auto t_start = clk::now();
  auto load_before = loadavg();
  auto mach = machine();
  auto settings = scheduler_settings();
  std::fprintf(stderr, "sssn-bench: %ld cores, %s, %s, load %s\n",
               static_cast<long>(mach["nproc"].get<long>()),
               mach["cpu"].get<std::string>().c_str(),
               mach["kernel"].get<std::string>().c_str(), load_before.c_str());
  std::fprintf(stderr, "sssn-bench: scheduler settings read back: %s\n",
               settings.dump().c_str());
  int r3 = reps;
  int r2 = std::max(1, std::min(reps, 2));
  std::string mem_n = quick ? "n=20000" : "n=100000";
  std::string ret_n = quick ? "n=500000" : "n=5000000";
  std::string ret_mark = quick ? "mark=100000" : "mark=1000000";
  std::vector<job> jobs{
    {"seq_event", "seq_event", {"ours", "raw"}, {"n=20000"}, r3, 60},
    {"seq_blocking", "seq_blocking", {"ours", "raw", "raw_fresh"}, {"n=5000"},
     r3, 60},
    {"tput1", "throughput", {"ours", "raw"}, {"inflight=1"}, r3, 60},
    {"tput64", "throughput", {"ours", "raw"}, {"inflight=64"}, r3, 60},
    {"tput1000", "throughput", {"ours", "raw"}, {"inflight=1000"}, r3, 60},
    {"concurrent10", "concurrent10", {"ours", "raw"}, {"rounds=300"}, r3, 60},
    {"remote_seq", "remote_seq", {"ours", "raw"}, {"n=5000", "warmup=500"},
     r3, 60, true},
    {"remote_tput", "remote_tput", {"ours", "raw"}, {"inflight=1000"}, r3, 60,
     true},
    {"timeouts", "timeouts", {"ours", "raw"}, {"n=100000"}, r2, 60},
    {"idle_cpu", "idle_cpu", {"ours", "raw"}, {}, r3, 30},
    {"mem_pending", "mem_pending", {"ours", "raw", "raw_inf"}, {mem_n}, r2,
     100},
    {"retention", "retention", {"ours"}, {ret_n, ret_mark, "budget_s=120"}, 1,
     170},
    {"ch_write", "ch_write", {"ours", "raw"}, {}, r2, 40},
    {"ch_read", "ch_read", {"ours", "raw"}, {}, r2, 40},
    {"ch_push1", "ch_push", {"ours", "raw"}, {"subs=1"}, r2, 40},
    {"ch_push8", "ch_push", {"ours", "raw"}, {"subs=8"}, r2, 40},
  };
  samples_t samples;
  json job_log = json::array();
  std::optional<server> srv;
  for (auto& j : jobs) {
    if (!only.empty() && std::find(only.begin(), only.end(), j.key) == only.end())
      continue;
    std::vector<std::string> args = j.args;
    if (j.remote) {
      if (!srv)
        srv = start_server();
      if (!srv) {
        for (auto& side : j.sides)
          samples[j.key][side].push_back({{"error", "server did not start"}});
        continue;
      }
    }
    auto t_job = clk::now();
    for (int rep = 0; rep < j.reps; ++rep)
      for (auto& side : j.sides) {
        auto a = args;
        if (j.remote)
          a.push_back("port=" + std::to_string(side == "ours" ? srv->node_port
                                                              : srv->raw_port));
        auto res = run_child_case(j.name, side, a, j.budget_s);
        samples[j.key][side].push_back(res);
        job_log.push_back({{"job", j.key}, {"side", side}, {"rep", rep},
                           {"result", res}});
      }
    std::fprintf(stderr, "sssn-bench: %-13s %5.1f s  (load %s)\n",
                 j.key.c_str(),
                 std::chrono::duration<double>(clk::now() - t_job).count(),
                 loadavg().c_str());
    if (srv && (&j == &jobs.back() || !(&j + 1)->remote)) {
      stop_server(*srv);
      srv.reset();
    }
  }
  if (srv)
    stop_server(*srv);
  // The retention rows compare ours at 5M with ours at 1M.
  std::map<std::string, std::vector<json>> no_runs;
  auto& ret = samples.count("retention") > 0 ? samples["retention"] : no_runs;
  for (auto side : {"ours", "raw"})
    for (auto& x : ret[side])
      if (x.contains("peak_rss_end_mb") && x.contains("peak_rss_at_mark_mb")
          && x["peak_rss_at_mark_mb"].get<double>() > 0)
        x["growth"] = x["peak_rss_end_mb"].get<double>()
                      / x["peak_rss_at_mark_mb"].get<double>();
  std::string m = quick ? "100k" : "1M";
  std::string m5 = quick ? "500k" : "5M";
  // Within its time budget the retention run may stop short of its goal:
  // then the rows name the number of calls it reached.
  std::string retention_note;
  for (auto& x : ret["ours"])
    if (x.contains("calls") && x["calls"].is_number()) {
      auto calls = x["calls"].get<double>();
      auto goal_calls = quick ? 500e3 : 5e6;
      if (calls + 1000 < goal_calls) {
        char buf[32];
        std::snprintf(buf, sizeof(buf), "%.2gM", calls / 1e6);
        m5 = buf;
        retention_note = "retention run stopped at its time budget after "
                         + std::string{buf} + " calls";
      }
    }
  std::vector<row_spec> specs{
    {"local sequential, event-based", "p50", "seq_event", "p50_us", "us",
     goal::ratio_at_most, 3},
    {"local sequential, event-based", "p99", "seq_event", "p99_us", "us"},
    {"local sequential, event-based", "calls/s", "seq_event", "calls_per_s",
     "/s"},
    {"local sequential, blocking", "p50", "seq_blocking", "p50_us", "us",
     goal::ratio_at_most, 1.5},
    {"local sequential, blocking", "p99", "seq_blocking", "p99_us", "us"},
    {"local sequential, blocking", "calls/s", "seq_blocking", "calls_per_s",
     "/s"},
    {"local sequential, blocking", "p50 vs scoped_actor per call",
     "seq_blocking", "p50_us", "us", goal::none, 0, "ours", "raw_fresh"},
    {"local throughput, 1 in flight", "calls/s", "tput1", "calls_per_s", "/s"},
    {"local throughput, 64 in flight", "calls/s", "tput64", "calls_per_s",
     "/s"},
    {"local throughput, 1000 in flight", "calls/s", "tput1000", "calls_per_s",
     "/s", goal::ratio_at_least, 0.5},
    {"10 concurrent blocking calls", "batch p50", "concurrent10", "p50_us",
     "us"},
    {"10 concurrent blocking calls", "calls/s", "concurrent10", "calls_per_s",
     "/s"},
    {"remote sequential", "p50", "remote_seq", "p50_us", "us",
     goal::ratio_at_most, 1.1},
    {"remote sequential", "p99", "remote_seq", "p99_us", "us"},
    {"remote throughput, 1000 in flight", "calls/s", "remote_tput",
     "calls_per_s", "/s", goal::ratio_at_least, 0.8},
    {"100,000 calls timing out after 1 s", "slowest call resolved after",
     "timeouts", "max_wait_s", "s", goal::ours_at_most, 1.2},
    {"100,000 calls timing out after 1 s", "all resolved, from 1st call",
     "timeouts", "last_s", "s"},
    {"one call waiting 1 s", "process CPU", "idle_cpu", "cpu_ms", "ms",
     goal::ratio_at_most, 1.2},
    {"pending calls", "bytes/call (heap)", "mem_pending",
     "bytes_per_pending_heap", "B", goal::ours_at_most, 360},
    // RSS deltas also count pages the allocator keeps after transient
    // bursts; the target is judged on the heap figure (bytes in use).
    {"pending calls", "bytes/call (RSS, info)", "mem_pending",
     "bytes_per_pending_rss", "B"},
    {"pending calls", "bytes/call vs caf::infinite (heap)", "mem_pending",
     "bytes_per_pending_heap", "B", goal::none, 0, "ours", "raw_inf"},
    {"retention, 1000 in flight", "peak RSS after " + m, "retention",
     "peak_rss_at_mark_mb", "MB"},
    {"retention, 1000 in flight", "peak RSS after " + m5, "retention",
     "peak_rss_end_mb", "MB"},
    {"retention, 1000 in flight", "growth " + m + " -> " + m5, "retention",
     "growth", "x", goal::ours_at_most, 1.1},
    {"retention, 1000 in flight", "calls/s (channels full)", "retention",
     "calls_per_s", "/s"},
    {"channel alone", "writes/s (64 in flight)", "ch_write", "calls_per_s",
     "/s"},
    {"channel alone", "shared reads, msgs/s", "ch_read", "messages_per_s",
     "/s"},
    {"channel alone", "push deliveries/s, 1 sub", "ch_push1",
     "deliveries_per_s", "/s"},
    {"channel alone", "push deliveries/s, 8 subs", "ch_push8",
     "deliveries_per_s", "/s"},
  };
  std::vector<row> rows;
  for (auto& spec : specs)
    if (samples.count(spec.job) > 0) {
      rows.push_back(make_row(spec, samples));
      if (spec.field == "growth" && !retention_note.empty()
          && rows.back().note.empty())
        rows.back().note = retention_note;
    }
  auto total_s = std::chrono::duration<double>(clk::now() - t_start).count();
  auto load_after = loadavg();
  std::printf("\n");
  print_table(rows);
  int met = 0;
  int missed = 0;
  for (auto& r : rows)
    if (r.met)
      (*r.met ? met : missed) += 1;
  std::printf("\ntargets met: %d of %d; %d repetitions per pair (median); "
              "measured in %.0f s; load average %s before, %s after\n",
              met, met + missed, reps, total_s, load_before.c_str(),
              load_after.c_str());
  json out{{"machine", mach},
           {"scheduler_settings", settings},
           {"repetitions", reps},
           {"quick", quick},
           {"seconds", total_s},
           {"load_before", load_before},
           {"load_after", load_after},
           {"targets_met", met},
           {"targets_missed", missed},
           {"rows", json::array()},
           {"runs", job_log}};
  for (auto& r : rows)
    out["rows"].push_back(row_json(r));
  std::ofstream file{json_path};
  if (!file) {
    std::fprintf(stderr, "sssn-bench: cannot write %s\n", json_path.c_str());
    return 1;
  }
  file << out.dump(2) << '\n';
  std::printf("JSON written to %s\n", json_path.c_str());
  return 0;
}

} // namespace

} // namespace bench

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto usage = [] {
    std::fprintf(stderr,
                 "usage: sssn-bench run [--json=FILE] [--reps=N] [--quick] "
                 "[--only=job,...]\n"
                 "       sssn-bench case NAME SIDE [key=value...]\n"
                 "       sssn-bench serve [SECONDS]\n"
                 "       sssn-bench settings\n");
    return 2;
  };
  if (args.empty())
    return usage();
  if (args[0] == "case" && args.size() >= 3) {
    bench::arg_map kv;
    for (size_t i = 3; i < args.size(); ++i) {
      auto eq = args[i].find('=');
      if (eq != std::string::npos)
        kv[args[i].substr(0, eq)] = args[i].substr(eq + 1);
    }
    // A case that overruns its budget by far is stopped here too.
    auto budget = static_cast<int>(kv.count("budget_s")
                                     ? std::stol(kv["budget_s"]) + 60
                                     : 120);
    std::thread([budget] {
      std::this_thread::sleep_for(std::chrono::seconds{budget});
      std::printf("RESULT {\"error\": \"watchdog: %d s\"}\n", budget);
      std::fflush(stdout);
      std::_Exit(3);
    }).detach();
    auto result = bench::run_case(args[1], args[2], kv);
    std::printf("RESULT %s\n", result.dump().c_str());
    std::fflush(stdout);
    return result.contains("error") ? 1 : 0;
  }
  if (args[0] == "serve")
    return bench::run_server(args.size() > 1 ? std::stoi(args[1]) : 240);
  if (args[0] == "settings") {
    std::printf("%s\n", bench::scheduler_settings().dump(2).c_str());
    return 0;
  }
  if (args[0] == "run") {
    std::string json_path = "benchmarks/results.json";
    int reps = 3;
    bool quick = false;
    std::vector<std::string> only;
    for (size_t i = 1; i < args.size(); ++i) {
      auto& a = args[i];
      if (a.rfind("--json=", 0) == 0) {
        json_path = a.substr(7);
      } else if (a.rfind("--reps=", 0) == 0) {
        reps = std::max(1, std::stoi(a.substr(7)));
      } else if (a == "--quick") {
        quick = true;
      } else if (a.rfind("--only=", 0) == 0) {
        std::stringstream in{a.substr(7)};
        std::string item;
        while (std::getline(in, item, ','))
          only.push_back(item);
      } else {
        return usage();
      }
    }
    return bench::run_suite(json_path, reps, quick, only);
  }
  return usage();
}
