// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests the channel's batches (`subscription::batch`): one message at a time
// is pushed at once, alone; deliveries that queue up go to a subscriber that
// takes batches in one message, in write order within and across batches;
// credit is granted and returned per batch; a batch of requests split by a
// dying group member goes on to the others; a batch write stores each
// message and refuses only the bad ones; and a responder answers a batch
// with its replies in one batch.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "channel_fixture.hpp"

#include "sssn/responder.hpp"

namespace {

/// What a subscriber that takes batches receives: one list per message (a
/// lone delivery is a list of one).
using batch_list = std::vector<std::vector<delivery>>;
using batch_log = std::shared_ptr<batch_list>;

using batch_recorder_actor
  = caf::typed_actor<caf::reacts_to<push_atom, delivery>,
                     caf::reacts_to<push_atom, std::vector<delivery>>>;

batch_recorder_actor::behavior_type
batch_recorder(batch_recorder_actor::pointer, batch_log log) {
  return {
    [log](push_atom, delivery& x) { log->push_back({std::move(x)}); },
    [log](push_atom, std::vector<delivery>& xs) {
      log->push_back(std::move(xs));
    },
  };
}

/// The sizes of the messages received.
std::vector<size_t> sizes_of(const batch_list& xs) {
  std::vector<size_t> result;
  for (auto& x : xs)
    result.push_back(x.size());
  return result;
}

/// Every delivery's message id, in the order received.
id_list ids_of(const batch_list& xs) {
  id_list result;
  for (auto& x : xs)
    for (auto& d : x)
      result.push_back(d.message.id());
  return result;
}

id_list numbered(const std::string& prefix, int n) {
  id_list result;
  for (int i = 0; i < n; ++i)
    result.push_back(prefix + std::to_string(i));
  return result;
}

struct batch_fixture : fixture {
  subscriber_actor spawn_batch_recorder(batch_log log) {
    return caf::actor_cast<subscriber_actor>(
      sys.spawn(batch_recorder, std::move(log)));
  }

  static subscription batched(subscription sub = {}) {
    sub.batch = true;
    return sub;
  }

