// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The measurements of sssn-bench: each case runs once, in a process of its
// own, on one side of a pair: "ours" (the library's public API) or "raw"
// (plain CAF doing the same job with the same payload, the same timeouts and
// the same scheduler settings). bench_main.cpp runs them and compares.
//
// Payload: ours sends `json{{"a", i}, {"b", 2 * i}}` as `sssn::content`;
// raw CAF sends the very same `sssn::content` value (registered by
// `sssn::config`, so it also crosses nodes, in sssn's own encoding), and the
// echo actor returns it unchanged. Our responder is an echo as well.

#include "bench.hpp"

#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cinttypes>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <future>
#include <iostream>
#include <limits>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <caf/all.hpp>
#include <caf/io/middleman.hpp>

#include "sssn/all.hpp"

using namespace std::chrono_literals;
using sssn::json;

namespace bench {

namespace {

using clk = std::chrono::steady_clock;

// -- process figures ------------------------------------------------------------

double cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec)
         + static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec)
             / 1e6;
}

/// Bytes the allocator has handed out and not got back (all arenas).
double heap_bytes() {
  auto m = mallinfo2();
  return static_cast<double>(m.uordblks + m.hblkhd);
}

/// Resident set size now.
double rss_bytes() {
  std::ifstream in{"/proc/self/statm"};
  long pages = 0;
  long resident = 0;
  in >> pages >> resident;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE));
}

/// Peak resident set size so far.
double peak_rss_bytes() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) * 1024.0;
}

