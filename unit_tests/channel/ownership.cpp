// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests channel handle ownership: the last owning handle stops the channel;
// find_channel finds live channels only.

#include <string>

#include "channel_fixture.hpp"

// -- ownership ----------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_ownership, fixture)

BOOST_AUTO_TEST_CASE(the_last_owning_handle_stops_the_channel,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-owned");
  BOOST_TEST(ch.owning());
  auto non_owning = channel{ch.actor(), ch.id()};
  BOOST_TEST(!non_owning.owning());
  BOOST_TEST((non_owning == ch));
  auto copy = ch;
  BOOST_TEST(copy.owning());
  ch = channel{};
  run();
  // A copy of the owning handle keeps the channel alive.
  BOOST_TEST(!is_down(non_owning));
  BOOST_TEST(find_channel(sys, "c-owned").has_value());
  copy = channel{};
  run();
  // The non-owning handle does not.
  BOOST_TEST(is_down(non_owning));
  BOOST_TEST(!find_channel(sys, "c-owned").has_value());
}

BOOST_AUTO_TEST_CASE(find_channel_finds_live_channels_only,
                     *tt::timeout(test_timeout)) {
  BOOST_TEST(!find_channel(sys, "c-find").has_value());
  auto ch = make_channel("c-find");
  auto found = find_channel(sys, "c-find");
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST((*found == ch));
  BOOST_TEST(!found->owning());
  BOOST_TEST(found->id() == "c-find");
  BOOST_TEST(static_cast<bool>(write(*found, "w", data(1))));
  BOOST_TEST(stats(ch).stored == 1u);
  BOOST_REQUIRE(
    call<caf::unit_t>(ch.actor(), stop_atom::value, std::string{"admin"}));
  run();
  BOOST_TEST(!find_channel(sys, "c-find").has_value());
}

BOOST_AUTO_TEST_CASE(find_channel_keeps_the_first_of_two_with_one_id,
                     *tt::timeout(test_timeout)) {
  auto first = make_channel("c-twice");
  auto second = make_channel("c-twice");
  BOOST_TEST((first != second));
  auto found = find_channel(sys, "c-twice");
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST((*found == first));
}

BOOST_AUTO_TEST_SUITE_END()
