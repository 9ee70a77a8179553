// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests for the request path: requester, responders and the request helper.

#include "call_outcomes.hpp"
#include "compute_types.hpp"
#include "fixture.hpp"

#include <atomic>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include <caf/all.hpp>

using namespace sssn;
using namespace std::chrono_literals;

namespace {

using test::compute_request;
using test::compute_response;

/// Generic "a + b" handler.
json add(const content& req) {
  auto& data = req.data();
  return json{
    {"result", data.at("a").get<int64_t>() + data.at("b").get<int64_t>()}};
}

using test::outcome_map;

/// Promises kept by a responder that answers only when told to.
struct held_promises {
  std::vector<std::pair<channel_message, reply_promise>> items;
};

} // namespace

// -- deterministic tests ----------------------------------------------------------

namespace {

struct request_fixture : test::deterministic_fixture {
  channel req_ch;
  channel resp_ch;
  std::shared_ptr<outcome_map> outcomes = std::make_shared<outcome_map>();

  request_fixture() {
    req_ch = make_channel("compute-request");
    resp_ch = make_channel("compute-response");
  }

  requester_actor requester() {
    return requester_for(sys, resp_ch);
  }

  /// Issues one call per entry of `calls` (call number → data) from an
  /// event-based actor that records each outcome; runs the scheduler.
  void issue_data(std::map<int, json> calls, caf::timespan timeout = 10s,
                  std::string sender = "client") {
    test::spawn_caller(sys, req_ch, resp_ch, outcomes, std::move(calls),
                       timeout, std::move(sender));
    run();
  }

  /// Issues calls `first` .. `first + n - 1` with data {a: i, b: 2i}.
  void issue(int first, int n, caf::timespan timeout = 10s,
             std::string sender = "client") {
    std::map<int, json> calls;
    for (int i = first; i < first + n; ++i)
      calls.emplace(i, json{{"a", i}, {"b", 2 * i}});
    issue_data(std::move(calls), timeout, std::move(sender));
  }

  requester_stats requester_stats_now() {
    auto st = call<requester_stats>(requester(), stats_atom::value);
    BOOST_REQUIRE(st);
    return *st;
  }

  /// Responders spawned by `spawn_holding_responder`.
  std::vector<responder_actor> holders;

  /// Kills every responder that `spawn_holding_responder` spawned.
  void kill_group_members() {
    for (auto& hdl : holders)
      caf::anon_send_exit(hdl, caf::exit_reason::kill);
    holders.clear();
  }