double seconds_between(clk::time_point a, clk::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

double percentile(std::vector<double> xs, double p) {
  if (xs.empty())
    return 0;
  std::sort(xs.begin(), xs.end());
  auto i = static_cast<size_t>(p * static_cast<double>(xs.size() - 1) + 0.5);
  return xs[std::min(i, xs.size() - 1)];
}

// -- arguments ------------------------------------------------------------------

long arg_int(const arg_map& args, const std::string& key, long fallback) {
  auto i = args.find(key);
  return i == args.end() ? fallback : std::stol(i->second);
}

// -- the actor system -----------------------------------------------------------

/// `sssn::config` for both sides. `SSSN_BENCH_SET="key=value,..."` overrides
/// settings (integers, or durations ending in `us` / `ms`) for experiments;
/// the driver passes the same environment to both sides of every pair.
struct bench_config : sssn::config {
  bench_config() {
    if (auto env = std::getenv("SSSN_BENCH_SET")) {
      std::stringstream in{env};
      std::string item;
      while (std::getline(in, item, ',')) {
        auto eq = item.find('=');
        if (eq == std::string::npos)
          continue;
        auto key = item.substr(0, eq);
        auto val = item.substr(eq + 1);
        auto ends = [&](const char* suffix) {
          auto n = std::char_traits<char>::length(suffix);
          return val.size() > n && val.compare(val.size() - n, n, suffix) == 0;
        };
        if (ends("us"))
          set(key, caf::timespan{std::chrono::microseconds{
                     std::stol(val.substr(0, val.size() - 2))}});
        else if (ends("ms"))
          set(key, caf::timespan{std::chrono::milliseconds{
                     std::stol(val.substr(0, val.size() - 2))}});
        else
          set(key, static_cast<int64_t>(std::stol(val)));
      }
    }
  }
};

struct world {
  bench_config cfg;
  caf::actor_system sys{cfg};
};

sssn::content payload(int64_t i) {
  return sssn::content{json{{"a", i}, {"b", 2 * i}}};
}

[[noreturn]] void die(const std::string& what) {
  std::printf("RESULT %s\n", json{{"error", what}}.dump().c_str());
  std::fflush(stdout);
  std::_Exit(2);
}

template <class T>
T must(caf::expected<T> x, const char* what) {
  if (!x)
    die(std::string{what} + ": " + sssn::error_message(x.error()));
  return std::move(*x);
}

void must(caf::expected<void> x, const char* what) {
  if (!x)
    die(std::string{what} + ": " + sssn::error_message(x.error()));
}

template <class T>
T wait_for(std::future<T>& fut, caf::timespan budget, const char* what) {
  if (fut.wait_for(budget) != std::future_status::ready)
    die(std::string{what} + ": no result within its time budget");
  return fut.get();
}

// -- services -------------------------------------------------------------------

/// Our echo service: request and response channel, one echo responder.
struct ours_service {
  sssn::channel req;
  sssn::channel resp;
};

ours_service start_channels(caf::actor_system& sys,
                            uint64_t request_max_messages = 100'000,
                            uint64_t response_max_messages = 100'000,
                            bool keep_history = false) {
  sssn::channel_config rc;
  rc.id = "bench-request";
  rc.max_messages = request_max_messages;
  rc.keep_history = keep_history;
  auto req = sssn::spawn_channel(sys, rc);
  sssn::channel_config pc;
  pc.id = "bench-response";
  pc.max_messages = response_max_messages;
  pc.keep_history = keep_history;
  auto resp = sssn::spawn_channel(sys, pc);
  must(req.start(), "start request channel");
  must(resp.start(), "start response channel");
  return {req, resp};
}

void spawn_echo_responder(caf::actor_system& sys, const sssn::channel& req) {
  sssn::spawn_responder(sys, req,
                        [](const sssn::content& data) { return data; });
}

/// Promises a holding responder took and never answers.
struct held_replies {
  std::mutex mtx;
  std::vector<sssn::reply_promise> promises;
};

void spawn_holding_responder(caf::actor_system& sys, const sssn::channel& req,
                             std::shared_ptr<held_replies> held) {
  sssn::spawn_responder(sys, req,
                        [held](const sssn::content&,
                               const sssn::reply_promise& rp) {
                          std::lock_guard<std::mutex> guard{held->mtx};
                          held->promises.push_back(rp);
                        });
}

/// Raw CAF echo: returns the payload.
caf::behavior raw_echo() {
  return {
    [](sssn::content& data) { return data; },
  };
}

struct raw_holder_state {
  std::vector<caf::response_promise> held;
};

/// Raw CAF actor that takes every request and never answers.
caf::behavior raw_holder(caf::stateful_actor<raw_holder_state>* self,
                         std::shared_ptr<std::atomic<uint64_t>> count) {
  return {
    [=](sssn::content&) -> caf::result<sssn::content> {
      self->state.held.push_back(self->make_response_promise());
      ++*count;
      return self->state.held.back();
    },
  };
}

using rd_atom = caf::atom_constant<caf::atom("bench_rd")>;

/// Shared reads: a log of this many messages, read this many at a time.
constexpr uint64_t stored = 100'000;
constexpr uint32_t limit = 100;

struct raw_log_state {
  std::deque<sssn::content> log;
  uint64_t first = 0; // sequence number of log.front()
  uint64_t next = 0;
  std::unordered_map<std::string, uint64_t> cursors;
  std::vector<caf::actor> subscribers;
};

/// Raw CAF stand-in for a channel: stores what it is sent (at most 100,000
/// entries, like a channel's default retention), answers with an id, pushes
/// each entry to its subscribers, and serves shared reads by cursor.
caf::behavior raw_log(caf::stateful_actor<raw_log_state>* self,
                      std::vector<caf::actor> subscribers) {
  self->state.subscribers = std::move(subscribers);
  return {
    [=](sssn::content& data) {
      auto& st = self->state;
      st.log.push_back(data);
      if (st.log.size() > 100'000) {
        st.log.pop_front();
        ++st.first;
      }
      for (auto& sub : st.subscribers)
        self->send(sub, data);
      return std::to_string(st.next++);
    },
    [=](rd_atom, const std::string& reader, uint32_t limit) {
      auto& st = self->state;
      auto& pos = st.cursors[reader];
      pos = std::max(pos, st.first);
      std::vector<sssn::content> result;
      while (result.size() < limit && pos < st.next)
        result.push_back(st.log[pos++ - st.first]);
      return result;
    },
  };
}

// -- the load driver ------------------------------------------------------------

/// How an event-based caller loads a service.
struct load_spec {
  /// Calls in flight at once.
  size_t inflight = 1;
  /// Completions before the measurement window opens (and at least
  /// `warmup_time`).
  uint64_t warmup_calls = 0;
  clk::duration warmup_time = clk::duration::zero();
  /// The window closes after this many completions or this long.
  uint64_t measure_calls = std::numeric_limits<uint64_t>::max();
  clk::duration measure_time = std::chrono::seconds{1};
  /// Record the latency of each call in the window.
  bool latencies = false;
  /// Stop issuing when set (checked at each completion).
  const std::atomic<bool>* stop = nullptr;
  /// Called after each completion with the number of completions so far.
  std::function<void(uint64_t)> progress;
};

struct load_result {
  uint64_t ok = 0;
  uint64_t failed = 0;
  uint64_t measured = 0;
  double seconds = 0;
  std::vector<double> lat_us;
  std::string first_error;

  double rate() const {
    return seconds > 0 ? static_cast<double>(measured) / seconds : 0;
  }
};

/// Keeps `spec.inflight` calls in flight from one event-based actor; `Issue`
/// is `void(self, i, done)` and calls `done(error)` once per call.
template <class Issue>
class load_driver : public std::enable_shared_from_this<load_driver<Issue>> {
public:
  load_driver(caf::event_based_actor* self, Issue issue, load_spec spec,
              std::shared_ptr<std::promise<load_result>> done)
    : self_(self),
      issue_(std::move(issue)),
      spec_(std::move(spec)),
      done_(std::move(done)) {
    // nop
  }

  void start() {
    t0_ = clk::now();
    for (size_t k = 0; k < spec_.inflight; ++k)
      fire();
  }

private:
  void fire() {
    auto i = static_cast<int64_t>(issued_++);
    ++outstanding_;
    auto me = this->shared_from_this();
    auto t = clk::now();
    issue_(self_, i, [me, t](const caf::error& err) { me->completed(t, err); });
  }

  void completed(clk::time_point t, const caf::error& err) {
    auto now = clk::now();
    --outstanding_;
    ++completions_;
    if (err) {
      ++res_.failed;
      if (res_.first_error.empty())
        res_.first_error = sssn::error_message(err);
    } else {
      ++res_.ok;
    }
    if (measuring_) {
      ++res_.measured;
      if (spec_.latencies)
        res_.lat_us.push_back(
          std::chrono::duration<double, std::micro>(now - t).count());
      if (res_.measured >= spec_.measure_calls
          || now - window_start_ >= spec_.measure_time) {
        measuring_ = false;
        stopping_ = true;
        res_.seconds = seconds_between(window_start_, now);
      }
    } else if (!stopping_ && completions_ >= spec_.warmup_calls
               && now - t0_ >= spec_.warmup_time) {
      measuring_ = true;
      window_start_ = now;
    }
    if (spec_.progress)
      spec_.progress(completions_);
    if (spec_.stop && spec_.stop->load())
      stopping_ = true;
    if (!stopping_) {
      fire();
    } else if (outstanding_ == 0 && !finished_) {
      finished_ = true;
      done_->set_value(std::move(res_));
      self_->quit();
    }
  }

  caf::event_based_actor* self_;
  Issue issue_;
  load_spec spec_;
  std::shared_ptr<std::promise<load_result>> done_;
  clk::time_point t0_;
  clk::time_point window_start_;
  uint64_t issued_ = 0;
  uint64_t outstanding_ = 0;
  uint64_t completions_ = 0;
  bool measuring_ = false;
  bool stopping_ = false;
  bool finished_ = false;
  load_result res_;
};

/// Spawns a caller actor that runs `spec` with `issue`; returns its result.
template <class Issue>
std::future<load_result> spawn_load(caf::actor_system& sys, load_spec spec,
                                    Issue issue) {
  auto done = std::make_shared<std::promise<load_result>>();
  auto fut = done->get_future();
  sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    auto drv = std::make_shared<load_driver<Issue>>(self, issue, spec, done);
    drv->start();
    return {
      [](caf::unit_t) {
        // nop: the actor lives on its pending calls
      },
    };
  });
  return fut;
}

