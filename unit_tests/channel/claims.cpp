// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests the channel's exclusive reads: claims hide messages until they are
// acknowledged, released or expire. Covers SSSN defect #6 (only the
// claimer, or an admin, acknowledges a claim).

#include <optional>
#include <string>
#include <vector>

#include "channel_fixture.hpp"

// -- exclusive reads ----------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_exclusive_read, fixture)

BOOST_AUTO_TEST_CASE(claims_hide_messages_until_acknowledged_or_released,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-claim");
  auto ids = write_n(ch, "w", 4);
  BOOST_TEST(claim_ids(ch, "A", 2) == slice(ids, 0, 2));
  BOOST_TEST(claim_ids(ch, "B", 10) == slice(ids, 2, 4));
  // Nobody else sees claimed messages, shared or exclusive.
  BOOST_TEST(claim_ids(ch, "A", 10).empty());
  BOOST_TEST(claim_ids(ch, "C", 10).empty());
  BOOST_TEST(read_ids(ch, "s1", 10).empty());
  BOOST_TEST(stats(ch).claimed == 4u);
  // Acknowledged: consumed for good. Released: claimable again.
  BOOST_TEST(value_or(ack(ch, "A", {ids[0]}), 0) == 1u);
  BOOST_TEST(value_or(nack(ch, "A", {ids[1]}), 0) == 1u);
  BOOST_TEST(stats(ch).claimed == 2u);
  BOOST_TEST(read_ids(ch, "s2", 10) == slice(ids, 1, 2));
  BOOST_TEST(claim_ids(ch, "C", 10) == slice(ids, 1, 2));
  BOOST_TEST(value_or(ack(ch, "B", {ids[2], ids[3]}), 0) == 2u);
  BOOST_TEST(value_or(ack(ch, "C", {ids[1]}), 0) == 1u);
  BOOST_TEST(stats(ch).claimed == 0u);
  // Acknowledged messages never come back, not even after a claim expiry.
  advance(31s);
  BOOST_TEST(claim_ids(ch, "D", 10).empty());
  BOOST_TEST(read_ids(ch, "s3", 10).empty());
  BOOST_TEST(stats(ch).expired_claims == 0u);
  // New messages are claimable as usual.
  auto more = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "D", 10) == more);
}

BOOST_AUTO_TEST_CASE(released_messages_are_visible_to_readers_not_past_them,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-nack");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(claim_ids(ch, "x", 1) == slice(ids, 0, 1));
  // "late" scans past the claimed message.
  BOOST_TEST(read_ids(ch, "late", 10) == slice(ids, 1, 3));
  BOOST_TEST(value_or(nack(ch, "x", {ids[0]}), 0) == 1u);
  // A reader that has not passed it sees it again; "late" does not.
  BOOST_TEST(read_ids(ch, "early", 10) == ids);
  BOOST_TEST(read_ids(ch, "late", 10).empty());
  // Exclusive readers see it again.
  BOOST_TEST(claim_ids(ch, "y", 10) == ids);
}

