// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The access policy (sssn/access_policy.hpp): roles, open and ACL policies,
// and what a role outside the enum grants. Pure: no actor system.

#include "timeout_scale.hpp"

#include <boost/test/unit_test.hpp>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include "sssn/access_policy.hpp"
#include "sssn/error.hpp"
#include "sssn/token.hpp"

using namespace sssn;

namespace tt = boost::unit_test;

namespace {

const unsigned test_timeout = sssn::test::scaled_timeout(60);

constexpr auto bogus = static_cast<role>(7);

} // namespace

BOOST_AUTO_TEST_CASE(roles_are_ordered, *tt::timeout(test_timeout)) {
  auto p = access_policy::acl(
    {{"a", role::admin}, {"w", role::write}, {"r", role::read}});
  BOOST_TEST(p.allows("a", role::admin));
  BOOST_TEST(p.allows("w", role::read));
  BOOST_TEST(!p.allows("w", role::admin));
  BOOST_TEST(p.allows("r", role::read));
  BOOST_TEST(!p.allows("r", role::write));
  BOOST_TEST(!p.allows("stranger", role::read));
  BOOST_TEST((p.role_of("stranger") == role::none));
  BOOST_TEST(access_policy::open().allows("anyone", role::admin));
  BOOST_TEST(to_string(role::write) == "write");
}

BOOST_AUTO_TEST_CASE(a_role_outside_the_enum_grants_nothing,
                     *tt::timeout(test_timeout)) {
  // `static_cast<role>(7)` compared above `admin`, so it allowed everything
  // in an in-process ACL, while the wire already mapped it to `none`.
  BOOST_TEST((checked_role(bogus) == role::none));
  BOOST_TEST((checked_role(role::admin) == role::admin));
  auto p = access_policy::acl({{"x", bogus}, {"a", role::admin}}, bogus);
  BOOST_TEST((p.role_of("x") == role::none));
  BOOST_TEST((p.role_of("unlisted") == role::none));
  BOOST_TEST(!p.allows("x", role::read));
  BOOST_TEST(!p.allows("unlisted", role::read));
  BOOST_TEST((p.entries().at("x") == role::none));
  BOOST_TEST((p.default_role() == role::none));
  // Nobody holds a role outside the enum, admins included.
  BOOST_TEST(!p.allows("a", bogus));
  BOOST_TEST(!access_policy::open().allows("anyone", bogus));
}

BOOST_AUTO_TEST_CASE(a_role_outside_the_enum_is_none_on_the_wire_too,
                     *tt::timeout(test_timeout)) {
  // What a peer sends: an ACL whose bytes say role 7.
  std::vector<char> buf;
  {
    caf::binary_serializer sink{nullptr, buf};
    bool open = false;
    std::map<std::string, uint8_t> entries{{"x", 7}};
    uint8_t def = 9;
    bool tokens = false;
    BOOST_REQUIRE(!sink(open, entries, def, tokens));
  }
  access_policy p = access_policy::open();
  caf::binary_deserializer source{nullptr, buf};
  BOOST_REQUIRE(!source(p));
  BOOST_TEST(!p.is_open());
  BOOST_TEST((p.role_of("x") == role::none));
  BOOST_TEST((p.default_role() == role::none));
}

BOOST_AUTO_TEST_CASE(no_token_grants_a_role_outside_the_enum,
                     *tt::timeout(test_timeout)) {
  token_claims c;
  c.subject = "x";
  c.channels = {"*"};
  c.granted = bogus;
  c.issued_at = unix_now();
  c.expires_at = c.issued_at + 60;
  auto token = issue_token("0123456789abcdef0123456789abcdef", c);
  BOOST_REQUIRE(!token);
  BOOST_TEST(is(token.error(), ec::invalid_argument));
}
