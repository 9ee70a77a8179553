// Fault soaks (CTest label `soak`): many calls while the service under them
// fails over and over, checking that every call resolves exactly once.
//
// - `local/responder_group_under_fire` (CTest `soak.local`): 200,000 calls,
//   1,000 in flight, through the request helper to a responder group of 4
//   whose members are killed, leave the group, are sent exit messages they
//   must ignore, stall past the claim expiry, crash in their handler and
//   drop their promises, at random (seeded) intervals, and are respawned.
// - `remote/restarted_node` (CTest `soak.remote`): calls through
//   `sssn::connect` to an `sssn serve` process that is SIGKILLed and
//   restarted on the same port, over and over.
//
// The seed is random unless SSSN_SOAK_SEED is set, and printed. For trying
// things out, the local soak's calls, calls in flight and deadline can be
// changed with SSSN_SOAK_CALLS, SSSN_SOAK_WINDOW and SSSN_SOAK_DEADLINE_MS,
// and the remote soak's restarts with SSSN_SOAK_RESTARTS.

#include "compute_types.hpp"
#include "fixture.hpp"
#ifdef SSSN_CLI
#  include "process_fixture.hpp"
#endif

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>

using namespace sssn;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using sssn::test::why;

namespace {

uint64_t env_or(const char* name, uint64_t fallback) {
  if (auto str = std::getenv(name); str != nullptr && *str != '\0')
    return std::stoull(str);
  return fallback;
}

uint64_t soak_seed() {
  if (auto str = std::getenv("SSSN_SOAK_SEED"); str != nullptr && *str != '\0')
    return std::stoull(str);
  return std::random_device{}();
}

double seconds_since(steady::time_point t0) {
  return std::chrono::duration<double>(steady::now() - t0).count();
}

/// What the responders compute from a call's number and its random input:
/// a reply carrying both proves that it answers this very call.
int64_t mix(int64_t n, int64_t x) {
  return n * 1'000'003 + (x ^ 0x5a5a5a);
}

/// Counts log lines by component and level instead of printing them (the
/// soak makes hundreds of refused exit messages and failed acknowledges,
/// all expected); restores the default on destruction.
struct log_counter {
  std::mutex mtx;
  std::map<std::string, uint64_t> lines;

  log_counter() {
    set_log_handler([this](log_level level, std::string_view component,
                           std::string_view) {
      std::lock_guard<std::mutex> guard{mtx};
      ++lines[std::string{component} + "/"
              + std::to_string(static_cast<int>(level))];
    });
  }

  ~log_counter() {
    set_log_handler({});
  }

  std::string summary() {
    std::lock_guard<std::mutex> guard{mtx};
    std::string result;
    for (auto& [key, n] : lines)
      result += " " + key + "=" + std::to_string(n);
    return result.empty() ? " none" : result;
  }
};

/// Outcome kinds of one call.
enum class outcome : uint8_t {
  none,           // not resolved (yet)
  replied,        // its own correct reply
  crashed,        // error reply: the handler threw (names the call)
  dropped,        // error reply: the handler gave no answer
  timed_out,      // caf::sec::request_timeout
  no_responders,  // ec::no_responders
  channel_down,   // ec::channel_down
  overloaded,     // ec::overloaded
  wrong,          // anything else: a bug
};

const char* to_string(outcome x) {
  switch (x) {
    case outcome::none:
      return "unresolved";
    case outcome::replied:
      return "replied";
    case outcome::crashed:
      return "error reply (handler crashed)";
    case outcome::dropped:
      return "error reply (handler gave no answer)";
    case outcome::timed_out:
      return "timed out";
    case outcome::no_responders:
      return "no responders";
    case outcome::channel_down:
      return "channel down";
    case outcome::overloaded:
      return "overloaded";
    default:
      return "WRONG";
  }
}

outcome classify_error(const caf::error& err) {
  if (err == caf::sec::request_timeout)
    return outcome::timed_out;
  if (is(err, ec::no_responders))
    return outcome::no_responders;
  if (is(err, ec::channel_down))
    return outcome::channel_down;
  if (is(err, ec::overloaded))
    return outcome::overloaded;
  return outcome::wrong;
}

/// State of the calling side: written only by the driver actor, read by the
/// test thread after `done` is ready.
struct driver_state {
  int64_t total = 0;
  int64_t window = 0;
  int64_t issued = 0;
  int64_t resolved = 0;
  std::vector<int64_t> inputs;
  std::vector<uint8_t> resolutions; // how often each call resolved
  std::vector<outcome> outcomes;
  std::vector<std::string> wrong; // first few wrong outcomes, described
  std::promise<void> done;
};

/// Shared between the test thread, the chaos thread and the responders.
struct responder_side {
  std::vector<std::atomic<uint32_t>> handled_per_call;
  std::atomic<uint64_t> handled{0};
  /// Per member slot: stall until this steady-clock reading (ns).
  std::array<std::atomic<int64_t>, 4> stalled_until{};
  /// Stalled answers, delivered later by the chaos thread.
  std::mutex stall_mtx;
  std::deque<std::tuple<steady::time_point, reply_promise, json>> stalled;
  std::atomic<uint64_t> stalled_answers{0};
  caf::timespan stall_delay;

