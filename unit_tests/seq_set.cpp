// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The flat set of sequence numbers (src/detail/seq_set.hpp) behind a
// channel's unclaimed messages, waiting calls and claims: ordered members,
// erase anywhere, a member put back where it was, and the same answers as a
// std::set through any mix of operations. Pure: no actor system.

#include <cstdint>
#include <random>
#include <set>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "detail/seq_set.hpp"

using sssn::detail::seq_set;

namespace {

std::vector<uint64_t> members(const seq_set& xs) {
  return {xs.begin(), xs.end()};
}

using seqs = std::vector<uint64_t>;

} // namespace

BOOST_AUTO_TEST_CASE(appends_in_order_and_erases_anywhere) {
  seq_set xs;
  BOOST_TEST(xs.empty());
  BOOST_TEST((xs.begin() == xs.end()));
  for (uint64_t i = 1; i <= 5; ++i)
    BOOST_TEST(xs.insert(i));
  BOOST_TEST(!xs.insert(3));
  BOOST_TEST(xs.size() == 5u);
  BOOST_TEST(xs.erase(3));
  BOOST_TEST(!xs.erase(3));
  BOOST_TEST(!xs.erase(9));
  BOOST_TEST((members(xs) == seqs{1, 2, 4, 5}));
  BOOST_TEST(xs.count(3) == 0u);
  BOOST_TEST(xs.count(4) == 1u);
  BOOST_TEST(xs.erase(1));
  BOOST_TEST(xs.front() == 2u);
  BOOST_TEST(xs.erase(2));
  BOOST_TEST(xs.front() == 4u);
  BOOST_TEST(xs.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_number_put_back_takes_its_place_again) {
  seq_set xs{1, 2, 3, 4};
  // Taken from the front and the middle, then put back (a released claim).
  BOOST_TEST(xs.erase(1));
  BOOST_TEST(xs.erase(3));
  BOOST_TEST(xs.front() == 2u);
  BOOST_TEST(xs.insert(3));
  BOOST_TEST(xs.insert(1));
  BOOST_TEST(xs.front() == 1u);
  BOOST_TEST((members(xs) == seqs{1, 2, 3, 4}));
  BOOST_TEST(xs.size() == 4u);
  // A number that was never a member goes between the others too.
  seq_set ys{2, 6};
  BOOST_TEST(ys.insert(4));
  BOOST_TEST(ys.insert(1));
  BOOST_TEST((members(ys) == seqs{1, 2, 4, 6}));
}

BOOST_AUTO_TEST_CASE(emptied_it_starts_afresh) {
  seq_set xs{7, 8};
  BOOST_TEST(xs.erase(8));
  BOOST_TEST(xs.erase(7));
  BOOST_TEST(xs.empty());
  BOOST_TEST((xs.begin() == xs.end()));
  // Smaller numbers than before are fine after it emptied.
  BOOST_TEST(xs.insert(3));
  BOOST_TEST(xs.front() == 3u);
  BOOST_TEST((members(xs) == seqs{3}));
  xs.clear();
  BOOST_TEST(xs.empty());
  BOOST_TEST(xs.count(3) == 0u);
}

BOOST_AUTO_TEST_CASE(many_erased_in_the_middle_leave_the_rest_in_order) {
  // Enough gone slots to squeeze them out several times over.
  seq_set xs;
  for (uint64_t i = 1; i <= 1000; ++i)
    xs.insert(i);
  for (uint64_t i = 2; i <= 1000; i += 2)
    BOOST_TEST(xs.erase(i));
  for (uint64_t i = 3; i <= 1000; i += 4)
    BOOST_TEST(xs.erase(i));
  std::vector<uint64_t> expected;
  for (uint64_t i = 1; i <= 1000; i += 4)
    expected.push_back(i);
  BOOST_TEST((members(xs) == expected));
  BOOST_TEST(xs.size() == expected.size());
  // Put back after the squeeze: back in order.
  BOOST_TEST(xs.insert(2));
  BOOST_TEST(xs.insert(998));
  BOOST_TEST(xs.count(2) == 1u);
  BOOST_TEST(xs.count(998) == 1u);
  BOOST_TEST(xs.count(4) == 0u);
  expected.insert(expected.begin() + 1, 2);
  expected.push_back(998);
  BOOST_TEST((members(xs) == expected));
}

BOOST_AUTO_TEST_CASE(compares_by_members) {
  seq_set xs{1, 2, 3};
  seq_set ys{1, 3};
  BOOST_TEST((xs != ys));
  xs.erase(2);
  BOOST_TEST((xs == ys));
  ys.insert(2);
  ys.erase(2);
  BOOST_TEST((xs == ys));
}

BOOST_AUTO_TEST_CASE(answers_as_a_std_set_does) {
  // Mostly growing numbers, mostly leaving in order, with numbers put back
  // and taken out of the middle, as a channel's sets see them.
  std::mt19937_64 rng{42};
  seq_set xs;
  std::set<uint64_t> ref;
  uint64_t next = 1;
  for (int step = 0; step < 50'000; ++step) {
    auto dice = rng() % 100;
    if (dice < 40) {
      BOOST_REQUIRE(xs.insert(next) == ref.insert(next).second);
      ++next;
    } else if (dice < 70 && !ref.empty()) {
      auto x = *ref.begin();
      BOOST_REQUIRE(xs.front() == x);
      BOOST_REQUIRE(xs.erase(x));
      ref.erase(x);
    } else if (dice < 90 && next > 1) {
      auto x = 1 + rng() % (next - 1);
      BOOST_REQUIRE(xs.erase(x) == (ref.erase(x) == 1));
    } else if (next > 1) {
      auto x = 1 + rng() % (next - 1);
      BOOST_REQUIRE(xs.insert(x) == ref.insert(x).second);
    }
    BOOST_REQUIRE(xs.size() == ref.size());
    if (step % 997 == 0) {
      auto x = 1 + rng() % next;
      BOOST_REQUIRE(xs.count(x) == ref.count(x));
      BOOST_REQUIRE((members(xs) == std::vector<uint64_t>(ref.begin(),
                                                          ref.end())));
    }
  }
  BOOST_TEST((members(xs) == std::vector<uint64_t>(ref.begin(), ref.end())));
}
