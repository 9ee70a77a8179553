#include "fixture.hpp"

using namespace sssn;

BOOST_FIXTURE_TEST_SUITE(smoke, test::deterministic_fixture)

BOOST_AUTO_TEST_CASE(fixture_calls) {
  auto ch = make_channel("c1", false);
  auto r0 = call<std::string>(ch.actor(), write_atom::value, std::string{"a"}, content{json{{"x", 1}}});
  BOOST_REQUIRE(!r0);
  BOOST_TEST(error_message(r0.error()) == "channel 'c1' is not accepting writes (not started)");
  auto ok = call<caf::unit_t>(ch.actor(), start_atom::value);
  BOOST_REQUIRE(ok);
  auto r1 = call<std::string>(ch.actor(), write_atom::value, std::string{"a"}, content{json{{"x", 1}}});
  BOOST_REQUIRE(r1);
  auto msgs = call<std::vector<channel_message>>(ch.actor(), read_atom::value, std::string{"r"}, uint32_t{10}, std::string{});
  BOOST_REQUIRE(msgs);
  BOOST_REQUIRE_EQUAL(msgs->size(), 1u);
  BOOST_TEST(msgs->front().id() == *r1);
}

BOOST_AUTO_TEST_SUITE_END()
