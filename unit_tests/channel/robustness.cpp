// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests that a channel survives what a peer may send it: exit messages,
// unexpected messages, a release with a wrong secret, messages of another
// wire version and content that does not decode.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/exit_reason.hpp>
#include <caf/send.hpp>

#include "channel_fixture.hpp"

// -- robustness ---------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_robustness, fixture)

BOOST_AUTO_TEST_CASE(an_exit_message_does_not_stop_the_channel,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-exit");
  auto ids = write_n(ch, "w", 1);
  self->send_exit(ch.actor(), caf::exit_reason::user_shutdown);
  run();
  BOOST_TEST(!is_down(ch));
  BOOST_TEST(stats(ch).refused == 1u);
  auto more = write_n(ch, "w", 1);
  BOOST_TEST(read_ids(ch, "r", 10) == (id_list{ids[0], more[0]}));
}

BOOST_AUTO_TEST_CASE(a_kill_stops_a_channel_only_while_no_peer_can_reach_it,
                     *tt::timeout(test_timeout)) {
  // Not in CAF's registry: no peer can address it, so a kill from this
  // process is one (tests use it to stand for a crash).
  auto crashed = make_channel("c-crash");
  caf::anon_send_exit(crashed.actor(), caf::exit_reason::kill);
  run();
  BOOST_TEST(is_down(crashed));
  // Registered (as CAF does once a handle has gone to another node): a
  // peer could forge a local sender, so every kill is dropped and counted.
  auto reachable = make_channel("c-reachable");
  sys.registry().put(reachable.actor().id(), reachable.actor());
  auto ignored = sssn::refusals().ignored_exits;
  caf::anon_send_exit(reachable.actor(), caf::exit_reason::kill);
  self->send_exit(reachable.actor(), caf::exit_reason::kill);
  run();
  BOOST_TEST(!is_down(reachable));
  BOOST_TEST(sssn::refusals().ignored_exits == ignored + 2);
  auto ids = write_n(reachable, "w", 1);
  BOOST_TEST(read_ids(reachable, "r", 10) == ids);
  sys.registry().erase(reachable.actor().id());
}

BOOST_AUTO_TEST_CASE(an_unexpected_message_is_answered_with_an_error,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-junk");
  auto dyn = caf::actor_cast<caf::actor>(ch.actor());
  auto r = call<caf::unit_t>(dyn, std::string{"hello"});
  BOOST_REQUIRE(!r);
  BOOST_TEST(r.error() == caf::sec::unexpected_message);
  BOOST_TEST(mentions(r.error(), "channel 'c-junk'"),
             error_message(error_of(r)));
  BOOST_TEST(stats(ch).refused == 1u);
  auto ids = write_n(ch, "w", 1);
  BOOST_TEST(read_ids(ch, "r", 10) == ids);
}

BOOST_AUTO_TEST_CASE(a_release_with_a_wrong_secret_is_refused,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-forged");
  caf::anon_send(caf::actor_cast<caf::actor>(ch.actor()), release_atom::value,
                 uint64_t{1}, uint64_t{2});
  run();
  BOOST_TEST(!is_down(ch));
  BOOST_TEST(stats(ch).refused == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

// -- messages from peers of another wire version ----------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_wire_version, sssn::test::deterministic_fixture)

BOOST_AUTO_TEST_CASE(a_message_of_another_wire_version_is_refused) {
  using namespace sssn;
  auto ch = make_channel("c-version");
  auto msg = channel_message::builder{}
               .id("m-1")
               .sender_id("peer")
               .content(json{{"x", 1}})
               .build();
  std::vector<char> bytes;
  BOOST_REQUIRE(!msg.encode(bytes));
  bytes[0] = static_cast<char>(wire_version + 1); // what a newer peer sends
  auto foreign = channel_message::decode(bytes.data(), bytes.size());
  auto res = call<std::string>(ch.actor(), write_atom::value,
                               std::string{"peer"}, foreign, write_options{});
  BOOST_REQUIRE(!res);
  BOOST_TEST(is(res.error(), ec::incompatible_version));
  auto text = error_message(res.error());
  BOOST_TEST(text.find("c-version") != std::string::npos, text);
  BOOST_TEST(text.find("version") != std::string::npos, text);
  auto st = call<channel_stats>(ch.actor(), stats_atom::value);
  BOOST_REQUIRE(st);
  BOOST_TEST(st->stored == 0u);
  BOOST_TEST(st->refused == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(channel_wire_content, sssn::test::deterministic_fixture)

BOOST_AUTO_TEST_CASE(malformed_content_from_a_peer_is_refused) {
  using namespace sssn;
  auto ch = make_channel("c-malformed");
  // What arrives when a peer sends bytes that do not decode as content.
  const char junk[] = {1, 9, 9, 9};
  auto data = detail::decode_content(junk, sizeof(junk));
  BOOST_REQUIRE(data.is_error());
  auto res = call<std::string>(ch.actor(), write_atom::value,
                               std::string{"peer"}, data);
  BOOST_REQUIRE(!res);
  BOOST_TEST(is(res.error(), ec::invalid_content));
  BOOST_TEST(error_message(res.error()).find("c-malformed")
             != std::string::npos);
  auto st = call<channel_stats>(ch.actor(), stats_atom::value);
  BOOST_TEST(st->stored == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
