// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests the blocking channel API on a real actor system: round trips,
// blocking drain, invalid handles, ownership, concurrent writers on several
// channels. Every wait is bounded.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "channel_fixture.hpp"

#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

// -- the blocking API on real threads -----------------------------------------

namespace {

/// Deliveries recorded by a subscriber on another thread.
struct shared_log {
  std::mutex mtx;
  std::condition_variable cv;
  std::vector<delivery> items;

  /// Waits at most `timeout` until `n` deliveries are there.
  bool wait_for(size_t n, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> guard{mtx};
    return cv.wait_for(guard, timeout, [&] { return items.size() >= n; });
  }

  id_list ids() {
    std::lock_guard<std::mutex> guard{mtx};
    return ids_of(items);
  }
};

subscriber_actor::behavior_type
threaded_recorder(subscriber_actor::pointer, std::shared_ptr<shared_log> log) {
  return {
    [log](push_atom, delivery& x) {
      std::lock_guard<std::mutex> guard{log->mtx};
      log->items.push_back(std::move(x));
      log->cv.notify_all();
    },
  };
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(channel_blocking, test::threaded_fixture)

BOOST_AUTO_TEST_CASE(blocking_operations_round_trip,
                     *tt::timeout(test_timeout)) {
  // Keeps history: the host operations below count the two messages
  // acknowledged first (a channel without history drops them at once).
  channel_config cfg;
  cfg.id = "t-blocking";
  cfg.keep_history = true;
  auto ch = spawn_channel(sys, cfg);
  ch.timeout(10s);
  BOOST_TEST(ch.owning());
  auto early = ch.write("alice", data(0));
  BOOST_REQUIRE(!early);
  BOOST_TEST(is(early.error(), ec::not_accepting_writes));
  BOOST_REQUIRE(ch.start());
  auto log = std::make_shared<shared_log>();
  auto rec = sys.spawn(threaded_recorder, log);
  BOOST_REQUIRE(ch.subscribe("watcher", rec));
  auto id1 = ch.write("alice", data(1));
  BOOST_REQUIRE(id1);
  auto id2 = ch.write("alice", channel_message::builder{}
                                 .id("t-m2")
                                 .sender_id("alice")
                                 .content(data(2))
                                 .build());
  BOOST_REQUIRE(id2);
  BOOST_TEST(*id2 == "t-m2");
  auto dup = ch.write(
    "alice", channel_message::builder{}.id("t-m2").sender_id("alice").build());
  BOOST_REQUIRE(!dup);
  BOOST_TEST(is(dup.error(), ec::duplicate_message_id));
  BOOST_REQUIRE(log->wait_for(2, std::chrono::milliseconds{5000}));
  BOOST_TEST(log->ids() == (id_list{*id1, *id2}));
  BOOST_REQUIRE(ch.unsubscribe("watcher"));
  auto got = ch.read("r", 10);
  BOOST_REQUIRE(got);
  BOOST_TEST(ids_of(*got) == (id_list{*id1, *id2}));
  auto after = ch.read("r2", 10, *id1);
  BOOST_REQUIRE(after);
  BOOST_TEST(ids_of(*after) == id_list{*id2});
  auto unknown = ch.read("r2", 10, "nope");
  BOOST_REQUIRE(!unknown);
  BOOST_TEST(is(unknown.error(), ec::unknown_message_id));
  auto claimed = ch.read_exclusive("x", 1);
  BOOST_REQUIRE(claimed);
  BOOST_TEST(ids_of(*claimed) == id_list{*id1});
  BOOST_TEST(value_or(ch.nack("x", {*id1}), 0) == 1u);
  claimed = ch.read_exclusive("x", 10);
  BOOST_REQUIRE(claimed);
  BOOST_TEST(ids_of(*claimed) == (id_list{*id1, *id2}));
  auto foreign = ch.acknowledge("y", {*id1});
  BOOST_REQUIRE(!foreign);
  BOOST_TEST(is(foreign.error(), ec::not_claimed));
  BOOST_TEST(value_or(ch.acknowledge("x", {*id1, *id2}), 0) == 2u);
  // Host operations.
  auto id3 = ch.write("alice", data(3));
  BOOST_REQUIRE(id3);
  std::this_thread::sleep_for(20ms);
  auto id4 = ch.write("bob", data(4));
  BOOST_REQUIRE(id4);
  auto recent = ch.read("r3", 10, *id2);
  BOOST_REQUIRE(recent);
  BOOST_REQUIRE(recent->size() == 2u);
  auto cut = recent->at(1).timestamp() - 0.01; // between id3 and id4
  BOOST_TEST(value_or(ch.evict("admin", cut, std::nullopt), 0) == 3u);
  BOOST_TEST(value_or(ch.remove("admin", {*id4}), 0) == 1u);
  BOOST_REQUIRE(ch.write("alice", data(5)));
  message_filter by_alice;
  by_alice.sender_id = "alice";
  BOOST_TEST(value_or(ch.clear("admin", by_alice), 0) == 1u);
  BOOST_REQUIRE(
    ch.set_policy("admin", access_policy::acl({{"admin", role::admin}})));
  auto refused = ch.write("alice", data(6));
  BOOST_REQUIRE(!refused);
  BOOST_TEST(is(refused.error(), ec::not_authorized));
  auto st = ch.stats();
  BOOST_REQUIRE(st);
  BOOST_TEST(st->id == "t-blocking");
  BOOST_TEST(st->writes == 5u);
  BOOST_TEST(st->stored == 0u);
  BOOST_TEST(st->unauthorized == 1u);
  // A stopped channel answers at once with channel_down.
  BOOST_REQUIRE(ch.stop("admin"));
  auto start = std::chrono::steady_clock::now();
  auto down = ch.write("admin", data(7));
  auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_REQUIRE(!down);
  BOOST_TEST(is(down.error(), ec::channel_down), error_message(error_of(down)));
  BOOST_TEST(mentions(down.error(), "channel 't-blocking'"));
  BOOST_TEST((elapsed < 2s));
  auto down_stats = ch.stats();
  BOOST_REQUIRE(!down_stats);
  BOOST_TEST(is(down_stats.error(), ec::channel_down));
  caf::anon_send_exit(rec, caf::exit_reason::kill);
}

BOOST_AUTO_TEST_CASE(blocking_drain_waits_for_an_acknowledgement,
                     *tt::timeout(test_timeout)) {
  // Keeps history: the acknowledged message stays stored (a channel
  // without history drops it at once).
  channel_config cfg;
  cfg.id = "t-drain";
  cfg.keep_history = true;
  auto ch = spawn_channel(sys, cfg);
  ch.timeout(10s);
  BOOST_REQUIRE(ch.start());
  auto id = ch.write("w", data(1));
  BOOST_REQUIRE(id);
  auto claimed = ch.read_exclusive("worker", 1);
  BOOST_REQUIRE(claimed);
  BOOST_REQUIRE(claimed->size() == 1u);
  auto acker = std::async(std::launch::async, [ch, msg_id = *id] {
    std::this_thread::sleep_for(200ms);
    return ch.acknowledge("worker", {msg_id});
  });
  auto start = std::chrono::steady_clock::now();
  auto drained = ch.drain("admin");
  auto elapsed = std::chrono::steady_clock::now() - start;
  BOOST_TEST(static_cast<bool>(drained));
  BOOST_TEST((elapsed >= 150ms));
  BOOST_TEST((elapsed < 10s));
  BOOST_REQUIRE(acker.wait_for(10s) == std::future_status::ready);
  BOOST_TEST(value_or(acker.get(), 0) == 1u);
  // Drained, not down: reads are served, writes refused as drained.
  auto after = ch.stats();
  BOOST_REQUIRE(after);
  BOOST_TEST(!after->accepting);
  BOOST_TEST(after->stored == 1u);
  auto refused = ch.write("w", data(2));
  BOOST_REQUIRE(!refused);
  BOOST_TEST(is(refused.error(), ec::not_accepting_writes));
  // Reads are served (the only message was acknowledged: consumed).
  auto read = ch.read("late-reader", 10);
  BOOST_REQUIRE(read);
  BOOST_TEST(read->empty());
  BOOST_REQUIRE(ch.stop("admin"));
  auto down = ch.stats();
  BOOST_REQUIRE(!down);
  BOOST_TEST(is(down.error(), ec::channel_down));
}

BOOST_AUTO_TEST_CASE(an_invalid_handle_fails_with_channel_down,
                     *tt::timeout(test_timeout)) {
  channel none;
  BOOST_TEST(!none);
  auto r = none.stats();
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::channel_down));
  auto w = none.write("w", data(1));
  BOOST_REQUIRE(!w);
  BOOST_TEST(is(w.error(), ec::channel_down));
}