/// Calls through the library's event-based helper.
auto ours_issue(sssn::channel req, sssn::channel resp,
                caf::timespan timeout = std::chrono::seconds{10}) {
  return [req, resp, timeout](caf::event_based_actor* self, int64_t i,
                              auto done) {
    sssn::request_via_channel(self, req, resp, "bench-client", payload(i),
                              timeout)
      .then([done](const sssn::channel_message&) { done(caf::error{}); },
            [done](const caf::error& err) { done(err); });
  };
}

/// Plain CAF requests with a timeout.
auto raw_issue(caf::actor dest,
               caf::timespan timeout = std::chrono::seconds{10}) {
  return [dest, timeout](caf::event_based_actor* self, int64_t i, auto done) {
    self->request(dest, timeout, payload(i))
      .then([done](sssn::content&) { done(caf::error{}); },
            [done](caf::error& err) { done(err); });
  };
}

json latency_json(const load_result& r) {
  return {{"p50_us", percentile(r.lat_us, 0.50)},
          {"p99_us", percentile(r.lat_us, 0.99)},
          {"calls_per_s", r.rate()},
          {"calls", r.measured},
          {"failed", r.failed},
          {"first_error", r.first_error}};
}

json throughput_json(const load_result& r) {
  return {{"calls_per_s", r.rate()},
          {"calls", r.measured},
          {"seconds", r.seconds},
          {"failed", r.failed},
          {"first_error", r.first_error}};
}

// -- cases: local round trips ---------------------------------------------------

load_spec sequential_spec(const arg_map& args) {
  load_spec spec;
  spec.inflight = 1;
  spec.warmup_calls = static_cast<uint64_t>(arg_int(args, "warmup", 2000));
  spec.measure_calls = static_cast<uint64_t>(arg_int(args, "n", 20000));
  spec.measure_time = std::chrono::seconds{arg_int(args, "max_s", 5)};
  spec.latencies = true;
  return spec;
}

load_spec throughput_spec(const arg_map& args) {
  load_spec spec;
  spec.inflight = static_cast<size_t>(arg_int(args, "inflight", 1));
  spec.warmup_calls = 2 * spec.inflight + 1000;
  spec.warmup_time = std::chrono::milliseconds{arg_int(args, "warmup_ms", 300)};
  spec.measure_time = std::chrono::milliseconds{arg_int(args, "ms", 1000)};
  return spec;
}

json case_local_load(const std::string& side, const arg_map& args,
                     const load_spec& spec, bool latency) {
  world w;
  std::future<load_result> fut;
  ours_service svc;
  if (side == "ours") {
    svc = start_channels(w.sys);
    spawn_echo_responder(w.sys, svc.req);
    fut = spawn_load(w.sys, spec, ours_issue(svc.req, svc.resp));
  } else {
    auto echo = w.sys.spawn(raw_echo);
    fut = spawn_load(w.sys, spec, raw_issue(echo));
  }
  auto r = wait_for(fut, std::chrono::seconds{arg_int(args, "budget_s", 30)},
                    "load");
  return latency ? latency_json(r) : throughput_json(r);
}

json case_seq_blocking(const std::string& side, const arg_map& args) {
  world w;
  auto n = arg_int(args, "n", 5000);
  auto warmup = arg_int(args, "warmup", 500);
  std::vector<double> lat;
  lat.reserve(static_cast<size_t>(n));
  uint64_t failed = 0;
  std::string first_error;
  auto note = [&](const caf::error& err) {
    ++failed;
    if (first_error.empty())
      first_error = sssn::error_message(err);
  };
  std::function<void(int64_t)> call;
  ours_service svc;
  caf::actor echo;
  std::unique_ptr<caf::scoped_actor> self;
  if (side == "ours") {
    svc = start_channels(w.sys);
    spawn_echo_responder(w.sys, svc.req);
    call = [&](int64_t i) {
      auto r = sssn::request_via_channel(svc.req, svc.resp, "bench-client",
                                         payload(i), 10s);
      if (!r)
        note(r.error());
    };
  } else {
    echo = w.sys.spawn(raw_echo);
    self = std::make_unique<caf::scoped_actor>(w.sys);
    // "raw": one scoped_actor for all calls, as CAF code would do;
    // "raw_fresh": a new scoped_actor per call, as the blocking helper does.
    bool fresh = side == "raw_fresh";
    call = [&, fresh](int64_t i) {
      auto body = [&](caf::scoped_actor& s) {
        s->request(echo, 10s, payload(i))
          .receive([](sssn::content&) {}, [&](caf::error& err) { note(err); });
      };
      if (fresh) {
        caf::scoped_actor s{w.sys};
        body(s);
      } else {
        body(*self);
      }
    };
  }
  auto deadline = clk::now() + 20s;
  for (int64_t i = 0; i < warmup; ++i)
    call(i);
  auto start = clk::now();
  for (int64_t i = 0; i < n && clk::now() < deadline; ++i) {
    auto t = clk::now();
    call(i);
    lat.push_back(
      std::chrono::duration<double, std::micro>(clk::now() - t).count());
  }
  auto secs = seconds_between(start, clk::now());
  return {{"p50_us", percentile(lat, 0.50)},
          {"p99_us", percentile(lat, 0.99)},
          {"calls_per_s", static_cast<double>(lat.size()) / secs},
          {"calls", lat.size()},
          {"failed", failed},
          {"first_error", first_error}};
}

/// Lets `parties` threads start a round together.
class round_gate {
public:
  void open(uint64_t round) {
    std::lock_guard<std::mutex> guard{mtx_};
    round_ = round;
    cv_.notify_all();
  }

  /// Waits for a round after `seen`; returns it (0: quit).
  uint64_t wait(uint64_t seen) {
    std::unique_lock<std::mutex> guard{mtx_};
    cv_.wait(guard, [&] { return round_ != seen; });
    return round_;
  }

private:
  std::mutex mtx_;
  std::condition_variable cv_;
  uint64_t round_ = 1'000'000'000;
};

