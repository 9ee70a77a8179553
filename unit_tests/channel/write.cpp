// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests the channel's start and its writes: writes need `start`, the order
// of the write checks (accepting, then authorization, then shape), wrapped
// and direct writes, duplicates, impostors and refused content.

#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "channel_fixture.hpp"

namespace {

/// Content that no channel may store.
content not_finite() {
  return content{json{{"x", std::numeric_limits<double>::quiet_NaN()}}};
}

} // namespace

// -- start and the write checks -----------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_start, fixture)

BOOST_AUTO_TEST_CASE(writes_need_start, *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-start", false);
  auto r1 = write(ch, "alice", data(1));
  BOOST_REQUIRE(!r1);
  BOOST_TEST(is(r1.error(), ec::not_accepting_writes));
  BOOST_TEST(mentions(r1.error(), "channel 'c-start'"),
             error_message(error_of(r1)));
  BOOST_TEST(mentions(r1.error(), "not accepting writes"));
  auto r2 = write(ch, "alice", message("m-1", "alice"));
  BOOST_REQUIRE(!r2);
  BOOST_TEST(is(r2.error(), ec::not_accepting_writes));
  BOOST_TEST(mentions(r2.error(), "channel 'c-start'"));
  auto st = stats(ch);
  BOOST_TEST(!st.accepting);
  BOOST_TEST(st.stored == 0u);
  BOOST_TEST(st.refused == 2u);
  BOOST_REQUIRE(call<caf::unit_t>(ch.actor(), start_atom::value));
  BOOST_TEST(stats(ch).accepting);
  BOOST_TEST(static_cast<bool>(write(ch, "alice", data(1))));
  // Starting twice is harmless.
  BOOST_REQUIRE(call<caf::unit_t>(ch.actor(), start_atom::value));
  BOOST_TEST(stats(ch).stored == 1u);
}

