// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The client side of tokens (sssn/detail/token_proof.hpp): which token a
// process sends along with an operation, for which channel and subject, and
// that a channel's tokens are forgotten when it goes. Real actors on a
// threaded actor system (the clean-up runs when an actor terminates).

#include "timeout_scale.hpp"

#include <chrono>
#include <string>
#include <thread>

#include <boost/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/send.hpp>

#include "sssn/detail/token_proof.hpp"
#include "sssn/token.hpp"

using namespace sssn;
using namespace std::chrono_literals;

namespace tt = boost::unit_test;

namespace {

const unsigned test_timeout = sssn::test::scaled_timeout(60);

std::string token(const std::string& subject, int64_t ttl = 600) {
  token_claims c;
  c.subject = subject;
  c.channels = {"*"};
  c.granted = role::write;
  c.issued_at = unix_now();
  c.expires_at = c.issued_at + ttl;
  auto tok = issue_token(std::string(32, 'k'), c);
  BOOST_REQUIRE(tok);
  return *tok;
}

caf::behavior idle(caf::event_based_actor*) {
  return {[](int) {}};
}

struct fixture {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(token_proof_tests, fixture)

BOOST_AUTO_TEST_CASE(a_client_reads_whom_its_token_names,
                     *tt::timeout(test_timeout)) {
  auto tok = token("alice", 60);
  auto label = peek_token(tok);
  BOOST_REQUIRE(label);
  BOOST_TEST(label->subject == "alice");
  BOOST_TEST(label->expires_at > unix_now());
  BOOST_TEST(!peek_token(""));
  BOOST_TEST(!peek_token("no dots at all"));
  BOOST_TEST(!peek_token("a.bm90IGpzb24.c")); // "not json"
  BOOST_TEST(!peek_token("a.e30.c"));         // {}: no subject
}

BOOST_AUTO_TEST_CASE(a_token_goes_with_its_subject_on_its_channel_only,
                     *tt::timeout(test_timeout)) {
  auto a = sys.spawn(idle);
  auto b = sys.spawn(idle);
  BOOST_TEST(detail::prove(a, "alice") == "alice");
  auto tok = token("alice");
  BOOST_REQUIRE(detail::remember_token(caf::actor_cast<caf::strong_actor_ptr>(a),
                                       tok));
  BOOST_TEST(detail::remembered_tokens.load() == 1u);
  BOOST_TEST(detail::prove(a, "alice") == "alice" + std::string(1, '\0') + tok);
  BOOST_TEST(detail::prove(a, std::string{"alice"})
             == "alice" + std::string(1, '\0') + tok);
  BOOST_TEST(detail::prove(a, "bob") == "bob");
  BOOST_TEST(detail::prove(b, "alice") == "alice");
  // A newer token of the subject replaces the older one.
  auto newer = token("alice", 900);
  BOOST_REQUIRE(detail::remember_token(caf::actor_cast<caf::strong_actor_ptr>(a),
                                       newer));
  BOOST_TEST(detail::remembered_tokens.load() == 1u);
  BOOST_TEST(detail::prove(a, "alice") == "alice" + std::string(1, '\0') + newer);
  // What names no subject is not remembered.
  BOOST_TEST(!detail::remember_token(caf::actor_cast<caf::strong_actor_ptr>(b),
                                     "garbage"));
  BOOST_TEST(detail::remembered_tokens.load() == 1u);
  // When the channel goes, so do its tokens.
  caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  auto until = std::chrono::steady_clock::now() + 10s;
  while (detail::remembered_tokens.load() > 0
         && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(5ms);
  BOOST_TEST(detail::remembered_tokens.load() == 0u);
  caf::anon_send_exit(b, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_SUITE_END()