  /// Spawns a responder whose handler keeps every request's promise.
  std::shared_ptr<held_promises> spawn_holding_responder(std::string group
                                                         = "sssn.responders") {
    auto held = std::make_shared<held_promises>();
    responder_config cfg;
    cfg.group = std::move(group);
    holders.push_back(spawn_responder(
      sys, req_ch,
      [held](const channel_message& msg, reply_promise rp) {
        held->items.emplace_back(msg, std::move(rp));
      },
      cfg));
    run();
    return held;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(deterministic, request_fixture)

BOOST_AUTO_TEST_CASE(helper_call_gets_its_reply) {
  spawn_responder(sys, req_ch, add);
  issue(7, 1);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  auto& reply = outcomes->at(7);
  BOOST_REQUIRE(reply);
  BOOST_TEST(reply->content().data().at("result").get<int64_t>() == 21);
  BOOST_TEST(reply->correlation_id().has_value());
  auto st = requester_stats_now();
  BOOST_TEST(st.issued == 1u);
  BOOST_TEST(st.replied == 1u);
  BOOST_TEST(st.pending == 0u);
}

BOOST_AUTO_TEST_CASE(requests_carry_correlation_id_reply_to_and_deadline) {
  auto held = spawn_holding_responder();
  issue(1, 2, 5s);
  BOOST_REQUIRE_EQUAL(held->items.size(), 2u);
  auto& first = held->items[0].first;
  auto& second = held->items[1].first;
  BOOST_REQUIRE(first.correlation_id());
  BOOST_REQUIRE(second.correlation_id());
  BOOST_TEST(*first.correlation_id() != *second.correlation_id());
  // The prefix is the requester's random 128 bits, in hex, plus a dot.
  auto prefix = requester_stats_now().prefix;
  BOOST_TEST(prefix.size() == 33u);
  BOOST_TEST(first.correlation_id()->compare(0, prefix.size(), prefix) == 0);
  BOOST_TEST(first.reply_to().value_or("") == "compute-response");
  BOOST_REQUIRE(first.deadline());
  BOOST_TEST(*first.deadline() - first.timestamp() == 5.0,
             boost::test_tools::tolerance(0.001));
}

BOOST_AUTO_TEST_CASE(timed_out_call_resolves_and_late_reply_is_counted) {
  auto held = spawn_holding_responder();
  issue(1, 1, 5s);
  BOOST_TEST(outcomes->empty());
  advance(4s);
  BOOST_TEST(outcomes->empty());
  advance(1s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  auto& res = outcomes->at(1);
  BOOST_REQUIRE(!res);
  BOOST_TEST(res.error() == caf::sec::request_timeout);
  BOOST_TEST(error_message(res.error()).find("compute-request")
             != std::string::npos);
  // The reply comes after all: counted as late, delivered to nobody.
  held->items.front().second.deliver(json{{"result", 3}});
  run();
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  BOOST_TEST(!outcomes->at(1));
  auto st = requester_stats_now();
  BOOST_TEST(st.timed_out == 1u);
  BOOST_TEST(st.late_replies == 1u);
  BOOST_TEST(st.pending == 0u);
}

BOOST_AUTO_TEST_CASE(nothing_polls_while_a_call_waits) {
  auto held = spawn_holding_responder();
  issue(1, 1, 10s);
  BOOST_REQUIRE_EQUAL(held->items.size(), 1u);
  // Quiescent: no actor has anything to do, and no timer fires before the
  // deadline. A polling requester would wake up here.
  BOOST_TEST(run() == 0u);
  for (int i = 0; i < 9; ++i) {
    BOOST_TEST(sched.advance_time(1s) == 0u);
    BOOST_TEST(run() == 0u);
  }
  BOOST_TEST(outcomes->empty());
  advance(1s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  BOOST_TEST(outcomes->at(1).error() == caf::sec::request_timeout);
}

BOOST_AUTO_TEST_CASE(hundred_thousand_timeouts_share_one_timer) {
  // A plain subscriber that never answers makes the channel "have
  // responders" without pinning requests in the channel.
  auto held = spawn_holding_responder("");
  constexpr int n = 100'000;
  issue(0, n, 1s);
  BOOST_TEST(outcomes->empty());
  // One wake-up for the requester, not one CAF timeout per call.
  BOOST_TEST(sched.clock().schedule().size() <= 3u);
  advance(999ms);
  BOOST_TEST(outcomes->empty());
  advance(1ms);
  BOOST_REQUIRE_EQUAL(outcomes->size(), static_cast<size_t>(n));
  size_t timeouts = 0;
  for (auto& [i, res] : *outcomes)
    if (!res && res.error() == caf::sec::request_timeout)
      ++timeouts;
  BOOST_TEST(timeouts == static_cast<size_t>(n));
  auto st = requester_stats_now();
  BOOST_TEST(st.timed_out == static_cast<uint64_t>(n));
  BOOST_TEST(st.pending == 0u);
}

BOOST_AUTO_TEST_CASE(no_responders_fails_at_once) {
  issue(1, 1, 30s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  auto& res = outcomes->at(1);
  BOOST_REQUIRE(!res);
  BOOST_TEST(is(res.error(), ec::no_responders));
  BOOST_TEST(error_message(res.error()).find("compute-request")
             != std::string::npos);
  BOOST_TEST(requester_stats_now().pending == 0u);
}

BOOST_AUTO_TEST_CASE(not_accepting_writes_fails_at_once) {
  auto stopped = make_channel("not-started", false);
  spawn_responder(sys, stopped, add);
  run();
  req_ch = stopped;
  issue(1, 1, 30s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  BOOST_TEST(is(outcomes->at(1).error(), ec::not_accepting_writes));
}

BOOST_AUTO_TEST_CASE(a_response_channel_never_started_fails_calls_at_once) {
  // No reply could be written to it: the call fails now, saying what to do,
  // not at its deadline.
  spawn_responder(sys, req_ch, add);
  resp_ch = make_channel("never-started", false);
  issue(1, 2, 30s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 2u);
  for (auto i : {1, 2}) {
    auto& res = outcomes->at(i);
    BOOST_REQUIRE(!res);
    BOOST_TEST(is(res.error(), ec::not_accepting_writes));
    BOOST_TEST(error_message(res.error()).find("start the response channel")
                 != std::string::npos,
               error_message(res.error()));
  }
  // Once started, calls through it are answered.
  BOOST_REQUIRE(call<caf::unit_t>(resp_ch.actor(), start_atom::value));
  outcomes->clear();
  issue(3, 1, 30s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  BOOST_REQUIRE(outcomes->at(3));
}

BOOST_AUTO_TEST_CASE(dead_request_channel_fails_pending_and_new_calls) {
  auto held = spawn_holding_responder();
  issue(1, 3, 30s);
  BOOST_TEST(outcomes->empty());
  caf::anon_send_exit(req_ch.actor(), caf::exit_reason::kill);
  run();
  BOOST_REQUIRE_EQUAL(outcomes->size(), 3u);
  for (auto& [i, res] : *outcomes) {
    BOOST_REQUIRE(!res);
    BOOST_TEST(is(res.error(), ec::channel_down));
  }
  issue(10, 1, 30s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 4u);
  BOOST_TEST(is(outcomes->at(10).error(), ec::channel_down));
}

BOOST_AUTO_TEST_CASE(dead_response_channel_fails_pending_calls) {
  auto held = spawn_holding_responder();
  issue(1, 2, 30s);
  BOOST_TEST(outcomes->empty());
  caf::anon_send_exit(resp_ch.actor(), caf::exit_reason::kill);
  run();
  BOOST_REQUIRE_EQUAL(outcomes->size(), 2u);
  for (auto& [i, res] : *outcomes)
    BOOST_TEST(is(res.error(), ec::channel_down));
}

BOOST_AUTO_TEST_CASE(dead_caller_leaves_no_pending_entry) {
  auto held = spawn_holding_responder();
  auto req = req_ch;
  auto resp = resp_ch;
  auto caller = sys.spawn([=](caf::event_based_actor* self) {
    for (int i = 0; i < 5; ++i)
      request_via_channel(self, req, resp, "client", json{{"a", i}, {"b", 1}},
                          30s)
        .then([](const channel_message&) {}, [](const caf::error&) {});
  });
  run();
  BOOST_TEST(requester_stats_now().pending == 5u);
  caf::anon_send_exit(caller, caf::exit_reason::kill);
  run();
  auto st = requester_stats_now();
  BOOST_TEST(st.pending == 0u);
  BOOST_TEST(st.dropped == 5u);
}

BOOST_AUTO_TEST_CASE(pending_bound_fails_at_once_with_overloaded) {
  auto held = spawn_holding_responder();
  auto other = make_channel("bounded-response");
  requester_config cfg;
  cfg.max_pending = 3;
  requester_for(sys, other, cfg);
  resp_ch = other;
  issue(1, 4, 30s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  BOOST_TEST(is(outcomes->at(4).error(), ec::overloaded));
  BOOST_TEST(held->items.size() == 3u);
}

BOOST_AUTO_TEST_CASE(invalid_typed_request_gets_error_naming_the_field) {
  spawn_responder(sys, req_ch, [](const compute_request& req) {
    return compute_response{req.a + req.b, std::nullopt};
  });
  run();
  issue_data({{1, json{{"a", "x"}, {"b", 1}}}, {2, json{{"a", 2}, {"b", 40}}}},
             5s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 2u);
  BOOST_REQUIRE(outcomes->at(1));
  auto bad = outcomes->at(1)->content().as<compute_response>();
  BOOST_REQUIRE(!bad);
  BOOST_TEST(is(bad.error(), ec::invalid_content));
  BOOST_TEST(error_field(bad.error()) == "a");
  // The responder keeps running: the valid request is answered.
  BOOST_REQUIRE(outcomes->at(2));
  auto good = outcomes->at(2)->content().as<compute_response>();
  BOOST_REQUIRE(good);
  BOOST_TEST(good->result == 42.0);
}

BOOST_AUTO_TEST_CASE(throwing_handler_answers_with_an_error) {
  spawn_responder(sys, req_ch, [](const content& req) -> json {
    if (req.data().at("a").get<int64_t>() == 1)
      throw std::runtime_error("boom");
    return add(req);
  });
  issue(1, 2);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 2u);
  BOOST_REQUIRE(outcomes->at(1));
  auto& failed = outcomes->at(1)->content();
  BOOST_REQUIRE(failed.is_error());
  BOOST_TEST(is(failed.error(), ec::request_failed));
  BOOST_TEST(error_message(failed.error()).find("boom") != std::string::npos);
  BOOST_TEST(outcomes->at(2)->content().data().at("result") == 6);
}

BOOST_AUTO_TEST_CASE(dropped_promise_answers_with_an_error) {
  spawn_responder(sys, req_ch,
                  [](const channel_message&, reply_promise) { /* dropped */ });
  issue(1, 1);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  BOOST_REQUIRE(outcomes->at(1));
  BOOST_TEST(is(outcomes->at(1)->content().error(), ec::request_failed));
}

BOOST_AUTO_TEST_CASE(late_promise_answer_resolves_the_call) {
  auto held = spawn_holding_responder();
  issue(1, 2);
  BOOST_TEST(outcomes->empty());
  BOOST_REQUIRE_EQUAL(held->items.size(), 2u);
  for (auto& [msg, rp] : held->items)
    rp.deliver(add(msg.content()));
  run();
  BOOST_REQUIRE_EQUAL(outcomes->size(), 2u);
  BOOST_TEST(outcomes->at(1)->content().data().at("result") == 3);
  BOOST_TEST(outcomes->at(2)->content().data().at("result") == 6);
}

BOOST_AUTO_TEST_CASE(expired_requests_are_skipped_not_computed) {
  auto handled = std::make_shared<int>(0);
  auto responder = spawn_responder(sys, req_ch,
                                   [handled](const content& req) {
                                     ++*handled;
                                     return add(req);
                                   });
  run();
  auto past = channel_message::builder{}
                .sender_id("client")
                .content(json{{"a", 1}, {"b", 2}})
                .correlation_id("c-1")
                .reply_to("compute-response")
                .deadline(1.0) // 1970
                .build();
  auto id = call<std::string>(req_ch.actor(), write_atom::value,
                              std::string{"client"}, past, write_options{});
  BOOST_REQUIRE(id);
  BOOST_TEST(*handled == 0);
  auto st = call<responder_stats>(responder, stats_atom::value);
  BOOST_REQUIRE(st);
  BOOST_TEST(st->expired == 1u);
  BOOST_TEST(st->handled == 0u);
  // Skipped requests are acknowledged: nothing waits in the channel.
  auto cs = call<channel_stats>(req_ch.actor(), stats_atom::value);
  BOOST_TEST(cs->claimed == 0u);
}

BOOST_AUTO_TEST_CASE(a_reply_that_comes_twice_resolves_the_call_once) {
  // Two plain subscribers: both answer every request.
  spawn_responder(sys, req_ch, add, responder_config{"r1", "r1", "", 32});
  spawn_responder(sys, req_ch, add, responder_config{"r2", "r2", "", 32});
  issue(1, 3);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 3u);
  for (auto& [i, res] : *outcomes) {
    BOOST_REQUIRE(res);
    BOOST_TEST(res->content().data().at("result") == 3 * i);
  }
  auto st = requester_stats_now();
  BOOST_TEST(st.replied == 3u);
  BOOST_TEST(st.late_replies == 3u);
}

BOOST_AUTO_TEST_CASE(group_redelivers_claims_of_a_killed_member) {
  // Four members that hold their requests; one of them dies.
  std::vector<std::shared_ptr<held_promises>> held;
  std::vector<responder_actor> members;
  for (int i = 0; i < 4; ++i) {
    auto h = std::make_shared<held_promises>();
    members.push_back(spawn_responder(
      sys, req_ch,
      [h](const channel_message& msg, reply_promise rp) {
        h->items.emplace_back(msg, std::move(rp));
      }));
    held.push_back(h);
  }
  run();
  issue(0, 40, 30s);
  for (auto& h : held)
    BOOST_TEST(h->items.size() == 10u);
  // Member 0 dies holding 10 requests: they go to the other members.
  caf::anon_send_exit(members[0], caf::exit_reason::kill);
  held[0]->items.clear();
  run();
  size_t total = 0;
  for (int i = 1; i < 4; ++i)
    total += held[i]->items.size();
  BOOST_TEST(total == 40u);
  for (int i = 1; i < 4; ++i)
    for (auto& [msg, rp] : held[i]->items)
      rp.deliver(add(msg.content()));
  run();
  BOOST_REQUIRE_EQUAL(outcomes->size(), 40u);
  for (auto& [i, res] : *outcomes) {
    BOOST_REQUIRE(res);
    BOOST_TEST(res->content().data().at("result") == 3 * i);
  }
  BOOST_TEST(requester_stats_now().pending == 0u);
}

BOOST_AUTO_TEST_CASE(claim_expiry_redelivers_a_stuck_request) {
  // Two members share one record of what they were handed.
  auto held = spawn_holding_responder();
  issue(1, 1, 60s);
  BOOST_REQUIRE_EQUAL(held->items.size(), 1u);
  responder_config cfg;
  spawn_responder(
    sys, req_ch,
    [held](const channel_message& msg, reply_promise rp) {
      held->items.emplace_back(msg, std::move(rp));
    },
    cfg);
  run();
  BOOST_TEST(held->items.size() == 1u);
  advance(29s);
  BOOST_TEST(held->items.size() == 1u);
  advance(2s); // claim expiry: 30 s
  BOOST_REQUIRE_EQUAL(held->items.size(), 2u);
  BOOST_TEST(held->items[0].first.id() == held->items[1].first.id());
  held->items[1].second.deliver(json{{"result", 3}});
  run();
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  BOOST_TEST(outcomes->at(1)->content().data().at("result") == 3);
  // The stuck handler answers too: handled twice, answered once.
  held->items[0].second.deliver(json{{"result", 3}});
  run();
  BOOST_TEST(outcomes->size() == 1u);
  BOOST_TEST(requester_stats_now().late_replies == 1u);
}


BOOST_AUTO_TEST_CASE(last_responder_gone_fails_waiting_calls_after_the_grace) {
  auto held = spawn_holding_responder();
  auto members = call<channel_stats>(req_ch.actor(), stats_atom::value);
  BOOST_REQUIRE(members && members->group_members == 1u);
  issue(1, 3, 30s);
  BOOST_REQUIRE_EQUAL(held->items.size(), 3u);
  // The only responder dies holding the three requests (the promises it
  // kept go with it, answering nothing).
  kill_group_members();
  run();
  held->items.clear();
  run();
  BOOST_TEST(outcomes->empty());
  advance(900ms);
  BOOST_TEST(outcomes->empty());
  advance(200ms); // the default grace: 1 s, not the 30 s deadline
  BOOST_REQUIRE_EQUAL(outcomes->size(), 3u);
  for (auto& [i, res] : *outcomes) {
    BOOST_REQUIRE(!res);
    BOOST_TEST(is(res.error(), ec::no_responders));
    BOOST_TEST(error_message(res.error()).find("compute-request")
               != std::string::npos);
  }
  auto st = call<channel_stats>(req_ch.actor(), stats_atom::value);
  BOOST_REQUIRE(st);
  BOOST_TEST(st->abandoned_calls == 3u);
  BOOST_TEST(requester_stats_now().pending == 0u);
}

BOOST_AUTO_TEST_CASE(a_responder_back_within_the_grace_answers_waiting_calls) {
  auto held = spawn_holding_responder();
  issue(1, 2, 30s);
  BOOST_REQUIRE_EQUAL(held->items.size(), 2u);
  kill_group_members();
  run();
  held->items.clear();
  run();
  advance(500ms);
  spawn_responder(sys, req_ch, add);
  run();
  BOOST_REQUIRE_EQUAL(outcomes->size(), 2u);
  advance(2s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 2u);
  for (auto& [i, res] : *outcomes) {
    BOOST_REQUIRE(res);
    BOOST_TEST(res->content().data().at("result") == 3 * i);
  }
  auto st = call<channel_stats>(req_ch.actor(), stats_atom::value);
  BOOST_REQUIRE(st);
  BOOST_TEST(st->abandoned_calls == 0u);
}

BOOST_AUTO_TEST_CASE(the_no_responder_grace_is_configurable) {
  channel_config cfg;
  cfg.id = "compute-request-5s";
  cfg.no_responder_grace = 5s;
  req_ch = make_channel(cfg);
  auto held = spawn_holding_responder();
  issue(1, 1, 30s);
  BOOST_REQUIRE_EQUAL(held->items.size(), 1u);
  kill_group_members();
  run();
  held->items.clear();
  run();
  advance(4s);
  BOOST_TEST(outcomes->empty());
  advance(2s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  BOOST_TEST(is(outcomes->at(1).error(), ec::no_responders));
}

BOOST_AUTO_TEST_CASE(default_channels_stay_flat_across_a_hundred_thousand_calls) {
  // Issue 15: with the defaults, each channel held every message of every
  // call. Now an answered request goes once its responder acknowledges it,
  // and a reply once it is pushed to the requester that asked: after each
  // round both channels are empty again, however many calls went through.
  spawn_responder(sys, req_ch, add);
  constexpr int round_size = 10'000;
  for (int round = 0; round < 10; ++round) {
    outcomes->clear();
    issue(round * round_size, round_size);
    BOOST_REQUIRE_EQUAL(outcomes->size(), static_cast<size_t>(round_size));
    int wrong = 0;
    for (auto& [i, res] : *outcomes)
      if (!res || res->content().data().at("result") != 3 * i)
        ++wrong;
    BOOST_TEST(wrong == 0);
    auto done = static_cast<uint64_t>((round + 1) * round_size);
    auto req = call<channel_stats>(req_ch.actor(), stats_atom::value);
    auto resp = call<channel_stats>(resp_ch.actor(), stats_atom::value);
    BOOST_REQUIRE(req);
    BOOST_REQUIRE(resp);
    BOOST_TEST(req->writes == done);
    BOOST_TEST(req->stored == 0u);
    BOOST_TEST(req->dropped_acknowledged == done);
    BOOST_TEST(req->evicted == 0u);
    BOOST_TEST(resp->writes == done);
    BOOST_TEST(resp->stored == 0u);
    BOOST_TEST(resp->dropped_delivered == done);
    BOOST_TEST(resp->evicted == 0u);
  }
  auto st = requester_stats_now();
  BOOST_TEST(st.replied == 100'000u);
  BOOST_TEST(st.pending == 0u);
  BOOST_TEST(st.late_replies == 0u);
}

BOOST_AUTO_TEST_CASE(keep_history_keeps_requests_and_replies_up_to_retention) {
  channel_config rc;
  rc.id = "compute-request-history";
  rc.keep_history = true;
  rc.max_messages = 1'000;
  req_ch = make_channel(rc);
  channel_config pc;
  pc.id = "compute-response-history";
  pc.keep_history = true;
  pc.max_messages = 1'000;
  resp_ch = make_channel(pc);
  spawn_responder(sys, req_ch, add);
  // In rounds, so that the requests waiting for the responder never fill
  // the request channel's retention.
  for (int round = 0; round < 6; ++round)
    issue(round * 500, 500);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 3'000u);
  for (auto& [i, res] : *outcomes)
    BOOST_REQUIRE(res);
  auto req = call<channel_stats>(req_ch.actor(), stats_atom::value);
  auto resp = call<channel_stats>(resp_ch.actor(), stats_atom::value);
  BOOST_REQUIRE(req);
  BOOST_REQUIRE(resp);
  // Kept up to max_messages; retention evicted the older ones.
  BOOST_TEST(req->stored == 1'000u);
  BOOST_TEST(req->evicted == 2'000u);
  BOOST_TEST(req->dropped_acknowledged == 0u);
  BOOST_TEST(resp->stored == 1'000u);
  BOOST_TEST(resp->evicted == 2'000u);
  BOOST_TEST(resp->dropped_delivered == 0u);
  // The replies stay readable: the last 1,000 calls', in order.
  auto replies = call<std::vector<channel_message>>(
    resp_ch.actor(), read_atom::value, std::string{"auditor"},
    uint32_t{10'000}, std::string{});
  BOOST_REQUIRE(replies);
  BOOST_REQUIRE_EQUAL(replies->size(), 1'000u);
  BOOST_TEST(replies->front().id() == outcomes->at(2'000)->id());
  BOOST_TEST(replies->back().id() == outcomes->at(2'999)->id());
}

BOOST_AUTO_TEST_SUITE_END()

// -- tests on real threads --------------------------------------------------------

namespace {

struct threaded_request_fixture : test::threaded_fixture {
  channel req_ch = spawn_channel(sys, "compute-request");
  channel resp_ch = spawn_channel(sys, "compute-response");

  threaded_request_fixture() {
    BOOST_REQUIRE(req_ch.start());
    BOOST_REQUIRE(resp_ch.start());
  }

  /// Fires `n` calls at once from one event-based actor, with sender ids
  /// from `sender_of(i)`, and waits (at most 120 s) for all outcomes.
  std::shared_ptr<outcome_map>
  fire(int n, std::function<std::string(int)> sender_of,
       caf::timespan timeout = 30s) {
    auto out = std::make_shared<outcome_map>();
    auto done = std::make_shared<std::promise<void>>();
    auto fut = done->get_future();
    auto req = req_ch;
    auto resp = resp_ch;
    sys.spawn([=](caf::event_based_actor* self) {
      for (int i = 0; i < n; ++i)
        request_via_channel(self, req, resp, sender_of(i),
                            json{{"a", i}, {"b", 2 * i}}, timeout)
          .then(
            [=](const channel_message& msg) {
              out->emplace(i, msg);
              if (out->size() == static_cast<size_t>(n))
                done->set_value();
            },
            [=](const caf::error& err) {
              out->emplace(i, caf::expected<channel_message>{err});
              if (out->size() == static_cast<size_t>(n))
                done->set_value();
            });
    });
    BOOST_REQUIRE(fut.wait_for(120s) == std::future_status::ready);
    return out;
  }

  static void check_all_correct(const outcome_map& out, int n) {
    BOOST_REQUIRE_EQUAL(out.size(), static_cast<size_t>(n));
    int wrong = 0;
    for (auto& [i, res] : out)
      if (!res || res->content().data().at("result") != 3 * i)
        ++wrong;
    BOOST_TEST(wrong == 0);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(threaded, threaded_request_fixture)

BOOST_AUTO_TEST_CASE(blocking_helper_call) {
  spawn_responder(sys, req_ch, add);
  auto reply = request_via_channel(req_ch, resp_ch, "client-a",
                                   json{{"a", 7}, {"b", 35}}, 5s);
  BOOST_REQUIRE(reply);
  BOOST_TEST(reply->content().data().at("result") == 42);
}

BOOST_AUTO_TEST_CASE(ten_thousand_concurrent_calls_sharing_one_sender_id) {
  // SSSN defect 1: one shared cursor per reader id lost all but one reply.
  spawn_responder(sys, req_ch, add);
  auto out = fire(10'000, [](int) { return std::string{"client"}; });
  check_all_correct(*out, 10'000);
}

BOOST_AUTO_TEST_CASE(concurrent_blocking_calls_from_threads) {
  spawn_responder(sys, req_ch, add);
  std::vector<std::future<bool>> tasks;
  for (int t = 0; t < 8; ++t)
    tasks.push_back(std::async(std::launch::async, [this, t] {
      for (int i = 0; i < 50; ++i) {
        int a = t * 1000 + i;
        auto reply = request_via_channel(req_ch, resp_ch, "client",
                                         json{{"a", a}, {"b", 2 * a}}, 10s);
        if (!reply || reply->content().data().at("result") != 3 * a)
          return false;
      }
      return true;
    }));
  for (auto& t : tasks) {
    BOOST_REQUIRE(t.wait_for(60s) == std::future_status::ready);
    BOOST_TEST(t.get());
  }
}

BOOST_AUTO_TEST_CASE(new_requesters_on_a_long_response_channel_get_replies) {
  // SSSN defect 2: requesters scanned the response channel from its start.
  for (int i = 0; i < 5'000; ++i)
    BOOST_REQUIRE(resp_ch.write("old", content{json{{"n", i}}}));
  spawn_responder(sys, req_ch, add);
  auto out = fire(1'000, [](int i) { return "client-" + std::to_string(i); });
  check_all_correct(*out, 1'000);
}

BOOST_AUTO_TEST_CASE(calls_on_a_stopped_response_channel_fail_and_never_hang) {
  // The requester of a stopped response channel stops at once; CAF then ran
  // its registry clean-up on the calling thread while the registry's lock
  // was held: the thread deadlocked on itself within a few rounds.
  spawn_responder(sys, req_ch, add);
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 300; ++i) {
    auto resp = spawn_channel(sys, "resp-" + std::to_string(i));
    BOOST_REQUIRE(resp.start());
    BOOST_REQUIRE(resp.stop("admin"));
    auto t0 = std::chrono::steady_clock::now();
    auto reply = request_via_channel(req_ch, resp, "client",
                                     json{{"a", i}, {"b", 1}}, 30s);
    BOOST_REQUIRE(!reply);
    BOOST_TEST_REQUIRE(is(reply.error(), ec::channel_down),
                       "round " << i << ": " << error_message(reply.error()));
    BOOST_TEST_REQUIRE((std::chrono::steady_clock::now() - t0 < 2s));
  }
  BOOST_TEST((std::chrono::steady_clock::now() - start < 60s));
  // Later calls on a live response channel still work.
  auto reply = request_via_channel(req_ch, resp_ch, "client",
                                   json{{"a", 7}, {"b", 35}}, 10s);
  BOOST_REQUIRE(reply);
  BOOST_TEST(reply->content().data().at("result") == 42);
}

BOOST_AUTO_TEST_CASE(no_responders_fails_long_before_the_deadline) {
  auto start = std::chrono::steady_clock::now();
  auto reply = request_via_channel(req_ch, resp_ch, "client",
                                   json{{"a", 1}, {"b", 2}}, 30s);
  auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_REQUIRE(!reply);
  BOOST_TEST(is(reply.error(), ec::no_responders));
  BOOST_TEST((elapsed < 2s));
}

BOOST_AUTO_TEST_CASE(group_of_four_with_a_member_killed_midstream) {
  std::vector<responder_actor> members;
  for (int i = 0; i < 4; ++i)
    members.push_back(spawn_responder(sys, req_ch, [](const content& req) {
      std::this_thread::sleep_for(100us);
      return add(req);
    }));
  std::thread killer{[&] {
    std::this_thread::sleep_for(20ms);
    caf::anon_send_exit(members[1], caf::exit_reason::kill);
  }};
  auto out = fire(4'000, [](int) { return std::string{"client"}; });
  killer.join();
  // Every call resolves exactly once (the map holds one outcome per call)
  // with its own correct reply.
  check_all_correct(*out, 4'000);
  auto st = requester_for(sys, resp_ch);
  caf::scoped_actor self{sys};
  self->request(st, 10s, stats_atom::value)
    .receive([](const requester_stats& s) { BOOST_TEST(s.pending == 0u); },
             [](const caf::error& err) {
               BOOST_FAIL("stats failed: " + error_message(err));
             });
}

BOOST_AUTO_TEST_SUITE_END()

// -- spawn options -----------------------------------------------------------------

namespace {

/// Runs one call against a responder whose handler blocks until a
/// scheduled actor opens a gate (100 ms after the request arrives) or 1 s
/// has passed, on an actor system with one scheduler worker. Returns what
/// the handler saw: true if the gate opened.
template <caf::spawn_options Os>
bool gate_opened_while_the_handler_blocked() {
  sssn::config cfg;
  cfg.set("scheduler.max-threads", 1);
  caf::actor_system sys{cfg};
  auto req = spawn_channel(sys, "blocking-request");
  auto resp = spawn_channel(sys, "blocking-response");
  BOOST_REQUIRE(req.start());
  BOOST_REQUIRE(resp.start());
  auto gate = std::make_shared<std::promise<void>>();
  auto opened = gate->get_future().share();
  auto opener = sys.spawn([gate](caf::event_based_actor* self) {
    return caf::behavior{
      [=](caf::open_atom) {
        self->delayed_send(self, 100ms, caf::ok_atom::value);
      },
      [=](caf::ok_atom) {
        gate->set_value();
        self->quit();
      },
    };
  });
  spawn_responder<Os>(sys, req, [opener, opened](const content&) {
    // Blocks the thread it runs on, the way blocking I/O does.
    caf::anon_send(opener, caf::open_atom::value);
    auto ok = opened.wait_for(1s) == std::future_status::ready;
    return json{{"gate_opened", ok}};
  });
  auto reply = request_via_channel(req, resp, "client", json{{"a", 1}}, 10s);
  BOOST_REQUIRE_MESSAGE(reply, test::why(reply));
  caf::anon_send_exit(opener, caf::exit_reason::user_shutdown);
  return reply->content().data().at("gate_opened").get<bool>();
}

} // namespace

BOOST_AUTO_TEST_CASE(a_detached_responder_blocks_no_scheduler_worker) {
  // Detached: the handler blocks its own thread; the one worker still runs
  // the channels and the opener.
  BOOST_TEST(gate_opened_while_the_handler_blocked<caf::detached>());
  BOOST_TEST(
    (gate_opened_while_the_handler_blocked<caf::detached + caf::hidden>()));
  // Scheduled: the blocked handler holds the only worker, so the opener
  // cannot run until the handler gives up.
  BOOST_TEST(!gate_opened_while_the_handler_blocked<caf::no_spawn_options>());
}

// -- shutdown ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(program_ends_when_its_handles_go_away) {
  // A whole program on its own thread: if any actor of ours kept the actor
  // system alive, its destructor would block and the future never be ready.
  auto done = std::make_shared<std::promise<bool>>();
  auto fut = done->get_future();
  std::thread program{[done] {
    sssn::config cfg;
    bool ok = false;
    {
      caf::actor_system sys{cfg};
      auto req = spawn_channel(sys, "compute-request");
      auto resp = spawn_channel(sys, "compute-response");
      req.start();
      resp.start();
      spawn_responder(sys, req, add);
      auto reply = request_via_channel(req, resp, "client-a",
                                       json{{"a", 7}, {"b", 35}}, 5s);
      ok = reply && reply->content().data().at("result") == 42;
    } // ~actor_system waits for every actor
    done->set_value(ok);
  }};
  auto status = fut.wait_for(20s);
  if (status != std::future_status::ready) {
    program.detach();
    BOOST_FAIL("the actor system did not shut down within 20 s");
  }
  program.join();
  BOOST_TEST(fut.get());
}
