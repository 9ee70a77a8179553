// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests the channel's push subscriptions and responder groups: write order,
// correlation prefix filters, dead subscribers and members, credit per
// member, credit tokens nobody can predict, and in-process sinks (the
// requester's reply path).

#include <cstdint>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include "channel_fixture.hpp"

namespace {

/// Records what a channel hands it, as `subscription::sink`.
struct recording_sink : sssn::detail::delivery_sink {
  id_list ids;

  void take(const channel_message& msg, caf::execution_unit*) override {
    ids.push_back(msg.id());
  }
};

} // namespace

// -- subscriptions and responder groups ---------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_subscribe, fixture)

BOOST_AUTO_TEST_CASE(subscribers_get_every_new_message_in_write_order,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-push");
  auto before = write_n(ch, "w", 1);
  auto log = std::make_shared<std::vector<delivery>>();
  BOOST_REQUIRE(subscribe(ch, "sys-1", spawn_recorder(log)));
  id_list ids;
  for (int i = 0; i < 5; ++i) {
    auto id = write(ch, "w", data(i));
    BOOST_REQUIRE(id);
    ids.push_back(*id);
    // When write returns, the subscriber has been sent the message.
    BOOST_REQUIRE(log->size() == ids.size());
  }
  BOOST_TEST(ids_of(*log) == ids); // old messages are not pushed
  for (auto& d : *log) {
    BOOST_TEST(d.channel_id == "c-push");
    BOOST_TEST(!d.claimed);
    BOOST_TEST(d.message.has_timestamp());
  }
  BOOST_TEST((log->at(3).message.content() == data(3)));
  auto st = stats(ch);
  BOOST_TEST(st.subscribers == 1u);
  BOOST_TEST(st.pushes == 5u);
  // A direct write's reply channel travels with the delivery.
  auto replies = make_channel("c-push-replies");
  write_options opts;
  opts.reply_channel = replies.actor();
  auto req = channel_message::builder{}
               .id("req")
               .sender_id("w")
               .reply_to("c-push-replies")
               .build();
  BOOST_REQUIRE(write(ch, "w", req, opts));
  BOOST_REQUIRE(log->size() == 6u);
  BOOST_TEST(log->back().message.reply_to().value_or("") == "c-push-replies");
  BOOST_TEST((log->back().reply_channel == replies.actor()));
}

BOOST_AUTO_TEST_CASE(a_correlation_prefix_filter_selects_messages,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-filter");
  auto mine = std::make_shared<std::vector<delivery>>();
  auto all = std::make_shared<std::vector<delivery>>();
  subscription opts;
  opts.correlation_prefix = "req-1/";
  BOOST_REQUIRE(subscribe(ch, "requester-1", spawn_recorder(mine), opts));
  BOOST_REQUIRE(subscribe(ch, "watcher", spawn_recorder(all)));
  BOOST_REQUIRE(write(ch, "w", correlated("a", "req-1/a")));
  BOOST_REQUIRE(write(ch, "w", correlated("b", "req-2/b")));
  BOOST_REQUIRE(write(ch, "w", message("c", "w")));
  BOOST_REQUIRE(write(ch, "w", correlated("d", "req-1/")));
  BOOST_REQUIRE(write(ch, "w", correlated("e", "req-")));
  BOOST_REQUIRE(write(ch, "w", correlated("f", "req-1/zzz")));
  BOOST_TEST(ids_of(*mine) == (id_list{"a", "d", "f"}));
  BOOST_TEST(ids_of(*all) == (id_list{"a", "b", "c", "d", "e", "f"}));
}

BOOST_AUTO_TEST_CASE(unsubscribe_stops_pushes, *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-unsub");
  auto log = std::make_shared<std::vector<delivery>>();
  auto rec = spawn_recorder(log);
  BOOST_REQUIRE(subscribe(ch, "sys-1", rec));
  auto first = write_n(ch, "w", 1);
  BOOST_REQUIRE(unsubscribe(ch, "sys-1"));
  BOOST_TEST(stats(ch).subscribers == 0u);
  write_n(ch, "w", 2);
  BOOST_TEST(ids_of(*log) == first);
  // Subscribing again resumes with new messages only.
  BOOST_REQUIRE(subscribe(ch, "sys-1", rec));
  auto third = write_n(ch, "w", 1);
  BOOST_TEST(log->size() == 2u);
  BOOST_TEST(log->back().message.id() == third.front());
}

