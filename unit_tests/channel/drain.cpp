// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests drain (refuse writes, wait for claims, answer once) and stop.

#include <string>

#include "channel_fixture.hpp"

// -- drain and stop -----------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_drain, fixture)

BOOST_AUTO_TEST_CASE(drain_without_claims_finishes_at_once,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-drain-idle");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(static_cast<bool>(
    call<caf::unit_t>(ch.actor(), drain_atom::value, std::string{"admin"})));
  // As SSSN's stopped channel: writes are refused as not accepting (not
  // `channel_down`), and what it holds is still read.
  BOOST_TEST(!is_down(ch));
  auto r = write(ch, "w", data(1));
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::not_accepting_writes));
  BOOST_TEST(mentions(r.error(), "channel 'c-drain-idle'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "drained"));
  BOOST_TEST(is(error_of(write(ch, "w", message("m-late", "w"))),
                ec::not_accepting_writes));
  BOOST_TEST(read_ids(ch, "r", 10) == ids);
  BOOST_TEST(claim_ids(ch, "x", 1) == slice(ids, 0, 1));
  BOOST_TEST(stats(ch).stored == 3u);
  BOOST_TEST(!stats(ch).accepting);
  // Draining again answers at once.
  BOOST_TEST(static_cast<bool>(
    call<caf::unit_t>(ch.actor(), drain_atom::value, std::string{"admin"})));
  // `start` opens it again; `stop` ends it.
  BOOST_REQUIRE(call<caf::unit_t>(ch.actor(), start_atom::value));
  BOOST_TEST(static_cast<bool>(write(ch, "w", data(4))));
  BOOST_TEST(static_cast<bool>(
    call<caf::unit_t>(ch.actor(), stop_atom::value, std::string{"admin"})));
  BOOST_TEST(is_down(ch));
}

BOOST_AUTO_TEST_CASE(drain_answers_once_claims_are_acknowledged,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-drain");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(claim_ids(ch, "A", 2) == slice(ids, 0, 2));
  auto rh = self->request(ch.actor(), caf::infinite, drain_atom::value,
                          std::string{"admin"});
  run();
  BOOST_TEST(!has_answer());
  BOOST_TEST(!stats(ch).accepting);
  BOOST_TEST(is(error_of(write(ch, "w", data(1))), ec::not_accepting_writes));
  // In-flight work still finishes.
  BOOST_TEST(value_or(ack(ch, "A", {ids[0]}), 0) == 1u);
  BOOST_TEST(!has_answer());
  BOOST_TEST(value_or(ack(ch, "A", {ids[1]}), 0) == 1u);
  BOOST_REQUIRE(has_answer());
  bool drained = false;
  std::move(rh).receive([&] { drained = true; },
                        [&](caf::error& err) {
                          BOOST_FAIL("drain failed: " << error_message(err));
                        });
  BOOST_TEST(drained);
  BOOST_TEST(is_drained(ch));
}

BOOST_AUTO_TEST_CASE(drain_gives_up_on_a_claim_after_the_claim_expiry,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-drain-timeout");
  auto ids = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "A", 1) == ids);
  auto rh = self->request(ch.actor(), caf::infinite, drain_atom::value,
                          std::string{"admin"});
  run();
  advance(29s);
  BOOST_TEST(!has_answer());
  advance(2s);
  BOOST_REQUIRE(has_answer());
  bool drained = false;
  std::move(rh).receive([&] { drained = true; },
                        [&](caf::error& err) {
                          BOOST_FAIL("drain failed: " << error_message(err));
                        });
  BOOST_TEST(drained);
  BOOST_TEST(is_drained(ch));
}

BOOST_AUTO_TEST_CASE(drain_timeout_is_configurable,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-drain-5";
  cfg.drain_timeout = caf::timespan{5s};
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "A", 1) == ids);
  auto rh = self->request(ch.actor(), caf::infinite, drain_atom::value,
                          std::string{"admin"});
  run();
  advance(4s);
  BOOST_TEST(!has_answer());
  advance(2s);
  BOOST_REQUIRE(has_answer());
  bool drained = false;
  std::move(rh).receive([&] { drained = true; }, [&](caf::error&) {});
  BOOST_TEST(drained);
  BOOST_TEST(is_drained(ch));
}

BOOST_AUTO_TEST_CASE(a_pending_drain_is_answered_when_the_channel_stops,
                     *tt::timeout(test_timeout)) {
  // drain "answers once the channel has stopped": also when a stop, or the
  // last owning handle going away, ends the channel first.
  auto ch = make_channel("c-drain-stop");
  auto ids = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "A", 1) == ids);
  auto rh = self->request(ch.actor(), caf::infinite, drain_atom::value,
                          std::string{"admin"});
  run();
  BOOST_REQUIRE(!has_answer());
  auto stop = self->request(ch.actor(), caf::infinite, stop_atom::value,
                            std::string{"admin"});
  run();
  BOOST_REQUIRE(has_answer());
  std::move(stop).receive([] {},
                          [&](caf::error& err) {
                            BOOST_FAIL("stop failed: " << error_message(err));
                          });
  BOOST_TEST(is_down(ch));
  BOOST_REQUIRE_MESSAGE(has_answer(), "the drain request was never answered");
  std::move(rh).receive([] {}, [](caf::error&) {});
}

BOOST_AUTO_TEST_CASE(stop_ends_the_channel_now, *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-stop");
  auto ids = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "A", 1) == ids); // a stop does not wait for it
  BOOST_TEST(static_cast<bool>(
    call<caf::unit_t>(ch.actor(), stop_atom::value, std::string{"admin"})));
  BOOST_TEST(is_down(ch));
  auto r = read(ch, "r", 10);
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == caf::sec::request_receiver_down);
}

BOOST_AUTO_TEST_SUITE_END()