BOOST_AUTO_TEST_CASE(only_the_claimer_may_acknowledge_or_nack,
                     *tt::timeout(test_timeout)) {
  // SSSN defect #6, under the open policy where everybody is admin.
  auto ch = make_channel("c-own");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(claim_ids(ch, "A", 1) == slice(ids, 0, 1));
  auto r = ack(ch, "B", {ids[0]});
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::not_claimed));
  BOOST_TEST(mentions(r.error(), "channel 'c-own'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "'" + ids[0] + "'"));
  BOOST_TEST(mentions(r.error(), "'B'"));
  auto n = nack(ch, "B", {ids[0]});
  BOOST_REQUIRE(!n);
  BOOST_TEST(is(n.error(), ec::not_claimed));
  // Still A's claim.
  BOOST_TEST(stats(ch).claimed == 1u);
  BOOST_TEST(claim_ids(ch, "C", 1) == slice(ids, 1, 2));
  // A may not acknowledge C's claim nor a message nobody claimed.
  auto other = ack(ch, "A", {ids[1]});
  BOOST_REQUIRE(!other);
  BOOST_TEST(is(other.error(), ec::not_claimed));
  auto unclaimed = ack(ch, "A", {ids[2]});
  BOOST_REQUIRE(!unclaimed);
  BOOST_TEST(is(unclaimed.error(), ec::not_claimed));
  BOOST_TEST(mentions(unclaimed.error(), "'" + ids[2] + "'"));
  auto unknown = ack(ch, "A", {"no-such-id"});
  BOOST_REQUIRE(!unknown);
  BOOST_TEST(is(unknown.error(), ec::unknown_message_id));
  BOOST_TEST(mentions(unknown.error(), "'no-such-id'"));
  BOOST_TEST(mentions(unknown.error(), "channel 'c-own'"));
  // One bad id fails the whole call: nothing was acknowledged.
  auto mixed = ack(ch, "A", {ids[0], "no-such-id"});
  BOOST_REQUIRE(!mixed);
  BOOST_TEST(stats(ch).claimed == 2u);
  BOOST_TEST(value_or(ack(ch, "A", {ids[0]}), 0) == 1u);
  // Consumed: acknowledging again is refused.
  auto twice = ack(ch, "A", {ids[0]});
  BOOST_REQUIRE(!twice);
  BOOST_TEST(is(twice.error(), ec::not_claimed));
}

BOOST_AUTO_TEST_CASE(an_acl_admin_may_acknowledge_others_claims,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-admin-ack";
  cfg.policy = access_policy::acl(
    {{"admin", role::admin}, {"A", role::read}, {"B", role::read}});
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "admin", 2);
  BOOST_TEST(claim_ids(ch, "A", 2) == ids);
  auto r = ack(ch, "B", {ids[0]});
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::not_claimed));
  BOOST_TEST(value_or(ack(ch, "admin", {ids[0]}), 0) == 1u);
  BOOST_TEST(value_or(nack(ch, "admin", {ids[1]}), 0) == 1u);
  BOOST_TEST(claim_ids(ch, "B", 10) == slice(ids, 1, 2));
  // The claim moved to B: A lost it.
  auto lost = ack(ch, "A", {ids[1]});
  BOOST_REQUIRE(!lost);
  BOOST_TEST(is(lost.error(), ec::not_claimed));
}

BOOST_AUTO_TEST_CASE(claims_expire_after_30_seconds_by_default,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-expiry");
  auto ids = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "A", 1) == ids);
  advance(29s);
  BOOST_TEST(stats(ch).claimed == 1u);
  BOOST_TEST(claim_ids(ch, "B", 1).empty());
  BOOST_TEST(stats(ch).expired_claims == 0u);
  BOOST_TEST(read_ids(ch, "late", 10).empty()); // scans past the claim
  advance(2s);
  auto st = stats(ch);
  BOOST_TEST(st.claimed == 0u);
  BOOST_TEST(st.expired_claims == 1u);
  // Released: visible to shared readers that have not passed it ...
  BOOST_TEST(read_ids(ch, "early", 10) == ids);
  BOOST_TEST(read_ids(ch, "late", 10).empty());
  // ... and to exclusive readers.
  BOOST_TEST(claim_ids(ch, "B", 1) == ids);
  // A's claim is gone for good.
  auto late = ack(ch, "A", ids);
  BOOST_REQUIRE(!late);
  BOOST_TEST(is(late.error(), ec::not_claimed));
  BOOST_TEST(value_or(ack(ch, "B", ids), 0) == 1u);
}

BOOST_AUTO_TEST_CASE(claim_expiry_is_configurable, *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-expiry-5";
  cfg.claim_expiry = 5s;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "A", 1) == ids);
  advance(4s);
  BOOST_TEST(stats(ch).claimed == 1u);
  advance(2s);
  BOOST_TEST(stats(ch).claimed == 0u);
  BOOST_TEST(claim_ids(ch, "B", 1) == ids);
}

BOOST_AUTO_TEST_CASE(a_stale_expiry_never_releases_a_newer_claim,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-stale");
  auto ids = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "A", 1) == ids); // expires at t = 30 s
  advance(10s);
  BOOST_TEST(value_or(nack(ch, "A", ids), 0) == 1u);
  BOOST_TEST(claim_ids(ch, "B", 1) == ids); // expires at t = 40 s
  advance(21s);                             // t = 31 s
  BOOST_TEST(stats(ch).claimed == 1u);
  BOOST_TEST(stats(ch).expired_claims == 0u);
  BOOST_TEST(claim_ids(ch, "C", 1).empty());
  advance(10s); // t = 41 s
  BOOST_TEST(stats(ch).expired_claims == 1u);
  BOOST_TEST(claim_ids(ch, "C", 1) == ids);
}

BOOST_AUTO_TEST_SUITE_END()
