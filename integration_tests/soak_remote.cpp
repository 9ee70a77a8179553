// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The remote fault soak, `remote/restarted_node` (CTest `soak.remote`):
// calls through `sssn::connect` to an `sssn serve` process that is
// SIGKILLed and restarted on the same port, over and over.
//
// For trying things out, the number of restarts can be changed with
// SSSN_SOAK_RESTARTS.

#include "soak.hpp"
#ifdef SSSN_CLI
#  include "process_fixture.hpp"
#endif

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
