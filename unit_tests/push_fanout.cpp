// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The channel's push fan-out (src/detail/channel/push_fanout.hpp): who gets
// a new message, in which order, by correlation-id prefix; credit windows;
// what backpressure holds and what a subscriber gets when its credit comes
// back; evict on overflow; credit only from the subscriber's node. Pure: no
// actor system (subscriber handles stay empty; subscribers are named by
// their system ids).

#include "timeout_scale.hpp"

#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <caf/node_id.hpp>

#include "detail/channel/push_fanout.hpp"

using namespace sssn;
using namespace sssn::detail;

namespace tt = boost::unit_test;

namespace {

const unsigned test_timeout = sssn::test::scaled_timeout(60);

using strings = std::vector<std::string>;

struct fixture {
  message_store store{100, false};
  push_fanout fanout{"c", 2, subscriber_overflow::backpressure};
  /// The node of an empty handle.

  /// Writes a message and offers it; returns who got it, in order.
  strings write(const std::string& corr = {}) {
    channel_message::builder b;
    b.sender_id("w").content(json{{"n", 1}}).timestamp_ns(1);
    if (!corr.empty())
      b.correlation_id(corr);
    auto seq = store.add(b.build(), channel_actor{})->first;
    last = seq;
    strings result;
    for (auto* sub : fanout.offer(seq, store.at(seq)))
      result.push_back(name_of(sub));
    return result;
  }

  std::string name_of(const push_subscriber* sub) const {
    for (auto& id : {"a", "b", "c", "p1", "p12", "p2"})
      if (fanout.find(id) == sub)
        return id;
    return "?";
  }

  uint64_t token(const std::string& id) const {
    return fanout.find(id)->token;
  }

  std::vector<uint64_t> credit(const std::string& id, uint32_t n) {
    auto res = fanout.credit(token(id), n);
    BOOST_REQUIRE(res.outcome == credit_result::accepted);
    std::vector<uint64_t> seqs;
    if (res.sub->resume != 0)
      for (auto* e : fanout.resume(*res.id, *res.sub, store))
        seqs.push_back(*store.seq_of(e->msg.id()));
    return seqs;
  }

