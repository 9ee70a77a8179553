// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests what takes messages out of a channel: the host operations (clear,
// evict, remove) and retention by count and age, which never takes claimed
// work or work waiting for a responder and keeps memory bounded.

#include <cstdint>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include <unistd.h>

#include "channel_fixture.hpp"

namespace {

/// Returns the resident set size of this process in bytes.
size_t resident_bytes() {
  std::ifstream in{"/proc/self/statm"};
  size_t total = 0;
  size_t resident = 0;
  in >> total >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

} // namespace

// -- host operations ----------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_host_ops, fixture)

BOOST_AUTO_TEST_CASE(clear_removes_all_or_what_matches,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-clear");
  BOOST_REQUIRE(write(ch, "a", message("a1", "a")));
  BOOST_REQUIRE(write(ch, "b", message("b1", "b")));
  BOOST_REQUIRE(write(ch, "w", correlated("c1", "job-1/x")));
  auto to_bob = channel_message::builder{}
                  .id("r1")
                  .sender_id("a")
                  .recipient_id("bob")
                  .build();
  BOOST_REQUIRE(write(ch, "a", to_bob));
  advance(5s);
  BOOST_REQUIRE(write(ch, "a", message("a2", "a")));
  message_filter f;
  f.sender_id = "b";
  BOOST_TEST(value_or(clear(ch, "admin", f), 0) == 1u);
  f = {};
  f.correlation_prefix = "job-";
  BOOST_TEST(value_or(clear(ch, "admin", f), 0) == 1u);
  f = {};
  f.recipient_id = "bob";
  BOOST_TEST(value_or(clear(ch, "admin", f), 0) == 1u);
  BOOST_TEST(read_ids(ch, "r", 10) == (id_list{"a1", "a2"}));
  // Older than a2: only a1.
  auto a2 = read(ch, "r2", 10, "a1");
  BOOST_REQUIRE(a2);
  BOOST_REQUIRE(a2->size() == 1u);
  f = {};
  f.before_ns = a2->front().timestamp_ns();
  BOOST_TEST(value_or(clear(ch, "admin", f), 0) == 1u);
  BOOST_TEST(read_ids(ch, "r3", 10) == (id_list{"a2"}));
  BOOST_TEST(value_or(clear(ch, "admin"), 0) == 1u);
  auto st = stats(ch);
  BOOST_TEST(st.stored == 0u);
  BOOST_TEST(st.evicted == 0u); // clearing is not eviction
}

BOOST_AUTO_TEST_CASE(clear_drops_claims_of_what_it_removes,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-clear-claim");
  auto ids = write_n(ch, "w", 2);
  BOOST_TEST(claim_ids(ch, "A", 2) == ids);
  BOOST_TEST(value_or(clear(ch, "admin"), 0) == 2u);
  BOOST_TEST(stats(ch).claimed == 0u);
  advance(31s);
  BOOST_TEST(stats(ch).expired_claims == 0u);
}

BOOST_AUTO_TEST_CASE(evict_goes_by_age_then_count, *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-evict");
  auto ids = write_n(ch, "w", 1);
  for (int i = 1; i < 5; ++i) {
    advance(1s);
    auto more = write_n(ch, "w", 1);
    ids.push_back(more.front());
  }
  auto all = read(ch, "r", 10);
  BOOST_REQUIRE(all);
  BOOST_REQUIRE(all->size() == 5u);
  auto ts = [&](size_t i) { return all->at(i).timestamp_ns(); };
  // Strictly older than m2's timestamp: m0 and m1, not m2.
  BOOST_TEST(value_or(evict(ch, "admin", ts(2), std::nullopt), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r2", 10) == slice(ids, 2, 5));
  // Age first (m2), then the oldest until one is left (m3).
  BOOST_TEST(value_or(evict(ch, "admin", ts(3), 1), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r3", 10) == slice(ids, 4, 5));
  BOOST_TEST(value_or(evict(ch, "admin", std::nullopt, 5), 1) == 0u);
  BOOST_TEST(value_or(evict(ch, "admin", ts(0), std::nullopt), 1) == 0u);
  BOOST_TEST(value_or(evict(ch, "admin", std::nullopt, std::nullopt), 1) == 0u);
  auto st = stats(ch);
  BOOST_TEST(st.evicted == 4u);
  BOOST_TEST(st.stored == 1u);
}

BOOST_AUTO_TEST_CASE(evict_by_age_looks_at_every_message,
                     *tt::timeout(test_timeout)) {
  // A direct write keeps the writer's timestamp, so stored messages need not
  // be in timestamp order; "strictly older than before" still means every
  // such message.
  auto ch = make_channel("c-evict-order");
  auto young = write_n(ch, "w", 1);
  auto stored = read(ch, "r", 1);
  BOOST_REQUIRE(stored);
  BOOST_REQUIRE(stored->size() == 1u);
  auto now_ns = stored->front().timestamp_ns();
  auto old_msg = channel_message::builder{}
                   .id("m-old")
                   .sender_id("w")
                   .timestamp_ns(now_ns - 3'600'000'000'000)
                   .build();
  BOOST_REQUIRE(write(ch, "w", old_msg));
  BOOST_TEST(
    value_or(evict(ch, "admin", now_ns - 60'000'000'000, std::nullopt), 0)
    == 1u);
  BOOST_TEST(read_ids(ch, "r2", 10) == young);
}

BOOST_AUTO_TEST_CASE(evict_never_takes_claimed_messages,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-evict-claim");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(claim_ids(ch, "A", 1) == slice(ids, 0, 1));
  BOOST_TEST(value_or(evict(ch, "admin", std::nullopt, 0), 0) == 2u);
  BOOST_TEST(stats(ch).stored == 1u);
  BOOST_TEST(value_or(ack(ch, "A", slice(ids, 0, 1)), 0) == 1u);
}

BOOST_AUTO_TEST_CASE(remove_takes_listed_ids_or_nothing,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-remove");
  auto ids = write_n(ch, "w", 3);
  auto r = remove(ch, "admin", {ids[0], "ghost"});
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::unknown_message_id));
  BOOST_TEST(mentions(r.error(), "'ghost'"), error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "channel 'c-remove'"));
  BOOST_TEST(stats(ch).stored == 3u);
  BOOST_TEST(value_or(remove(ch, "admin", {ids[0], ids[1]}), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r", 10) == slice(ids, 2, 3));
}

BOOST_AUTO_TEST_CASE(removing_a_claimed_message_drops_its_claim,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-remove-claim");
  auto ids = write_n(ch, "w", 2);
  BOOST_TEST(claim_ids(ch, "A", 2) == ids);
  BOOST_TEST(value_or(remove(ch, "admin", {ids[0]}), 0) == 1u);
  BOOST_TEST(stats(ch).claimed == 1u);
  auto r = ack(ch, "A", {ids[0]});
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::unknown_message_id));
  advance(31s);
  auto st = stats(ch);
  BOOST_TEST(st.expired_claims == 1u); // only the one still stored
  BOOST_TEST(st.claimed == 0u);
  BOOST_TEST(claim_ids(ch, "B", 10) == slice(ids, 1, 2));
}

BOOST_AUTO_TEST_CASE(host_operations_need_admin_under_an_acl,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel(acl_config("c-host-acl"));
  auto ids = write_n(ch, "writer", 3);
  auto check = [&](const caf::error& err, const char* what) {
    BOOST_TEST(is(err, ec::not_authorized), what);
    BOOST_TEST(mentions(err, "'writer'"), error_message(err));
    BOOST_TEST(mentions(err, "channel 'c-host-acl'"), error_message(err));
  };
  auto c = clear(ch, "writer");
  BOOST_REQUIRE(!c);
  check(c.error(), "clear");
  auto e = evict(ch, "writer", std::nullopt, 0);
  BOOST_REQUIRE(!e);
  check(e.error(), "evict");
  auto r = remove(ch, "writer", {ids[0]});
  BOOST_REQUIRE(!r);
  check(r.error(), "remove");
  auto p = set_policy(ch, "writer", access_policy::open());
  BOOST_REQUIRE(!p);
  check(p.error(), "set_policy");
  auto d = call<caf::unit_t>(ch.actor(), drain_atom::value,
                             std::string{"writer"});
  BOOST_REQUIRE(!d);
  check(d.error(), "drain");
  auto s = call<caf::unit_t>(ch.actor(), stop_atom::value,
                             std::string{"writer"});
  BOOST_REQUIRE(!s);
  check(s.error(), "stop");
  auto st = stats(ch);
  BOOST_TEST(st.stored == 3u);
  BOOST_TEST(st.accepting);
  BOOST_TEST(st.unauthorized == 6u);
  BOOST_TEST(value_or(remove(ch, "admin", {ids[0]}), 0) == 1u);
  BOOST_TEST(value_or(evict(ch, "admin", std::nullopt, 1), 0) == 1u);
  BOOST_TEST(value_or(clear(ch, "admin"), 0) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

// -- retention ----------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_retention, fixture)

BOOST_AUTO_TEST_CASE(the_count_bound_evicts_the_oldest,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-count";
  cfg.max_messages = 100;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 1000);
  auto st = stats(ch);
  BOOST_TEST(st.stored == 100u);
  BOOST_TEST(st.evicted == 900u);
  BOOST_TEST(st.writes == 1000u);
  BOOST_TEST(read_ids(ch, "r", 1000) == slice(ids, 900, 1000));
}

BOOST_AUTO_TEST_CASE(the_default_count_bound_is_100000,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  BOOST_TEST(cfg.max_messages == 100'000u);
  BOOST_TEST(!cfg.max_age.has_value());
  BOOST_TEST((cfg.claim_expiry == caf::timespan{30s}));
  BOOST_TEST((cfg.reader_idle_timeout == caf::timespan{1h}));
  BOOST_TEST(!cfg.drain_timeout.has_value());
  BOOST_TEST(cfg.policy.is_open());
}

BOOST_AUTO_TEST_CASE(claimed_messages_are_never_evicted,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-full";
  cfg.max_messages = 3;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(claim_ids(ch, "A", 3) == ids);
  auto r = write(ch, "w", message("m-over", "w"));
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::overloaded));
  BOOST_TEST(mentions(r.error(), "channel 'c-full'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "'m-over'"));
  auto wrapped = write(ch, "w", data(9));
  BOOST_REQUIRE(!wrapped);
  BOOST_TEST(is(wrapped.error(), ec::overloaded));
  auto st = stats(ch);
  BOOST_TEST(st.stored == 3u);
  BOOST_TEST(st.evicted == 0u);
  // Once one is acknowledged, it makes room; the claimed ones stay.
  BOOST_TEST(value_or(ack(ch, "A", {ids[0]}), 0) == 1u);
  BOOST_TEST(value_or(write(ch, "w", message("m-over", "w")), "") == "m-over");
  BOOST_TEST(stats(ch).stored == 3u);
  BOOST_TEST(value_or(ack(ch, "A", slice(ids, 1, 3)), 0) == 2u);
  BOOST_TEST(claim_ids(ch, "B", 10) == id_list{"m-over"});
}

BOOST_AUTO_TEST_CASE(messages_waiting_for_a_member_are_never_evicted,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-wait";
  cfg.max_messages = 3;
  auto ch = make_channel(cfg);
  auto log = std::make_shared<std::vector<delivery>>();
  subscription member;
  member.group = "workers";
  member.credit = 1;
  BOOST_REQUIRE(subscribe(ch, "m", spawn_recorder(log), member));
  auto ids = write_n(ch, "w", 3); // one in flight, two waiting
  BOOST_TEST(ids_of(*log) == slice(ids, 0, 1));
  auto r = write(ch, "w", message("m-over", "w"));
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::overloaded));
  BOOST_TEST(mentions(r.error(), "channel 'c-wait'"),
             error_message(error_of(r)));
  // Nothing accepted was lost: the member gets every message in turn.
  for (size_t i = 0; i < 3; ++i) {
    BOOST_REQUIRE(log->size() == i + 1);
    BOOST_TEST(log->at(i).message.id() == ids[i]);
    BOOST_TEST(value_or(ack(ch, "m", {ids[i]}), 0) == 1u);
  }
  BOOST_TEST(value_or(write(ch, "w", message("m-over", "w")), "") == "m-over");
  BOOST_TEST(log->back().message.id() == "m-over");
}

BOOST_AUTO_TEST_CASE(the_age_bound_runs_on_the_timer,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-age";
  cfg.max_age = caf::timespan{60s};
  auto ch = make_channel(cfg);
  auto old_ids = write_n(ch, "w", 2);
  advance(30s);
  auto young = write_n(ch, "w", 1);
  advance(31s); // the first two are 61 s old, the third 31 s
  auto st = stats(ch);
  BOOST_TEST(st.stored == 1u);
  BOOST_TEST(st.evicted == 2u);
  BOOST_TEST(read_ids(ch, "r", 10) == young);
  advance(30s);
  BOOST_TEST(stats(ch).stored == 0u);
  BOOST_TEST(stats(ch).evicted == 3u);
}

BOOST_AUTO_TEST_CASE(the_age_bound_spares_claimed_messages_without_spinning,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-age-claim";
  cfg.max_age = caf::timespan{60s};
  cfg.claim_expiry = 300s;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 2);
  BOOST_TEST(claim_ids(ch, "A", 1) == slice(ids, 0, 1));
  advance(61s);
  BOOST_TEST(stats(ch).stored == 1u); // the claimed one stays
  // The only stored message is too old but pinned: the channel must not
  // keep waking itself up until the claim ends.
  size_t wakeups = 0;
  for (int i = 0; i < 5; ++i)
    wakeups += advance(caf::timespan{0});
  BOOST_TEST(wakeups == 0u);
  // Once acknowledged, age retention takes it.
  BOOST_TEST(value_or(ack(ch, "A", slice(ids, 0, 1)), 0) == 1u);
  advance(60s);
  BOOST_TEST(stats(ch).stored == 0u);
}

BOOST_AUTO_TEST_CASE(a_million_writes_keep_memory_bounded,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-million";
  cfg.max_messages = 10'000;
  auto ch = make_channel(cfg);
  auto payload = data(42);
  auto write_batch = [&](int n) {
    // Fire-and-forget writes in batches; anonymous sends get no answers.
    constexpr int batch = 10'000;
    for (int done = 0; done < n; done += batch) {
      for (int i = 0; i < batch; ++i)
        caf::anon_send(ch.actor(), write_atom::value, std::string{"w"},
                       payload);
      run();
    }
  };
  write_batch(100'000);
  BOOST_REQUIRE(stats(ch).stored == 10'000u);
  auto rss_100k = resident_bytes();
  write_batch(900'000);
  auto rss_1m = resident_bytes();
  auto st = stats(ch);
  BOOST_TEST(st.writes == 1'000'000u);
  BOOST_TEST(st.stored == 10'000u);
  BOOST_TEST(st.evicted == 990'000u);
  BOOST_TEST_MESSAGE("RSS after 100k writes: "
                     << rss_100k / 1024 << " KiB, after 1M: " << rss_1m / 1024
                     << " KiB");
  BOOST_TEST(rss_1m <= rss_100k + size_t{4} * 1024 * 1024);
}

BOOST_AUTO_TEST_SUITE_END()
