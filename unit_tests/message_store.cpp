// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The channel's message store (src/detail/channel/message_store.hpp):
// sequence numbers and the id index, the pool of unclaimed work, shared
// readers and their cursors, the gone window, filters, and retention: which
// message each eviction takes, in which order, and what a pinned message
// keeps. Pure: no actor system; time points are made up.

#include "time_points.hpp"
#include "timeout_scale.hpp"

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "detail/channel/message_store.hpp"

using namespace sssn;
using namespace sssn::detail;
using sssn::test::at;
using namespace std::chrono_literals;

namespace tt = boost::unit_test;

namespace {

const unsigned test_timeout = sssn::test::scaled_timeout(60);

channel_message make_msg(const std::string& id, int64_t ts,
                         const std::string& corr = {}) {
  channel_message::builder b;
  b.id(id).sender_id("w").content(json{{"n", id}}).timestamp_ns(ts);
  if (!corr.empty())
    b.correlation_id(corr);
  return b.build();
}

/// Pins the sequence numbers in `set`.
struct pin_set {
  std::set<uint64_t>* set;
  bool operator()(uint64_t seq, const stored_message&) const {
    return set->count(seq) > 0;
  }
};

struct fixture {
  message_store store{3, true};
  std::set<uint64_t> pins;

  pin_set pinned() {
    return pin_set{&pins};
  }

  /// Adds `n` messages "m<first>".. with timestamps 1000 * index.
  std::vector<uint64_t> add_n(int n, int first = 1) {
    std::vector<uint64_t> seqs;
    for (int i = first; i < first + n; ++i)
      seqs.push_back(
        store.add(make_msg("m" + std::to_string(i), 1000 * i), channel_actor{})
          ->first);
    return seqs;
  }

  std::vector<std::string> ids() const {
    std::vector<std::string> result;
    for (auto& [seq, e] : store.entries())
      result.push_back(e.msg.id());
    return result;
  }

  static constexpr uint64_t no_limit = UINT64_MAX;
};

using strings = std::vector<std::string>;

} // namespace

BOOST_FIXTURE_TEST_SUITE(message_store_tests, fixture)

BOOST_AUTO_TEST_CASE(writes_get_increasing_sequence_numbers_and_join_the_pool,
                     *tt::timeout(test_timeout)) {
  BOOST_TEST(store.next_seq() == 1u);
  auto seqs = add_n(3);
  BOOST_TEST((seqs == std::vector<uint64_t>{1, 2, 3}));
  BOOST_TEST(store.next_seq() == 4u);
  BOOST_TEST(store.size() == 3u);
  BOOST_TEST(store.contains("m2"));
  BOOST_TEST(!store.contains("m9"));
  BOOST_TEST(store.seq_of("m3").value_or(0) == 3u);
  BOOST_TEST((store.unclaimed() == seq_set{1, 2, 3}));
  store.take(2);
  BOOST_TEST((store.unclaimed() == seq_set{1, 3}));
  store.put_back(2);
  BOOST_TEST((store.unclaimed() == seq_set{1, 2, 3}));
}

BOOST_AUTO_TEST_CASE(a_shared_read_skips_claimed_and_acknowledged_messages,
                     *tt::timeout(test_timeout)) {
  add_n(5);
  store.at(2).claim_owner = "r";
  store.consume(3, store.at(3));
  BOOST_TEST(store.at(3).acked);
  BOOST_TEST(store.unclaimed().count(3) == 0u);
  std::vector<channel_message> out;
  auto next = store.scan(1, 2, out);
  BOOST_REQUIRE(out.size() == 2u);
  BOOST_TEST(out[0].id() == "m1");
  BOOST_TEST(out[1].id() == "m4");
  BOOST_TEST(next == 5u);
  out.clear();
  // Fewer than asked for: the next read starts after the last write.
  next = store.scan(next, 10, out);
  BOOST_REQUIRE(out.size() == 1u);
  BOOST_TEST(out[0].id() == "m5");
  BOOST_TEST(next == store.next_seq());
}

