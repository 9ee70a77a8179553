// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The channel's claim table (src/detail/channel/claim_table.hpp): claims
// take messages out of the pool; release puts them back, acknowledge
// consumes them; claims expire soonest first, and a stale expiry releases
// nothing; only the holder may settle a claim. Pure: no actor system; time
// points are made up.

#include "time_points.hpp"
#include "timeout_scale.hpp"

#include <algorithm>
#include <chrono>
#include <set>
#include <string>

#include <boost/test/unit_test.hpp>

#include "detail/channel/claim_table.hpp"
#include "sssn/error.hpp"

using namespace sssn;
using namespace sssn::detail;
using sssn::test::at;
using namespace std::chrono_literals;

namespace tt = boost::unit_test;

namespace {

const unsigned test_timeout = sssn::test::scaled_timeout(60);

using time_point = claim_table::time_point;
using sssn::detail::seq_set;

struct fixture {
  message_store store{10, false};
  claim_table claims;

  fixture() {
    for (int i = 1; i <= 5; ++i)
      store.add(channel_message::builder{}
                  .id("m" + std::to_string(i))
                  .sender_id("w")
                  .content(json{{"n", i}})
                  .timestamp_ns(i)
                  .build(),
                channel_actor{});
  }

  void claim(uint64_t seq, const std::string& owner, time_point expiry,
             bool group = false) {
    claims.claim(store, seq, store.at(seq), owner, group, expiry);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(claim_table_tests, fixture)

BOOST_AUTO_TEST_CASE(a_claim_takes_the_message_out_of_the_pool,
                     *tt::timeout(test_timeout)) {
  claim(1, "r1", at(30s));
  claim(3, "r1", at(30s));
  claim(2, "r2", at(30s), true);
  BOOST_TEST(claims.count() == 3u);
  BOOST_TEST((store.unclaimed() == seq_set{4, 5}));
  BOOST_TEST((claims.claims_of("r1") == seq_set{1, 3}));
  BOOST_TEST((claims.claims_of("r2") == seq_set{2}));
  BOOST_TEST(claims.claims_of("nobody").empty());
  auto& e = store.at(2);
  BOOST_TEST(e.claim_owner == "r2");
  BOOST_TEST(e.group_claim);
  BOOST_TEST((e.claim_expiry == at(30s)));
  BOOST_TEST((claims.next_expiry().value() == at(30s)));
}

BOOST_AUTO_TEST_CASE(release_puts_a_message_back_and_acknowledge_consumes_it,
                     *tt::timeout(test_timeout)) {
  claim(1, "r", at(30s));
  claim(2, "r", at(30s));
  claims.release(store, 1, store.at(1));
  BOOST_TEST(store.at(1).claim_owner.empty());
  BOOST_TEST(store.unclaimed().count(1) == 1u);
  BOOST_TEST(claims.acknowledge(store, 2, store.at(2)));
  BOOST_TEST(store.at(2).acked);
  BOOST_TEST(store.unclaimed().count(2) == 0u);
  BOOST_TEST(claims.count() == 0u);
  BOOST_TEST(claims.claims_of("r").empty());
  // Twice: nothing more to acknowledge.
  BOOST_TEST(!claims.acknowledge(store, 2, store.at(2)));
}

BOOST_AUTO_TEST_CASE(dropping_a_claim_leaves_the_message_out_of_the_pool,
                     *tt::timeout(test_timeout)) {
  claim(4, "r", at(30s));
  claims.drop(4, store.at(4));
  BOOST_TEST(store.at(4).claim_owner.empty());
  BOOST_TEST(store.unclaimed().count(4) == 0u);
  BOOST_TEST(claims.count() == 0u);
  // Dropping an unclaimed message changes nothing.
  claims.drop(5, store.at(5));
  BOOST_TEST(claims.count() == 0u);
  BOOST_TEST(store.unclaimed().count(5) == 1u);
}

BOOST_AUTO_TEST_CASE(release_all_frees_every_claim_of_one_owner,
                     *tt::timeout(test_timeout)) {
  claim(1, "gone", at(30s), true);
  claim(2, "stays", at(30s));
  claim(3, "gone", at(30s), true);
  BOOST_TEST(claims.release_all(store, "gone") == 2u);
  BOOST_TEST((store.unclaimed() == seq_set{1, 3, 4, 5}));
  BOOST_TEST(claims.claims_of("gone").empty());
  BOOST_TEST((claims.claims_of("stays") == seq_set{2}));
  BOOST_TEST(claims.count() == 1u);
  BOOST_TEST(claims.release_all(store, "gone") == 0u);
}

BOOST_AUTO_TEST_CASE(claims_expire_soonest_first_and_only_when_due,
                     *tt::timeout(test_timeout)) {
  claim(3, "late", at(50s));
  claim(1, "a", at(20s), true);
  claim(2, "b", at(10s));
  BOOST_TEST(claims.expire(store, at(5s)).empty());
  auto expired = claims.expire(store, at(20s));
  BOOST_REQUIRE(expired.size() == 2u);
  BOOST_TEST(expired[0].seq == 2u);
  BOOST_TEST(expired[0].owner == "b");
  BOOST_TEST(!expired[0].group);
  BOOST_TEST(expired[1].seq == 1u);
  BOOST_TEST(expired[1].owner == "a");
  BOOST_TEST(expired[1].group);
  BOOST_TEST((store.unclaimed() == seq_set{1, 2, 4, 5}));
  BOOST_TEST(claims.count() == 1u);
  BOOST_TEST((claims.next_expiry().value() == at(50s)));
}

BOOST_AUTO_TEST_CASE(a_stale_expiry_releases_nothing,
                     *tt::timeout(test_timeout)) {
  // Claimed, released and claimed again: the first expiry is stale.
  claim(1, "r1", at(10s));
  claims.release(store, 1, store.at(1));
  claim(1, "r2", at(40s));
  // Acknowledged before its expiry.
  claim(2, "r1", at(10s));
  claims.acknowledge(store, 2, store.at(2));
  // Removed before its expiry.
  claim(3, "r1", at(10s));
  claims.drop(3, store.at(3));
  store.erase(store.find(3), false);
  BOOST_TEST(claims.expire(store, at(20s)).empty());
  BOOST_TEST(store.at(1).claim_owner == "r2");
  auto expired = claims.expire(store, at(40s));
  BOOST_REQUIRE(expired.size() == 1u);
  BOOST_TEST(expired[0].owner == "r2");
  BOOST_TEST(!claims.next_expiry());
}

BOOST_AUTO_TEST_CASE(settled_claims_leave_no_expiries_behind,
                     *tt::timeout(test_timeout)) {
  // Two claims held throughout; the first, due soonest, keeps the top of the
  // expiries from being pruned, so the heap is rebuilt from the held claims.
  claim(1, "held", at(10s));
  claim(2, "held", at(50s));
  size_t most = 0;
  for (int i = 0; i < 5000; ++i) {
    auto seq = store.add(channel_message::builder{}
                           .id("x" + std::to_string(i))
                           .sender_id("w")
                           .content(json{{"n", i}})
                           .timestamp_ns(100 + i)
                           .build(),
                         channel_actor{})
                 ->first;
    // Claimed and acknowledged at once, as a responder answers.
    claim(seq, "r", at(30s));
    BOOST_REQUIRE(claims.acknowledge(store, seq, store.at(seq)));
    most = std::max(most, claims.tracked_expiries());
  }
  BOOST_TEST(most <= 1024u);
  BOOST_TEST(claims.count() == 2u);
  // The held claims still expire, each when due, and nothing else does.
  auto first = claims.expire(store, at(10s));
  BOOST_REQUIRE(first.size() == 1u);
  BOOST_TEST(first[0].seq == 1u);
  BOOST_TEST(claims.expire(store, at(30s)).empty());
  auto second = claims.expire(store, at(50s));
  BOOST_REQUIRE(second.size() == 1u);
  BOOST_TEST(second[0].seq == 2u);
  BOOST_TEST(!claims.next_expiry());
  BOOST_TEST(claims.tracked_expiries() == 0u);
}

BOOST_AUTO_TEST_CASE(owners_whose_claims_ended_are_kept_up_to_a_bound,
                     *tt::timeout(test_timeout)) {
  constexpr auto bound = claim_table::max_idle_owners;
  auto claim_and_release = [&](const std::string& owner) {
    claim(1, owner, at(30s));
    claims.release(store, 1, store.at(1));
  };
  // 200 owners claim once each: the first `bound` keep their entry.
  for (int i = 0; i < 200; ++i)
    claim_and_release("o" + std::to_string(i));
  BOOST_TEST(claims.tracked_owners() == bound);
  BOOST_TEST(claims.count() == 0u);
  // A kept owner claims again: its entry is used, not added.
  claim(2, "o0", at(30s));
  BOOST_TEST(claims.tracked_owners() == bound);
  BOOST_TEST((claims.claims_of("o0") == seq_set{2}));
  // Ended by release_all: the entry goes; a new owner may take its place.
  BOOST_TEST(claims.release_all(store, "o0") == 1u);
  BOOST_TEST(claims.tracked_owners() == bound - 1);
  BOOST_TEST(claims.claims_of("o0").empty());
  BOOST_TEST(claims.release_all(store, "o1") == 0u);
  BOOST_TEST(claims.tracked_owners() == bound - 2);
  claim_and_release("n1");
  claim_and_release("n2");
  claim_and_release("n3");
  BOOST_TEST(claims.tracked_owners() == bound);
  // Held claims are tracked whatever the bound.
  claim(1, "h1", at(30s));
  claim(2, "h2", at(30s));
  BOOST_TEST(claims.tracked_owners() == bound + 2);
  BOOST_TEST(claims.count() == 2u);
  BOOST_TEST((store.unclaimed() == seq_set{3, 4, 5}));
}

BOOST_AUTO_TEST_CASE(claims_settled_in_order_keep_the_expiries_short,
                     *tt::timeout(test_timeout)) {
  // Claimed and acknowledged in turn: the settled claim on top goes at the
  // next claim, so only the claims in flight are tracked.
  for (uint64_t seq = 1; seq <= 5; ++seq) {
    claim(seq, "r", at(30s));
    BOOST_TEST(claims.tracked_expiries() <= 2u);
    BOOST_REQUIRE(claims.acknowledge(store, seq, store.at(seq)));
  }
}

BOOST_AUTO_TEST_CASE(only_the_holder_may_settle_a_claim,
                     *tt::timeout(test_timeout)) {
  claim(1, "r", at(30s));
  claim(2, "other", at(30s));
  std::vector<uint64_t> seqs;
  // Checks `ids` for a nack by `reader`; returns the refusal's text, if any.
  auto nack = [&](const std::string& reader, std::vector<std::string> ids,
                  bool any_owner = false) -> std::string {
    seqs.clear();
    auto err = claims.check(store, reader, ids, any_owner, "nack", "ch", seqs);
    return err ? error_message(err) : std::string{};
  };
  auto mentions = [](const std::string& text, const std::string& what) {
    return text.find(what) != std::string::npos;
  };
  BOOST_TEST(nack("r", {"m1"}).empty());
  BOOST_TEST((seqs == std::vector<uint64_t>{1}));
  BOOST_TEST(mentions(nack("r", {"m1", "m2"}),
                      "channel 'ch': message 'm2' is claimed by another "
                      "reader; 'r' may not nack it"));
  BOOST_TEST(mentions(nack("r", {"m3"}), "message 'm3' is not claimed"));
  BOOST_TEST(mentions(nack("r", {"m1", "nope"}),
                      "unknown message id 'nope' in nack by 'r'"));
  // An administrator may settle anyone's claims, or none.
  BOOST_TEST(nack("admin", {"m1", "m2", "m3"}, true).empty());
  BOOST_TEST((seqs == std::vector<uint64_t>{1, 2, 3}));
  // The codes, as the channel passes them on.
  std::vector<uint64_t> ignored;
  BOOST_TEST(is(claims.check(store, "r", {"m2"}, false, "nack", "ch", ignored),
                ec::not_claimed));
  BOOST_TEST(is(claims.check(store, "r", {"x"}, false, "nack", "ch", ignored),
                ec::unknown_message_id));
}

BOOST_AUTO_TEST_SUITE_END()