  explicit responder_side(size_t calls) : handled_per_call(calls) {
    for (auto& x : stalled_until)
      x = 0;
  }
};

} // namespace

// -- 1. a local responder group under fire ---------------------------------------

BOOST_AUTO_TEST_SUITE(local)

BOOST_FIXTURE_TEST_CASE(responder_group_under_fire, test::threaded_fixture) {
  const auto seed = soak_seed();
  const auto total = static_cast<int64_t>(env_or("SSSN_SOAK_CALLS", 200'000));
  const auto window = static_cast<int64_t>(env_or("SSSN_SOAK_WINDOW", 1'000));
  const caf::timespan deadline
    = std::chrono::milliseconds{env_or("SSSN_SOAK_DEADLINE_MS", 10'000)};
  const caf::timespan claim_expiry = 1s;
  BOOST_TEST_MESSAGE("local soak: seed " << seed << " (set SSSN_SOAK_SEED "
                                                    "to repeat)");
  std::cout << "local soak: seed " << seed << std::endl;
  log_counter logs;
  // Claims expire after 1 s, so that stalled members lose their requests to
  // the others within a call's deadline.
  channel_config req_cfg;
  req_cfg.id = "soak-request";
  req_cfg.claim_expiry = claim_expiry;
  auto req_ch = spawn_channel(sys, req_cfg);
  auto resp_ch = spawn_channel(sys, "soak-response");
  BOOST_REQUIRE(req_ch.start());
  BOOST_REQUIRE(resp_ch.start());
  auto side = std::make_shared<responder_side>(static_cast<size_t>(total));
  side->stall_delay = claim_expiry + 500ms;
  // What every member computes: n and x in, {n, y = mix(n, x)} out; some
  // inputs crash the handler (it throws), some make it give no answer
  // (nullopt).
  auto compute = [side](const channel_message& msg) -> std::optional<json> {
    auto& data = msg.content().data();
    auto n = data.at("n").get<int64_t>();
    auto x = data.at("x").get<int64_t>();
    side->handled_per_call.at(static_cast<size_t>(n)).fetch_add(1);
    side->handled.fetch_add(1);
    if (x % 97 == 0)
      throw std::runtime_error("planned crash on call " + std::to_string(n)
                               + ".");
    if (x % 89 == 0)
      return std::nullopt;
    return json{{"n", n}, {"y", mix(n, x)}};
  };
  // Members of even number answer through a `reply_promise`: they drop it
  // for no answer, and while their slot stalls they answer only after their
  // claims have expired. Members of odd number answer at once, with an
  // error reply for no answer.
  auto promise_handler = [side, compute](size_t slot) {
    return [side, compute, slot](const channel_message& msg, reply_promise rp) {
      auto reply = compute(msg);
      if (!reply)
        return; // drops the promise: the responder answers with an error
      auto now = steady::now();
      if (now.time_since_epoch().count() < side->stalled_until[slot].load()) {
        std::lock_guard<std::mutex> guard{side->stall_mtx};
        side->stalled.emplace_back(now + side->stall_delay, std::move(rp),
                                   std::move(*reply));
        return;
      }
      rp.deliver(std::move(*reply));
    };
  };
  auto direct_handler = [compute](const channel_message& msg)
    -> caf::expected<json> {
    if (auto reply = compute(msg))
      return std::move(*reply);
    return fail("the member dropped the request without replying");
  };
  // -- the group: 4 slots, each holding a live member or waiting to respawn.
  struct slot_state {
    std::optional<responder_actor> hdl;
    std::string id;
    steady::time_point respawn_at;
    steady::time_point spared_until;
    bool through_promise = false;
  };
  std::array<slot_state, 4> slots;
  uint64_t spawned = 0;
  auto spawn_into = [&](size_t i) {
    responder_config rcfg;
    rcfg.system_id = "soak.member." + std::to_string(spawned++);
    slots[i].id = rcfg.system_id;
    slots[i].through_promise = spawned % 2 == 1;
    if (slots[i].through_promise)
      slots[i].hdl = spawn_responder(sys, req_ch, promise_handler(i), rcfg);
    else
      slots[i].hdl = spawn_responder(sys, req_ch, direct_handler, rcfg);
  };
  for (size_t i = 0; i < slots.size(); ++i)
    spawn_into(i);
  // -- the callers: one driver actor keeps `window` calls in flight.
  auto st = std::make_shared<driver_state>();
  st->total = total;
  st->window = window;
  st->resolutions.resize(static_cast<size_t>(total));
  st->outcomes.resize(static_cast<size_t>(total));
  {
    std::mt19937_64 rng{seed ^ 0x9e3779b97f4a7c15ull};
    std::uniform_int_distribution<int64_t> dist{0, 1'000'000'000};
    st->inputs.resize(static_cast<size_t>(total));
    for (auto& x : st->inputs)
      x = dist(rng);
  }
  auto done = st->done.get_future();
  auto t0 = steady::now();
  // Non-owning handles: the driver must not keep the channels alive.
  channel req{req_ch.actor(), req_ch.id()};
  channel resp{resp_ch.actor(), resp_ch.id()};
  sys.spawn([st, req, resp, deadline](caf::event_based_actor* self) {
    auto resolve = [st](int64_t n, outcome what, std::string why) {
      auto i = static_cast<size_t>(n);
      if (++st->resolutions[i] == 1) {
        st->outcomes[i] = what;
        ++st->resolved;
      }
      if (what == outcome::wrong && st->wrong.size() < 10)
        st->wrong.push_back("call " + std::to_string(n) + ": " + why);
      if (st->resolutions[i] > 1 && st->wrong.size() < 10)
        st->wrong.push_back("call " + std::to_string(n) + " resolved again: "
                            + why);
    };
    auto issue = std::make_shared<std::function<void()>>();
    *issue = [self, st, req, resp, deadline, resolve, issue] {
      auto n = st->issued++;
      auto x = st->inputs[static_cast<size_t>(n)];
      auto next = [st, issue] {
        if (st->issued < st->total) {
          (*issue)();
        } else if (st->resolved == st->total) {
          *issue = nullptr; // breaks the cycle through its own capture
          st->done.set_value();
        }
      };
      request_via_channel(self, req, resp, "soak-client",
                          json{{"n", n}, {"x", x}}, deadline)
        .then(
          [n, x, resolve, next](const channel_message& reply) {
            auto& c = reply.content();
            if (c.is_error()) {
              auto err = c.error();
              auto what = error_message(err);
              if (is(err, ec::request_failed) && x % 97 == 0
                  && what.find("planned crash on call " + std::to_string(n)
                               + ".")
                       != std::string::npos)
                resolve(n, outcome::crashed, what);
              else if (is(err, ec::request_failed) && x % 89 == 0
                       && what.find("dropped the request without replying")
                            != std::string::npos)
                resolve(n, outcome::dropped, what);
              else
                resolve(n, outcome::wrong, "error reply " + what);
            } else {
              auto& d = c.data();
              if (x % 97 != 0 && x % 89 != 0 && d.value("n", int64_t{-1}) == n
                  && d.value("y", int64_t{-1}) == mix(n, x))
                resolve(n, outcome::replied, "");
              else
                resolve(n, outcome::wrong, "reply " + d.dump());
            }
            next();
          },
          [n, resolve, next](const caf::error& err) {
            resolve(n, classify_error(err), error_message(err));
            next();
          });
    };
    for (int64_t i = 0; i < std::min(st->window, st->total); ++i)
      (*issue)();
  });
  // -- the chaos: on this thread, until every call has resolved.
  std::mt19937_64 rng{seed};
  auto uniform_ms = [&](int lo, int hi) {
    return std::chrono::milliseconds{
      std::uniform_int_distribution<int>{lo, hi}(rng)};
  };
  uint64_t kills = 0, leaves = 0, ignored_exits = 0, stalls = 0;
  std::vector<std::pair<steady::time_point, responder_actor>> to_kill;
  auto deliver_stalled = [&](bool all) {
    std::vector<std::pair<reply_promise, json>> due;
    {
      std::lock_guard<std::mutex> guard{side->stall_mtx};
      auto now = steady::now();
      while (!side->stalled.empty()
             && (all || std::get<0>(side->stalled.front()) <= now)) {
        auto& [t, rp, reply] = side->stalled.front();
        due.emplace_back(std::move(rp), std::move(reply));
        side->stalled.pop_front();
      }
    }
    for (auto& [rp, reply] : due) {
      rp.deliver(std::move(reply));
      side->stalled_answers.fetch_add(1);
    }
  };
  auto run_due = [&](bool all) {
    auto now = steady::now();
    for (size_t i = 0; i < slots.size(); ++i)
      if (!slots[i].hdl && (all || slots[i].respawn_at <= now))
        spawn_into(i);
    for (auto j = to_kill.begin(); j != to_kill.end();) {
      if (all || j->first <= now) {
        caf::anon_send_exit(j->second, caf::exit_reason::kill);
        j = to_kill.erase(j);
      } else {
        ++j;
      }
    }
    deliver_stalled(all);
  };
  const auto soak_limit = 600s; // only a hang gets anywhere near this
  while (done.wait_for(uniform_ms(1, 15)) != std::future_status::ready) {
    BOOST_REQUIRE_MESSAGE(steady::now() - t0 < soak_limit,
                          "the calls did not all resolve within 600 s");
    run_due(false);
    // A stalling member is spared until its late answers are out, so that
    // its claims do expire.
    std::vector<size_t> live;
    for (size_t i = 0; i < slots.size(); ++i)
      if (slots[i].hdl && slots[i].spared_until <= steady::now())
        live.push_back(i);
    if (live.empty())
      continue;
    auto i = live[std::uniform_int_distribution<size_t>{0, live.size() - 1}(
      rng)];
    auto& s = slots[i];
    auto action = std::uniform_int_distribution<int>{0, 99}(rng);
    if (action >= 95 && !s.through_promise)
      action = 0; // only members answering through a promise can stall
    if (action < 55) {
      // Killed: what it held goes to the others at once.
      caf::anon_send_exit(*s.hdl, caf::exit_reason::kill);
      ++kills;
    } else if (action < 80) {
      // Leaves the group while it still works through what it was given
      // (those requests go to the others too: handled twice), then dies.
      auto ch = req_ch;
      ch.timeout(30s);
      BOOST_REQUIRE(ch.unsubscribe(s.id));
      to_kill.emplace_back(steady::now() + uniform_ms(0, 50), *s.hdl);
      ++leaves;
    } else if (action < 95) {
      // An exit message other than kill: ignored by design, the member
      // keeps serving.
      caf::anon_send_exit(*s.hdl, action < 88 ? caf::exit_reason::normal
                                              : caf::exit_reason::user_shutdown);
      ++ignored_exits;
      continue;
    } else {
      // Stalls for a while: its answers come after its claims expired, so
      // its requests are handled (and answered) twice.
      auto until = steady::now() + uniform_ms(50, 300);
      side->stalled_until[i] = until.time_since_epoch().count();
      s.spared_until = until + side->stall_delay + 100ms;
      ++stalls;
      continue;
    }
    s.hdl.reset();
    s.respawn_at = steady::now() + uniform_ms(0, 30);
  }
  auto calls_done_after = seconds_since(t0);
  // Bring the group back to 4 and deliver every stalled answer.
  for (auto& x : side->stalled_until)
    x = 0;
  run_due(true);
  // -- every call resolved exactly once, with its own reply or an error.
  std::map<outcome, uint64_t> by_kind;
  uint64_t lost = 0, duplicated = 0;
  for (int64_t n = 0; n < total; ++n) {
    auto i = static_cast<size_t>(n);
    if (st->resolutions[i] == 0)
      ++lost;
    else if (st->resolutions[i] > 1)
      ++duplicated;
    ++by_kind[st->outcomes[i]];
  }
  // -- nothing left behind: wait (bounded) until the requester holds no
  // pending call, the request channel no claim, and every reply written to
  // the response channel was either delivered or counted as late.
  auto requester = requester_for(sys, resp_ch);
  caf::scoped_actor self{sys};
  requester_stats rs;
  channel_stats req_stats;
  channel_stats resp_stats;
  auto settled = false;
  auto settle_limit = steady::now() + 60s;
  while (!settled && steady::now() < settle_limit) {
    deliver_stalled(true);
    self->request(requester, 10s, stats_atom::value)
      .receive([&](const requester_stats& x) { rs = x; },
               [&](const caf::error& err) {
                 BOOST_FAIL("requester stats: " << error_message(err));
               });
    auto a = req_ch.stats();
    auto b = resp_ch.stats();
    BOOST_REQUIRE(a && b);
    req_stats = *a;
    resp_stats = *b;
    settled = rs.pending == 0 && req_stats.claimed == 0
              && req_stats.group_members == 4
              && resp_stats.writes
                   == rs.replied + rs.late_replies + rs.unknown_replies;
    if (!settled)
      std::this_thread::sleep_for(20ms);
  }
  uint64_t handled_twice = 0;
  for (auto& x : side->handled_per_call)
    if (x.load() > 1)
      handled_twice += x.load() - 1;
  auto wall = seconds_since(t0);
  std::ostringstream figures;
  figures << "local soak (seed " << seed << "): " << total << " calls, "
          << window << " in flight, deadline "
          << std::chrono::duration<double>(deadline).count() << " s, "
          << kills << " kills, " << leaves << " leaves, " << ignored_exits
          << " ignored exit messages, " << stalls << " stalls, " << spawned - 4
          << " respawns; " << by_kind[outcome::replied] << " replied";
  for (auto& [kind, n] : by_kind)
    if (kind != outcome::replied)
      figures << ", " << n << " " << to_string(kind);
  figures << "; lost = " << lost << ", duplicated = " << duplicated
          << "; handled " << side->handled.load() << " times ("
          << handled_twice << " repeats after redelivery, "
          << side->stalled_answers.load() << " stalled answers), "
          << rs.late_replies << " duplicate or late replies dropped by the "
          << "requester, " << req_stats.expired_claims << " claims expired; "
          << "calls done in " << calls_done_after << " s, wall time " << wall
          << " s; log lines:" << logs.summary();
  std::cout << figures.str() << std::endl;
  BOOST_TEST_MESSAGE(figures.str());
  for (auto& why : st->wrong)
    BOOST_ERROR(why);
  BOOST_TEST(st->resolved == total);
  BOOST_TEST(lost == 0u);
  BOOST_TEST(duplicated == 0u);
  BOOST_TEST(by_kind[outcome::wrong] == 0u);
  BOOST_TEST(by_kind[outcome::none] == 0u);
  // The requester agrees: each call resolved once, in the same way.
  BOOST_TEST(rs.issued == static_cast<uint64_t>(total));
  BOOST_TEST(rs.replied
             == by_kind[outcome::replied] + by_kind[outcome::crashed]
                  + by_kind[outcome::dropped]);
  BOOST_TEST(rs.timed_out == by_kind[outcome::timed_out]);
  BOOST_TEST(rs.failed + rs.overloaded
             == by_kind[outcome::no_responders]
                  + by_kind[outcome::channel_down]
                  + by_kind[outcome::overloaded]);
  BOOST_TEST(rs.dropped == 0u);
  BOOST_TEST(rs.unknown_replies == 0u);
  // Nothing left behind, and every extra reply was dropped and counted.
  BOOST_TEST(settled, "not settled after 60 s: pending "
                        << rs.pending << ", claimed " << req_stats.claimed
                        << ", group members " << req_stats.group_members
                        << ", replies written " << resp_stats.writes
                        << " vs. delivered " << rs.replied << " + late "
                        << rs.late_replies);
  // The faults did what they are for: requests were handled twice, and
  // their second replies were dropped. Most calls got their reply.
  BOOST_TEST(handled_twice > 0u);
  BOOST_TEST(rs.late_replies > 0u);
  BOOST_TEST(kills + leaves > 0u);
  BOOST_TEST(by_kind[outcome::replied] * 2 > static_cast<uint64_t>(total));
  // Clean up: kill what is left before the channels go.
  for (auto& s : slots)
    if (s.hdl)
      caf::anon_send_exit(*s.hdl, caf::exit_reason::kill);
}

BOOST_AUTO_TEST_SUITE_END()

// -- 2. a remote node killed and restarted ----------------------------------------

#ifdef SSSN_CLI

namespace {

using test::compute_request;
using test::compute_response;

/// Tells the remote driver which request channel to call now.
using soak_use_atom = caf::atom_constant<caf::atom("soak_use")>;
/// Tells the remote driver to stop calling.
using soak_stop_atom = caf::atom_constant<caf::atom("soak_stop")>;

/// State of the remote driver: written only by the driver actor, read by the
/// test thread after `done` is ready.
struct remote_driver_state {
  int64_t window = 0;
  caf::timespan deadline;
  /// The channel calls go to, and its generation (one per server start);
  /// none after it failed with `channel_down` or when stopping.
  std::optional<channel> current;
  size_t generation = 0;
  bool stopping = false;
  int64_t in_flight = 0;
  int64_t issued = 0;
  std::vector<uint8_t> resolutions;
  std::vector<outcome> outcomes;
  std::vector<size_t> generations; // of each call
  std::vector<steady::time_point> started; // of each call
  steady::duration slowest{0};
  std::vector<std::string> wrong;
  std::promise<void> done;
};

/// The expected result of call `n` (a = n, b from n, add or mul).
double expected_result(int64_t n) {
  auto a = static_cast<double>(n);
  auto b = static_cast<double>(n % 1000 + 1);
  return n % 2 == 0 ? a + b : a * b;
}

caf::behavior remote_driver(caf::event_based_actor* self,
                            std::shared_ptr<remote_driver_state> st,
                            channel response) {
  auto issue = std::make_shared<std::function<void()>>();
  auto finish_if_done = [self, st, issue] {
    if (st->stopping && st->in_flight == 0) {
      *issue = nullptr;
      st->done.set_value();
      self->quit();
    }
  };
  auto resolve = [st](int64_t n, outcome what, std::string why) {
    auto i = static_cast<size_t>(n);
    st->slowest = std::max(st->slowest, steady::now() - st->started[i]);
    if (++st->resolutions[i] == 1)
      st->outcomes[i] = what;
    else if (st->wrong.size() < 10)
      st->wrong.push_back("call " + std::to_string(n) + " resolved again: "
                          + why);
    if (what == outcome::wrong && st->wrong.size() < 10)
      st->wrong.push_back("call " + std::to_string(n) + ": " + why);
    --st->in_flight;
  };
  *issue = [self, st, response, resolve, finish_if_done, issue] {
    while (st->current && !st->stopping && st->in_flight < st->window) {
      auto n = st->issued++;
      auto gen = st->generation;
      st->resolutions.push_back(0);
      st->outcomes.push_back(outcome::none);
      st->generations.push_back(gen);
      st->started.push_back(steady::now());
      ++st->in_flight;
      auto b = static_cast<double>(n % 1000 + 1);
      compute_request req{static_cast<double>(n), b,
                          n % 2 == 0 ? "add" : "mul"};
      auto on_down = [st, gen] {
        // This server is gone: wait for the next one.
        if (st->generation == gen)
          st->current.reset();
      };
      request_via_channel(self, *st->current, response, "soak-remote",
                          content{req}, st->deadline)
        .then(
          [n, resolve, finish_if_done, issue](const channel_message& reply) {
            auto r = reply.content().as<compute_response>();
            if (r && r->result == expected_result(n))
              resolve(n, outcome::replied, "");
            else
              resolve(n, outcome::wrong,
                      r ? "result " + std::to_string(r->result)
                        : error_message(r.error()));
            if (*issue)
              (*issue)();
            finish_if_done();
          },
          [n, resolve, finish_if_done, issue,
           on_down](const caf::error& err) {
            auto what = classify_error(err);
            if (what == outcome::channel_down)
              on_down();
            resolve(n, what, error_message(err));
            if (*issue)
              (*issue)();
            finish_if_done();
          });
    }
  };
  return {
    [st, issue](soak_use_atom, channel_actor& hdl, std::string& id) {
      st->current = channel{std::move(hdl), std::move(id)};
      ++st->generation;
      (*issue)();
    },
    [st, finish_if_done](soak_stop_atom) {
      st->stopping = true;
      st->current.reset();
      finish_if_done();
    },
  };
}

} // namespace

BOOST_AUTO_TEST_SUITE(remote)

BOOST_AUTO_TEST_CASE(restarted_node) {
  const auto seed = soak_seed();
  const auto restarts = env_or("SSSN_SOAK_RESTARTS", 8);
  std::cout << "remote soak: seed " << seed << std::endl;
  BOOST_TEST_MESSAGE("remote soak: seed " << seed);
  std::mt19937_64 rng{seed};
  auto uniform_ms = [&](int lo, int hi) {
    return std::chrono::milliseconds{
      std::uniform_int_distribution<int>{lo, hi}(rng)};
  };
  // Every server process, killed and reaped by `procs` at the end.
  test::process_fixture procs{"soak"};
  // Starts `sssn serve` on `port` (0: any) and returns the port it listens
  // on.
  auto serve = [&](uint16_t port) {
    return procs.serve({"--port=" + std::to_string(port)}).port;
  };
  {
    log_counter logs;
    sssn::config cfg;
    caf::actor_system sys{cfg};
    auto resp_ch = spawn_channel(sys, "soak-remote-response");
    BOOST_REQUIRE(resp_ch.start());
    auto st = std::make_shared<remote_driver_state>();
    st->window = 200;
    st->deadline = 5s;
    auto done = st->done.get_future();
    auto driver = sys.spawn(remote_driver, st,
                            channel{resp_ch.actor(), resp_ch.id()});
    auto t0 = steady::now();
    uint16_t port = 0;
    uint64_t kills = 0, freezes = 0, refused_connects = 0;
    for (uint64_t round = 0; round <= restarts; ++round) {
      auto p = serve(port);
      if (port != 0)
        BOOST_REQUIRE_EQUAL(p, port);
      port = p;
      // Connect (bounded: a hang here fails the test rather than CTest's
      // limit).
      auto connected = std::async(std::launch::async, [&sys, port] {
        return sssn::connect(sys, "127.0.0.1", port, 5s);
      });
      BOOST_REQUIRE_MESSAGE(connected.wait_for(30s)
                              == std::future_status::ready,
                            "connect to the restarted node hung");
      auto remote = connected.get();
      BOOST_REQUIRE_MESSAGE(remote, "round " << round << ": cannot connect: "
                                             << why(remote));
      auto req_ch = remote->channel("compute-request");
      BOOST_REQUIRE_MESSAGE(req_ch, "round " << round << ": no channel: "
                                             << why(req_ch));
      caf::anon_send(driver, soak_use_atom::value, req_ch->actor(), req_ch->id());
      std::this_thread::sleep_for(uniform_ms(500, 2000));
      if (round < restarts && uniform_ms(0, 3).count() == 0) {
        // The node hangs (SIGSTOP) past the calls' deadline: they time out,
        // they do not hang.
        procs.children.back()->kill(SIGSTOP);
        ++freezes;
        std::this_thread::sleep_for(st->deadline + uniform_ms(500, 1500));
      }
      if (round < restarts) {
        procs.children.back()->kill(SIGKILL);
        BOOST_REQUIRE(procs.children.back()->wait_exit(10s));
        ++kills;
        // Sometimes the next server comes up at once, sometimes later; in
        // between, connecting fails (it does not hang).
        std::this_thread::sleep_for(uniform_ms(0, 300));
        if (uniform_ms(0, 1).count() == 0) {
          auto attempt = std::async(std::launch::async, [&sys, port] {
            return sssn::connect(sys, "127.0.0.1", port, 5s);
          });
          BOOST_REQUIRE_MESSAGE(attempt.wait_for(30s)
                                  == std::future_status::ready,
                                "connect to the dead node hung");
          BOOST_TEST(!attempt.get());
          ++refused_connects;
        }
      }
    }
    caf::anon_send(driver, soak_stop_atom::value);
    BOOST_REQUIRE_MESSAGE(done.wait_for(60s) == std::future_status::ready,
                          "the calls in flight did not all resolve within "
                          "60 s of the end");
    auto calls_done_after = seconds_since(t0);
    // -- figures and checks.
    std::map<outcome, uint64_t> by_kind;
    std::vector<uint64_t> replied_per_round(restarts + 2, 0);
    uint64_t lost = 0, duplicated = 0;
    for (size_t i = 0; i < st->resolutions.size(); ++i) {
      if (st->resolutions[i] == 0)
        ++lost;
      else if (st->resolutions[i] > 1)
        ++duplicated;
      ++by_kind[st->outcomes[i]];
      if (st->outcomes[i] == outcome::replied)
        ++replied_per_round[st->generations[i]];
    }
    auto requester = requester_for(sys, resp_ch);
    caf::scoped_actor self{sys};
    requester_stats rs;
    self->request(requester, 10s, stats_atom::value)
      .receive([&](const requester_stats& x) { rs = x; },
               [&](const caf::error& err) {
                 BOOST_FAIL("requester stats: " << error_message(err));
               });
    std::ostringstream figures;
    figures << "remote soak (seed " << seed << "): " << kills
            << " SIGKILLs and restarts of `sssn serve` (" << freezes
            << " of them after a SIGSTOP past the deadline), "
            << refused_connects << " connects to the dead node refused, "
            << st->issued
            << " calls (" << st->window << " in flight, deadline "
            << std::chrono::duration<double>(st->deadline).count()
            << " s), " << by_kind[outcome::replied] << " replied";
    for (auto& [kind, n] : by_kind)
      if (kind != outcome::replied)
        figures << ", " << n << " " << to_string(kind);
    figures << "; lost = " << lost << ", duplicated = " << duplicated
            << "; replied per server:";
    for (size_t g = 1; g < replied_per_round.size(); ++g)
      figures << " " << replied_per_round[g];
    figures << "; requester: pending " << rs.pending << ", late replies "
            << rs.late_replies << "; slowest call resolved after "
            << std::chrono::duration<double>(st->slowest).count()
            << " s; calls done in " << calls_done_after
            << " s; log lines:" << logs.summary();
    std::cout << figures.str() << std::endl;
    BOOST_TEST_MESSAGE(figures.str());
    for (auto& why : st->wrong)
      BOOST_ERROR(why);
    BOOST_TEST(lost == 0u);
    BOOST_TEST(duplicated == 0u);
    BOOST_TEST(by_kind[outcome::wrong] == 0u);
    BOOST_TEST(by_kind[outcome::none] == 0u);
    BOOST_TEST(rs.pending == 0u);
    BOOST_TEST(rs.issued == static_cast<uint64_t>(st->issued));
    BOOST_TEST(rs.replied == by_kind[outcome::replied]);
    BOOST_TEST(rs.timed_out == by_kind[outcome::timed_out]);
    BOOST_TEST(rs.dropped == 0u);
    // No call waited much past its deadline (a generous bound: a hang would
    // wait until the end of the test).
    BOOST_TEST(std::chrono::duration<double>(st->slowest).count()
               < std::chrono::duration<double>(st->deadline + 20s).count());
    // After every restart the client connected again and calls succeeded.
    for (size_t g = 1; g <= restarts + 1; ++g)
      BOOST_TEST(replied_per_round[g] > 0u, "server " << g << " of "
                                                      << restarts + 1
                                                      << " answered no call");
    // The kills did fail calls in flight, as channel down.
    BOOST_TEST(by_kind[outcome::channel_down] > 0u);
    if (freezes > 0)
      BOOST_TEST(by_kind[outcome::timed_out] > 0u);
  }
}

BOOST_AUTO_TEST_SUITE_END()

#endif // SSSN_CLI