json case_concurrent10(const std::string& side, const arg_map& args) {
  world w;
  auto rounds = arg_int(args, "rounds", 300);
  auto warmup = arg_int(args, "warmup", 30);
  constexpr int width = 10;
  ours_service svc;
  caf::actor echo;
  if (side == "ours") {
    svc = start_channels(w.sys);
    spawn_echo_responder(w.sys, svc.req);
  } else {
    echo = w.sys.spawn(raw_echo);
  }
  round_gate gate;
  std::mutex done_mtx;
  std::condition_variable done_cv;
  int done_count = 0;
  std::atomic<uint64_t> failed{0};
  std::vector<std::thread> threads;
  for (int k = 0; k < width; ++k)
    threads.emplace_back([&, k] {
      std::unique_ptr<caf::scoped_actor> self;
      if (side != "ours")
        self = std::make_unique<caf::scoped_actor>(w.sys);
      uint64_t seen = 1'000'000'000;
      for (;;) {
        seen = gate.wait(seen);
        if (seen == 0)
          return;
        auto i = static_cast<int64_t>(seen * width + static_cast<uint64_t>(k));
        if (side == "ours") {
          auto r = sssn::request_via_channel(svc.req, svc.resp, "client",
                                             payload(i), 10s);
          if (!r)
            ++failed;
        } else {
          (*self)
            ->request(echo, 10s, payload(i))
            .receive([](sssn::content&) {}, [&](caf::error&) { ++failed; });
        }
        std::lock_guard<std::mutex> guard{done_mtx};
        if (++done_count == width)
          done_cv.notify_one();
      }
    });
  std::vector<double> batch_us;
  auto deadline = clk::now() + 20s;
  double total = 0;
  for (uint64_t round = 1;
       round <= static_cast<uint64_t>(warmup + rounds) && clk::now() < deadline;
       ++round) {
    {
      std::lock_guard<std::mutex> guard{done_mtx};
      done_count = 0;
    }
    auto t = clk::now();
    gate.open(round);
    std::unique_lock<std::mutex> guard{done_mtx};
    done_cv.wait(guard, [&] { return done_count == width; });
    auto us = std::chrono::duration<double, std::micro>(clk::now() - t).count();
    if (round > static_cast<uint64_t>(warmup)) {
      batch_us.push_back(us);
      total += us;
    }
  }
  gate.open(0);
  for (auto& th : threads)
    th.join();
  return {{"p50_us", percentile(batch_us, 0.50)},
          {"p99_us", percentile(batch_us, 0.99)},
          {"calls_per_s",
           total > 0 ? static_cast<double>(batch_us.size() * width) / (total / 1e6)
                     : 0},
          {"rounds", batch_us.size()},
          {"failed", failed.load()}};
}

// -- cases: remote --------------------------------------------------------------

json case_remote(const std::string& side, const arg_map& args,
                 const load_spec& spec, bool latency) {
  world w;
  auto port = static_cast<uint16_t>(arg_int(args, "port", 0));
  std::future<load_result> fut;
  if (side == "ours") {
    auto resp = sssn::spawn_channel(w.sys, "bench-response-remote");
    must(resp.start(), "start response channel");
    auto peer = must(sssn::connect(w.sys, "127.0.0.1", port, 10s), "connect");
    auto req = must(peer.channel("bench-request"), "remote channel");
    fut = spawn_load(w.sys, spec, ours_issue(req, resp));
    auto r = wait_for(fut, std::chrono::seconds{40}, "remote load");
    return latency ? latency_json(r) : throughput_json(r);
  }
  auto echo = must(w.sys.middleman().remote_actor("127.0.0.1", port),
                   "remote_actor");
  fut = spawn_load(w.sys, spec, raw_issue(echo));
  auto r = wait_for(fut, std::chrono::seconds{40}, "remote load");
  return latency ? latency_json(r) : throughput_json(r);
}

// -- cases: timeouts and idle CPU -----------------------------------------------