BOOST_AUTO_TEST_CASE(dropping_the_last_handle_stops_the_channel,
                     *tt::timeout(test_timeout)) {
  auto ch = spawn_channel(sys, "t-owned");
  ch.timeout(10s);
  BOOST_REQUIRE(ch.start());
  auto weak = channel{ch.actor(), ch.id()};
  weak.timeout(10s);
  BOOST_REQUIRE(weak.stats());
  ch = channel{};
  // The release is asynchronous: wait (bounded) until the channel is gone.
  auto deadline = std::chrono::steady_clock::now() + 10s;
  caf::expected<channel_stats> st = weak.stats();
  while (st && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
    st = weak.stats();
  }
  BOOST_REQUIRE(!st);
  BOOST_TEST(is(st.error(), ec::channel_down));
  // The directory forgets it as the channel's clean-up finishes.
  auto found = find_channel(sys, "t-owned");
  while (found && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(10ms);
    found = find_channel(sys, "t-owned");
  }
  BOOST_TEST(!found.has_value());
}

// Writer threads on several channels at once: the channel actors run on
// both worker threads side by side, so shared state between channels (in the
// library) is touched concurrently, where ThreadSanitizer can see a race.
// Each channel keeps every message of every writer, in that writer's order.
BOOST_AUTO_TEST_CASE(concurrent_writers_on_several_channels,
                     *tt::timeout(test_timeout)) {
  constexpr int n_channels = 3;
  constexpr int n_writers = 4;
  constexpr int per_writer = 300;
  std::vector<channel> chans;
  for (int c = 0; c < n_channels; ++c) {
    chans.push_back(spawn_channel(sys, "t-concurrent-" + std::to_string(c)));
    chans.back().timeout(10s);
    BOOST_REQUIRE(chans.back().start());
  }
  std::vector<std::future<int>> writers;
  for (int w = 0; w < n_writers; ++w)
    writers.push_back(std::async(std::launch::async, [chans, w] {
      int failed = 0;
      auto sender = "writer-" + std::to_string(w);
      for (int i = 0; i < per_writer; ++i)
        if (!chans[static_cast<size_t>((w + i) % n_channels)].write(sender,
                                                                   data(i)))
          ++failed;
      return failed;
    }));
  for (auto& writer : writers) {
    BOOST_REQUIRE(writer.wait_for(30s) == std::future_status::ready);
    BOOST_TEST(writer.get() == 0);
  }
  size_t total = 0;
  for (auto& ch : chans) {
    auto got = ch.read("checker", 10'000);
    BOOST_REQUIRE(got);
    total += got->size();
    std::map<std::string, int> last; // sender -> last n seen
    for (auto& msg : *got) {
      auto n = msg.content().data().at("n").get<int>();
      auto [pos, fresh] = last.emplace(msg.sender_id(), n);
      if (!fresh) {
        BOOST_TEST(n > pos->second, msg.sender_id() << " wrote " << n
                                                    << " after " << pos->second
                                                    << " on " << ch.id());
        pos->second = n;
      }
    }
    BOOST_TEST(last.size() == static_cast<size_t>(n_writers));
    auto st = ch.stats();
    BOOST_REQUIRE(st);
    BOOST_TEST(st->writes == got->size());
  }
  BOOST_TEST(total == static_cast<size_t>(n_writers * per_writer));
}


BOOST_AUTO_TEST_CASE(evict_before_a_messages_own_timestamp_keeps_it,
                     *tt::timeout(test_timeout)) {
  // A stamp in nanoseconds read back as seconds (a double, about 238 ns
  // apart today) used to round up about half the time, evicting the
  // message as older than itself.
  auto ch = spawn_channel(sys, "t-evict-own");
  ch.timeout(10s);
  BOOST_REQUIRE(ch.start());
  const int64_t base = 1'764'000'000'123'456'789;
  for (int64_t k = 0; k < 500; ++k) {
    auto msg = channel_message::builder{}
                 .id("m-" + std::to_string(k))
                 .sender_id("w")
                 .timestamp_ns(base + k * 37)
                 .build();
    auto t = msg.timestamp();
    BOOST_REQUIRE(ch.write("w", msg));
    auto kept = ch.evict("admin", t, std::nullopt);
    BOOST_REQUIRE(kept);
    BOOST_TEST_REQUIRE(*kept == 0u, "evict(before = its own timestamp "
                                      << std::to_string(t)
                                      << ") evicted message " << k);
    // Any later reading evicts it.
    auto gone = ch.evict("admin", std::nextafter(t, 1e10), std::nullopt);
    BOOST_REQUIRE(gone);
    BOOST_TEST_REQUIRE(*gone == 1u);
  }
  // The exact form, in nanoseconds.
  auto msg = channel_message::builder{}
               .id("m-exact")
               .sender_id("w")
               .timestamp_ns(base)
               .build();
  BOOST_REQUIRE(ch.write("w", msg));
  BOOST_TEST(value_or(ch.evict("admin", {base, std::nullopt}), 9) == 0u);
  BOOST_TEST(value_or(ch.evict("admin", {base + 1, std::nullopt}), 9) == 1u);
}

BOOST_AUTO_TEST_CASE(pending_ops_take_what_cafs_response_handles_take,
                     *tt::timeout(test_timeout)) {
  // Error handlers by mutable or const reference or by value, `then` with one
  // handler, a stored handle, and `receive` from a scoped actor.
  auto ch = spawn_channel(sys, "handles");
  BOOST_REQUIRE(ch.start());
  auto results = std::make_shared<std::promise<std::vector<std::string>>>();
  auto done = results->get_future();
  sys.spawn([ch, results](caf::event_based_actor* self) {
    auto seen = std::make_shared<std::vector<std::string>>();
    auto finish = [seen, results] {
      if (seen->size() == 4)
        results->set_value(*seen);
    };
    // A stored pending op, used later.
    auto stored = ch.write(self, "w", content{json{{"x", 1}}});
    stored.then([seen, finish](const std::string&) {
      seen->push_back("stored");
      finish();
    });
    ch.read_exclusive(self, "", 1)
      .then([](const std::vector<channel_message>&) {},
            [seen, finish](caf::error& err) {
              seen->push_back("mutable " + error_message(err));
              finish();
            });
    ch.read_exclusive(self, "", 1)
      .then([](const std::vector<channel_message>&) {},
            [seen, finish](const caf::error& err) {
              seen->push_back("const " + to_string(static_cast<ec>(
                                 err.code())));
              finish();
            });
    ch.read_exclusive(self, "", 1)
      .then([](const std::vector<channel_message>&) {},
            [seen, finish](caf::error err) {
              seen->push_back(err ? "by value" : "none");
              finish();
            });
  });
  BOOST_REQUIRE(done.wait_for(std::chrono::seconds{10})
                == std::future_status::ready);
  auto seen = done.get();
  BOOST_REQUIRE_EQUAL(seen.size(), 4u);
  BOOST_TEST(std::count(seen.begin(), seen.end(), "stored") == 1);
  BOOST_TEST(std::count(seen.begin(), seen.end(), "by value") == 1);
  BOOST_TEST(std::count(seen.begin(), seen.end(), "const invalid_argument")
             == 1);
  BOOST_TEST(std::count_if(seen.begin(), seen.end(), [](const std::string& x) {
               return x.rfind("mutable empty reader id", 0) == 0;
             })
             == 1);
  // From a blocking actor, with our error in the handler.
  caf::scoped_actor self{sys};
  caf::error err;
  ch.read_exclusive(self.ptr(), "", 1)
    .receive([](const std::vector<channel_message>&) {},
             [&](caf::error& e) { err = e; });
  BOOST_TEST(is(err, ec::invalid_argument), error_message(err));
}

BOOST_AUTO_TEST_CASE(literal_ids_and_a_zero_limit_pick_the_blocking_calls,
                     *tt::timeout(test_timeout)) {
  // `"r"` and `0` once matched the overloads for event-based actors as well
  // (`Self* = const char*`, `0` as a null `std::string`): ambiguous.
  auto ch = spawn_channel(sys, "t-literal");
  ch.timeout(10s);
  BOOST_REQUIRE(ch.start());
  BOOST_REQUIRE(ch.write("w", data(1)));
  auto shared = ch.read("r", 0);
  BOOST_REQUIRE(shared);
  BOOST_TEST(shared->empty());
  auto claimed = ch.read_exclusive("w", 0);
  BOOST_REQUIRE(claimed);
  BOOST_TEST(claimed->empty());
  BOOST_TEST(value_or(ch.read("r", 5), message_list{}).size() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