BOOST_AUTO_TEST_CASE(a_dead_subscriber_is_dropped_and_others_keep_getting,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-dead");
  std::vector<delivery_log> logs;
  std::vector<subscriber_actor> recs;
  for (int i = 0; i < 3; ++i) {
    logs.push_back(std::make_shared<std::vector<delivery>>());
    recs.push_back(spawn_recorder(logs.back()));
    BOOST_REQUIRE(subscribe(ch, "sys-" + std::to_string(i), recs.back()));
  }
  auto first = write_n(ch, "w", 1);
  caf::anon_send_exit(recs[1], caf::exit_reason::kill);
  run();
  BOOST_TEST(stats(ch).subscribers == 2u);
  auto more = write_n(ch, "w", 3);
  auto expected = first;
  expected.insert(expected.end(), more.begin(), more.end());
  BOOST_TEST(ids_of(*logs[0]) == expected);
  BOOST_TEST(ids_of(*logs[1]) == first);
  BOOST_TEST(ids_of(*logs[2]) == expected);
}

BOOST_AUTO_TEST_CASE(require_responders_needs_a_subscriber_or_member,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-resp");
  write_options opts;
  opts.require_responders = true;
  // A polling reader does not count as a responder.
  BOOST_TEST(read_ids(ch, "poller", 10).empty());
  auto req = channel_message::builder{}
               .id("req-1")
               .sender_id("client")
               .correlation_id("corr-1")
               .build();
  auto r = write(ch, "client", req, opts);
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::no_responders));
  BOOST_TEST(mentions(r.error(), "channel 'c-resp'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "'corr-1'"));
  BOOST_TEST(mentions(r.error(), "'client'"));
  BOOST_TEST(stats(ch).stored == 0u);
  // A plain subscriber counts.
  auto log = std::make_shared<std::vector<delivery>>();
  auto group_log = std::make_shared<std::vector<delivery>>();
  BOOST_REQUIRE(subscribe(ch, "server", spawn_recorder(log)));
  BOOST_TEST(value_or(write(ch, "client", req, opts), "") == "req-1");
  BOOST_REQUIRE(unsubscribe(ch, "server"));
  auto again = write(ch, "client", message("req-2", "client"), opts);
  BOOST_REQUIRE(!again);
  BOOST_TEST(is(again.error(), ec::no_responders));
  // So does a group member.
  subscription member;
  member.group = "servers";
  BOOST_REQUIRE(subscribe(ch, "worker", spawn_recorder(group_log), member));
  BOOST_TEST(value_or(write(ch, "client", message("req-3", "client"), opts), "")
             == "req-3");
  BOOST_TEST(ids_of(*log) == id_list{"req-1"});
  BOOST_REQUIRE(!group_log->empty());
  BOOST_TEST(group_log->back().message.id() == "req-3");
  BOOST_TEST(stats(ch).stored == 2u); // the refused req-2 was not stored
}

BOOST_AUTO_TEST_CASE(a_responder_group_gives_each_message_to_one_member,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-group");
  std::map<std::string, delivery_log> logs;
  subscription member;
  member.group = "workers";
  for (auto name : {"m1", "m2", "m3"}) {
    logs[name] = std::make_shared<std::vector<delivery>>();
    BOOST_REQUIRE(subscribe(ch, name, spawn_recorder(logs[name]), member));
  }
  auto watcher = std::make_shared<std::vector<delivery>>();
  BOOST_REQUIRE(subscribe(ch, "watcher", spawn_recorder(watcher)));
  auto ids = write_n(ch, "w", 9);
  std::multiset<std::string> delivered;
  for (auto& [name, log] : logs) {
    BOOST_TEST(log->size() == 3u, name); // round robin
    for (auto& d : *log) {
      BOOST_TEST(d.claimed);
      BOOST_TEST(d.channel_id == "c-group");
      delivered.insert(d.message.id());
    }
  }
  BOOST_TEST(delivered.size() == 9u);
  for (auto& id : ids)
    BOOST_TEST(delivered.count(id) == 1u, id);
  // A plain subscriber beside the group still gets everything, unclaimed.
  BOOST_TEST(ids_of(*watcher) == ids);
  BOOST_TEST(!watcher->front().claimed);
  auto st = stats(ch);
  BOOST_TEST(st.group_members == 3u);
  BOOST_TEST(st.subscribers == 1u);
  BOOST_TEST(st.claimed == 9u);
  // Group deliveries are claims: exclusive and shared readers do not see
  // them, and members acknowledge by their system id.
  BOOST_TEST(claim_ids(ch, "x", 10).empty());
  BOOST_TEST(read_ids(ch, "r", 10).empty());
  for (auto& [name, log] : logs)
    BOOST_TEST(value_or(ack(ch, name, ids_of(*log)), 0) == 3u, name);
  BOOST_TEST(stats(ch).claimed == 0u);
}

BOOST_AUTO_TEST_CASE(a_dead_member_releases_its_claims_to_the_others,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-group-death");
  std::map<std::string, delivery_log> logs;
  std::map<std::string, subscriber_actor> recs;
  subscription member;
  member.group = "workers";
  for (auto name : {"m1", "m2", "m3"}) {
    logs[name] = std::make_shared<std::vector<delivery>>();
    recs[name] = spawn_recorder(logs[name]);
    BOOST_REQUIRE(subscribe(ch, name, recs[name], member));
  }
  auto ids = write_n(ch, "w", 6);
  auto lost = ids_of(*logs["m1"]);
  BOOST_REQUIRE(lost.size() == 2u);
  // m1 dies before acknowledging.
  caf::anon_send_exit(recs["m1"], caf::exit_reason::kill);
  run();
  auto st = stats(ch);
  BOOST_TEST(st.group_members == 2u);
  BOOST_TEST(st.claimed == 6u);
  std::multiset<std::string> survivors;
  for (auto name : {"m2", "m3"})
    for (auto& d : *logs[name])
      survivors.insert(d.message.id());
  BOOST_TEST(survivors.size() == 6u);
  for (auto& id : ids)
    BOOST_TEST(survivors.count(id) == 1u, id);
  for (auto name : {"m2", "m3"})
    BOOST_TEST(value_or(ack(ch, name, ids_of(*logs[name])), 0)
                 == logs[name]->size(),
               name);
  BOOST_TEST(stats(ch).claimed == 0u);
}

BOOST_AUTO_TEST_CASE(unsubscribing_a_member_releases_its_claims,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-group-leave");
  auto l1 = std::make_shared<std::vector<delivery>>();
  auto l2 = std::make_shared<std::vector<delivery>>();
  subscription member;
  member.group = "workers";
  member.credit = 1;
  BOOST_REQUIRE(subscribe(ch, "m1", spawn_recorder(l1), member));
  BOOST_REQUIRE(subscribe(ch, "m2", spawn_recorder(l2), member));
  auto ids = write_n(ch, "w", 2);
  BOOST_REQUIRE(l1->size() == 1u);
  BOOST_REQUIRE(l2->size() == 1u);
  auto m1_had = l1->front().message.id();
  BOOST_REQUIRE(unsubscribe(ch, "m1"));
  BOOST_TEST(stats(ch).group_members == 1u);
  // m2 has no credit left until it acknowledges; then it gets m1's message.
  BOOST_TEST(l2->size() == 1u);
  BOOST_TEST(value_or(ack(ch, "m2", {l2->front().message.id()}), 0) == 1u);
  BOOST_REQUIRE(l2->size() == 2u);
  BOOST_TEST(l2->back().message.id() == m1_had);
}

BOOST_AUTO_TEST_CASE(one_group_per_channel, *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-groups");
  auto log = std::make_shared<std::vector<delivery>>();
  subscription g1;
  g1.group = "g1";
  subscription g2;
  g2.group = "g2";
  BOOST_REQUIRE(subscribe(ch, "a", spawn_recorder(log), g1));
  auto r = subscribe(ch, "other", spawn_recorder(log), g2);
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::invalid_argument));
  BOOST_TEST(mentions(r.error(), "channel 'c-groups'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "'other'"));
  BOOST_TEST(mentions(r.error(), "'g2'"));
  BOOST_TEST(mentions(r.error(), "'g1'"));
  BOOST_TEST(stats(ch).group_members == 1u);
  // Once the group is empty, another may form.
  BOOST_REQUIRE(unsubscribe(ch, "a"));
  BOOST_TEST(
    static_cast<bool>(subscribe(ch, "other", spawn_recorder(log), g2)));
  // Credit must be positive.
  subscription none = g2;
  none.credit = 0;
  auto zero = subscribe(ch, "z", spawn_recorder(log), none);
  BOOST_REQUIRE(!zero);
  BOOST_TEST(is(zero.error(), ec::invalid_argument));
  BOOST_TEST(mentions(zero.error(), "'z'"));
}

BOOST_AUTO_TEST_CASE(subscriptions_need_a_handle_and_sane_options,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-sub-args");
  auto r = subscribe(ch, "nobody", subscriber_actor{});
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::invalid_argument));
  BOOST_TEST(mentions(r.error(), "'nobody'"), error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "channel 'c-sub-args'"));
  auto log = std::make_shared<std::vector<delivery>>();
  subscription both;
  both.group = "workers";
  both.correlation_prefix = "req-";
  auto f = subscribe(ch, "picky", spawn_recorder(log), both);
  BOOST_REQUIRE(!f);
  BOOST_TEST(is(f.error(), ec::invalid_argument));
  BOOST_TEST(mentions(f.error(), "'picky'"), error_message(error_of(f)));
  auto st = stats(ch);
  BOOST_TEST(st.subscribers == 0u);
  BOOST_TEST(st.group_members == 0u);
}

