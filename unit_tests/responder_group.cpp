// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The channel's responder group (src/detail/channel/responder_group.hpp):
// one group per channel, round robin over the members with credit left,
// credit coming back as deliveries settle, and leaving. Pure: no actor
// system (member handles stay empty; members are named by system ids).

#include "timeout_scale.hpp"

#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "detail/channel/responder_group.hpp"

using namespace sssn;
using namespace sssn::detail;

namespace tt = boost::unit_test;

namespace {

const unsigned test_timeout = sssn::test::scaled_timeout(60);

using strings = std::vector<std::string>;

struct fixture {
  responder_group group;

  /// Who gets the next `n` deliveries ("-": nobody has credit).
  strings deliver(int n) {
    strings result;
    for (int i = 0; i < n; ++i) {
      auto m = group.next();
      result.push_back(m != nullptr ? m->first : "-");
    }
    return result;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(responder_group_tests, fixture)

BOOST_AUTO_TEST_CASE(a_channel_has_one_group_named_by_its_first_member,
                     *tt::timeout(test_timeout)) {
  BOOST_TEST(group.empty());
  BOOST_TEST(group.admits("g"));
  BOOST_TEST(group.admits("h"));
  group.join("g", "a", {}, 1);
  BOOST_TEST(group.name() == "g");
  BOOST_TEST(group.admits("g"));
  BOOST_TEST(!group.admits("h"));
  group.join("g", "b", {}, 1);
  BOOST_TEST(group.size() == 2u);
  BOOST_TEST(group.contains("b"));
  // The group loses its name with its last member.
  BOOST_TEST(group.leave("a"));
  BOOST_TEST(!group.leave("a"));
  BOOST_TEST(group.name() == "g");
  BOOST_TEST(group.leave("b"));
  BOOST_TEST(group.name().empty());
  BOOST_TEST(group.admits("h"));
}

BOOST_AUTO_TEST_CASE(deliveries_go_round_robin, *tt::timeout(test_timeout)) {
  group.join("g", "c", {}, 10);
  group.join("g", "a", {}, 10);
  group.join("g", "b", {}, 10);
  BOOST_TEST((deliver(7) == strings{"a", "b", "c", "a", "b", "c", "a"}));
  BOOST_TEST(group.find("a")->in_flight == 3u);
  BOOST_TEST(group.find("c")->in_flight == 2u);
}

BOOST_AUTO_TEST_CASE(a_member_without_credit_is_skipped,
                     *tt::timeout(test_timeout)) {
  group.join("g", "a", {}, 1);
  group.join("g", "b", {}, 3);
  group.join("g", "c", {}, 1);
  BOOST_TEST((deliver(6) == strings{"a", "b", "c", "b", "b", "-"}));
  // Credit back: the turn goes on from where it was ("c"), wrapping
  // around.
  group.settle("a");
  group.settle("c");
  BOOST_TEST((deliver(3) == strings{"c", "a", "-"}));
  // Settling more than it holds gives no extra credit.
  group.settle("b");
  group.settle("b");
  group.settle("b");
  group.settle("b");
  BOOST_TEST(group.find("b")->in_flight == 0u);
  BOOST_TEST((deliver(4) == strings{"b", "b", "b", "-"}));
  group.settle("nobody");
}

BOOST_AUTO_TEST_CASE(the_turn_survives_a_member_leaving,
                     *tt::timeout(test_timeout)) {
  group.join("g", "a", {}, 10);
  group.join("g", "b", {}, 10);
  group.join("g", "c", {}, 10);
  BOOST_TEST((deliver(1) == strings{"a"}));
  // "b" was next; it leaves, so "c" is.
  group.leave("b");
  BOOST_TEST((deliver(3) == strings{"c", "a", "c"}));
  // A newcomer joins the rotation in id order.
  group.join("g", "bb", {}, 10);
  BOOST_TEST((deliver(3) == strings{"a", "bb", "c"}));
}

BOOST_AUTO_TEST_CASE(joining_again_updates_the_credit_and_keeps_what_it_holds,
                     *tt::timeout(test_timeout)) {
  group.join("g", "a", {}, 2);
  BOOST_TEST((deliver(3) == strings{"a", "a", "-"}));
  group.join("g", "a", {}, 3);
  BOOST_TEST(group.find("a")->in_flight == 2u);
  BOOST_TEST(group.find("a")->credit == 3u);
  BOOST_TEST((deliver(2) == strings{"a", "-"}));
  BOOST_TEST(group.find("zz") == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
