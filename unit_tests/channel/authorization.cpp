// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests the channel's access policy: ACL roles, the default role, changing
// the policy, empty principals.

#include <string>

#include "channel_fixture.hpp"

// -- authorization ------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_authorization, fixture)

BOOST_AUTO_TEST_CASE(acl_roles_are_ordered_read_write_admin,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel(acl_config("c-acl"));
  auto expect_refused = [&](const caf::error& err, const std::string& who,
                            const char* what) {
    BOOST_TEST(is(err, ec::not_authorized), what << " by " << who);
    BOOST_TEST(mentions(err, "'" + who + "'"), error_message(err));
    BOOST_TEST(mentions(err, "channel 'c-acl'"), error_message(err));
  };
  // write: writer and admin; not reader, not unlisted ids.
  BOOST_TEST(static_cast<bool>(write(ch, "writer", data(1))));
  BOOST_TEST(static_cast<bool>(write(ch, "admin", data(2))));
  for (auto who : {"reader", "mallory"}) {
    auto r = write(ch, who, data(3));
    BOOST_REQUIRE(!r);
    expect_refused(r.error(), who, "write");
  }
  // read and claim: everybody listed; not unlisted ids.
  for (auto who : {"reader", "writer", "admin"})
    BOOST_TEST(read_ids(ch, who, 10).size() == 2u, who);
  auto r = read(ch, "mallory", 10);
  BOOST_REQUIRE(!r);
  expect_refused(r.error(), "mallory", "read");
  auto c = claim(ch, "mallory", 10);
  BOOST_REQUIRE(!c);
  expect_refused(c.error(), "mallory", "claim");
  auto claimed = claim_ids(ch, "reader", 1);
  BOOST_REQUIRE(claimed.size() == 1u);
  auto a = ack(ch, "mallory", claimed);
  BOOST_REQUIRE(!a);
  expect_refused(a.error(), "mallory", "acknowledge");
  BOOST_TEST(value_or(ack(ch, "reader", claimed), 0) == 1u);
  auto st = stats(ch);
  BOOST_TEST(st.unauthorized == 5u);
  BOOST_TEST(st.refused == 5u);
}

BOOST_AUTO_TEST_CASE(the_default_role_applies_to_unlisted_ids,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-acl-default";
  cfg.policy = access_policy::acl({{"admin", role::admin}}, role::read);
  auto ch = make_channel(cfg);
  BOOST_REQUIRE(write(ch, "admin", data(1)));
  BOOST_TEST(read_ids(ch, "anybody", 10).size() == 1u);
  auto w = write(ch, "anybody", data(2));
  BOOST_REQUIRE(!w);
  BOOST_TEST(is(w.error(), ec::not_authorized));
}

BOOST_AUTO_TEST_CASE(set_policy_needs_admin_and_takes_effect,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel(acl_config("c-policy"));
  auto p = set_policy(ch, "reader", access_policy::open());
  BOOST_REQUIRE(!p);
  BOOST_TEST(is(p.error(), ec::not_authorized));
  BOOST_TEST(mentions(p.error(), "'reader'"), error_message(error_of(p)));
  BOOST_TEST(mentions(p.error(), "channel 'c-policy'"));
  BOOST_TEST(is(error_of(write(ch, "mallory", data(1))), ec::not_authorized));
  BOOST_REQUIRE(set_policy(ch, "admin", access_policy::open()));
  BOOST_TEST(static_cast<bool>(write(ch, "mallory", data(1))));
  // Under the open policy everybody may administer.
  BOOST_REQUIRE(
    set_policy(ch, "mallory", access_policy::acl({{"admin", role::admin}})));
  BOOST_TEST(is(error_of(write(ch, "mallory", data(2))), ec::not_authorized));
  BOOST_TEST(stats(ch).unauthorized == 3u);
}

BOOST_AUTO_TEST_CASE(empty_principals_are_refused, *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-empty-id");
  auto w = write(ch, "", data(1));
  BOOST_REQUIRE(!w);
  BOOST_TEST(is(w.error(), ec::invalid_argument));
  BOOST_TEST(mentions(w.error(), "channel 'c-empty-id'"));
  auto r = read(ch, "", 10);
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::invalid_argument));
}

BOOST_AUTO_TEST_SUITE_END()