BOOST_AUTO_TEST_CASE(credit_bounds_unacknowledged_messages_per_member,
                     *tt::timeout(test_timeout)) {
  // Keeps history, so that the count below includes the message
  // acknowledged (a channel without history drops it at once).
  channel_config cfg;
  cfg.id = "c-credit";
  cfg.keep_history = true;
  auto ch = make_channel(cfg);
  auto log = std::make_shared<std::vector<delivery>>();
  subscription member;
  member.group = "workers";
  member.credit = 2;
  BOOST_REQUIRE(subscribe(ch, "m", spawn_recorder(log), member));
  auto ids = write_n(ch, "w", 5);
  BOOST_TEST(ids_of(*log) == slice(ids, 0, 2));
  BOOST_TEST(stats(ch).claimed == 2u);
  // The other three wait in the channel; each acknowledgement frees one
  // credit.
  BOOST_TEST(value_or(ack(ch, "m", {ids[0]}), 0) == 1u);
  BOOST_TEST(ids_of(*log) == slice(ids, 0, 3));
  BOOST_TEST(value_or(nack(ch, "m", {ids[1]}), 0) == 1u);
  // A nack frees a credit too; the released message is the oldest waiting
  // one, so it goes out again first.
  BOOST_REQUIRE(log->size() == 4u);
  BOOST_TEST(log->back().message.id() == ids[1]);
  BOOST_TEST(stats(ch).claimed == 2u);
  BOOST_TEST(stats(ch).stored == 5u);
}

