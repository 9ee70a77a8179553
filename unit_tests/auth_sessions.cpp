// The channel's token sessions (src/detail/channel/auth_sessions.hpp): what
// a token opens, for whom and until when; what a session grants; how it
// expires; the table's bound; and the refusals when tokens cannot be
// checked. Pure: no actor system; node ids and time points are made up.

#include "time_points.hpp"
#include "timeout_scale.hpp"

#include <chrono>
#include <string>

#include <boost/test/unit_test.hpp>

#include <caf/node_id.hpp>

#include "detail/channel/auth_sessions.hpp"
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

caf::node_id node(uint32_t n) {
  return caf::make_node_id(n, caf::node_id::default_data::host_id_type{});
}

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

struct fixture {
  auth_sessions sessions{"ch", 3};

  fixture() {
    sessions.use_secret(secret);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(auth_sessions_tests, fixture)

BOOST_AUTO_TEST_CASE(a_token_opens_a_session_for_its_subject_and_peer,
                     *tt::timeout(test_timeout)) {
  BOOST_TEST(sessions.enabled());
  auto res = sessions.authenticate(node(1), token("alice", role::write,
                                                  t0 + 60),
                                   t0, at(100s));
  BOOST_REQUIRE_MESSAGE(!res.refused, error_message(res.refused));
  BOOST_TEST((res.expires == at(160s)));
  BOOST_TEST(res.ended.empty());
  BOOST_TEST(sessions.size() == 1u);
  BOOST_TEST((sessions.next_expiry().value() == at(160s)));
  auto granted = sessions.role_of({node(1), "alice"}, "write to", t0 + 1);
  BOOST_REQUIRE(granted);
  BOOST_TEST((*granted == role::write));
  BOOST_TEST(sessions.grants({node(1), "alice"}, role::read, t0 + 1));
  BOOST_TEST(sessions.grants({node(1), "alice"}, role::write, t0 + 1));
  BOOST_TEST(!sessions.grants({node(1), "alice"}, role::admin, t0 + 1));
  // Not for another subject, nor from another peer.
  BOOST_TEST(!sessions.grants({node(1), "bob"}, role::read, t0 + 1));
  BOOST_TEST(!sessions.grants({node(2), "alice"}, role::read, t0 + 1));
  auto other = sessions.role_of({node(2), "alice"}, "write to", t0 + 1);
  BOOST_REQUIRE(!other);
  BOOST_TEST(is(other.error(), ec::not_authorized));
  BOOST_TEST(mentions(other.error(), "'alice' presented no token to channel "
                                     "'ch' from this peer; it may not write "
                                     "to it"));
}

BOOST_AUTO_TEST_CASE(a_new_token_renews_the_session,
                     *tt::timeout(test_timeout)) {
  sessions.authenticate(node(1), token("alice", role::admin, t0 + 10), t0,
                        at(0s));
  auto res = sessions.authenticate(node(1), token("alice", role::read,
                                                  t0 + 100),
                                   t0 + 5, at(5s));
  BOOST_REQUIRE(!res.refused);
  BOOST_TEST(sessions.size() == 1u);
  BOOST_TEST((res.expires == at(100s)));
  BOOST_TEST(!sessions.grants({node(1), "alice"}, role::admin, t0 + 20));
  BOOST_TEST(sessions.grants({node(1), "alice"}, role::read, t0 + 20));
}

BOOST_AUTO_TEST_CASE(a_session_ends_when_its_token_expires,
                     *tt::timeout(test_timeout)) {
  sessions.authenticate(node(1), token("alice", role::read, t0 + 10), t0,
                        at(0s));
  sessions.authenticate(node(2), token("bob", role::read, t0 + 20), t0,
                        at(0s));
  BOOST_TEST((sessions.next_expiry().value() == at(10s)));
  BOOST_TEST(sessions.expire(t0 + 9).empty());
  BOOST_TEST(!sessions.grants({node(1), "alice"}, role::read, t0 + 10));
  auto ended = sessions.expire(t0 + 10);
  BOOST_REQUIRE(ended.size() == 1u);
  BOOST_TEST(ended[0].subject == "alice");
  BOOST_TEST((ended[0].peer == node(1)));
  BOOST_TEST(sessions.size() == 1u);
  BOOST_TEST((sessions.next_expiry().value() == at(20s)));
  // Asked for its role after expiry, a session ends at once.
  auto res = sessions.role_of({node(2), "bob"}, "read from", t0 + 20);
  BOOST_REQUIRE(!res);
  BOOST_TEST(mentions(res.error(),
                      "the token of 'bob' on channel 'ch' has expired"));
  BOOST_TEST(sessions.empty());
  BOOST_TEST(!sessions.next_expiry());
}

BOOST_AUTO_TEST_CASE(bad_tokens_open_nothing, *tt::timeout(test_timeout)) {
  auto forged = sessions.authenticate(
    node(1), token("eve", role::admin, t0 + 60, "ch", std::string(32, 'x')), t0,
    at(0s));
  BOOST_TEST(is(forged.refused, ec::not_authorized));
  BOOST_TEST(mentions(forged.refused, "(on channel 'ch')"));
  auto expired = sessions.authenticate(node(1),
                                       token("eve", role::admin, t0 - 1), t0,
                                       at(0s));
  BOOST_TEST(is(expired.refused, ec::not_authorized));
  auto elsewhere = sessions.authenticate(
    node(1), token("eve", role::admin, t0 + 60, "other"), t0, at(0s));
  BOOST_TEST(is(elsewhere.refused, ec::not_authorized));
  BOOST_TEST(mentions(elsewhere.refused,
                      "the token of 'eve' does not name channel 'ch'"));
  auto anonymous = sessions.authenticate(caf::node_id{},
                                         token("eve", role::read, t0 + 60), t0,
                                         at(0s));
  BOOST_TEST(mentions(anonymous.refused,
                      "an anonymous message cannot authenticate"));
  BOOST_TEST(sessions.empty());
  auto res = sessions.role_of({caf::node_id{}, "eve"}, "read from", t0);
  BOOST_REQUIRE(!res);
  BOOST_TEST(mentions(res.error(), "an anonymous message may not read from "
                                   "channel 'ch' (tokens are required)"));
}

BOOST_AUTO_TEST_CASE(without_a_usable_secret_every_token_is_refused,
                     *tt::timeout(test_timeout)) {
  auth_sessions none{"ch"};
  BOOST_TEST(!none.enabled());
  auto res = none.authenticate(node(1), token("alice", role::read, t0 + 60),
                               t0, at(0s));
  BOOST_TEST(is(res.refused, ec::not_authorized));
  BOOST_TEST(mentions(res.refused, "no token secret is configured"));
  auto broken = auth_sessions{"ch"};
  auto problem = broken.load_secret("/nonexistent/sssn-secret");
  BOOST_TEST(!problem.empty());
  BOOST_TEST(broken.enabled());
  auto granted = broken.role_of({node(1), "alice"}, "read from", t0);
  BOOST_REQUIRE(!granted);
  BOOST_TEST(mentions(granted.error(), "cannot check tokens: " + problem));
}

BOOST_AUTO_TEST_CASE(a_full_table_makes_room_from_expired_sessions_only,
                     *tt::timeout(test_timeout)) {
  sessions.authenticate(node(1), token("a", role::read, t0 + 10), t0, at(0s));
  sessions.authenticate(node(1), token("b", role::read, t0 + 60), t0, at(0s));
  sessions.authenticate(node(2), token("a", role::read, t0 + 60), t0, at(0s));
  BOOST_TEST(sessions.size() == 3u);
  // Full, and nothing has expired: refused as overload.
  auto res = sessions.authenticate(node(3), token("c", role::read, t0 + 60),
                                   t0 + 5, at(5s));
  BOOST_TEST(is(res.refused, ec::overloaded));
  BOOST_TEST(res.ended.empty());
  // Renewing an open session needs no room.
  res = sessions.authenticate(node(1), token("b", role::read, t0 + 90),
                              t0 + 5, at(5s));
  BOOST_TEST(!res.refused);
  // Once one has expired, it makes room, and the caller hears which.
  res = sessions.authenticate(node(3), token("c", role::read, t0 + 60),
                              t0 + 10, at(10s));
  BOOST_REQUIRE_MESSAGE(!res.refused, error_message(res.refused));
  BOOST_REQUIRE(res.ended.size() == 1u);
  BOOST_TEST(res.ended[0].subject == "a");
  BOOST_TEST((res.ended[0].peer == node(1)));
  BOOST_TEST(sessions.size() == 3u);
  BOOST_TEST(sessions.grants({node(3), "c"}, role::read, t0 + 10));
}

BOOST_AUTO_TEST_CASE(one_token_from_many_peers_cannot_fill_the_table,
                     *tt::timeout(test_timeout)) {
  // The default bounds: 10,000 sessions, 16 per subject.
  auth_sessions big{"ch"};
  big.use_secret(secret);
  auto tok = token("mallory", role::read, t0 + 600);
  // One read token, presented from 10,000 made-up peers.
  for (uint32_t n = 1; n <= 10'000; ++n) {
    auto res = big.authenticate(node(n), tok, t0, at(0s));
    BOOST_REQUIRE_MESSAGE(!res.refused, error_message(res.refused));
    // From the 17th on, each new one ends mallory's own oldest session.
    if (n > auth_sessions::default_max_per_subject) {
      BOOST_REQUIRE(res.ended.size() == 1u);
      BOOST_REQUIRE(res.ended[0].subject == "mallory");
      BOOST_REQUIRE((res.ended[0].peer
                     == node(n - auth_sessions::default_max_per_subject)));
    }
  }
  BOOST_TEST(big.size() == auth_sessions::default_max_per_subject);
  BOOST_TEST(big.count("mallory") == auth_sessions::default_max_per_subject);
  // The newest sessions hold, the oldest are gone.
  BOOST_TEST(big.grants({node(10'000), "mallory"}, role::read, t0));
  BOOST_TEST(!big.grants({node(1), "mallory"}, role::read, t0));
  // Everyone else still gets in.
  for (uint32_t n = 1; n <= 100; ++n) {
    auto res = big.authenticate(node(n),
                                token("client-" + std::to_string(n),
                                      role::write, t0 + 600),
                                t0, at(0s));
    BOOST_REQUIRE_MESSAGE(!res.refused, error_message(res.refused));
    BOOST_TEST(res.ended.empty());
  }
  BOOST_TEST(big.size() == auth_sessions::default_max_per_subject + 100);
}

BOOST_AUTO_TEST_CASE(renewing_keeps_a_subjects_place_and_expiry_frees_it,
                     *tt::timeout(test_timeout)) {
  auth_sessions two{"ch", 100, 2};
  two.use_secret(secret);
  auto tok = token("a", role::read, t0 + 60);
  two.authenticate(node(1), tok, t0, at(0s));
  two.authenticate(node(2), tok, t0, at(0s));
  // Renewing from a peer that has a session ends nothing.
  auto res = two.authenticate(node(1), tok, t0, at(0s));
  BOOST_TEST(res.ended.empty());
  BOOST_TEST(two.count("a") == 2u);
  // A third peer ends the oldest (node 1).
  res = two.authenticate(node(3), tok, t0, at(0s));
  BOOST_REQUIRE(res.ended.size() == 1u);
  BOOST_TEST((res.ended[0].peer == node(1)));
  BOOST_TEST(two.grants({node(2), "a"}, role::read, t0));
  BOOST_TEST(two.grants({node(3), "a"}, role::read, t0));
  // Sessions that expire leave the subject's count too.
  BOOST_TEST(two.expire(t0 + 60).size() == 2u);
  BOOST_TEST(two.count("a") == 0u);
  res = two.authenticate(node(4), token("a", role::read, t0 + 120), t0 + 61,
                         at(61s));
  BOOST_TEST(!res.refused);
  BOOST_TEST(res.ended.empty());
  BOOST_TEST(two.count("a") == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
