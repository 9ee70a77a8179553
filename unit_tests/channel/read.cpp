// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests the channel's shared reads and their cursors, and the idle-reader
// timeout that drops a reader's state. Covers SSSN defects #3 (eviction
// never makes a reader skip a stored message) and #4 (`after` with an
// unknown id is an error).

#include <optional>
#include <string>
#include <vector>

#include "channel_fixture.hpp"

// -- shared reads -------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_shared_read, fixture)

BOOST_AUTO_TEST_CASE(each_reader_has_its_own_cursor,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-read");
  auto ids = write_n(ch, "w", 5);
  BOOST_TEST(read_ids(ch, "r1", 2) == slice(ids, 0, 2));
  BOOST_TEST(read_ids(ch, "r1", 2) == slice(ids, 2, 4));
  // Reading never removes: another reader sees everything, oldest first.
  BOOST_TEST(read_ids(ch, "r2", 10) == ids);
  BOOST_TEST(read_ids(ch, "r1", 10) == slice(ids, 4, 5));
  BOOST_TEST(read_ids(ch, "r1", 10).empty());
  BOOST_TEST(read_ids(ch, "r2", 10).empty());
  // New messages show up behind each cursor.
  auto more = write_n(ch, "w", 2);
  BOOST_TEST(read_ids(ch, "r1", 10) == more);
  BOOST_TEST(read_ids(ch, "r2", 1) == slice(more, 0, 1));
  auto st = stats(ch);
  BOOST_TEST(st.stored == 7u);
  BOOST_TEST(st.readers == 2u);
  BOOST_TEST(st.reads == 2u + 2u + 5u + 1u + 2u + 1u);
}

BOOST_AUTO_TEST_CASE(limit_zero_reads_and_moves_nothing,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-zero");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(read_ids(ch, "r", 1) == slice(ids, 0, 1));
  BOOST_TEST(read_ids(ch, "r", 0).empty());
  BOOST_TEST(read_ids(ch, "r", 0, ids[1]).empty());
  BOOST_TEST(read_ids(ch, "r", 10) == slice(ids, 1, 3));
  BOOST_TEST(read_ids(ch, "fresh", 0).empty());
  BOOST_TEST(read_ids(ch, "fresh", 10) == ids);
}

BOOST_AUTO_TEST_CASE(read_after_an_id_moves_the_cursor_there,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-after");
  auto ids = write_n(ch, "w", 5);
  BOOST_TEST(read_ids(ch, "r", 2, ids[1]) == slice(ids, 2, 4));
  BOOST_TEST(read_ids(ch, "r", 10) == slice(ids, 4, 5));
  // `after` may go back, and reading after the last gives nothing.
  BOOST_TEST(read_ids(ch, "r", 10, ids[0]) == slice(ids, 1, 5));
  BOOST_TEST(read_ids(ch, "r2", 10, ids[4]).empty());
  BOOST_TEST(read_ids(ch, "r2", 10, ids[2]) == slice(ids, 3, 5));
}

BOOST_AUTO_TEST_CASE(read_after_an_unknown_id_is_an_error,
                     *tt::timeout(test_timeout)) {
  // SSSN defect #4: SSSN silently re-reads the whole channel.
  auto ch = make_channel("c-unknown");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(read_ids(ch, "r", 2) == slice(ids, 0, 2));
  auto r = read(ch, "r", 10, "never-stored");
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::unknown_message_id));
  BOOST_TEST(mentions(r.error(), "'never-stored'"), error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "channel 'c-unknown'"));
  // The failed read moved nothing.
  BOOST_TEST(read_ids(ch, "r", 10) == slice(ids, 2, 3));
  BOOST_TEST(stats(ch).refused == 1u);
}