BOOST_AUTO_TEST_CASE(unauthorized_subscribe_is_refused,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel(acl_config("c-sub-acl"));
  auto log = std::make_shared<std::vector<delivery>>();
  auto r = subscribe(ch, "mallory", spawn_recorder(log));
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::not_authorized));
  BOOST_TEST(mentions(r.error(), "'mallory'"), error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "channel 'c-sub-acl'"));
  BOOST_TEST(static_cast<bool>(subscribe(ch, "reader", spawn_recorder(log))));
  BOOST_REQUIRE(write(ch, "writer", data(1)));
  BOOST_TEST(log->size() == 1u);
  BOOST_TEST(stats(ch).subscribers == 1u);
}


/// Undoes std::mt19937_64's output tempering.
uint64_t untemper(uint64_t y) {
  y ^= y >> 43;
  y ^= (y << 37) & 0xFFF7EEE000000000ull;
  auto x = y;
  for (int i = 0; i < 4; ++i)
    x = y ^ ((x << 17) & 0x71D67FFFEDA60000ull);
  y = x;
  for (int i = 0; i < 3; ++i)
    x = y ^ ((x >> 29) & 0x5555555555555555ull);
  return x;
}

BOOST_AUTO_TEST_CASE(credit_tokens_cannot_be_predicted_from_earlier_ones,
                     *tt::timeout(test_timeout)) {
  // Credit tokens came from a std::mt19937_64: 312 of them give its whole
  // state, and with it every later token. They come from a CSPRNG now.
  auto ch = make_channel("c-tokens");
  constexpr size_t n = 313;
  std::vector<delivery_log> logs;
  for (size_t i = 0; i < n; ++i) {
    logs.push_back(std::make_shared<std::vector<delivery>>());
    BOOST_REQUIRE(subscribe(ch, "s-" + std::to_string(i),
                            spawn_recorder(logs.back())));
  }
  write_n(ch, "w", 1);
  std::vector<uint64_t> tokens;
  for (auto& log : logs) {
    BOOST_REQUIRE_EQUAL(log->size(), 1u);
    tokens.push_back(log->front().credit_token);
  }
  std::stringstream state;
  for (size_t i = 0; i + 1 < n; ++i)
    state << untemper(tokens[i]) << ' ';
  state << 312;
  std::mt19937_64 clone;
  state >> clone;
  BOOST_REQUIRE(!state.fail());
  BOOST_TEST(clone() != tokens.back());
  BOOST_TEST(std::set<uint64_t>(tokens.begin(), tokens.end()).size() == n);
}