json case_timeouts(const std::string& side, const arg_map& args) {
  world w;
  auto n = static_cast<uint64_t>(arg_int(args, "n", 100000));
  auto timeout = caf::timespan{std::chrono::milliseconds{arg_int(args, "ms", 1000)}};
  auto held = std::make_shared<held_replies>();
  auto held_raw = std::make_shared<std::atomic<uint64_t>>(0);
  ours_service svc;
  caf::actor holder;
  if (side == "ours") {
    // Room for every request: a holding responder pins what it has not
    // answered (the default retention is exactly 100,000 messages).
    svc = start_channels(w.sys, 2 * n + 1000);
    spawn_holding_responder(w.sys, svc.req, held);
    // Spawn the requester (and touch the path) before the clock starts.
    auto warm = sssn::request_via_channel(svc.req, svc.resp, "bench-client",
                                          payload(0), 20ms);
    if (warm || warm.error() != caf::sec::request_timeout)
      die("timeouts: warm-up call did not time out");
  } else {
    holder = w.sys.spawn(raw_holder, held_raw);
  }
  // The calls come from `callers` actors (CAF keeps an actor's pending
  // response handlers in a flat map searched linearly, so one actor with
  // 100,000 pending calls would measure that map, on both sides).
  auto callers = static_cast<uint64_t>(arg_int(args, "callers", 100));
  struct state {
    std::atomic<uint64_t> timed_out{0};
    std::atomic<uint64_t> other{0};
    std::atomic<uint64_t> resolved{0};
    std::atomic<uint64_t> issued{0};
    std::atomic<int64_t> first_ns{std::numeric_limits<int64_t>::max()};
    std::atomic<int64_t> issued_ns{0};
    /// Per call: from its request to its resolution.
    std::atomic<int64_t> max_wait_ns{0};
    std::atomic<int64_t> sum_wait_ns{0};
    std::mutex mtx;
    std::string other_error;
    std::promise<json> done;
  };
  auto st = std::make_shared<state>();
  auto fut = st->done.get_future();
  auto start = clk::now();
  auto since_start = [start] {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(clk::now()
                                                                - start)
      .count();
  };
  auto on_result = [st, n, since_start](int64_t issued_at,
                                        const caf::error& err) {
    auto now = since_start();
    auto first = st->first_ns.load();
    while (now < first && !st->first_ns.compare_exchange_weak(first, now)) {
      // retry
    }
    auto waited = now - issued_at;
    st->sum_wait_ns += waited;
    auto longest = st->max_wait_ns.load();
    while (waited > longest
           && !st->max_wait_ns.compare_exchange_weak(longest, waited)) {
      // retry
    }
    if (err == caf::sec::request_timeout) {
      ++st->timed_out;
    } else {
      ++st->other;
      std::lock_guard<std::mutex> guard{st->mtx};
      if (st->other_error.empty())
        st->other_error = err ? sssn::error_message(err) : "a reply";
    }
    if (++st->resolved == n) {
      std::lock_guard<std::mutex> guard{st->mtx};
      st->done.set_value(json{{"last_s", static_cast<double>(now) / 1e9},
                              {"first_s", static_cast<double>(st->first_ns) / 1e9},
                              {"issue_s", static_cast<double>(st->issued_ns) / 1e9},
                              {"max_wait_s",
                               static_cast<double>(st->max_wait_ns) / 1e9},
                              {"mean_wait_s",
                               static_cast<double>(st->sum_wait_ns)
                                 / 1e9 / static_cast<double>(n)},
                              {"timed_out", st->timed_out.load()},
                              {"other", st->other.load()},
                              {"other_error", st->other_error}});
    }
  };
  for (uint64_t c = 0; c < callers; ++c) {
    auto share = n / callers + (c < n % callers ? 1 : 0);
    w.sys.spawn([=](caf::event_based_actor* self) {
      for (uint64_t i = 0; i < share; ++i) {
        auto x = payload(static_cast<int64_t>(c * share + i));
        auto t = since_start();
        if (side == "ours")
          sssn::request_via_channel(self, svc.req, svc.resp, "bench-client",
                                    std::move(x), timeout)
            .then([=](const sssn::channel_message&) {
                    on_result(t, caf::error{});
                  },
                  [=](const caf::error& err) { on_result(t, err); });
        else
          self->request(holder, timeout, std::move(x))
            .then([=](sssn::content&) { on_result(t, caf::error{}); },
                  [=](caf::error& err) { on_result(t, err); });
      }
      if ((st->issued += share) == n)
        st->issued_ns = since_start();
    });
  }
  auto r = wait_for(fut, std::chrono::seconds{25}, "timeouts");
  {
    std::lock_guard<std::mutex> guard{held->mtx};
    held->promises.clear();
  }
  if (holder)
    caf::anon_send_exit(holder, caf::exit_reason::user_shutdown);
  return r;
}

json case_idle_cpu(const std::string& side, const arg_map& args) {
  world w;
  auto wait = caf::timespan{std::chrono::milliseconds{arg_int(args, "ms", 1000)}};
  auto held = std::make_shared<held_replies>();
  auto held_raw = std::make_shared<std::atomic<uint64_t>>(0);
  ours_service svc;
  caf::actor holder;
  std::function<caf::error()> call;
  if (side == "ours") {
    svc = start_channels(w.sys);
    spawn_holding_responder(w.sys, svc.req, held);
    call = [&] {
      auto r = sssn::request_via_channel(svc.req, svc.resp, "bench-client",
                                         payload(1), wait);
      return r ? caf::error{} : r.error();
    };
  } else {
    holder = w.sys.spawn(raw_holder, held_raw);
    call = [&] {
      caf::error result;
      caf::scoped_actor self{w.sys};
      self->request(holder, wait, payload(1))
        .receive([](sssn::content&) {}, [&](caf::error& err) { result = err; });
      return result;
    };
  }
  // Warm up the path with a short call, then let the workers settle.
  auto saved = wait;
  wait = std::chrono::milliseconds{20};
  call();
  wait = saved;
  std::this_thread::sleep_for(300ms);
  auto cpu0 = cpu_seconds();
  auto t0 = clk::now();
  auto err = call();
  auto cpu1 = cpu_seconds();
  auto wall = seconds_between(t0, clk::now());
  {
    std::lock_guard<std::mutex> guard{held->mtx};
    held->promises.clear();
  }
  if (holder)
    caf::anon_send_exit(holder, caf::exit_reason::user_shutdown);
  if (err != caf::sec::request_timeout)
    die("idle_cpu: the call did not time out: "
        + (err ? sssn::error_message(err) : std::string{"it got a reply"}));
  return {{"cpu_ms", (cpu1 - cpu0) * 1000.0},
          {"wall_s", wall},
          {"cpu_ms_per_s", (cpu1 - cpu0) * 1000.0 / wall}};
}

// -- cases: memory --------------------------------------------------------------

/// Polls `pred` every 20 ms for at most `budget`.
template <class Pred>
bool poll_until(Pred pred, caf::timespan budget) {
  auto deadline = clk::now() + budget;
  while (clk::now() < deadline) {
    if (pred())
      return true;
    std::this_thread::sleep_for(20ms);
  }
  return pred();
}

