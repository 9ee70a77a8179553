// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Overload: a producer much faster than its consumers. Memory stays bounded
// by the configured retention, the requester's pending-call bound and each
// plain subscriber's credit window; the excess gets explicit `overloaded`
// errors (or, in evict mode, the slow subscriber an explicit end), never an
// unbounded mailbox.
//
// Most cases run on the deterministic fixture (exact counts); the
// `overload_threaded` suite runs a real producer against a real slow
// subscriber, in one process and across two nodes.

#include "fixture.hpp"
#include "timeout_scale.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <caf/all.hpp>

using namespace sssn;
using namespace std::chrono_literals;

namespace tt = boost::unit_test;

namespace {

using id_list = std::vector<std::string>;
using delivery_log = std::shared_ptr<std::vector<delivery>>;

/// Records every push and returns no credit (the test returns it by hand).
subscriber_actor::behavior_type holder(subscriber_actor::pointer,
                                       delivery_log log) {
  return {
    [log](push_atom, delivery& x) { log->push_back(std::move(x)); },
  };
}

/// Records every push and returns its credit at once.
subscriber_actor::behavior_type prompt(subscriber_actor::pointer self,
                                       delivery_log log) {
  return {
    [self, log](push_atom, delivery& x) {
      return_credit(self, x);
      log->push_back(std::move(x));
    },
  };
}

content data(int n) {
  return content{json{{"n", n}}};
}

id_list ids_of(const std::vector<delivery>& xs) {
  id_list result;
  for (auto& x : xs)
    result.push_back(x.message.id());
  return result;
}

bool mentions(const caf::error& err, const std::string& text) {
  return error_message(err).find(text) != std::string::npos;
}

struct overload_fixture : test::deterministic_fixture {
  channel make(uint32_t credit, subscriber_overflow overflow,
               uint64_t max_messages = 100'000) {
    channel_config cfg;
    cfg.id = "feed";
    cfg.subscriber_credit = credit;
    cfg.overflow = overflow;
    cfg.max_messages = max_messages;
    return make_channel(std::move(cfg));
  }

  caf::expected<std::string> write(const channel& ch, int n) {
    return call<std::string>(ch.actor(), write_atom::value,
                             std::string{"producer"}, data(n));
  }

  /// Writes `n` messages, each of which must be accepted; returns their ids.
  id_list write_n(const channel& ch, int first, int n) {
    id_list result;
    for (int i = first; i < first + n; ++i) {
      auto id = write(ch, i);
      BOOST_REQUIRE_MESSAGE(id, "write " << i << " refused: "
                                         << (id ? "" : error_message(
                                                         id.error())));
      result.push_back(*id);
    }
    return result;
  }

  void subscribe(const channel& ch, const std::string& id,
                 subscriber_actor hdl) {
    auto ok = call<caf::unit_t>(ch.actor(), subscribe_atom::value, id,
                                std::move(hdl), subscription{});
    BOOST_REQUIRE(ok);
  }

  channel_stats stats(const channel& ch) {
    auto st = call<channel_stats>(ch.actor(), stats_atom::value);
    BOOST_REQUIRE(st);
    return *st;
  }