BOOST_AUTO_TEST_CASE(writes_after_drain_began_are_refused,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-drained");
  auto ids = write_n(ch, "alice", 1);
  BOOST_REQUIRE(claim_ids(ch, "worker", 1) == ids); // keeps the drain open
  auto rh = self->request(ch.actor(), caf::infinite, drain_atom::value,
                          std::string{"admin"});
  run();
  BOOST_REQUIRE(!has_answer());
  auto r = write(ch, "alice", data(2));
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::not_accepting_writes));
  BOOST_TEST(mentions(r.error(), "channel 'c-drained'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "draining"));
  // A draining channel cannot be started again.
  auto again = call<caf::unit_t>(ch.actor(), start_atom::value);
  BOOST_REQUIRE(!again);
  BOOST_TEST(is(again.error(), ec::not_accepting_writes));
  BOOST_TEST(!stats(ch).accepting);
  BOOST_TEST(value_or(ack(ch, "worker", ids), 0) == 1u);
  BOOST_REQUIRE(has_answer());
  bool drained = false;
  std::move(rh).receive([&] { drained = true; },
                        [&](caf::error& err) {
                          BOOST_FAIL("drain failed: " << error_message(err));
                        });
  BOOST_TEST(drained);
  // Drained: still up, still refusing writes.
  BOOST_TEST(!is_down(ch));
  BOOST_TEST(mentions(error_of(write(ch, "alice", data(3))), "drained"));
}

BOOST_AUTO_TEST_CASE(write_checks_accepting_then_authorization_then_shape,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel(acl_config("c-order"), false);
  // Not started: refused as not accepting, whoever writes whatever.
  for (auto who : {"reader", "mallory", "writer"}) {
    auto r = write(ch, who, not_finite());
    BOOST_REQUIRE(!r);
    BOOST_TEST(is(r.error(), ec::not_accepting_writes), who);
    auto d = write(ch, who, message("m-x", "someone-else"));
    BOOST_REQUIRE(!d);
    BOOST_TEST(is(d.error(), ec::not_accepting_writes), who);
  }
  BOOST_REQUIRE(call<caf::unit_t>(ch.actor(), start_atom::value));
  // Started: an unauthorized writer hears about authorization, not shape.
  for (auto who : {"reader", "mallory"}) {
    auto r = write(ch, who, not_finite());
    BOOST_REQUIRE(!r);
    BOOST_TEST(is(r.error(), ec::not_authorized), who);
    BOOST_TEST(mentions(r.error(), std::string{"'"} + who + "'"),
               error_message(error_of(r)));
    BOOST_TEST(mentions(r.error(), "channel 'c-order'"));
    auto d = write(ch, who, message("m-x", "someone-else"));
    BOOST_REQUIRE(!d);
    BOOST_TEST(is(d.error(), ec::not_authorized), who);
  }
  // An authorized writer of malformed data hears about the shape.
  auto r = write(ch, "writer", not_finite());
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::invalid_content));
  BOOST_TEST(mentions(r.error(), "channel 'c-order'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "'writer'"));
  BOOST_TEST(stats(ch).stored == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

// -- writes -------------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_write, fixture)

BOOST_AUTO_TEST_CASE(wrapped_write_makes_a_stamped_message,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-wrap");
  auto before = std::chrono::duration<double>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  auto id1 = write(ch, "alice", data(1));
  BOOST_REQUIRE(id1);
  advance(10s);
  auto id2 = write(ch, "bob", content{json{{"k", "v"}}});
  BOOST_REQUIRE(id2);
  BOOST_TEST(*id1 != *id2);
  BOOST_TEST(id1->size() == 36u);
  BOOST_TEST(id1->at(14) == '4'); // a fresh UUID v4
  auto got = read(ch, "r", 10);
  BOOST_REQUIRE(got);
  BOOST_REQUIRE(got->size() == 2u);
  auto& m1 = got->at(0);
  auto& m2 = got->at(1);
  BOOST_TEST(m1.id() == *id1);
  BOOST_TEST(m1.sender_id() == "alice");
  BOOST_TEST((m1.content() == data(1)));
  BOOST_TEST(m1.has_timestamp());
  BOOST_TEST(m2.id() == *id2);
  BOOST_TEST(m2.sender_id() == "bob");
  BOOST_TEST(m2.content().data()["k"] == "v");
  // Typed content is stored as is, with its type name.
  auto typed = content::from_typed("demo.Point", json{{"x", 1}, {"y", 2}});
  auto id3 = write(ch, "carol", typed);
  BOOST_REQUIRE(id3);
  auto m3 = read(ch, "r", 10);
  BOOST_REQUIRE(m3);
  BOOST_REQUIRE(m3->size() == 1u);
  BOOST_TEST(m3->front().id() == *id3);
  BOOST_TEST((m3->front().content().kind() == content_kind::typed));
  BOOST_TEST(m3->front().content().type_name() == "demo.Point");
  BOOST_TEST((m3->front().content() == typed));
  // Timestamps come from the actor clock, mapped to Unix time once.
  BOOST_TEST(m2.timestamp_ns() - m1.timestamp_ns() == 10'000'000'000);
  BOOST_TEST(m1.timestamp() >= before - 5.0);
  BOOST_TEST(m1.timestamp() <= before + 60.0);
  BOOST_TEST(stats(ch).writes == 3u);
}

BOOST_AUTO_TEST_CASE(direct_write_keeps_the_given_message,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-direct");
  auto msg = channel_message::builder{}
               .id("m-1")
               .sender_id("alice")
               .content(data(1))
               .correlation_id("corr-1")
               .reply_to("replies")
               .recipient_id("bob")
               .metadata(json{{"k", 1}})
               .build();
  auto r = write(ch, "alice", msg);
  BOOST_REQUIRE(r);
  BOOST_TEST(*r == "m-1");
  advance(1s);
  auto stamped = channel_message::builder{}
                   .id("m-2")
                   .sender_id("alice")
                   .timestamp(1'000.5)
                   .build();
  BOOST_TEST(value_or(write(ch, "alice", stamped), "") == "m-2");
  auto got = read(ch, "r", 10);
  BOOST_REQUIRE(got);
  BOOST_REQUIRE(got->size() == 2u);
  auto& m1 = got->at(0);
  BOOST_TEST(m1.id() == "m-1");
  BOOST_TEST(m1.correlation_id().value_or("") == "corr-1");
  BOOST_TEST(m1.reply_to().value_or("") == "replies");
  BOOST_TEST(m1.recipient_id().value_or("") == "bob");
  BOOST_TEST(m1.metadata()["k"] == 1);
  BOOST_TEST((m1.content() == data(1)));
  // Stamped by the channel when written without a timestamp ...
  BOOST_TEST(m1.has_timestamp());
  BOOST_TEST(m1.timestamp() > 1'000'000'000.0);
  // ... and kept when the writer gave one.
  BOOST_TEST(got->at(1).timestamp() == 1'000.5);
}

BOOST_AUTO_TEST_CASE(direct_write_refuses_duplicates_and_impostors,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-dup");
  BOOST_REQUIRE(write(ch, "alice", message("m-1", "alice")));
  auto dup = write(ch, "alice", message("m-1", "alice", 2));
  BOOST_REQUIRE(!dup);
  BOOST_TEST(is(dup.error(), ec::duplicate_message_id));
  BOOST_TEST(mentions(dup.error(), "channel 'c-dup'"),
             error_message(error_of(dup)));
  BOOST_TEST(mentions(dup.error(), "'m-1'"));
  auto bad = write(ch, "alice", message("m-2", "mallory"));
  BOOST_REQUIRE(!bad);
  BOOST_TEST(is(bad.error(), ec::sender_mismatch));
  BOOST_TEST(mentions(bad.error(), "channel 'c-dup'"),
             error_message(error_of(bad)));
  BOOST_TEST(mentions(bad.error(), "'alice'"));
  BOOST_TEST(mentions(bad.error(), "'mallory'"));
  BOOST_TEST(mentions(bad.error(), "'m-2'"));
  // An empty message has no id: malformed.
  auto empty = write(ch, "alice", channel_message{});
  BOOST_REQUIRE(!empty);
  BOOST_TEST(is(empty.error(), ec::invalid_content));
  BOOST_TEST(mentions(empty.error(), "channel 'c-dup'"));
  // Only the first message is stored, unchanged.
  auto got = read(ch, "r", 10);
  BOOST_REQUIRE(got);
  BOOST_REQUIRE(got->size() == 1u);
  BOOST_TEST((got->front().content() == data(0)));
  auto st = stats(ch);
  BOOST_TEST(st.stored == 1u);
  BOOST_TEST(st.writes == 1u);
  BOOST_TEST(st.refused == 3u);
}

BOOST_AUTO_TEST_CASE(refused_content_loses_nothing_stored,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-nan");
  auto ids = write_n(ch, "alice", 3);
  auto r = write(ch, "alice", not_finite());
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::invalid_content));
  BOOST_TEST(mentions(r.error(), "channel 'c-nan'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "'alice'"));
  auto direct = channel_message::builder{}
                  .id("m-nan")
                  .sender_id("alice")
                  .content(not_finite())
                  .build();
  auto d = write(ch, "alice", direct);
  BOOST_REQUIRE(!d);
  BOOST_TEST(is(d.error(), ec::invalid_content));
  BOOST_TEST(mentions(d.error(), "'m-nan'"), error_message(error_of(d)));
  auto inf_meta
    = channel_message::builder{}
        .id("m-inf")
        .sender_id("alice")
        .metadata(json{{"x", std::numeric_limits<double>::infinity()}})
        .build();
  auto m = write(ch, "alice", inf_meta);
  BOOST_REQUIRE(!m);
  BOOST_TEST(is(m.error(), ec::invalid_content));
  BOOST_TEST(stats(ch).stored == 3u);
  BOOST_TEST(read_ids(ch, "r", 10) == ids);
}

BOOST_AUTO_TEST_SUITE_END()