BOOST_AUTO_TEST_CASE(evict_one_takes_the_oldest_message_that_is_not_pinned,
                     *tt::timeout(test_timeout)) {
  add_n(4);
  pins = {1, 3};
  BOOST_TEST(store.evict_one(no_limit, pinned()));
  BOOST_TEST((ids() == strings{"m1", "m3", "m4"}));
  BOOST_TEST(store.evict_one(no_limit, pinned()));
  BOOST_TEST((ids() == strings{"m1", "m3"}));
  // Only pinned work left: nothing to evict.
  BOOST_TEST(!store.evict_one(no_limit, pinned()));
  BOOST_TEST(store.size() == 2u);
  BOOST_TEST(store.evicted() == 2u);
}

BOOST_AUTO_TEST_CASE(evict_one_stops_at_its_limit,
                     *tt::timeout(test_timeout)) {
  add_n(3);
  pins = {1};
  // From sequence number 2 on every message is awaited: nothing goes.
  BOOST_TEST(!store.evict_one(2, pinned()));
  BOOST_TEST(store.size() == 3u);
  BOOST_TEST(store.evict_one(3, pinned()));
  BOOST_TEST((ids() == strings{"m1", "m3"}));
}

BOOST_AUTO_TEST_CASE(making_room_evicts_down_to_one_below_the_bound,
                     *tt::timeout(test_timeout)) {
  add_n(5);
  // Below the bound: nothing to do.
  BOOST_TEST(store.make_room(6, no_limit, pinned()));
  BOOST_TEST(store.size() == 5u);
  // At a bound of 3: the oldest unpinned messages go until there is room
  // for one more.
  pins = {1};
  BOOST_TEST(store.make_room(3, no_limit, pinned()));
  BOOST_TEST((ids() == strings{"m1", "m5"}));
  // Full of pinned work: no room, nothing evicted.
  add_n(1, 6);
  pins = {1, 5, 6};
  BOOST_TEST(!store.make_room(3, no_limit, pinned()));
  BOOST_TEST((ids() == strings{"m1", "m5", "m6"}));
}

BOOST_AUTO_TEST_CASE(evict_to_count_evicts_oldest_first_around_pinned_ones,
                     *tt::timeout(test_timeout)) {
  add_n(6);
  pins = {2};
  BOOST_TEST(store.evict_to_count(3, no_limit, pinned()) == 3u);
  BOOST_TEST((ids() == strings{"m2", "m5", "m6"}));
  BOOST_TEST(store.evict_to_count(3, no_limit, pinned()) == 0u);
  // Stops at the limit even when more would have to go.
  BOOST_TEST(store.evict_to_count(0, 6, pinned()) == 1u);
  BOOST_TEST((ids() == strings{"m2", "m6"}));
}

BOOST_AUTO_TEST_CASE(evict_older_goes_by_timestamp_not_write_order,
                     *tt::timeout(test_timeout)) {
  store.add(make_msg("late", 9000), channel_actor{});
  store.add(make_msg("early", 1000), channel_actor{});
  store.add(make_msg("mid", 5000), channel_actor{});
  store.add(make_msg("early-pinned", 2000), channel_actor{});
  pins = {4};
  BOOST_TEST(store.evict_older(6000, pinned()) == 2u);
  BOOST_TEST((ids() == strings{"late", "early-pinned"}));
  // Strictly older: a message at the bound stays.
  BOOST_TEST(store.evict_older(9000, pinned()) == 0u);
  BOOST_TEST(store.evicted() == 2u);
}

