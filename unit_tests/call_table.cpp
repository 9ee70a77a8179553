// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The requester's call table (src/detail/call_table.hpp): admission and
// its bounds, queueing until the subscription, correlation ids, matching
// replies, deadlines and the timer, failing calls per channel, dropping a
// dead caller's calls, closing. Pure: no actor system (but for actor
// addresses in one test); time points are made up.

#include "timeout_scale.hpp"

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/sec.hpp>

#include "detail/call_table.hpp"
#include "sssn/error.hpp"

using namespace sssn;
using namespace sssn::detail;
using namespace std::chrono_literals;

namespace tt = boost::unit_test;

namespace {

const unsigned test_timeout = sssn::test::scaled_timeout(60);

using time_point = call_table::time_point;

const std::string prefix = "0123456789abcdef0123456789abcdef.";

time_point at(caf::timespan t) {
  return time_point{std::chrono::duration_cast<time_point::duration>(t)};
}

call_request request(caf::timespan timeout, std::string channel = "req") {
  call_request x;
  x.channel_id = std::move(channel);
  x.call.timeout = timeout;
  x.sender = "client";
  return x;
}

struct fixture {
  requester_config cfg;
  std::unique_ptr<call_table> tab;

  fixture() {
    cfg.max_pending = 4;
    tab = std::make_unique<call_table>(cfg, prefix);
    tab->subscribed();
  }

