// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests what a channel keeps of messages that are done with: by default it
// drops a message once it is acknowledged (an answered request) or pushed
// to the subscriber that asked for it (a reply delivered to its requester),
// never while a claim or a subscriber out of credit still holds it;
// `channel_config::keep_history` keeps them under the usual retention.

#include <string>
#include <vector>

#include "channel_fixture.hpp"

namespace {

/// A subscriber that records every push and returns its credit at once.
subscriber_actor::behavior_type crediting_recorder(subscriber_actor::pointer self,
                                                   delivery_log log) {
  return {
    [self, log](push_atom, delivery& x) {
      if (x.credit_token != 0)
        self->send(x.source, credit_atom::value, x.credit_token, uint32_t{1});
      log->push_back(std::move(x));
    },
  };
}

/// A subscription that consumes what `prefix` selects, as a requester's.
subscription consuming(const std::string& prefix) {
  subscription sub;
  sub.correlation_prefix = prefix;
  sub.consume = true;
  return sub;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(channel_history, fixture)

BOOST_AUTO_TEST_CASE(history_is_not_kept_by_default,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  BOOST_TEST(!cfg.keep_history);
  subscription sub;
  BOOST_TEST(!sub.consume);
}

BOOST_AUTO_TEST_CASE(acknowledged_messages_are_dropped,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-drop-ack");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(claim_ids(ch, "A", 3) == ids);
  BOOST_TEST(value_or(ack(ch, "A", {ids[0], ids[1]}), 0) == 2u);
  auto st = stats(ch);
  BOOST_TEST(st.stored == 1u); // the one still claimed
  BOOST_TEST(st.dropped_acknowledged == 2u);
  BOOST_TEST(st.dropped_delivered == 0u);
  BOOST_TEST(st.evicted == 0u);
  // Acknowledging again is refused as before, saying why.
  auto twice = ack(ch, "A", {ids[0]});
  BOOST_REQUIRE(!twice);
  BOOST_TEST(is(twice.error(), ec::not_claimed));
  BOOST_TEST(mentions(twice.error(), "consumed"),
             error_message(error_of(twice)));
  BOOST_TEST(mentions(twice.error(), "'" + ids[0] + "'"));
  // A reader that saw a dropped message reads on after it.
  auto more = write_n(ch, "w", 1);
  BOOST_TEST(read_ids(ch, "r", 10, ids[1]) == more);
  // The id may be used again, as after an eviction.
  BOOST_TEST(value_or(write(ch, "w", message(ids[0], "w")), "") == ids[0]);
  BOOST_TEST(value_or(ack(ch, "A", {ids[2]}), 0) == 1u);
  BOOST_TEST(stats(ch).stored == 2u);
  BOOST_TEST(stats(ch).dropped_acknowledged == 3u);
}

BOOST_AUTO_TEST_CASE(keep_history_keeps_acknowledged_messages_under_retention,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-keep-ack";
  cfg.keep_history = true;
  cfg.max_messages = 4;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(claim_ids(ch, "A", 3) == ids);
  BOOST_TEST(value_or(ack(ch, "A", ids), 0) == 3u);
  auto st = stats(ch);
  BOOST_TEST(st.stored == 3u);
  BOOST_TEST(st.dropped_acknowledged == 0u);
  // Kept, and bounded by retention like any other message.
  write_n(ch, "w", 3);
  st = stats(ch);
  BOOST_TEST(st.stored == 4u);
  BOOST_TEST(st.evicted == 2u);
  BOOST_TEST(st.dropped_acknowledged == 0u);
}

BOOST_AUTO_TEST_CASE(a_message_pushed_to_the_subscriber_that_asked_is_dropped,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-drop-delivered");
  auto mine = std::make_shared<std::vector<delivery>>();
  auto seen = std::make_shared<std::vector<delivery>>();
  BOOST_REQUIRE(subscribe(ch, "requester",
                          sys.spawn(crediting_recorder, mine),
                          consuming("req-A.")));
  // A plain filtered subscriber asked for nothing: it consumes nothing.
  subscription watch;
  watch.correlation_prefix = "req-B.";
  BOOST_REQUIRE(subscribe(ch, "watcher", sys.spawn(crediting_recorder, seen),
                          watch));
  BOOST_REQUIRE(write(ch, "w", correlated("r1", "req-A.1")));
  BOOST_REQUIRE(write(ch, "w", correlated("r2", "req-B.1")));
  BOOST_REQUIRE(write(ch, "w", correlated("r3", "req-C.1")));
  BOOST_REQUIRE(write(ch, "w", correlated("r4", "req-A.2")));
  run();
  BOOST_TEST(ids_of(*mine) == (id_list{"r1", "r4"}));
  BOOST_TEST(ids_of(*seen) == (id_list{"r2"}));
  auto st = stats(ch);
  BOOST_TEST(st.stored == 2u);
  BOOST_TEST(st.dropped_delivered == 2u);
  BOOST_TEST(st.dropped_acknowledged == 0u);
  BOOST_TEST(read_ids(ch, "r", 10) == (id_list{"r2", "r3"}));
}

BOOST_AUTO_TEST_CASE(keep_history_keeps_delivered_messages_readable,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-keep-delivered";
  cfg.keep_history = true;
  auto ch = make_channel(cfg);
  auto mine = std::make_shared<std::vector<delivery>>();
  BOOST_REQUIRE(subscribe(ch, "requester",
                          sys.spawn(crediting_recorder, mine),
                          consuming("req-A.")));
  BOOST_REQUIRE(write(ch, "w", correlated("r1", "req-A.1")));
  run();
  BOOST_TEST(ids_of(*mine) == (id_list{"r1"}));
  BOOST_TEST(stats(ch).stored == 1u);
  BOOST_TEST(stats(ch).dropped_delivered == 0u);
  BOOST_TEST(read_ids(ch, "r", 10) == (id_list{"r1"}));
}

BOOST_AUTO_TEST_CASE(consuming_needs_a_correlation_prefix,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-consume-all");
  auto log = std::make_shared<std::vector<delivery>>();
  subscription sub;
  sub.consume = true;
  auto r = subscribe(ch, "greedy", spawn_recorder(log), sub);
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::invalid_argument));
  BOOST_TEST(mentions(r.error(), "'greedy'"), error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "channel 'c-consume-all'"));
  BOOST_TEST(stats(ch).subscribers == 0u);
}