  /// Puts one-way writes of `ids` from "w" into the channel's mailbox,
  /// without running it: they queue up.
  void queue_writes(const channel& ch, const id_list& ids) {
    for (auto& id : ids)
      self->send(ch.actor(), write_atom::value, std::string{"w"},
                 message(id, "w"), write_options{}, uint64_t{7});
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(channel_batches, batch_fixture)

BOOST_AUTO_TEST_CASE(one_message_at_a_time_is_pushed_at_once_and_alone,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-batch-single");
  auto log = std::make_shared<batch_list>();
  BOOST_REQUIRE(subscribe(ch, "sub", spawn_batch_recorder(log), batched()));
  auto ids = write_n(ch, "w", 3);
  // Each write was pushed before the next was even sent: nothing waited for
  // a batch to fill.
  BOOST_TEST(sizes_of(*log) == (std::vector<size_t>{1, 1, 1}));
  BOOST_TEST(ids_of(*log) == ids);
}

BOOST_AUTO_TEST_CASE(writes_that_queue_up_go_in_one_batch_in_write_order,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-batch-queue");
  auto log = std::make_shared<batch_list>();
  BOOST_REQUIRE(subscribe(ch, "sub", spawn_batch_recorder(log), batched()));
  auto first = numbered("a", 5);
  queue_writes(ch, first);
  run();
  BOOST_TEST(sizes_of(*log) == (std::vector<size_t>{5}));
  auto second = numbered("b", 3);
  queue_writes(ch, second);
  run();
  // Across batches too: the order of the writes.
  BOOST_TEST(sizes_of(*log) == (std::vector<size_t>{5, 3}));
  auto all = first;
  all.insert(all.end(), second.begin(), second.end());
  BOOST_TEST(ids_of(*log) == all);
  for (auto& batch : *log)
    for (auto& d : batch) {
      BOOST_TEST(d.channel_id == "c-batch-queue");
      BOOST_TEST(d.message.has_timestamp());
      BOOST_TEST(d.credit_token != 0u);
    }
  BOOST_TEST(stats(ch).pushes == 8u);
  BOOST_TEST(stats(ch).writes == 8u);
}

BOOST_AUTO_TEST_CASE(a_subscriber_without_batch_gets_one_message_each,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-batch-plain");
  auto plain = std::make_shared<std::vector<delivery>>();
  auto batches = std::make_shared<batch_list>();
  BOOST_REQUIRE(subscribe(ch, "plain", spawn_recorder(plain)));
  BOOST_REQUIRE(subscribe(ch, "batched", spawn_batch_recorder(batches),
                          batched()));
  auto ids = numbered("m", 4);
  queue_writes(ch, ids);
  run();
  BOOST_TEST(ids_of(*plain) == ids);
  BOOST_TEST(sizes_of(*batches) == (std::vector<size_t>{4}));
  BOOST_TEST(ids_of(*batches) == ids);
}

BOOST_AUTO_TEST_CASE(credit_is_granted_and_returned_per_batch,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-batch-credit";
  cfg.subscriber_credit = 4;
  cfg.keep_history = true;
  auto ch = make_channel(cfg);
  auto log = std::make_shared<batch_list>();
  BOOST_REQUIRE(subscribe(ch, "sub", spawn_batch_recorder(log), batched()));
  auto ids = numbered("m", 10);
  queue_writes(ch, ids);
  run();
  // The credit lets four through, in one batch; six wait in the channel.
  BOOST_REQUIRE(sizes_of(*log) == (std::vector<size_t>{4}));
  auto token = log->front().front().credit_token;
  BOOST_TEST(log->front().front().credit_window == 4u);
  // Credit for the whole batch in one message: the next four, in one batch.
  self->send(ch.actor(), credit_atom::value, token, uint32_t{4});
  run();
  BOOST_REQUIRE(sizes_of(*log) == (std::vector<size_t>{4, 4}));
  self->send(ch.actor(), credit_atom::value, token, uint32_t{4});
  run();
  BOOST_TEST(sizes_of(*log) == (std::vector<size_t>{4, 4, 2}));
  BOOST_TEST(ids_of(*log) == ids);
  // More credit than is in flight is not taken: nothing more arrives, and
  // new writes go through at once again.
  self->send(ch.actor(), credit_atom::value, token, uint32_t{100});
  run();
  auto more = write_n(ch, "w", 1);
  BOOST_TEST(sizes_of(*log) == (std::vector<size_t>{4, 4, 2, 1}));
  BOOST_TEST(ids_of(*log).back() == more.front());
}

BOOST_AUTO_TEST_CASE(a_batch_split_by_a_dying_member_goes_to_the_others,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-batch-death");
  subscription member;
  member.group = "workers";
  member.credit = 8;
  auto log1 = std::make_shared<batch_list>();
  auto m1 = spawn_batch_recorder(log1);
  BOOST_REQUIRE(subscribe(ch, "m1", m1, batched(member)));
  auto ids = numbered("r", 6);
  queue_writes(ch, ids);
  run();
  BOOST_REQUIRE(sizes_of(*log1) == (std::vector<size_t>{6}));
  for (auto& d : log1->front())
    BOOST_TEST(d.claimed);
  // m1 handles the first two of its batch, then dies.
  BOOST_TEST(value_or(ack(ch, "m1", slice(ids, 0, 2)), 0) == 2u);
  auto log2 = std::make_shared<batch_list>();
  BOOST_REQUIRE(subscribe(ch, "m2", spawn_batch_recorder(log2),
                          batched(member)));
  BOOST_TEST(log2->empty()); // everything is still claimed by m1
  caf::anon_send_exit(m1, caf::exit_reason::kill);
  run();
  // The rest of the batch goes to m2, in order, in one batch; what m1
  // acknowledged does not come again.
  BOOST_TEST(sizes_of(*log2) == (std::vector<size_t>{4}));
  BOOST_TEST(ids_of(*log2) == slice(ids, 2, 6));
  BOOST_TEST(value_or(ack(ch, "m2", slice(ids, 2, 6)), 0) == 4u);
  auto st = stats(ch);
  BOOST_TEST(st.claimed == 0u);
  BOOST_TEST(st.group_members == 1u);
}

BOOST_AUTO_TEST_CASE(a_batch_write_stores_each_message_and_refuses_the_bad,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-batch-write");
  auto log = std::make_shared<batch_list>();
  BOOST_REQUIRE(subscribe(ch, "sub", spawn_batch_recorder(log), batched()));
  BOOST_REQUIRE(write(ch, "w", message("taken", "w")));
  std::vector<channel_message> msgs{message("b0", "w"),
                                    message("taken", "w"), // a duplicate
                                    message("b2", "w"),
                                    message("b3", "other"), // not its sender
                                    message("b4", "w")};
  self->send(ch.actor(), write_atom::value, std::string{"w"}, std::move(msgs),
             write_options{}, uint64_t{42});
  run();
  // The good ones, in order, in one batch after the first write.
  BOOST_TEST(sizes_of(*log) == (std::vector<size_t>{1, 3}));
  BOOST_TEST(ids_of(*log) == (id_list{"taken", "b0", "b2", "b4"}));
  // Each refusal names its message, with the batch's token.
  std::vector<std::string> refused;
  for (int i = 0; i < 2; ++i)
    self->receive(
      [&](write_failed_atom, uint64_t token, caf::error& err) {
        BOOST_TEST(token == 42u);
        refused.push_back(error_message(err));
      },
      caf::after(std::chrono::seconds{0}) >>
        [&] { BOOST_FAIL("fewer refusals than bad messages"); });
  BOOST_REQUIRE(refused.size() == 2u);
  BOOST_TEST(refused[0].find("duplicate message id 'taken'")
             != std::string::npos, refused[0]);
  BOOST_TEST(refused[1].find("'b3'") != std::string::npos, refused[1]);
  BOOST_TEST(stats(ch).writes == 4u);
}

BOOST_AUTO_TEST_CASE(one_way_operations_answer_a_request_and_nothing_else,
                     *tt::timeout(test_timeout)) {
  // One-way operations answer nothing to a plain send; a sender that uses
  // `request` anyway gets an empty response, not a timeout.
  auto ch = make_channel("c-one-way");
  auto one = call<caf::unit_t>(ch.actor(), write_atom::value, std::string{"w"},
                               message("m1", "w"), write_options{},
                               uint64_t{7});
  BOOST_TEST(static_cast<bool>(one), error_message(error_of(one)));
  std::vector<channel_message> msgs{message("m2", "w"), message("m3", "w")};
  auto batch = call<caf::unit_t>(ch.actor(), write_atom::value,
                                 std::string{"w"}, std::move(msgs),
                                 write_options{}, uint64_t{8});
  BOOST_TEST(static_cast<bool>(batch), error_message(error_of(batch)));
  BOOST_TEST(claim_ids(ch, "r", 3) == (id_list{"m1", "m2", "m3"}));
  auto acked = call<caf::unit_t>(ch.actor(), ack_atom::value, std::string{"r"},
                                 id_list{"m1", "m2"}, uint64_t{9});
  BOOST_TEST(static_cast<bool>(acked), error_message(error_of(acked)));
  BOOST_TEST(stats(ch).stored == 1u);
  // Sent, not requested: taken, and nothing comes back.
  self->send(ch.actor(), write_atom::value, std::string{"w"},
             message("m4", "w"), write_options{}, uint64_t{10});
  self->send(ch.actor(), ack_atom::value, std::string{"r"}, id_list{"m3"},
             uint64_t{11});
  run();
  BOOST_TEST(stats(ch).stored == 1u); // m4 in, m3 out
  BOOST_TEST(self->mailbox().empty());
  // A responder's push handler answers a request as well (the push names
  // another channel: the responder only returns its credit).
  auto requests = make_channel("c-one-way-requests");
  auto responder = spawn_responder(sys, requests,
                                   [](const channel_message& req) {
                                     return req.content();
                                   });
  run();
  delivery d;
  d.channel_id = "c-one-way";
  d.message = message("m5", "w");
  d.source = ch.actor();
  auto pushed = call<caf::unit_t>(responder, push_atom::value, std::move(d));
  BOOST_TEST(static_cast<bool>(pushed), error_message(error_of(pushed)));
}

BOOST_AUTO_TEST_CASE(a_responder_answers_a_batch_with_a_batch,
                     *tt::timeout(test_timeout)) {
  auto requests = make_channel("c-batch-requests");
  auto replies = make_channel("c-batch-replies");
  auto log = std::make_shared<batch_list>();
  BOOST_REQUIRE(subscribe(replies, "caller", spawn_batch_recorder(log),
                          batched()));
  responder_config rcfg;
  rcfg.system_id = "doubler";
  auto responder = spawn_responder(sys, requests,
                                   [](const channel_message& req) {
                                     auto n = req.content().data().at("n");
                                     return content{
                                       json{{"n", n.get<int>() * 2}}};
                                   },
                                   rcfg);
  run();
  BOOST_REQUIRE(stats(requests).group_members == 1u);
  // Five requests queue up in the request channel.
  for (int i = 0; i < 5; ++i)
    self->send(requests.actor(), write_atom::value, std::string{"w"},
               channel_message::builder{}
                 .id("q" + std::to_string(i))
                 .sender_id("w")
                 .correlation_id("call-" + std::to_string(i))
                 .reply_to("c-batch-replies")
                 .content(data(i))
                 .build(),
               write_options{}, uint64_t{1});
  run();
  // One batch of requests, so one write of five replies, so one batch of
  // five pushed to the caller, in order; each request acknowledged.
  BOOST_REQUIRE(sizes_of(*log) == (std::vector<size_t>{5}));
  for (int i = 0; i < 5; ++i) {
    auto& d = log->front()[static_cast<size_t>(i)];
    BOOST_TEST(d.message.correlation_id().value_or("")
               == "call-" + std::to_string(i));
    BOOST_TEST(d.message.recipient_id().value_or("") == "w");
    BOOST_TEST((d.message.content() == data(2 * i)));
  }
  auto st = stats(requests);
  BOOST_TEST(st.claimed == 0u);
  BOOST_TEST(st.stored == 0u); // acknowledged, so dropped
  BOOST_TEST(stats(replies).writes == 5u);
}

BOOST_AUTO_TEST_SUITE_END()