BOOST_AUTO_TEST_CASE(the_age_bound_evicts_old_work_and_says_what_goes_next,
                     *tt::timeout(test_timeout)) {
  store.add(make_msg("a", 3000), channel_actor{});
  store.add(make_msg("b", 1000), channel_actor{});
  store.add(make_msg("c", 2000), channel_actor{});
  store.add(make_msg("d", 7000), channel_actor{});
  pins = {1}; // "a" is claimed: it waits, and does not hold up the rest
  auto next = store.apply_age_bound(5000, pinned());
  BOOST_TEST((ids() == strings{"a", "d"}));
  BOOST_REQUIRE(next);
  BOOST_TEST(*next == 7000);
  // Once its claim ends, the old message goes too.
  pins.clear();
  next = store.apply_age_bound(5000, pinned());
  BOOST_TEST((ids() == strings{"d"}));
  BOOST_TEST(next.value_or(0) == 7000);
  next = store.apply_age_bound(8000, pinned());
  BOOST_TEST(store.size() == 0u);
  BOOST_TEST(!next);
  BOOST_TEST(store.evicted() == 4u);
}

BOOST_AUTO_TEST_CASE(the_age_bound_on_write_trims_the_front_only,
                     *tt::timeout(test_timeout)) {
  store.add(make_msg("old1", 1000), channel_actor{});
  store.add(make_msg("old2", 2000), channel_actor{});
  store.add(make_msg("old3", 3000), channel_actor{});
  auto seq = store.add(make_msg("new", 9000), channel_actor{})->first;
  pins = {2};
  // Stops at the first pinned message, even though "old3" is too old too.
  auto oldest = store.trim_by_age(5000, seq, pinned());
  BOOST_TEST((ids() == strings{"old2", "old3", "new"}));
  BOOST_TEST(oldest.value_or(0) == 2000);
  // Never evicts the message just written, however old it is.
  auto ancient = store.add(make_msg("ancient", 10), channel_actor{})->first;
  pins.clear();
  oldest = store.trim_by_age(5000, ancient, pinned());
  BOOST_TEST((ids() == strings{"old2", "old3", "new", "ancient"}));
  BOOST_TEST(oldest.value_or(0) == 10);
}

BOOST_AUTO_TEST_CASE(a_removed_id_is_remembered_within_the_gone_window,
                     *tt::timeout(test_timeout)) {
  add_n(6);
  BOOST_TEST(store.start_after("m2").value_or(0) == 3u);
  BOOST_TEST(!store.start_after("nope"));
  // Removal by a host operation is not an eviction.
  auto i = store.find(2);
  store.erase(i, false);
  BOOST_TEST(store.evicted() == 0u);
  BOOST_TEST(!store.contains("m2"));
  BOOST_TEST(!store.seq_of("m2"));
  BOOST_TEST(store.start_after("m2").value_or(0) == 3u);
  // The window holds the last three ids: "m2", the oldest, drops out.
  store.evict_to_count(2, no_limit, pinned());
  BOOST_TEST((ids() == strings{"m5", "m6"}));
  BOOST_TEST(!store.start_after("m2"));
  BOOST_TEST(store.start_after("m1").value_or(0) == 2u);
  BOOST_TEST(store.start_after("m3").value_or(0) == 4u);
  BOOST_TEST(store.start_after("m4").value_or(0) == 5u);
}

BOOST_AUTO_TEST_CASE(a_dropped_message_is_remembered_as_consumed,
                     *tt::timeout(test_timeout)) {
  add_n(4);
  store.drop(store.find(2));
  BOOST_TEST(store.evicted() == 0u); // dropping is not an eviction
  BOOST_TEST(!store.contains("m2"));
  BOOST_TEST(store.unclaimed().count(2) == 0u);
  BOOST_TEST(store.was_consumed("m2"));
  BOOST_TEST(store.start_after("m2").value_or(0) == 3u);
  // Removed or evicted messages were not consumed.
  store.erase(store.find(3), false);
  store.erase(store.find(1), true);
  BOOST_TEST(!store.was_consumed("m3"));
  BOOST_TEST(!store.was_consumed("m1"));
  BOOST_TEST(!store.was_consumed("m4"));
  // Within the window only: three more ids push "m2" out.
  add_n(3, 5);
  for (uint64_t seq = 5; seq <= 7; ++seq)
    store.erase(store.find(seq), false);
  BOOST_TEST(!store.was_consumed("m2"));
  BOOST_TEST(!store.start_after("m2"));
}