  /// Starts a call at `now` that must be admitted; returns its number.
  uint64_t start(caf::timespan timeout, time_point now = at(100s)) {
    auto x = request(timeout);
    auto res = tab->start(x, now, "resp");
    BOOST_REQUIRE_MESSAGE(!res.refused, error_message(res.refused));
    BOOST_REQUIRE(!res.queued);
    return res.number;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(call_table_tests, fixture)

BOOST_AUTO_TEST_CASE(correlation_ids_are_the_prefix_and_the_number_in_hex,
                     *tt::timeout(test_timeout)) {
  BOOST_TEST(tab->prefix() == prefix);
  BOOST_TEST(tab->correlation_id(1) == prefix + "1");
  BOOST_TEST(tab->correlation_id(255) == prefix + "ff");
  BOOST_TEST(tab->correlation_id(UINT64_MAX) == prefix + "ffffffffffffffff");
  BOOST_TEST(tab->stats().prefix == prefix);
}

BOOST_AUTO_TEST_CASE(calls_get_numbers_and_deadlines_from_when_they_were_issued,
                     *tt::timeout(test_timeout)) {
  auto n1 = start(5s);
  auto n2 = start(5s);
  BOOST_TEST(n1 == 1u);
  BOOST_TEST(n2 == 2u);
  // Issued at 90 s, started at 100 s: the deadline counts from 90 s.
  auto x = request(5s);
  x.issued_at = 90s;
  auto res = tab->start(x, at(100s), "resp");
  BOOST_TEST((res.deadline == at(95s)));
  // An `issued_at` in the future counts from now.
  auto y = request(5s);
  y.issued_at = 200s;
  BOOST_TEST((tab->start(y, at(100s), "resp").deadline == at(105s)));
  BOOST_TEST(tab->pending() == 4u);
  BOOST_TEST(tab->stats().issued == 4u);
}

BOOST_AUTO_TEST_CASE(the_pending_bound_and_a_zero_timeout_are_refused,
                     *tt::timeout(test_timeout)) {
  auto zero = request(0s);
  auto r0 = tab->start(zero, at(100s), "resp");
  BOOST_TEST(is(r0.refused, ec::invalid_argument));
  for (int i = 0; i < 4; ++i)
    start(5s);
  auto x = request(5s);
  auto res = tab->start(x, at(100s), "resp");
  BOOST_TEST(is(res.refused, ec::overloaded));
  BOOST_TEST(error_message(res.refused).find("'resp'") != std::string::npos);
  auto st = tab->stats();
  BOOST_TEST(st.overloaded == 1u);
  BOOST_TEST(st.failed == 1u);
  BOOST_TEST(st.pending == 4u);
}

BOOST_AUTO_TEST_CASE(calls_wait_for_the_subscription, *tt::timeout(test_timeout)) {
  call_table fresh{cfg, prefix};
  auto x = request(5s);
  auto res = fresh.start(x, at(100s), "resp");
  BOOST_TEST(res.queued);
  BOOST_TEST(fresh.pending() == 0u);
  auto queued = fresh.subscribed();
  BOOST_REQUIRE_EQUAL(queued.size(), 1u);
  // Queued at 100 s, started at 103 s: the deadline still counts from 100 s.
  auto again = fresh.start(queued.front(), at(103s), "resp");
  BOOST_TEST(!again.queued);
  BOOST_TEST((again.deadline == at(105s)));
}

BOOST_AUTO_TEST_CASE(a_reply_resolves_its_call_once, *tt::timeout(test_timeout)) {
  auto n = start(5s);
  auto [what, call] = tab->take_reply(tab->correlation_id(n));
  BOOST_TEST((what == call_table::match::call));
  BOOST_REQUIRE(call);
  BOOST_TEST(tab->channel_id(call->call.channel) == "req");
  auto again = tab->take_reply(tab->correlation_id(n));
  BOOST_TEST((again.first == call_table::match::late));
  auto st = tab->stats();
  BOOST_TEST(st.replied == 1u);
  BOOST_TEST(st.late_replies == 1u);
  BOOST_TEST(st.pending == 0u);
}

BOOST_AUTO_TEST_CASE(replies_this_table_never_issued_are_unknown,
                     *tt::timeout(test_timeout)) {
  start(5s);
  for (std::string corr :
       {std::string{"other.1"}, prefix, prefix + "0", prefix + "2",
        prefix + "1x", prefix + "1F", prefix + "10000000000000001"}) {
    auto [what, call] = tab->take_reply(corr);
    BOOST_TEST((what == call_table::match::unknown), corr);
    BOOST_TEST(!call);
  }
  BOOST_TEST((tab->take_reply(std::nullopt).first
              == call_table::match::unknown));
  BOOST_TEST(tab->stats().unknown_replies == 8u);
  BOOST_TEST(tab->pending() == 1u);
}

BOOST_AUTO_TEST_CASE(deadlines_expire_in_order_with_one_timer,
                     *tt::timeout(test_timeout)) {
  auto late = start(10s);
  auto early = start(2s);
  auto t = tab->tick_needed();
  BOOST_REQUIRE(t);
  BOOST_TEST((*t == at(102s)));
  // Already scheduled for 102 s: no second timer.
  BOOST_TEST(!tab->tick_needed());
  BOOST_TEST(tab->take_expired(at(101s)).empty());
  tab->tick_fired();
  auto expired = tab->take_expired(at(102s));
  BOOST_REQUIRE_EQUAL(expired.size(), 1u);
  BOOST_TEST((expired[0].second == caf::sec::request_timeout));
  BOOST_TEST(error_message(expired[0].second).find(tab->correlation_id(early))
             != std::string::npos);
  auto next = tab->tick_needed();
  BOOST_REQUIRE(next);
  BOOST_TEST((*next == at(110s)));
  tab->tick_fired();
  BOOST_REQUIRE_EQUAL(tab->take_expired(at(110s)).size(), 1u);
  BOOST_TEST(!tab->tick_needed());
  BOOST_TEST(tab->stats().timed_out == 2u);
  BOOST_TEST((tab->take_reply(tab->correlation_id(late)).first
              == call_table::match::late));
}

BOOST_AUTO_TEST_CASE(a_resolved_call_wakes_no_timer, *tt::timeout(test_timeout)) {
  auto n = start(2s);
  start(10s);
  BOOST_REQUIRE(tab->take_reply(tab->correlation_id(n)).second);
  auto t = tab->tick_needed();
  BOOST_REQUIRE(t);
  BOOST_TEST((*t == at(110s)));
}

BOOST_AUTO_TEST_CASE(a_refusal_counts_only_from_the_channel_of_the_call,
                     *tt::timeout(test_timeout)) {
  auto n = start(5s);
  auto token = tab->refusal_token(n);
  // The call number alone (which its correlation id shows) names nothing.
  BOOST_TEST(!tab->take_refused(n, caf::actor_addr{}));
  // Requests of these calls went to a null channel address.
  BOOST_TEST(!tab->take_refused(tab->refusal_token(n + 1), caf::actor_addr{}));
  auto call = tab->take_refused(token, caf::actor_addr{});
  BOOST_REQUIRE(call);
  BOOST_TEST(tab->stats().failed == 1u);
  BOOST_TEST(!tab->take_refused(token, caf::actor_addr{}));
}

BOOST_AUTO_TEST_CASE(a_channel_going_down_fails_its_calls,
                     *tt::timeout(test_timeout)) {
  start(5s);
  start(5s);
  auto failed = tab->take_channel_down(
    caf::actor_addr{}, [](uint64_t n, const std::string& id) {
      return make_error(ec::channel_down, id + " #"
                                            + std::to_string(n));
    });
  BOOST_REQUIRE_EQUAL(failed.size(), 2u);
  for (auto& [call, err] : failed) {
    BOOST_TEST(is(err, ec::channel_down));
    // The id the calls named their channel with.
    BOOST_TEST(error_message(err).rfind("req #", 0) == 0u);
  }
  BOOST_TEST(tab->pending() == 0u);
  BOOST_TEST(tab->stats().failed == 2u);
  // A second DOWN of the same channel finds nothing to do.
  BOOST_TEST(tab->take_channel_down(caf::actor_addr{},
                                    [](uint64_t, const std::string&) {
                                      return caf::error{};
                                    })
               .empty());
}

BOOST_AUTO_TEST_CASE(closing_hands_back_every_call_and_refuses_new_ones,
                     *tt::timeout(test_timeout)) {
  call_table fresh{cfg, prefix};
  auto q = request(5s);
  BOOST_TEST(fresh.start(q, at(100s), "resp").queued);
  auto calls = fresh.close();
  BOOST_TEST(calls.size() == 1u);
  auto x = request(5s);
  auto res = fresh.start(x, at(100s), "resp");
  BOOST_TEST(is(res.refused, ec::channel_down));
  BOOST_TEST(error_message(res.refused).find("'resp'") != std::string::npos);
  start(5s);
  start(5s);
  BOOST_TEST(tab->close().size() == 2u);
  BOOST_TEST(tab->pending() == 0u);
  BOOST_TEST(tab->stats().failed == 2u);
}

BOOST_AUTO_TEST_CASE(callers_stay_watched_between_calls_up_to_a_bound,
                     *tt::timeout(test_timeout)) {
  // Real actors only for their addresses: the table never touches them.
  caf::actor_system_config sys_cfg;
  caf::actor_system sys{sys_cfg};
  auto call_from = [&](const caf::actor& caller) {
    auto x = request(5s);
    x.call.to = caf::actor_cast<caf::strong_actor_ptr>(caller);
    return tab->start(x, at(100s), "resp");
  };
  auto reply_to = [&](uint64_t n) {
    auto [what, call] = tab->take_reply(tab->correlation_id(n));
    BOOST_REQUIRE((what == call_table::match::call));
    return call->unwatch_caller;
  };
  // One caller calling in turn is watched once, from its first call on.
  auto first = sys.spawn([] {});
  auto a = call_from(first);
  BOOST_TEST(a.watch_caller);
  BOOST_TEST(!reply_to(a.number));
  auto b = call_from(first);
  BOOST_TEST(!b.watch_caller);
  BOOST_TEST(!reply_to(b.number));
  BOOST_TEST(tab->watched_callers() == 1u);
  // Many callers, one call each: the first `max_idle_callers` stay watched,
  // the others are let go when their call ends.
  constexpr auto bound = call_table::max_idle_callers;
  size_t let_go = 0;
  std::vector<caf::actor> others;
  for (size_t i = 0; i < bound + 9; ++i) {
    others.push_back(sys.spawn([] {}));
    auto res = call_from(others.back());
    BOOST_TEST(res.watch_caller);
    if (reply_to(res.number))
      ++let_go;
  }
  BOOST_TEST(let_go == 10u);
  BOOST_TEST(tab->watched_callers() == bound);
  // A watched caller that dies is forgotten (its DOWN): the next idle one
  // that ends a call stays watched in its place.
  tab->drop_caller(first.address());
  BOOST_TEST(tab->watched_callers() == bound - 1);
  auto late = sys.spawn([] {});
  auto c = call_from(late);
  BOOST_TEST(c.watch_caller);
  BOOST_TEST(!reply_to(c.number));
  BOOST_TEST(tab->watched_callers() == bound);
  // A caller with a pending call is watched whatever the bound.
  auto d = call_from(first);
  BOOST_TEST(d.watch_caller);
  BOOST_TEST(tab->watched_callers() == bound + 1);
  BOOST_TEST(reply_to(d.number));
  BOOST_TEST(tab->watched_callers() == bound);
}

BOOST_AUTO_TEST_SUITE_END()
