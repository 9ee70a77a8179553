// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The local fault soak, `local/responder_group_under_fire` (CTest
// `soak.local`): 200,000 calls, 1,000 in flight, through the request helper
// to a responder group of 4 whose members are killed, leave the group, are
// sent exit messages they must ignore, stall past the claim expiry, crash in
// their handler and drop their promises, at random (seeded) intervals, and
// are respawned.
//
// For trying things out, the calls, calls in flight and deadline can be
// changed with SSSN_SOAK_CALLS, SSSN_SOAK_WINDOW and SSSN_SOAK_DEADLINE_MS.

#include "soak.hpp"

namespace {

/// What the responders compute from a call's number and its random input:
/// a reply carrying both proves that it answers this very call.
int64_t mix(int64_t n, int64_t x) {
  return n * 1'000'003 + (x ^ 0x5a5a5a);
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