BOOST_AUTO_TEST_CASE(an_id_written_again_after_it_went_is_stored_again,
                     *tt::timeout(test_timeout)) {
  // The window holds three: "a" goes (seq 1), comes back (seq 2) and goes
  // again; its first turn leaving the window forgets nothing.
  auto first = store.add(make_msg("a", 1000), channel_actor{})->first;
  store.drop(store.find(first));
  BOOST_TEST(store.was_consumed("a"));
  auto again = store.add(make_msg("a", 2000), channel_actor{})->first;
  BOOST_TEST(store.contains("a"));
  BOOST_TEST(!store.was_consumed("a"));
  BOOST_TEST(store.seq_of("a").value_or(0) == again);
  store.erase(store.find(again), false);
  BOOST_TEST(!store.contains("a"));
  BOOST_TEST(!store.was_consumed("a")); // removed, not consumed, this time
  auto b = store.add(make_msg("b", 3000), channel_actor{})->first;
  store.erase(store.find(b), false);
  BOOST_TEST(store.start_after("a").value_or(0) == again + 1);
  // "c" pushes the first turn of "a" out of the window: "a" stays, with
  // its second turn.
  auto c = store.add(make_msg("c", 4000), channel_actor{})->first;
  store.erase(store.find(c), false);
  BOOST_TEST(store.start_after("a").value_or(0) == again + 1);
  // "d" pushes the second one out: "a" is forgotten, the others are not.
  auto d = store.add(make_msg("d", 5000), channel_actor{})->first;
  store.erase(store.find(d), false);
  BOOST_TEST(!store.start_after("a"));
  BOOST_TEST(store.start_after("b").value_or(0) == b + 1);
  BOOST_TEST(store.start_after("c").value_or(0) == c + 1);
  BOOST_TEST(store.start_after("d").value_or(0) == d + 1);
}

BOOST_AUTO_TEST_CASE(a_zero_gone_window_remembers_nothing,
                     *tt::timeout(test_timeout)) {
  message_store plain{0, false};
  plain.add(make_msg("x", 1), channel_actor{});
  plain.add(make_msg("y", 2), channel_actor{});
  plain.erase(plain.find(1), true);
  BOOST_TEST(!plain.start_after("x"));
  BOOST_TEST(plain.evicted() == 1u);
  // Without a time index the age bound has nothing to go by.
  BOOST_TEST(!plain.apply_age_bound(1000, pinned()));
  BOOST_TEST(plain.size() == 1u);
}

BOOST_AUTO_TEST_CASE(a_waiting_call_ends_with_its_request,
                     *tt::timeout(test_timeout)) {
  add_n(3);
  store.await_reply(1, nullptr, 7);
  store.await_reply(2, nullptr, 8);
  store.await_reply(3, nullptr, 9);
  BOOST_TEST(store.at(2).call == 8u);
  BOOST_TEST((store.calls_waiting() == seq_set{1, 2, 3}));
  // Acknowledged: answered.
  store.consume(1, store.at(1));
  // Removed: nothing to answer.
  store.erase(store.find(2), false);
  BOOST_TEST((store.calls_waiting() == seq_set{3}));
  store.clear_calls_waiting();
  BOOST_TEST(store.calls_waiting().empty());
}