BOOST_AUTO_TEST_CASE(read_after_an_evicted_id_starts_at_the_next_stored,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-gone");
  auto ids = write_n(ch, "w", 5);
  BOOST_REQUIRE(value_or(evict(ch, "admin", std::nullopt, 3), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r", 10, ids[0]) == slice(ids, 2, 5));
  BOOST_TEST(read_ids(ch, "r", 10, ids[1]) == slice(ids, 2, 5));
  BOOST_REQUIRE(value_or(remove(ch, "admin", {ids[3]}), 0) == 1u);
  BOOST_TEST(read_ids(ch, "r", 10, ids[3]) == slice(ids, 4, 5));
  BOOST_REQUIRE(value_or(clear(ch, "admin"), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r", 10, ids[4]).empty());
  auto later = write_n(ch, "w", 1);
  BOOST_TEST(read_ids(ch, "r2", 10, ids[2]) == later);
}

BOOST_AUTO_TEST_CASE(read_after_an_id_evicted_beyond_the_window_fails,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-window";
  cfg.evicted_window = 2;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 5);
  BOOST_REQUIRE(value_or(evict(ch, "admin", std::nullopt, 2), 0) == 3u);
  // The window remembers the last two evicted ids only.
  auto r = read(ch, "r", 10, ids[0]);
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::unknown_message_id));
  BOOST_TEST(mentions(r.error(), "'" + ids[0] + "'"),
             error_message(error_of(r)));
  BOOST_TEST(read_ids(ch, "r", 10, ids[1]) == slice(ids, 3, 5));
  BOOST_TEST(read_ids(ch, "r", 10, ids[2]) == slice(ids, 3, 5));
}

BOOST_AUTO_TEST_CASE(eviction_never_makes_a_reader_skip_a_stored_message,
                     *tt::timeout(test_timeout)) {
  // SSSN defect #3: SSSN's cursors are list positions, so removing messages
  // before a cursor makes the reader skip unread ones.
  auto ch = make_channel("c-defect3");
  id_list ids;
  for (int i = 0; i < 8; ++i) {
    auto id = "m" + std::to_string(i);
    BOOST_REQUIRE(write(ch, i % 2 == 0 ? "a" : "b",
                        message(id, i % 2 == 0 ? "a" : "b", i)));
    ids.push_back(id);
  }
  BOOST_TEST(read_ids(ch, "r", 4) == slice(ids, 0, 4));
  // clear(filter): drops m0, m2, m4, m6. The next unread stored one is m5.
  message_filter by_a;
  by_a.sender_id = "a";
  BOOST_REQUIRE(value_or(clear(ch, "admin", by_a), 0) == 4u);
  BOOST_TEST(read_ids(ch, "r", 1) == id_list{"m5"});
  // evict: drops m1 and m3 (already read). The next unread one is m7.
  BOOST_REQUIRE(value_or(evict(ch, "admin", std::nullopt, 2), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r", 1) == id_list{"m7"});
  // remove: drops read messages in front of another reader's cursor.
  BOOST_REQUIRE(write(ch, "a", message("m8", "a")));
  BOOST_REQUIRE(write(ch, "a", message("m9", "a")));
  BOOST_TEST(read_ids(ch, "r2", 1, "m7") == id_list{"m8"});
  BOOST_REQUIRE(value_or(remove(ch, "admin", {"m5", "m7", "m8"}), 0) == 3u);
  BOOST_TEST(read_ids(ch, "r2", 10) == id_list{"m9"});
  BOOST_TEST(read_ids(ch, "r", 10) == (id_list{"m9"}));
}

BOOST_AUTO_TEST_CASE(max_read_batch_caps_any_limit,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-batch";
  cfg.max_read_batch = 3;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 5);
  BOOST_TEST(read_ids(ch, "r", 100) == slice(ids, 0, 3));
  BOOST_TEST(read_ids(ch, "r", 100) == slice(ids, 3, 5));
  BOOST_TEST(claim_ids(ch, "x", 100) == slice(ids, 0, 3));
}

BOOST_AUTO_TEST_SUITE_END()

// -- idle readers -------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_idle_readers, fixture)

BOOST_AUTO_TEST_CASE(idle_reader_state_is_dropped_after_an_hour,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-idle");
  auto ids = write_n(ch, "w", 2);
  BOOST_TEST(read_ids(ch, "r1", 1) == slice(ids, 0, 1));
  advance(30min);
  BOOST_TEST(read_ids(ch, "r2", 1) == slice(ids, 0, 1));
  BOOST_TEST(stats(ch).readers == 2u);
  advance(31min); // r1 idle 61 min, r2 idle 31 min
  BOOST_TEST(stats(ch).readers == 1u);
  advance(40min); // r2 idle 71 min
  BOOST_TEST(stats(ch).readers == 0u);
  // A dropped reader starts over from the oldest stored message.
  BOOST_TEST(read_ids(ch, "r1", 10) == ids);
}

BOOST_AUTO_TEST_CASE(an_active_reader_keeps_its_cursor,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-idle-10";
  cfg.reader_idle_timeout = 10min;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 4);
  for (size_t i = 0; i < 3; ++i) {
    BOOST_TEST(read_ids(ch, "r", 1) == slice(ids, i, i + 1));
    advance(9min);
  }
  BOOST_TEST(stats(ch).readers == 1u);
  BOOST_TEST(read_ids(ch, "r", 1) == slice(ids, 3, 4));
  advance(11min);
  BOOST_TEST(stats(ch).readers == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
