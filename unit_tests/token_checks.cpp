// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The channel's token checks (src/detail/channel/token_checks.hpp): what a
// token that comes with an operation grants, and to whom; the cache of
// checked tokens and its bound; what tokens made and when it ends; and the
// refusals when tokens cannot be checked. Pure: no actor system; actor
// addresses and time points are made up.

#include "time_points.hpp"
#include "timeout_scale.hpp"

#include <chrono>
#include <string>

#include <boost/test/unit_test.hpp>

#include "detail/channel/token_checks.hpp"
#include "sssn/error.hpp"

using namespace sssn;
using namespace sssn::detail;
using sssn::test::at;
using namespace std::chrono_literals;

namespace tt = boost::unit_test;

namespace {

const unsigned test_timeout = sssn::test::scaled_timeout(60);

const std::string secret(32, 's');

/// Unix time of the tests (seconds).
constexpr int64_t t0 = 1'700'000'000;

std::string token(const std::string& subject, role granted,
                  int64_t expires_at, std::string channel = "ch",
                  const std::string& key = secret) {
  token_claims claims;
  claims.subject = subject;
  claims.channels = {std::move(channel)};
  claims.granted = granted;
  claims.issued_at = t0;
  claims.expires_at = expires_at;
  auto tok = issue_token(key, claims);
  BOOST_REQUIRE(tok);
  return *tok;
}

bool mentions(const caf::error& err, const std::string& what) {
  return error_message(err).find(what) != std::string::npos;
}

token_claims claims_of(const std::string& subject, int64_t expires_at) {
  token_claims c;
  c.subject = subject;
  c.channels = {"ch"};
  c.expires_at = expires_at;
  return c;
}

struct fixture {
  token_checks checks{"ch", 3};