  /// Returns `n` credits of the subscription that pushed `d` (the test and
  /// the channel share a node, so the channel accepts them from here).
  void give_back(const delivery& d, uint32_t n) {
    self->send(d.source, credit_atom::value, d.credit_token, n);
    run();
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(overload_deterministic, overload_fixture)

BOOST_AUTO_TEST_CASE(pushes_stop_at_the_credit_window_until_credit_returns) {
  auto ch = make(4, subscriber_overflow::backpressure);
  auto log = std::make_shared<std::vector<delivery>>();
  subscribe(ch, "slow", sys.spawn(holder, log));
  auto ids = write_n(ch, 0, 50);
  run();
  // The producer got ahead by 46 messages; the subscriber holds 4.
  BOOST_REQUIRE_EQUAL(log->size(), 4u);
  auto st = stats(ch);
  BOOST_TEST(st.in_flight == 4u);
  BOOST_TEST(st.waiting == 1u);
  BOOST_TEST(st.pushes == 4u);
  BOOST_TEST(st.stored == 50u);
  BOOST_TEST(log->front().credit_token != 0u);
  BOOST_TEST(log->front().credit_window == 4u);
  // Credit comes back three at a time, with more writes in between.
  auto more = write_n(ch, 50, 10);
  ids.insert(ids.end(), more.begin(), more.end());
  while (log->size() < ids.size()) {
    auto before = log->size();
    give_back(log->back(), 3);
    BOOST_REQUIRE_MESSAGE(log->size() > before, "no push after credit");
    BOOST_REQUIRE(stats(ch).in_flight <= 4u);
  }
  // Nothing lost, nothing reordered, nothing pushed twice.
  BOOST_TEST(ids_of(*log) == ids, boost::test_tools::per_element());
  give_back(log->back(), 4);
  st = stats(ch);
  BOOST_TEST(st.in_flight == 0u);
  BOOST_TEST(st.waiting == 0u);
  // With credit back, new messages are pushed at once again.
  write_n(ch, 60, 1);
  BOOST_TEST(log->size() == ids.size() + 1);
}

BOOST_AUTO_TEST_CASE(a_filtered_subscriber_waits_only_for_its_own_messages) {
  auto ch = make(2, subscriber_overflow::backpressure, 6);
  auto log = std::make_shared<std::vector<delivery>>();
  subscription sub;
  sub.correlation_prefix = "mine.";
  BOOST_REQUIRE(call<caf::unit_t>(ch.actor(), subscribe_atom::value,
                                  std::string{"picky"},
                                  subscriber_actor{sys.spawn(holder, log)},
                                  sub));
  auto write_corr = [&](const std::string& corr) {
    return call<std::string>(ch.actor(), write_atom::value,
                             std::string{"producer"},
                             channel_message::builder{}
                               .sender_id("producer")
                               .content(data(0))
                               .correlation_id(corr)
                               .build(),
                             write_options{});
  };
  id_list mine;
  for (int i = 0; i < 4; ++i) {
    auto id = write_corr("mine." + std::to_string(i));
    BOOST_REQUIRE(id);
    mine.push_back(*id);
  }
  run();
  BOOST_REQUIRE_EQUAL(log->size(), 2u);
  // Others' messages are not held for it: retention keeps evicting them.
  for (int i = 0; i < 20; ++i)
    BOOST_REQUIRE(write_corr("other." + std::to_string(i)));
  BOOST_TEST(stats(ch).stored <= 6u);
  give_back(log->back(), 2);
  BOOST_REQUIRE_EQUAL(log->size(), 4u);
  BOOST_TEST(ids_of(*log) == mine, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(retention_bounds_memory_and_the_excess_gets_overloaded) {
  auto ch = make(2, subscriber_overflow::backpressure, 10);
  auto log = std::make_shared<std::vector<delivery>>();
  subscribe(ch, "slow", sys.spawn(holder, log));
  // Two are pushed; the other eight wait for the subscriber's credit.
  auto ids = write_n(ch, 0, 10);
  // The two pushed ones may go: retention evicts them for two more writes.
  auto more = write_n(ch, 10, 2);
  BOOST_TEST(stats(ch).stored == 10u);
  // Now every stored message waits for the subscriber: refused, never lost.
  auto refused = write(ch, 12);
  BOOST_REQUIRE(!refused);
  BOOST_TEST(is(refused.error(), ec::overloaded));
  BOOST_TEST(mentions(refused.error(), "channel 'feed' is overloaded"));
  BOOST_TEST(mentions(refused.error(), "out of credit"));
  auto st = stats(ch);
  BOOST_TEST(st.stored == 10u);
  BOOST_TEST(st.overloaded == 1u);
  BOOST_TEST(st.evicted == 2u);
  // Credit back: two more pushed, which retention may evict again.
  run();
  give_back(log->back(), 2);
  BOOST_REQUIRE_EQUAL(log->size(), 4u);
  BOOST_TEST(static_cast<bool>(write(ch, 13)));
  BOOST_TEST(stats(ch).stored == 10u);
  // Every message the subscriber got is the next one written.
  BOOST_TEST(ids_of(*log) == id_list(ids.begin(), ids.begin() + 4),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_subscriber_that_never_returns_credit_is_ended_in_time) {
  // Backpressure, retention 10, the default credit timeout (30 s).
  auto ch = make(2, subscriber_overflow::backpressure, 10);
  auto slow = std::make_shared<std::vector<delivery>>();
  auto fast = std::make_shared<std::vector<delivery>>();
  subscribe(ch, "slow", sys.spawn(holder, slow));
  subscribe(ch, "fast", sys.spawn(prompt, fast));
  write_n(ch, 0, 12);
  // Retention is full of what "slow" holds back: writers are refused.
  auto refused = write(ch, 12);
  BOOST_REQUIRE(!refused);
  BOOST_TEST(is(refused.error(), ec::overloaded));
  // Not yet: 29 s without credit.
  advance(29s);
  BOOST_TEST(stats(ch).subscribers == 2u);
  BOOST_TEST(!write(ch, 13));
  // 30 s without credit: "slow" is ended, and told why.
  advance(1s);
  auto st = stats(ch);
  BOOST_TEST(st.subscribers == 1u);
  BOOST_TEST(st.stalled_subscribers == 1u);
  BOOST_TEST(st.dropped_subscribers == 0u);
  BOOST_TEST(st.waiting == 0u);
  BOOST_REQUIRE(!slow->empty());
  BOOST_TEST(slow->back().ended);
  auto why = slow->back().message.content().error();
  BOOST_TEST(is(why, ec::overloaded));
  BOOST_TEST(mentions(why, "'slow'"));
  BOOST_TEST(mentions(why, "returned none for 30 s"));
  // Writers are served again, and "fast" got every message in order.
  auto more = write_n(ch, 14, 20);
  run();
  BOOST_TEST(fast->size() == 32u);
  BOOST_TEST(stats(ch).overloaded == 2u);
}

BOOST_AUTO_TEST_CASE(a_slow_subscriber_that_returns_credit_stays) {
  auto ch = make(2, subscriber_overflow::backpressure, 10);
  auto slow = std::make_shared<std::vector<delivery>>();
  subscribe(ch, "slow", sys.spawn(holder, slow));
  write_n(ch, 0, 8);
  run();
  // Out of credit; every 20 s one credit comes back: it lives.
  for (int i = 0; i < 5; ++i) {
    advance(20s);
    BOOST_REQUIRE_MESSAGE(stats(ch).subscribers == 1u, "ended after round "
                                                         << i);
    give_back(slow->back(), 1);
  }
  BOOST_TEST(slow->size() == 7u);
  BOOST_TEST(stats(ch).stalled_subscribers == 0u);
  // Then it stops: ended 30 s after its last credit.
  advance(29s);
  BOOST_TEST(stats(ch).subscribers == 1u);
  advance(1s);
  BOOST_TEST(stats(ch).subscribers == 0u);
  BOOST_TEST(stats(ch).stalled_subscribers == 1u);
}

BOOST_AUTO_TEST_CASE(without_a_credit_timeout_a_subscriber_may_wait_forever) {
  channel_config cfg;
  cfg.id = "feed";
  cfg.subscriber_credit = 1;
  cfg.subscriber_credit_timeout = std::nullopt;
  auto ch = make_channel(std::move(cfg));
  auto slow = std::make_shared<std::vector<delivery>>();
  subscribe(ch, "slow", sys.spawn(holder, slow));
  write_n(ch, 0, 3);
  advance(std::chrono::hours{24});
  auto st = stats(ch);
  BOOST_TEST(st.subscribers == 1u);
  BOOST_TEST(st.waiting == 1u);
  give_back(slow->back(), 1);
  BOOST_TEST(slow->size() == 2u);
}

BOOST_AUTO_TEST_CASE(host_operations_that_remove_awaited_messages_count_them) {
  auto ch = make(1, subscriber_overflow::backpressure);
  auto log = std::make_shared<std::vector<delivery>>();
  subscribe(ch, "slow", sys.spawn(holder, log));
  auto ids = write_n(ch, 0, 5);
  run();
  BOOST_REQUIRE_EQUAL(log->size(), 1u);
  auto n = call<uint64_t>(ch.actor(), remove_atom::value, std::string{"admin"},
                          id_list{ids[1], ids[2]});
  BOOST_REQUIRE(n);
  BOOST_TEST(*n == 2u);
  BOOST_TEST(stats(ch).skipped == 2u);
  give_back(log->back(), 1);
  give_back(log->back(), 1);
  BOOST_TEST(ids_of(*log) == (id_list{ids[0], ids[3], ids[4]}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(evict_mode_ends_the_slow_subscriber_only) {
  auto ch = make(4, subscriber_overflow::evict, 8);
  auto slow_log = std::make_shared<std::vector<delivery>>();
  auto fast_log = std::make_shared<std::vector<delivery>>();
  subscribe(ch, "slow", sys.spawn(holder, slow_log));
  subscribe(ch, "fast", sys.spawn(prompt, fast_log));
  // The writer never waits for the slow one, and retention stays bounded.
  auto ids = write_n(ch, 0, 30);
  run();
  BOOST_TEST(ids_of(*fast_log) == ids, boost::test_tools::per_element());
  // Four pushes, then the end with an explicit error; nothing after.
  BOOST_REQUIRE_EQUAL(slow_log->size(), 5u);
  for (size_t i = 0; i < 4; ++i) {
    BOOST_TEST(slow_log->at(i).message.id() == ids[i]);
    BOOST_TEST(!slow_log->at(i).ended);
  }
  auto& end = slow_log->back();
  BOOST_TEST(end.ended);
  BOOST_TEST(end.channel_id == "feed");
  BOOST_TEST(end.credit_token == 0u);
  BOOST_REQUIRE(end.message.content().is_error());
  auto err = end.message.content().error();
  BOOST_TEST(is(err, ec::overloaded));
  BOOST_TEST(mentions(err, "ended the subscription of 'slow'"));
  auto st = stats(ch);
  BOOST_TEST(st.dropped_subscribers == 1u);
  BOOST_TEST(st.subscribers == 1u);
  BOOST_TEST(st.overloaded == 0u);
  BOOST_TEST(st.stored <= 8u);
  // Its late credit changes nothing.
  give_back(slow_log->front(), 4);
  BOOST_TEST(stats(ch).in_flight == 0u);
  write_n(ch, 30, 1);
  BOOST_TEST(slow_log->size() == 5u);
  BOOST_TEST(fast_log->size() == 31u);
}

BOOST_AUTO_TEST_CASE(an_evicted_responder_does_not_take_the_end_for_a_request) {
  auto ch = make(1, subscriber_overflow::evict);
  auto seen = std::make_shared<std::vector<content>>();
  auto held = std::make_shared<std::vector<reply_promise>>();
  responder_config rcfg;
  rcfg.group.clear();
  spawn_responder(
    sys, ch,
    [seen, held](const content& req, reply_promise rp) {
      seen->push_back(req);
      held->push_back(std::move(rp));
    },
    rcfg);
  run();
  write_n(ch, 0, 2);
  run();
  // One request handled (and held); then the end, which is no request.
  BOOST_REQUIRE_EQUAL(seen->size(), 1u);
  BOOST_TEST(!seen->front().is_error());
  BOOST_TEST(stats(ch).dropped_subscribers == 1u);
  held->clear(); // dropped promises answer with errors; nobody waits
  run();
}

BOOST_AUTO_TEST_CASE(resubscribing_starts_a_fresh_window) {
  auto ch = make(2, subscriber_overflow::backpressure);
  auto old_log = std::make_shared<std::vector<delivery>>();
  auto old_sub = sys.spawn(holder, old_log);
  subscribe(ch, "s", old_sub);
  write_n(ch, 0, 5);
  run();
  BOOST_REQUIRE_EQUAL(old_log->size(), 2u);
  // The same subscription again changes nothing.
  subscribe(ch, "s", old_sub);
  BOOST_TEST(stats(ch).waiting == 1u);
  BOOST_TEST(stats(ch).in_flight == 2u);
  auto new_log = std::make_shared<std::vector<delivery>>();
  subscribe(ch, "s", sys.spawn(holder, new_log));
  auto st = stats(ch);
  BOOST_TEST(st.waiting == 0u);
  BOOST_TEST(st.in_flight == 0u);
  // Credit of the old subscription is not the new one's.
  give_back(old_log->front(), 2);
  auto ids = write_n(ch, 5, 3);
  run();
  BOOST_TEST(ids_of(*new_log) == id_list(ids.begin(), ids.begin() + 2),
             boost::test_tools::per_element());
  BOOST_TEST(new_log->front().credit_token != old_log->front().credit_token);
}

BOOST_AUTO_TEST_CASE(pending_bound_refuses_the_excess_and_the_rest_resolves) {
  // Both channels give small windows: the responder (a plain subscriber
  // here) and the requester must return credit for all calls to resolve.
  channel_config rq;
  rq.id = "requests";
  rq.subscriber_credit = 2;
  auto req_ch = make_channel(rq);
  channel_config rs;
  rs.id = "responses";
  rs.subscriber_credit = 3;
  auto resp_ch = make_channel(rs);
  struct held {
    std::vector<reply_promise> items;
  };
  auto h = std::make_shared<held>();
  responder_config rcfg;
  rcfg.group.clear();
  spawn_responder(
    sys, req_ch,
    [h](const content& req, reply_promise rp) {
      h->items.push_back(rp);
      (void) req;
    },
    rcfg);
  run();
  requester_config qcfg;
  qcfg.max_pending = 10;
  requester_for(sys, resp_ch, qcfg);
  auto outcomes = std::make_shared<std::map<int, caf::expected<int64_t>>>();
  sys.spawn([=](caf::event_based_actor* self) {
    for (int i = 0; i < 14; ++i)
      request_via_channel(self, req_ch, resp_ch, "client", json{{"n", i}},
                          30s)
        .then(
          [=](const channel_message& msg) {
            outcomes->emplace(i, msg.content().data().at("n").get<int64_t>());
          },
          [=](const caf::error& err) {
            outcomes->emplace(i, caf::expected<int64_t>{err});
          });
  });
  run();
  // The excess fails at once; the responder holds its window of two.
  BOOST_REQUIRE_EQUAL(outcomes->size(), 4u);
  for (int i = 10; i < 14; ++i) {
    BOOST_REQUIRE(outcomes->count(i) == 1u);
    BOOST_TEST(is(outcomes->at(i).error(), ec::overloaded));
  }
  BOOST_TEST(h->items.size() == 2u);
  // Answering returns the responder's credit; the requester returns the
  // response channel's. Every admitted call resolves with its own reply.
  size_t answered = 0;
  while (answered < h->items.size()) {
    auto end = h->items.size();
    for (; answered < end; ++answered)
      h->items[answered].deliver(json{{"n", static_cast<int64_t>(answered)}});
    run();
  }
  BOOST_REQUIRE_EQUAL(outcomes->size(), 14u);
  for (int i = 0; i < 10; ++i) {
    BOOST_REQUIRE_MESSAGE(outcomes->at(i), "call " << i << " failed");
    BOOST_TEST(*outcomes->at(i) == i);
  }
  auto st = stats(resp_ch);
  BOOST_TEST(st.in_flight < 3u);
  BOOST_TEST(st.waiting == 0u);
  BOOST_TEST(stats(req_ch).waiting == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

// -- real threads -------------------------------------------------------------

namespace {

/// What a slow subscriber saw.
struct slow_log {
  std::mutex mtx;
  std::condition_variable cv;
  id_list ids;

  size_t handled() {
    std::lock_guard<std::mutex> guard{mtx};
    return ids.size();
  }

  bool wait_for(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> guard{mtx};
    return cv.wait_for(guard, timeout, [&] { return ids.size() >= n; });
  }
};

struct slow_state {
  std::shared_ptr<slow_log> log;
  credit_returner credit;
};

/// Takes `pause` per delivery, notes what it got, and returns credit in
/// batches.
subscriber_actor::behavior_type
slow_subscriber(subscriber_actor::stateful_pointer<slow_state> self,
                std::shared_ptr<slow_log> log, caf::timespan pause) {
  self->state.log = std::move(log);
  return {
    [self, pause](push_atom, delivery& d) {
      std::this_thread::sleep_for(pause);
      auto& st = self->state;
      {
        std::lock_guard<std::mutex> guard{st.log->mtx};
        st.log->ids.push_back(d.message.id());
      }
      st.log->cv.notify_all();
      st.credit.handled(self, d);
    },
  };
}

/// Writes `total` messages to `ch` as fast as one actor can send them
/// (one-way writes: nothing waits for an answer), then asks for the
/// channel's stats, which therefore come after every write. Returns the ids
/// in write order.
id_list flood(caf::actor_system& sys, const channel& ch, int total,
              channel_stats& after) {
  caf::scoped_actor producer{sys};
  id_list ids;
  for (int i = 0; i < total; ++i) {
    auto msg = channel_message::builder{}
                 .sender_id("producer")
                 .content(data(i))
                 .build();
    ids.push_back(msg.id());
    producer->send(ch.actor(), write_atom::value, std::string{"producer"},
                   std::move(msg), write_options{}, uint64_t(i));
  }
  producer->request(ch.actor(), 10s, stats_atom::value)
    .receive([&](const channel_stats& st) { after = st; },
             [&](const caf::error& err) {
               BOOST_FAIL("stats: " << error_message(err));
             });
  // A refused write would have come back as (write_failed_atom, i, error).
  BOOST_TEST(producer->mailbox().empty());
  return ids;
}

/// Samples, until `log` has `total` messages or 30 s have passed, how many
/// deliveries the channel has pushed that the subscriber has not handled
/// yet (what is in its mailbox, or on the wire to it): reads what it has
/// handled, then the channel's push count, so each sample is at least the
/// backlog at the first read. Returns the largest sample. (Not
/// `mailbox().size()`: CAF 0.17's inbox code it inlines has undefined
/// behaviour that UBSan reports, see docs/caf-0.17-notes.md.)
class backlog_sampler {
public:
  backlog_sampler(channel ch, std::shared_ptr<slow_log> log, size_t total)
    : worker_{[this, ch, log, total] {
        auto deadline = std::chrono::steady_clock::now() + 30s;
        while (std::chrono::steady_clock::now() < deadline) {
          auto handled = log->handled();
          if (handled >= total)
            return;
          auto st = ch.stats();
          if (st && st->pushes > handled)
            max_ = std::max<uint64_t>(max_, st->pushes - handled);
          std::this_thread::sleep_for(2ms);
        }
      }} {
    // nop
  }

  backlog_sampler(const backlog_sampler&) = delete;
  backlog_sampler& operator=(const backlog_sampler&) = delete;

  ~backlog_sampler() {
    if (worker_.joinable())
      worker_.join();
  }

  /// Waits for the sampling to end and returns the largest backlog seen.
  uint64_t max() {
    if (worker_.joinable())
      worker_.join();
    return max_;
  }

private:
  uint64_t max_ = 0;
  std::thread worker_;
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(overload_threaded, test::threaded_fixture)

BOOST_AUTO_TEST_CASE(a_fast_producer_keeps_a_slow_mailbox_bounded,
                     *tt::timeout(sssn::test::scaled_timeout(60))) {
  channel_config cfg;
  cfg.id = "firehose";
  cfg.subscriber_credit = 16;
  auto ch = spawn_channel(sys, cfg);
  ch.timeout(10s);
  BOOST_REQUIRE(ch.start());
  auto log = std::make_shared<slow_log>();
  auto sub = sys.spawn(slow_subscriber, log, caf::timespan{1ms});
  BOOST_REQUIRE(ch.subscribe("slow", sub));
  constexpr int total = 1000;
  backlog_sampler backlog{ch, log, total};
  channel_stats st;
  auto ids = flood(sys, ch, total, st);
  // All stored; the subscriber (1 ms per message) is far behind.
  BOOST_TEST_MESSAGE("when the producer was done: in_flight " << st.in_flight
                     << ", waiting " << st.waiting << ", pushes "
                     << st.pushes);
  BOOST_TEST(st.writes == static_cast<uint64_t>(total));
  BOOST_TEST(st.in_flight <= 16u);
  BOOST_REQUIRE(log->wait_for(total, std::chrono::milliseconds{30000}));
  // The window is 16; a sample may also count what was pushed between its
  // two reads (credit returns about one per ms). Without credit the backlog
  // is nearly all 1000 messages.
  auto max_backlog = backlog.max();
  BOOST_TEST_MESSAGE("largest backlog sampled: " << max_backlog);
  BOOST_TEST(max_backlog < 100u);
  std::lock_guard<std::mutex> guard{log->mtx};
  BOOST_TEST(log->ids == ids, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_remote_subscriber_returns_credit_across_nodes,
                     *tt::timeout(sssn::test::scaled_timeout(60))) {
  // A second actor system in this process is a second node.
  sssn::config client_cfg;
  client_cfg.set("scheduler.max-threads", 2);
  caf::actor_system client{client_cfg};
  channel_config cfg;
  cfg.id = "remote-feed";
  cfg.subscriber_credit = 8;
  auto ch = spawn_channel(sys, cfg);
  ch.timeout(10s);
  BOOST_REQUIRE(ch.start());
  auto n = node::start(sys);
  BOOST_REQUIRE(n);
  BOOST_REQUIRE(n->publish(ch));
  auto remote = connect(client, "127.0.0.1", n->port());
  BOOST_REQUIRE(remote);
  auto remote_ch = remote->channel("remote-feed");
  BOOST_REQUIRE(remote_ch);
  auto log = std::make_shared<slow_log>();
  auto sub = client.spawn(slow_subscriber, log, caf::timespan{1ms});
  BOOST_REQUIRE(remote_ch->subscribe("far", sub));
  constexpr int total = 300;
  backlog_sampler backlog{ch, log, total};
  channel_stats st;
  auto ids = flood(sys, ch, total, st);
  BOOST_TEST(st.in_flight <= 8u);
  BOOST_REQUIRE(log->wait_for(total, std::chrono::milliseconds{30000}));
  {
    // The window is 8 (see above for the slack).
    BOOST_TEST(backlog.max() < 100u);
    std::lock_guard<std::mutex> guard{log->mtx};
    BOOST_TEST(log->ids == ids, boost::test_tools::per_element());
  }
  // Credit needs the subscription's credit token, which only the
  // subscriber got: a peer that does not hold it returns nothing, whatever
  // node it claims. (The sender's node proves nothing: a peer writes it.)
  BOOST_REQUIRE(remote_ch->unsubscribe("far"));
  auto local_log = std::make_shared<std::vector<delivery>>();
  std::mutex local_mtx;
  auto local = sys.spawn([&local_mtx, local_log](
                           subscriber_actor::pointer) -> subscriber_actor::
                                                          behavior_type {
    return {
      [&local_mtx, local_log](push_atom, delivery& d) {
        std::lock_guard<std::mutex> guard{local_mtx};
        local_log->push_back(std::move(d));
      },
    };
  });
  BOOST_REQUIRE(ch.subscribe("near", local));
  BOOST_REQUIRE(ch.write("producer", data(-1)));
  auto until = std::chrono::steady_clock::now() + 10s;
  delivery first;
  for (;;) {
    {
      std::lock_guard<std::mutex> guard{local_mtx};
      if (!local_log->empty()) {
        first = local_log->front();
        break;
      }
    }
    BOOST_REQUIRE(std::chrono::steady_clock::now() < until);
    std::this_thread::sleep_for(5ms);
  }
  // Stats asked by the actor that sent the credit come after it: messages
  // between two actors keep their order.
  auto credit_then_stats = [&](caf::actor_system& from,
                               const channel_actor& to, uint64_t token) {
    caf::scoped_actor x{from};
    x->send(to, credit_atom::value, token, uint32_t{1});
    channel_stats result;
    x->request(to, 10s, stats_atom::value)
      .receive([&](const channel_stats& st) { result = st; },
               [&](const caf::error& err) {
                 BOOST_FAIL("stats: " << error_message(err));
               });
    return result;
  };
  auto before = ch.stats();
  BOOST_REQUIRE(before);
  BOOST_REQUIRE_EQUAL(before->subscribers, 1u);
  BOOST_REQUIRE_EQUAL(before->in_flight, 1u);
  auto after = credit_then_stats(client, remote_ch->actor(),
                                 first.credit_token + 1);
  BOOST_TEST(after.in_flight == 1u);
  after = credit_then_stats(sys, ch.actor(), first.credit_token ^ 1u);
  BOOST_TEST(after.in_flight == 1u);
  // The subscription's own token counts, wherever it comes from.
  auto ok = credit_then_stats(client, remote_ch->actor(), first.credit_token);
  BOOST_TEST(ok.refused == before->refused);
  BOOST_TEST(ok.in_flight == 0u);
  // A remote subscriber that goes down ends its subscription, counted as a
  // remote down (CAF cannot say whether its node or a peer said so).
  auto sub2 = client.spawn(slow_subscriber, log, caf::timespan{1ms});
  BOOST_REQUIRE(remote_ch->subscribe("far2", sub2));
  BOOST_REQUIRE_EQUAL(ch.stats()->subscribers, 2u);
  caf::anon_send_exit(sub2, caf::exit_reason::kill);
  auto down_until = std::chrono::steady_clock::now() + 10s;
  while (ch.stats()->subscribers != 1u
         && std::chrono::steady_clock::now() < down_until)
    std::this_thread::sleep_for(5ms);
  auto downs = ch.stats();
  BOOST_REQUIRE(downs);
  BOOST_TEST(downs->subscribers == 1u);
  BOOST_TEST(downs->remote_downs == 1u);
  caf::anon_send_exit(sub, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(local, caf::exit_reason::user_shutdown);
  n->stop();
}

BOOST_AUTO_TEST_SUITE_END()