  uint64_t last = 0;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(push_fanout_tests, fixture)

BOOST_AUTO_TEST_CASE(a_message_goes_to_unfiltered_then_matching_prefixes,
                     *tt::timeout(test_timeout)) {
  fanout = push_fanout{"c", 10, subscriber_overflow::backpressure};
  fanout.subscribe("p12", {}, "req.12");
  fanout.subscribe("a", {}, "");
  fanout.subscribe("p1", {}, "req.1");
  fanout.subscribe("p2", {}, "req.2");
  BOOST_TEST(fanout.size() == 4u);
  BOOST_TEST((write("req.123") == strings{"a", "p1", "p12"}));
  BOOST_TEST((write("req.2") == strings{"a", "p2"}));
  // No correlation id: only the unfiltered subscriber.
  BOOST_TEST((write() == strings{"a"}));
  BOOST_TEST((write("other") == strings{"a"}));
  BOOST_TEST(store.at(1).pushed);
  BOOST_TEST(fanout.find("a")->in_flight == 4u);
  BOOST_TEST(fanout.in_flight() == 7u);
}

BOOST_AUTO_TEST_CASE(nobody_subscribed_means_nothing_pushed,
                     *tt::timeout(test_timeout)) {
  BOOST_TEST(write().empty());
  BOOST_TEST(!store.at(last).pushed);
  BOOST_TEST(fanout.awaited_from() == UINT64_MAX);
}

BOOST_AUTO_TEST_CASE(backpressure_holds_what_a_subscriber_without_credit_missed,
                     *tt::timeout(test_timeout)) {
  fanout.subscribe("a", {}, "");
  fanout.subscribe("b", {}, "");
  BOOST_TEST(write().size() == 2u); // 1
  BOOST_TEST(write().size() == 2u); // 2
  credit("b", 2);
  // "a" has used its window of 2: it waits from message 3 on.
  BOOST_TEST((write() == strings{"b"})); // 3
  BOOST_TEST((write() == strings{"b"})); // 4
  BOOST_TEST(fanout.waiting() == 1u);
  BOOST_TEST(fanout.find("a")->resume == 3u);
  BOOST_TEST(fanout.awaited_from() == 3u);
  BOOST_TEST(!fanout.awaited(2, store.at(2).msg));
  BOOST_TEST(fanout.awaited(3, store.at(3).msg));
  BOOST_TEST(fanout.awaiting(4, store.at(4).msg) == 1u);
  BOOST_TEST(fanout.overflowed().empty());
  // One credit back: the oldest missed message, and no more.
  BOOST_TEST((credit("a", 1) == std::vector<uint64_t>{3}));
  BOOST_TEST(fanout.find("a")->resume == 4u);
  BOOST_TEST(fanout.waiting() == 1u);
  // The rest: it has caught up and gets new messages directly again.
  BOOST_TEST((credit("a", 2) == std::vector<uint64_t>{4}));
  BOOST_TEST(fanout.find("a")->resume == 0u);
  BOOST_TEST(fanout.waiting() == 0u);
  BOOST_TEST(!fanout.awaited(4, store.at(4).msg));
  BOOST_TEST((write() == strings{"a"})); // "b" is out of credit now
}

BOOST_AUTO_TEST_CASE(a_filtered_subscriber_waits_only_for_what_matches,
                     *tt::timeout(test_timeout)) {
  fanout.subscribe("p1", {}, "req.1");
  write("req.1a");
  write("req.1b");
  write("req.1c"); // 3: waits
  write("zzz");    // 4: not for it
  write("req.1d"); // 5
  BOOST_TEST(fanout.find("p1")->resume == 3u);
  BOOST_TEST(fanout.awaited(3, store.at(3).msg));
  BOOST_TEST(!fanout.awaited(4, store.at(4).msg));
  // A filtered subscriber does not hold up retention as a whole.
  BOOST_TEST(fanout.awaited_from() == UINT64_MAX);
  BOOST_TEST((credit("p1", 2) == std::vector<uint64_t>{3, 5}));
  BOOST_TEST(fanout.waiting() == 0u);
}

BOOST_AUTO_TEST_CASE(evict_lists_a_subscriber_out_of_credit,
                     *tt::timeout(test_timeout)) {
  push_fanout evicting{"c", 1, subscriber_overflow::evict};
  evicting.subscribe("a", {}, "");
  auto seq = store.add(channel_message::builder{}
                         .sender_id("w")
                         .content(json{{"n", 1}})
                         .build(),
                       channel_actor{})
               ->first;
  BOOST_TEST(evicting.offer(seq, store.at(seq)).size() == 1u);
  BOOST_TEST(evicting.overflowed().empty());
  BOOST_TEST(evicting.offer(seq, store.at(seq)).empty());
  BOOST_TEST((evicting.overflowed() == strings{"a"}));
  // Evict never holds messages back.
  BOOST_TEST(evicting.waiting() == 0u);
  BOOST_TEST(!evicting.awaited(seq, store.at(seq).msg));
}

BOOST_AUTO_TEST_CASE(a_window_of_zero_counts_as_one,
                     *tt::timeout(test_timeout)) {
  push_fanout tight{"c", 0, subscriber_overflow::backpressure};
  BOOST_TEST(tight.window() == 1u);
  BOOST_TEST(fanout.window() == 2u);
}

BOOST_AUTO_TEST_CASE(credit_needs_the_subscriptions_token,
                     *tt::timeout(test_timeout)) {
  fanout.subscribe("a", {}, "");
  write();
  write();
  BOOST_TEST(fanout.credit(token("a") + 1, 2).outcome
             == credit_result::unknown);
  BOOST_TEST(fanout.find("a")->in_flight == 2u);
  // Never more than it has in flight.
  auto res = fanout.credit(token("a"), 100);
  BOOST_TEST(res.outcome == credit_result::accepted);
  BOOST_TEST(*res.id == "a");
  BOOST_TEST(fanout.find("a")->in_flight == 0u);
}

BOOST_AUTO_TEST_CASE(subscribing_again_keeps_or_replaces_the_subscription,
                     *tt::timeout(test_timeout)) {
  fanout.subscribe("a", {}, "");
  write();
  write();
  write(); // waits from 3
  auto first = token("a");
  // The same subscription again changes nothing.
  fanout.subscribe("a", {}, "");
  BOOST_TEST(token("a") == first);
  BOOST_TEST(fanout.find("a")->in_flight == 2u);
  BOOST_TEST(fanout.waiting() == 1u);
  // Another filter replaces it: fresh credit, nothing waits, a new token.
  fanout.subscribe("a", {}, "x");
  BOOST_TEST(token("a") != first);
  BOOST_TEST(fanout.find("a")->in_flight == 0u);
  BOOST_TEST(fanout.waiting() == 0u);
  BOOST_TEST(fanout.credit(first, 1).outcome
             == credit_result::unknown);
  BOOST_TEST(write().empty());
  BOOST_TEST((write("x.1") == strings{"a"}));
}

BOOST_AUTO_TEST_CASE(unsubscribing_ends_pushes_credit_and_waiting,
                     *tt::timeout(test_timeout)) {
  fanout.subscribe("a", {}, "");
  fanout.subscribe("b", {}, "");
  write();
  write();
  write();
  auto old = token("a");
  BOOST_TEST(fanout.waiting() == 2u);
  BOOST_TEST(fanout.unsubscribe("a"));
  BOOST_TEST(!fanout.unsubscribe("a"));
  BOOST_TEST(fanout.find("a") == nullptr);
  BOOST_TEST(fanout.waiting() == 1u);
  BOOST_TEST(fanout.credit(old, 1).outcome == credit_result::unknown);
  credit("b", 2);
  BOOST_TEST((write() == strings{"b"}));
}

BOOST_AUTO_TEST_SUITE_END()