json case_mem_pending(const std::string& side, const arg_map& args) {
  world w;
  // Calls from 100 caller actors (see case_timeouts); n is a multiple of it.
  constexpr uint64_t callers = 100;
  auto n = static_cast<uint64_t>(arg_int(args, "n", 100000)) / callers * callers;
  auto held = std::make_shared<held_replies>();
  auto held_raw = std::make_shared<std::atomic<uint64_t>>(0);
  auto resolved = std::make_shared<std::atomic<uint64_t>>(0);
  json result;
  if (side == "ours") {
    auto svc = start_channels(w.sys, 4 * n + 1000);
    spawn_holding_responder(w.sys, svc.req, held);
    auto warm = sssn::request_via_channel(svc.req, svc.resp, "bench-client",
                                          payload(0), 20ms);
    (void) warm;
    auto requester = sssn::requester_for(w.sys, svc.resp);
    caf::scoped_actor self{w.sys};
    auto stats = [&] {
      sssn::requester_stats got;
      self->request(requester, 60s, sssn::stats_atom::value)
        .receive([&](sssn::requester_stats& x) { got = x; },
                 [&](caf::error& err) {
                   die("requester stats: " + sssn::error_message(err));
                 });
      return got;
    };
    auto base_stored = must(svc.req.stats(), "channel stats").stored;
    std::this_thread::sleep_for(100ms);
    auto h0 = heap_bytes();
    auto r0 = rss_bytes();
    // Phase 1: the channel's stored requests alone. The same messages as
    // the requester writes (same fields, id and correlation id lengths),
    // written directly.
    auto now_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    for (uint64_t i = 0; i < n; ++i) {
      char corr[64];
      std::snprintf(corr, sizeof(corr),
                    "0123456789abcdef0123456789abcdef.%" PRIx64, i + 1);
      auto msg = sssn::channel_message::builder{}
                   .sender_id("bench-client")
                   .content(payload(static_cast<int64_t>(i)))
                   .correlation_id(corr)
                   .reply_to(svc.resp.id())
                   .deadline_ns(now_ns + 60'000'000'000)
                   .build();
      sssn::write_options opts;
      opts.reply_channel = svc.resp.actor();
      opts.require_responders = true;
      caf::anon_send(svc.req.actor(), sssn::write_atom::value,
                     std::string{"bench-client"}, std::move(msg),
                     std::move(opts));
    }
    if (must(svc.req.stats(), "channel stats").stored != base_stored + n)
      die("mem_pending: direct writes were not all stored");
    auto h1 = heap_bytes();
    auto r1 = rss_bytes();
    // Phase 2: as many calls, pending in the requester.
    auto req = svc.req;
    auto resp = svc.resp;
    for (uint64_t c = 0; c < callers; ++c)
      w.sys.spawn([=](caf::event_based_actor* caller) {
        for (uint64_t i = 0; i < n / callers; ++i)
          sssn::request_via_channel(caller, req, resp, "bench-client",
                                    payload(static_cast<int64_t>(i)), 60s)
            .then([resolved](const sssn::channel_message&) { ++*resolved; },
                  [resolved](const caf::error&) { ++*resolved; });
      });
    if (!poll_until([&] { return stats().pending == n; }, 60s))
      die("mem_pending: calls did not all become pending");
    if (!poll_until(
          [&] {
            return must(svc.req.stats(), "channel stats").stored
                   == base_stored + 2 * n;
          },
          20s))
      die("mem_pending: requests were not all stored");
    // The requester is still digesting the acknowledgements of its writes
    // (seconds, with 100,000 at once): wait until the heap stops shrinking.
    auto settle_start = clk::now();
    auto h2 = heap_bytes();
    for (;;) {
      std::this_thread::sleep_for(250ms);
      auto h = heap_bytes();
      auto moved = std::fabs(h - h2);
      h2 = h;
      if (moved < 2.0 * static_cast<double>(n)
          || clk::now() - settle_start > 20s)
        break;
    }
    auto settle_s = seconds_between(settle_start, clk::now());
    auto r2 = rss_bytes();
    auto per = [&](double a0, double a1, double a2) {
      return ((a2 - a1) - (a1 - a0)) / static_cast<double>(n);
    };
    result = {{"bytes_per_pending_heap", per(h0, h1, h2)},
              {"bytes_per_pending_rss", per(r0, r1, r2)},
              {"bytes_per_stored_request_heap", (h1 - h0) / static_cast<double>(n)},
              {"bytes_per_stored_request_rss", (r1 - r0) / static_cast<double>(n)},
              {"resolved_early", resolved->load()},
              {"settle_s", settle_s}};
    std::printf("RESULT %s\n", result.dump().c_str());
    std::fflush(stdout);
    std::_Exit(0); // n pending calls: skip the orderly shutdown
  }
  auto holder = w.sys.spawn(raw_holder, held_raw);
  std::this_thread::sleep_for(100ms);
  auto h0 = heap_bytes();
  auto r0 = rss_bytes();
  // "raw": requests with a timeout, like ours; "raw_inf": `caf::infinite`,
  // which shows what CAF's own timeout costs per pending request.
  auto timeout = side == "raw_inf" ? caf::duration{caf::infinite}
                                   : caf::duration{60s};
  for (uint64_t c = 0; c < callers; ++c)
    w.sys.spawn([=](caf::event_based_actor* caller) {
      for (uint64_t i = 0; i < n / callers; ++i)
        caller->request(holder, timeout, payload(static_cast<int64_t>(i)))
          .then([resolved](sssn::content&) { ++*resolved; },
                [resolved](caf::error&) { ++*resolved; });
    });
  if (!poll_until([&] { return held_raw->load() == n; }, 20s))
    die("mem_pending: raw requests did not all arrive");
  auto settle_start = clk::now();
  auto h1 = heap_bytes();
  for (;;) {
    std::this_thread::sleep_for(250ms);
    auto h = heap_bytes();
    auto moved = std::fabs(h - h1);
    h1 = h;
    if (moved < 2.0 * static_cast<double>(n) || clk::now() - settle_start > 20s)
      break;
  }
  auto r1 = rss_bytes();
  result = {{"bytes_per_pending_heap", (h1 - h0) / static_cast<double>(n)},
            {"bytes_per_pending_rss", (r1 - r0) / static_cast<double>(n)},
            {"resolved_early", resolved->load()}};
  std::printf("RESULT %s\n", result.dump().c_str());
  std::fflush(stdout);
  std::_Exit(0);
}

json case_retention(const std::string& side, const arg_map& args) {
  world w;
  auto total = static_cast<uint64_t>(arg_int(args, "n", 5'000'000));
  auto mark = static_cast<uint64_t>(arg_int(args, "mark", 1'000'000));
  auto budget = std::chrono::seconds{arg_int(args, "budget_s", 150)};
  struct marks {
    double peak_at_mark = 0;
    double rss_at_mark = 0;
    double secs_at_mark = 0;
    double heap_at_mark = 0;
  };
  auto m = std::make_shared<marks>();
  auto stop = std::make_shared<std::atomic<bool>>(false);
  auto start = clk::now();
  load_spec spec;
  spec.inflight = static_cast<size_t>(arg_int(args, "inflight", 1000));
  spec.measure_calls = total;
  spec.measure_time = budget;
  spec.stop = stop.get();
  spec.progress = [m, mark, start, stop, total](uint64_t done) {
    if (done == mark) {
      m->peak_at_mark = peak_rss_bytes();
      m->rss_at_mark = rss_bytes();
      m->secs_at_mark = seconds_between(start, clk::now());
      m->heap_at_mark = heap_bytes();
    }
    if (done >= total)
      stop->store(true);
  };
  std::future<load_result> fut;
  ours_service svc;
  if (side == "ours") {
    // Retention as configured by default (100,000 messages per channel,
    // no history: answered requests and delivered replies are dropped);
    // smaller for profiling; `keep_history=1` keeps them (the old default).
    auto max = static_cast<uint64_t>(arg_int(args, "max_messages", 100'000));
    svc = start_channels(w.sys, max, max,
                         arg_int(args, "keep_history", 0) != 0);
    spawn_echo_responder(w.sys, svc.req);
    fut = spawn_load(w.sys, spec, ours_issue(svc.req, svc.resp));
  } else {
    auto echo = w.sys.spawn(raw_echo);
    fut = spawn_load(w.sys, spec, raw_issue(echo));
  }
  auto r = wait_for(fut, budget + std::chrono::seconds{20}, "retention");
  json result{{"calls", r.ok + r.failed},
              {"failed", r.failed},
              {"first_error", r.first_error},
              {"seconds", seconds_between(start, clk::now())},
              {"calls_per_s", r.rate()},
              {"mark", mark},
              {"seconds_at_mark", m->secs_at_mark},
              {"peak_rss_at_mark_mb", m->peak_at_mark / 1e6},
              {"rss_at_mark_mb", m->rss_at_mark / 1e6},
              {"peak_rss_end_mb", peak_rss_bytes() / 1e6},
              {"rss_end_mb", rss_bytes() / 1e6},
              {"heap_at_mark_mb", m->heap_at_mark / 1e6},
              {"heap_end_mb", heap_bytes() / 1e6}};
  if (side == "ours") {
    auto st = must(svc.req.stats(), "channel stats");
    auto st2 = must(svc.resp.stats(), "channel stats");
    result["request_channel_stored"] = st.stored;
    result["response_channel_stored"] = st2.stored;
    result["request_channel_dropped"] = st.dropped_acknowledged;
    result["response_channel_dropped"] = st2.dropped_delivered;
  }
  return result;
}

// -- cases: the channel alone ---------------------------------------------------

struct counting_state {
  sssn::credit_returner credit;
};

sssn::subscriber_actor::behavior_type counting_subscriber(
  sssn::subscriber_actor::stateful_pointer<counting_state> self,
  std::shared_ptr<std::atomic<uint64_t>> count) {
  return {
    [self, count](sssn::push_atom, const sssn::delivery& d) {
      ++*count;
      self->state.credit.handled(self, d);
    },
  };
}

caf::behavior raw_counting_subscriber(
  caf::event_based_actor*, std::shared_ptr<std::atomic<uint64_t>> count) {
  return {
    [count](const sssn::content&) { ++*count; },
  };
}

json case_channel(const std::string& name, const std::string& side,
                  const arg_map& args) {
  world w;
  auto subs = arg_int(args, "subs", 0);
  auto count = std::make_shared<std::atomic<uint64_t>>(0);
  auto stop = std::make_shared<std::atomic<bool>>(false);
  sssn::channel ch;
  caf::actor log;
  if (side == "ours") {
    ch = sssn::spawn_channel(w.sys, "bench-channel");
    must(ch.start(), "start channel");
    for (long k = 0; k < subs; ++k) {
      auto sub = w.sys.spawn(counting_subscriber, count);
      must(ch.subscribe("bench-sub-" + std::to_string(k), sub),
           "subscribe");
    }
  } else {
    std::vector<caf::actor> raw_subs;
    for (long k = 0; k < subs; ++k)
      raw_subs.push_back(w.sys.spawn(raw_counting_subscriber, count));
    log = w.sys.spawn(raw_log, raw_subs);
  }
  auto write_issue = [ch, log](caf::event_based_actor* self, int64_t i,
                               auto done) {
    if (ch)
      ch.write(self, "bench-writer", payload(i))
        .then([done](const std::string&) { done(caf::error{}); },
              [done](const caf::error& err) { done(err); });
    else
      self->request(log, 30s, payload(i))
        .then([done](std::string&) { done(caf::error{}); },
              [done](caf::error& err) { done(err); });
  };
  if (name == "ch_write") {
    load_spec spec;
    spec.inflight = static_cast<size_t>(arg_int(args, "inflight", 64));
    spec.warmup_time = 300ms;
    spec.measure_time = std::chrono::milliseconds{arg_int(args, "ms", 1000)};
    auto fut = spawn_load(w.sys, spec, write_issue);
    return throughput_json(wait_for(fut, std::chrono::seconds{20}, "write"));
  }
  if (name == "ch_read") {
    // Fill the log, then wait until everything is stored.
    for (uint64_t i = 0; i < stored; ++i) {
      if (ch)
        caf::anon_send(ch.actor(), sssn::write_atom::value,
                       std::string{"bench-writer"},
                       payload(static_cast<int64_t>(i)));
      else
        caf::anon_send(log, payload(static_cast<int64_t>(i)));
    }
    if (ch) {
      if (must(ch.stats(), "channel stats").stored != stored)
        die("ch_read: the channel did not store every message");
    } else {
      caf::scoped_actor self{w.sys};
      self->request(log, 30s, rd_atom::value, std::string{"sync"}, uint32_t{0})
        .receive([](std::vector<sssn::content>&) {},
                 [](caf::error&) { die("ch_read: raw log sync failed"); });
    }
    // Each pass reads the whole log, 100 messages at a time, with a fresh
    // reader id (its own cursor from the start).
    auto read_issue = [ch, log](caf::event_based_actor* self, int64_t i,
                                auto done) {
      auto reader = "reader-" + std::to_string(i / (stored / limit));
      auto check = [done](size_t got) {
        done(got == limit ? caf::error{}
                          : caf::make_error(caf::sec::invalid_argument,
                                            "short read"));
      };
      if (ch)
        ch.read(self, reader, limit)
          .then([check](const std::vector<sssn::channel_message>& xs) {
                  check(xs.size());
                },
                [done](const caf::error& err) { done(err); });
      else
        self->request(log, 30s, rd_atom::value, reader, limit)
          .then([check](std::vector<sssn::content>& xs) { check(xs.size()); },
                [done](caf::error& err) { done(err); });
    };
    load_spec spec;
    spec.inflight = 1;
    spec.warmup_time = 300ms;
    spec.measure_time = std::chrono::milliseconds{arg_int(args, "ms", 1000)};
    auto fut = spawn_load(w.sys, spec, read_issue);
    auto r = wait_for(fut, std::chrono::seconds{20}, "read");
    auto j = throughput_json(r);
    j["messages_per_s"] = r.rate() * limit;
    return j;
  }
  // ch_push: writes with `subs` subscribers; count deliveries.
  load_spec spec;
  spec.inflight = static_cast<size_t>(arg_int(args, "inflight", 64));
  spec.measure_time = std::chrono::seconds{60};
  spec.stop = stop.get();
  auto fut = spawn_load(w.sys, spec, write_issue);
  std::this_thread::sleep_for(300ms);
  auto c1 = count->load();
  auto t1 = clk::now();
  std::this_thread::sleep_for(
    std::chrono::milliseconds{arg_int(args, "ms", 1000)});
  auto c2 = count->load();
  auto t2 = clk::now();
  stop->store(true);
  auto r = wait_for(fut, std::chrono::seconds{20}, "push");
  auto secs = seconds_between(t1, t2);
  return {{"deliveries_per_s", static_cast<double>(c2 - c1) / secs},
          {"failed", r.failed},
          {"first_error", r.first_error}};
}

} // namespace

// -- entry points ---------------------------------------------------------------

json run_case(const std::string& name, const std::string& side,
              const arg_map& args) {
  if (name == "seq_event")
    return case_local_load(side, args, sequential_spec(args), true);
  if (name == "throughput")
    return case_local_load(side, args, throughput_spec(args), false);
  if (name == "seq_blocking")
    return case_seq_blocking(side, args);
  if (name == "concurrent10")
    return case_concurrent10(side, args);
  if (name == "remote_seq")
    return case_remote(side, args, sequential_spec(args), true);
  if (name == "remote_tput")
    return case_remote(side, args, throughput_spec(args), false);
  if (name == "timeouts")
    return case_timeouts(side, args);
  if (name == "idle_cpu")
    return case_idle_cpu(side, args);
  if (name == "mem_pending")
    return case_mem_pending(side, args);
  if (name == "retention")
    return case_retention(side, args);
  if (name == "ch_write" || name == "ch_read" || name == "ch_push")
    return case_channel(name, side, args);
  return {{"error", "unknown case '" + name + "'"}};
}

int run_server(int max_seconds) {
  world w;
  auto node = must(sssn::node::start(w.sys), "node start");
  sssn::channel_config rc;
  rc.id = "bench-request";
  auto req = sssn::spawn_channel(w.sys, rc);
  must(req.start(), "start request channel");
  must(node.publish(req), "publish request channel");
  spawn_echo_responder(w.sys, req);
  auto echo = w.sys.spawn(raw_echo);
  auto raw_port = must(w.sys.middleman().publish(echo, 0, "127.0.0.1", true),
                       "publish echo");
  std::printf("PORTS %u %u\n", static_cast<unsigned>(node.port()),
              static_cast<unsigned>(raw_port));
  std::fflush(stdout);
  // Serve until stdin closes, or at most `max_seconds`.
  std::thread([max_seconds] {
    std::this_thread::sleep_for(std::chrono::seconds{max_seconds});
    std::_Exit(0);
  }).detach();
  std::string line;
  while (std::getline(std::cin, line) && line != "quit") {
    // nop
  }
  std::thread([] {
    std::this_thread::sleep_for(5s);
    std::_Exit(0); // shutdown hung: nothing left to measure anyway
  }).detach();
  node.stop();
  w.sys.middleman().unpublish(echo, raw_port);
  caf::anon_send_exit(echo, caf::exit_reason::user_shutdown);
  return 0;
}

json scheduler_settings() {
  bench_config cfg;
  namespace ws = caf::defaults::work_stealing;
  auto get = [&](const char* key, size_t fallback) {
    return caf::get_or(cfg, caf::string_view{key, std::strlen(key)},
                       fallback);
  };
  auto get_ts = [&](const char* key, caf::timespan fallback) {
    return std::chrono::duration<double, std::micro>(
             caf::get_or(cfg, caf::string_view{key, std::strlen(key)},
                         fallback))
      .count();
  };
  return {
    {"scheduler.policy", caf::to_string(caf::get_or(
                           cfg, "scheduler.policy",
                           caf::defaults::scheduler::policy))},
    {"scheduler.max-threads",
     get("scheduler.max-threads", caf::defaults::scheduler::max_threads)},
    {"scheduler.max-throughput",
     get("scheduler.max-throughput", caf::defaults::scheduler::max_throughput)},
    {"work-stealing.aggressive-poll-attempts",
     get("work-stealing.aggressive-poll-attempts", ws::aggressive_poll_attempts)},
    {"work-stealing.moderate-poll-attempts",
     get("work-stealing.moderate-poll-attempts", ws::moderate_poll_attempts)},
    {"work-stealing.moderate-sleep-duration-us",
     get_ts("work-stealing.moderate-sleep-duration",
            ws::moderate_sleep_duration)},
    {"work-stealing.relaxed-sleep-duration-us",
     get_ts("work-stealing.relaxed-sleep-duration",
            ws::relaxed_sleep_duration)},
  };
}

} // namespace bench