// -- sinks ---------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(a_sink_takes_its_messages_at_once_and_needs_no_credit,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-sink";
  cfg.subscriber_credit = 2;
  auto ch = make_channel(cfg);
  auto sink = std::make_shared<recording_sink>();
  auto log = std::make_shared<std::vector<delivery>>();
  subscription sub;
  sub.correlation_prefix = "mine.";
  sub.consume = true;
  sub.sink = sink;
  BOOST_REQUIRE(subscribe(ch, "requester", spawn_recorder(log), sub));
  id_list ids;
  for (int i = 0; i < 5; ++i) {
    auto id = "r" + std::to_string(i);
    BOOST_REQUIRE(write(ch, "w", correlated(id, "mine." + std::to_string(i))));
    ids.push_back(id);
    // Handed over inside the write, before it returned.
    BOOST_REQUIRE_EQUAL(sink->ids.size(), ids.size());
  }
  BOOST_REQUIRE(write(ch, "w", correlated("other", "theirs.1")));
  // Five messages against a window of two: none waits for credit, nothing
  // is in flight, and the subscriber's actor got no push message.
  BOOST_TEST(sink->ids == ids);
  BOOST_TEST(log->empty());
  auto st = stats(ch);
  BOOST_TEST(st.pushes == 5u);
  BOOST_TEST(st.in_flight == 0u);
  BOOST_TEST(st.waiting == 0u);
  // Consumed as if pushed: without history, only the other message stays.
  BOOST_TEST(st.dropped_delivered == 5u);
  BOOST_TEST(st.stored == 1u);
  // Unsubscribed, it is handed nothing more.
  BOOST_REQUIRE(unsubscribe(ch, "requester"));
  BOOST_REQUIRE(write(ch, "w", correlated("late", "mine.9")));
  BOOST_TEST(sink->ids == ids);
}

BOOST_AUTO_TEST_CASE(a_sink_is_not_part_of_the_wire_form,
                     *tt::timeout(test_timeout)) {
  subscription sub;
  sub.correlation_prefix = "p.";
  sub.consume = true;
  sub.batch = true;
  sub.sink = std::make_shared<recording_sink>();
  std::vector<char> buf;
  caf::binary_serializer out{sys, buf};
  BOOST_REQUIRE(!out(sub));
  subscription decoded;
  caf::binary_deserializer in{sys, buf};
  BOOST_REQUIRE(!in(decoded));
  // What a peer's subscription can carry: neither a sink nor batches.
  BOOST_TEST(decoded.correlation_prefix == "p.");
  BOOST_TEST(decoded.consume);
  BOOST_TEST(!decoded.batch);
  BOOST_TEST(decoded.sink == nullptr);
}

BOOST_AUTO_TEST_SUITE_END()