BOOST_AUTO_TEST_CASE(a_shared_reader_goes_on_where_its_last_read_ended,
                     *tt::timeout(test_timeout)) {
  add_n(5);
  std::vector<channel_message> out;
  BOOST_TEST(!store.next_sweep());
  // The first reader arms the idle sweep one idle timeout (an hour) later.
  auto sweep = store.read("r", std::nullopt, 2, at(10s), out);
  BOOST_TEST((sweep == at(10s + 1h)));
  BOOST_TEST((store.next_sweep().value() == at(10s + 1h)));
  BOOST_TEST(store.readers() == 1u);
  store.read("r", std::nullopt, 2, at(20s), out);
  BOOST_REQUIRE(out.size() == 4u);
  BOOST_TEST(out[2].id() == "m3");
  BOOST_TEST(out[3].id() == "m4");
  // Another reader starts at the beginning; `start` overrides the cursor.
  out.clear();
  store.read("q", std::nullopt, 1, at(30s), out);
  BOOST_TEST(out.at(0).id() == "m1");
  out.clear();
  store.read("r", store.start_after("m1"), 1, at(40s), out);
  BOOST_TEST(out.at(0).id() == "m2");
  out.clear();
  store.read("r", std::nullopt, 1, at(50s), out);
  BOOST_TEST(out.at(0).id() == "m3");
  BOOST_TEST(store.readers() == 2u);
}

BOOST_AUTO_TEST_CASE(idle_readers_are_forgotten, *tt::timeout(test_timeout)) {
  add_n(3);
  std::vector<channel_message> out;
  store.read("idle", std::nullopt, 1, at(0s), out);
  store.read("busy", std::nullopt, 1, at(50min), out);
  // Not yet time to look.
  store.sweep_readers(at(59min));
  BOOST_TEST(store.readers() == 2u);
  // An hour after its last read, "idle" goes; the next look is a quarter
  // of the idle timeout later.
  store.sweep_readers(at(1h));
  BOOST_TEST(store.readers() == 1u);
  BOOST_TEST((store.next_sweep().value() == at(1h + 15min)));
  store.sweep_readers(at(2h));
  BOOST_TEST(store.readers() == 0u);
  BOOST_TEST(!store.next_sweep());
  // A forgotten reader starts over.
  out.clear();
  store.read("idle", std::nullopt, 1, at(3h), out);
  BOOST_TEST(out.at(0).id() == "m1");
}

BOOST_AUTO_TEST_CASE(a_filter_matches_when_every_set_field_matches,
                     *tt::timeout(test_timeout)) {
  auto msg = channel_message::builder{}
               .id("x")
               .sender_id("alice")
               .recipient_id("bob")
               .correlation_id("req.7")
               .content(json{{"n", 1}})
               .timestamp_ns(5000)
               .build();
  message_filter f;
  BOOST_TEST(matches(msg, f));
  f.sender_id = "alice";
  f.correlation_prefix = "req.";
  f.recipient_id = "bob";
  f.before_ns = 5001;
  BOOST_TEST(matches(msg, f));
  auto other = f;
  other.sender_id = "eve";
  BOOST_TEST(!matches(msg, other));
  other = f;
  other.correlation_prefix = "res.";
  BOOST_TEST(!matches(msg, other));
  other = f;
  other.recipient_id = "carol";
  BOOST_TEST(!matches(msg, other));
  other = f;
  other.before_ns = 5000; // strictly before
  BOOST_TEST(!matches(msg, other));
}

BOOST_AUTO_TEST_CASE(prefix_filters_match_the_start_of_the_correlation_id,
                     *tt::timeout(test_timeout)) {
  auto with = make_msg("a", 1, "abc.1");
  auto without = make_msg("b", 1);
  BOOST_TEST(prefix_matches("", with));
  BOOST_TEST(prefix_matches("", without));
  BOOST_TEST(prefix_matches("abc.", with));
  BOOST_TEST(!prefix_matches("abd", with));
  BOOST_TEST(!prefix_matches("abc.1.2", with));
  BOOST_TEST(!prefix_matches("abc", without));
}

BOOST_AUTO_TEST_SUITE_END()