BOOST_AUTO_TEST_CASE(a_subscriber_out_of_credit_still_gets_what_was_consumed,
                     *tt::timeout(test_timeout)) {
  // The monitor has a window of one and returns no credit until told: a
  // reply delivered to its requester, or a request answered, stays until
  // the monitor has had it, then goes.
  channel_config cfg;
  cfg.id = "c-slow-monitor";
  cfg.subscriber_credit = 1;
  auto ch = make_channel(cfg);
  auto monitor = std::make_shared<std::vector<delivery>>();
  BOOST_REQUIRE(subscribe(ch, "monitor", spawn_recorder(monitor)));
  auto mine = std::make_shared<std::vector<delivery>>();
  BOOST_REQUIRE(subscribe(ch, "requester",
                          sys.spawn(crediting_recorder, mine),
                          consuming("req-A.")));
  BOOST_REQUIRE(write(ch, "w", correlated("r1", "req-A.1")));
  BOOST_REQUIRE(write(ch, "w", correlated("r2", "req-A.2")));
  BOOST_REQUIRE(write(ch, "w", correlated("r3", "req-A.3")));
  run();
  BOOST_TEST(ids_of(*mine) == (id_list{"r1", "r2", "r3"}));
  BOOST_TEST(ids_of(*monitor) == (id_list{"r1"}));
  auto st = stats(ch);
  BOOST_TEST(st.waiting == 1u);
  BOOST_TEST(st.stored == 2u); // r2 and r3 wait for the monitor
  BOOST_TEST(st.dropped_delivered == 1u);
  // The monitor hands its credit back one delivery at a time.
  for (size_t i = 0; i < 2; ++i) {
    auto& last = monitor->back();
    self->send(last.source, credit_atom::value, last.credit_token, uint32_t{1});
    run();
    BOOST_TEST(monitor->size() == i + 2);
    BOOST_TEST(stats(ch).stored == 1u - i);
  }
  BOOST_TEST(ids_of(*monitor) == (id_list{"r1", "r2", "r3"}));
  st = stats(ch);
  BOOST_TEST(st.stored == 0u);
  BOOST_TEST(st.dropped_delivered == 3u);
  BOOST_TEST(st.evicted == 0u);
}

BOOST_AUTO_TEST_CASE(an_answered_request_waits_for_a_monitor_out_of_credit,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-slow-request-monitor";
  cfg.subscriber_credit = 1;
  auto ch = make_channel(cfg);
  auto monitor = std::make_shared<std::vector<delivery>>();
  BOOST_REQUIRE(subscribe(ch, "monitor", spawn_recorder(monitor)));
  auto work = std::make_shared<std::vector<delivery>>();
  subscription member;
  member.group = "workers";
  BOOST_REQUIRE(subscribe(ch, "member", spawn_recorder(work), member));
  auto ids = write_n(ch, "w", 2);
  run();
  BOOST_TEST(ids_of(*work) == ids);
  BOOST_TEST(ids_of(*monitor) == slice(ids, 0, 1));
  BOOST_TEST(value_or(ack(ch, "member", ids), 0) == 2u);
  auto st = stats(ch);
  BOOST_TEST(st.stored == 1u); // the monitor has not had the second yet
  BOOST_TEST(st.dropped_acknowledged == 1u);
  auto& last = monitor->back();
  self->send(last.source, credit_atom::value, last.credit_token, uint32_t{1});
  run();
  BOOST_TEST(ids_of(*monitor) == ids);
  st = stats(ch);
  BOOST_TEST(st.stored == 0u);
  BOOST_TEST(st.dropped_acknowledged == 2u);
}

BOOST_AUTO_TEST_CASE(a_subscriber_that_goes_releases_what_it_held_back,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-monitor-leaves";
  cfg.subscriber_credit = 1;
  auto ch = make_channel(cfg);
  auto monitor = std::make_shared<std::vector<delivery>>();
  BOOST_REQUIRE(subscribe(ch, "monitor", spawn_recorder(monitor)));
  auto mine = std::make_shared<std::vector<delivery>>();
  BOOST_REQUIRE(subscribe(ch, "requester",
                          sys.spawn(crediting_recorder, mine),
                          consuming("req-A.")));
  BOOST_REQUIRE(write(ch, "w", correlated("r1", "req-A.1")));
  BOOST_REQUIRE(write(ch, "w", correlated("r2", "req-A.2")));
  run();
  BOOST_TEST(stats(ch).stored == 1u);
  BOOST_REQUIRE(unsubscribe(ch, "monitor"));
  auto st = stats(ch);
  BOOST_TEST(st.stored == 0u);
  BOOST_TEST(st.dropped_delivered == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