  fixture() {
    checks.use_secret(secret);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(token_checks_tests, fixture)

BOOST_AUTO_TEST_CASE(a_token_grants_its_role_to_its_subject_only,
                     *tt::timeout(test_timeout)) {
  BOOST_TEST(checks.enabled());
  auto tok = token("alice", role::write, t0 + 60);
  auto granted = checks.role_of(tok, "alice", "write to", t0 + 1);
  BOOST_REQUIRE_MESSAGE(granted, (granted ? "" : error_message(granted.error())));
  BOOST_TEST((*granted == role::write));
  BOOST_TEST(checks.grants(tok, "alice", role::read, t0 + 1));
  BOOST_TEST(checks.grants(tok, "alice", role::write, t0 + 1));
  BOOST_TEST(!checks.grants(tok, "alice", role::admin, t0 + 1));
  // Alice's token is no proof for bob.
  auto other = checks.role_of(tok, "bob", "write to", t0 + 1);
  BOOST_REQUIRE(!other);
  BOOST_TEST(is(other.error(), ec::not_authorized));
  BOOST_TEST(mentions(other.error(), "the token presented as 'bob' on "
                                     "channel 'ch' is for 'alice'"));
  // No token at all: refused, saying what to do.
  auto none = checks.role_of("", "alice", "write to", t0 + 1);
  BOOST_REQUIRE(!none);
  BOOST_TEST(mentions(none.error(), "'alice' presented no token to channel "
                                    "'ch'; it may not write to it"));
}

BOOST_AUTO_TEST_CASE(each_check_sees_expiry_even_from_the_cache,
                     *tt::timeout(test_timeout)) {
  auto tok = token("alice", role::read, t0 + 10);
  BOOST_REQUIRE(checks.check(tok, t0));
  BOOST_TEST(checks.cached() == 1u);
  BOOST_TEST(checks.grants(tok, "alice", role::read, t0 + 9));
  auto res = checks.role_of(tok, "alice", "read from", t0 + 10);
  BOOST_REQUIRE(!res);
  BOOST_TEST(mentions(res.error(), "expired"), error_message(res.error()));
  BOOST_TEST(checks.cached() == 0u);
}

BOOST_AUTO_TEST_CASE(bad_tokens_are_refused_and_not_cached,
                     *tt::timeout(test_timeout)) {
  auto forged = checks.check(
    token("eve", role::admin, t0 + 60, "ch", std::string(32, 'x')), t0);
  BOOST_REQUIRE(!forged);
  BOOST_TEST(is(forged.error(), ec::not_authorized));
  BOOST_TEST(mentions(forged.error(), "(on channel 'ch')"));
  auto expired = checks.check(token("eve", role::admin, t0 - 1), t0);
  BOOST_REQUIRE(!expired);
  BOOST_TEST(is(expired.error(), ec::not_authorized));
  auto elsewhere = checks.check(token("eve", role::admin, t0 + 60, "other"),
                                t0);
  BOOST_REQUIRE(!elsewhere);
  BOOST_TEST(mentions(elsewhere.error(),
                      "the token of 'eve' does not name channel 'ch'"));
  BOOST_TEST(!checks.check("not.a.token", t0));
  BOOST_TEST(checks.cached() == 0u);
}

BOOST_AUTO_TEST_CASE(the_cache_is_bounded_and_a_flood_only_costs_checks,
                     *tt::timeout(test_timeout)) {
  // Bound 3: many valid tokens, each still checked right after the others.
  std::vector<std::string> toks;
  for (int i = 0; i < 50; ++i)
    toks.push_back(token("s" + std::to_string(i), role::read, t0 + 60));
  for (int round = 0; round < 2; ++round)
    for (int i = 0; i < 50; ++i) {
      BOOST_REQUIRE(checks.grants(toks[i], "s" + std::to_string(i),
                                  role::read, t0));
      BOOST_REQUIRE(checks.cached() <= 3u);
    }
  // Expired ones make room first.
  token_checks small{"ch", 2};
  small.use_secret(secret);
  auto brief = token("brief", role::read, t0 + 5);
  auto lasting = token("lasting", role::read, t0 + 60);
  BOOST_REQUIRE(small.check(brief, t0));
  BOOST_REQUIRE(small.check(lasting, t0));
  BOOST_REQUIRE(small.check(token("new", role::read, t0 + 60), t0 + 6));
  BOOST_TEST(small.cached() == 2u);
  BOOST_TEST(small.grants(lasting, "lasting", role::read, t0 + 6));
}

BOOST_AUTO_TEST_CASE(without_a_usable_secret_every_token_is_refused,
                     *tt::timeout(test_timeout)) {
  token_checks none{"ch"};
  BOOST_TEST(!none.enabled());
  auto res = none.check(token("alice", role::read, t0 + 60), t0);
  BOOST_REQUIRE(!res);
  BOOST_TEST(is(res.error(), ec::not_authorized));
  BOOST_TEST(mentions(res.error(), "no token secret is configured"));
  auto broken = token_checks{"ch"};
  auto problem = broken.load_secret("/nonexistent/sssn-secret");
  BOOST_TEST(!problem.empty());
  BOOST_TEST(broken.enabled());
  auto granted = broken.role_of(token("alice", role::read, t0 + 60), "alice",
                                "read from", t0);
  BOOST_REQUIRE(!granted);
  BOOST_TEST(mentions(granted.error(), "cannot check tokens: " + problem));
}

BOOST_AUTO_TEST_CASE(what_a_token_made_ends_with_it_unless_renewed,
                     *tt::timeout(test_timeout)) {
  caf::actor_addr holder; // invalid, but compared only
  checks.bind("alice", holder, claims_of("alice", t0 + 10), t0, at(0s));
  checks.bind("bob", holder, claims_of("bob", t0 + 20), t0, at(0s));
  BOOST_TEST(checks.bound() == 2u);
  BOOST_TEST((checks.next_expiry().value() == at(10s)));
  // A newer token of alice keeps hers until it expires; an older one not.
  checks.renew(claims_of("alice", t0 + 30), t0 + 5, at(5s));
  checks.renew(claims_of("alice", t0 + 15), t0 + 5, at(5s));
  BOOST_TEST((checks.next_expiry().value() == at(20s)));
  BOOST_TEST(checks.expire(t0 + 19).empty());
  auto ended = checks.expire(t0 + 20);
  BOOST_REQUIRE(ended.size() == 1u);
  BOOST_TEST(ended[0].first == "bob");
  ended = checks.expire(t0 + 30);
  BOOST_REQUIRE(ended.size() == 1u);
  BOOST_TEST(ended[0].first == "alice");
  BOOST_TEST(checks.bound() == 0u);
  BOOST_TEST(!checks.next_expiry());
  // Renewing what nothing holds binds nothing; unbinding ends the binding.
  checks.renew(claims_of("carol", t0 + 99), t0, at(0s));
  BOOST_TEST(checks.bound() == 0u);
  checks.bind("carol", holder, claims_of("carol", t0 + 99), t0, at(0s));
  checks.unbind("carol");
  BOOST_TEST(checks.bound() == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
