// Tests the channel (sssn::channel, sssn::spawn_channel and the channel
// actor) against every rule of CHANNELS.md: start, writes and their check
// order, shared and exclusive reads, push subscriptions and responder
// groups, host operations, retention, idle readers, drain and stop,
// authorization, robustness, ownership, and the blocking API. Covers the
// channel defects of SSSN that we fix: #3 (eviction never makes a reader
// skip a stored message), #4 (`after` with an unknown id is an error) and
// #6 (only the claimer, or an admin, acknowledges a claim).
//
// Most tests run on the deterministic fixture (time moves only with
// `advance`); the `channel_blocking` suite runs on real threads with every
// wait bounded.

#include "timeout_scale.hpp"
#include <algorithm>
#include <chrono>
#include <cmath>
#include <condition_variable>
#include <cstdint>
#include <fstream>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <unistd.h>

#include <caf/actor_cast.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "fixture.hpp"

using namespace sssn;
using namespace std::chrono_literals;

namespace tt = boost::unit_test;

// Every test body has a deadline: a hang becomes a failure.
const unsigned test_timeout = sssn::test::scaled_timeout(60);

namespace {

using message_list = std::vector<channel_message>;
using id_list = std::vector<std::string>;
using delivery_log = std::shared_ptr<std::vector<delivery>>;

/// A subscriber that appends every push to `log` (deterministic tests run
/// every actor on the test thread, so no lock is needed).
subscriber_actor::behavior_type recorder(subscriber_actor::pointer,
                                         delivery_log log) {
  return {
    [log](push_atom, delivery& x) { log->push_back(std::move(x)); },
  };
}

/// Generic content `{"n": n}`.
content data(int n) {
  return content{json{{"n", n}}};
}

/// Content that no channel may store.
content not_finite() {
  return content{json{{"x", std::numeric_limits<double>::quiet_NaN()}}};
}

id_list ids_of(const message_list& xs) {
  id_list result;
  for (auto& x : xs)
    result.push_back(x.id());
  return result;
}

id_list ids_of(const std::vector<delivery>& xs) {
  id_list result;
  for (auto& x : xs)
    result.push_back(x.message.id());
  return result;
}

id_list slice(const id_list& xs, size_t first, size_t last) {
  return id_list(xs.begin() + first, xs.begin() + last);
}

bool mentions(const caf::error& err, const std::string& text) {
  return error_message(err).find(text) != std::string::npos;
}

/// Returns the value of `x`, or `fallback` if `x` holds an error.
template <class T, class U>
T value_or(const caf::expected<T>& x, U&& fallback) {
  return x ? *x : T(std::forward<U>(fallback));
}

/// Returns the error of `x`, or no error if `x` holds a value.
template <class T>
caf::error error_of(const caf::expected<T>& x) {
  return x ? caf::error{} : x.error();
}

/// Returns the resident set size of this process in bytes.
size_t resident_bytes() {
  std::ifstream in{"/proc/self/statm"};
  size_t total = 0;
  size_t resident = 0;
  in >> total >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

/// The deterministic fixture plus one helper per channel operation. Every
/// helper sends the typed request and runs the scheduler until it is
/// answered.
struct fixture : test::deterministic_fixture {
  caf::expected<std::string> write(const channel& ch, const std::string& sender,
                                   content x) {
    return call<std::string>(ch.actor(), write_atom::value, sender,
                             std::move(x));
  }

  caf::expected<std::string> write(const channel& ch, const std::string& sender,
                                   channel_message msg,
                                   write_options opts = {}) {
    return call<std::string>(ch.actor(), write_atom::value, sender,
                             std::move(msg), std::move(opts));
  }

  /// Writes `n` messages `{"n": i}` from `sender`; returns their ids.
  id_list write_n(const channel& ch, const std::string& sender, int n) {
    id_list result;
    for (int i = 0; i < n; ++i) {
      auto id = write(ch, sender, data(i));
      BOOST_REQUIRE_MESSAGE(id, error_message(error_of(id)));
      result.push_back(*id);
    }
    return result;
  }

  caf::expected<message_list> read(const channel& ch, const std::string& reader,
                                   uint32_t limit,
                                   const std::string& after = {}) {
    return call<message_list>(ch.actor(), read_atom::value, reader, limit,
                              after);
  }

  /// Shared read that must succeed; returns the ids.
  id_list read_ids(const channel& ch, const std::string& reader, uint32_t limit,
                   const std::string& after = {}) {
    auto xs = read(ch, reader, limit, after);
    BOOST_REQUIRE_MESSAGE(xs, error_message(error_of(xs)));
    return ids_of(*xs);
  }

  caf::expected<message_list> claim(const channel& ch,
                                    const std::string& reader, uint32_t limit) {
    return call<message_list>(ch.actor(), claim_atom::value, reader, limit);
  }

  /// Exclusive read that must succeed; returns the ids.
  id_list claim_ids(const channel& ch, const std::string& reader,
                    uint32_t limit) {
    auto xs = claim(ch, reader, limit);
    BOOST_REQUIRE_MESSAGE(xs, error_message(error_of(xs)));
    return ids_of(*xs);
  }

  caf::expected<uint64_t> ack(const channel& ch, const std::string& reader,
                              id_list ids) {
    return call<uint64_t>(ch.actor(), ack_atom::value, reader, std::move(ids));
  }

  caf::expected<uint64_t> nack(const channel& ch, const std::string& reader,
                               id_list ids) {
    return call<uint64_t>(ch.actor(), nack_atom::value, reader, std::move(ids));
  }

  caf::expected<caf::unit_t>
  subscribe(const channel& ch, const std::string& system_id,
            subscriber_actor hdl, subscription opts = {}) {
    return call<caf::unit_t>(ch.actor(), subscribe_atom::value, system_id,
                             std::move(hdl), std::move(opts));
  }

  caf::expected<caf::unit_t> unsubscribe(const channel& ch,
                                         const std::string& system_id) {
    return call<caf::unit_t>(ch.actor(), unsubscribe_atom::value, system_id);
  }

  caf::expected<uint64_t> clear(const channel& ch, const std::string& admin,
                                message_filter filter = {}) {
    return call<uint64_t>(ch.actor(), clear_atom::value, admin,
                          std::move(filter));
  }

  caf::expected<uint64_t> evict(const channel& ch, const std::string& admin,
                                std::optional<int64_t> before_ns,
                                std::optional<uint64_t> max_count) {
    evict_options opts;
    opts.before_ns = before_ns;
    opts.max_count = max_count;
    return call<uint64_t>(ch.actor(), evict_atom::value, admin,
                          std::move(opts));
  }

  caf::expected<uint64_t> remove(const channel& ch, const std::string& admin,
                                 id_list ids) {
    return call<uint64_t>(ch.actor(), remove_atom::value, admin,
                          std::move(ids));
  }

  caf::expected<caf::unit_t> set_policy(const channel& ch,
                                        const std::string& admin,
                                        access_policy policy) {
    return call<caf::unit_t>(ch.actor(), policy_atom::value, admin,
                             std::move(policy));
  }

  /// Returns the channel's stats (which must be available).
  channel_stats stats(const channel& ch) {
    auto result = call<channel_stats>(ch.actor(), stats_atom::value);
    BOOST_REQUIRE_MESSAGE(result, error_message(error_of(result)));
    return *result;
  }

  /// Returns whether the channel has terminated: a request to it bounces.
  bool is_down(const channel& ch) {
    auto result = call<channel_stats>(ch.actor(), stats_atom::value);
    return !result && result.error() == caf::sec::request_receiver_down;
  }

  /// Returns whether the channel is drained: up, refusing writes as
  /// drained, reads still served.
  bool is_drained(const channel& ch) {
    auto r = write(ch, "drain-probe", data(0));
    return !is_down(ch) && !r && is(r.error(), ec::not_accepting_writes)
           && mentions(r.error(), "drained") && read(ch, "drain-probe", 1);
  }

  /// Returns whether an answer waits in `self`'s mailbox.
  bool has_answer() {
    return !self->mailbox().empty();
  }

  subscriber_actor spawn_recorder(delivery_log log) {
    return sys.spawn(recorder, std::move(log));
  }

  /// Returns a message with id `id` from `sender` holding `{"n": n}`.
  static channel_message message(const std::string& id,
                                 const std::string& sender, int n = 0) {
    return channel_message::builder{}
      .id(id)
      .sender_id(sender)
      .content(data(n))
      .build();
  }

  /// Returns a message with a correlation id.
  static channel_message correlated(const std::string& id,
                                    const std::string& corr) {
    return channel_message::builder{}
      .id(id)
      .sender_id("w")
      .correlation_id(corr)
      .build();
  }

  /// The ACL used by the authorization tests.
  static access_policy acl() {
    return access_policy::acl({{"admin", role::admin},
                               {"writer", role::write},
                               {"reader", role::read}});
  }

  static channel_config acl_config(const std::string& id) {
    channel_config cfg;
    cfg.id = id;
    cfg.policy = acl();
    return cfg;
  }
};

} // namespace

// -- start and the write checks -----------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_start, fixture)

BOOST_AUTO_TEST_CASE(writes_need_start, *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-start", false);
  auto r1 = write(ch, "alice", data(1));
  BOOST_REQUIRE(!r1);
  BOOST_TEST(is(r1.error(), ec::not_accepting_writes));
  BOOST_TEST(mentions(r1.error(), "channel 'c-start'"),
             error_message(error_of(r1)));
  BOOST_TEST(mentions(r1.error(), "not accepting writes"));
  auto r2 = write(ch, "alice", message("m-1", "alice"));
  BOOST_REQUIRE(!r2);
  BOOST_TEST(is(r2.error(), ec::not_accepting_writes));
  BOOST_TEST(mentions(r2.error(), "channel 'c-start'"));
  auto st = stats(ch);
  BOOST_TEST(!st.accepting);
  BOOST_TEST(st.stored == 0u);
  BOOST_TEST(st.refused == 2u);
  BOOST_REQUIRE(call<caf::unit_t>(ch.actor(), start_atom::value));
  BOOST_TEST(stats(ch).accepting);
  BOOST_TEST(static_cast<bool>(write(ch, "alice", data(1))));
  // Starting twice is harmless.
  BOOST_REQUIRE(call<caf::unit_t>(ch.actor(), start_atom::value));
  BOOST_TEST(stats(ch).stored == 1u);
}

BOOST_AUTO_TEST_CASE(writes_after_drain_began_are_refused,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-drained");
  auto ids = write_n(ch, "alice", 1);
  BOOST_REQUIRE(claim_ids(ch, "worker", 1) == ids); // keeps the drain open
  auto rh = self->request(ch.actor(), caf::infinite, drain_atom::value,
                          std::string{"admin"});
  run();
  BOOST_REQUIRE(!has_answer());
  auto r = write(ch, "alice", data(2));
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::not_accepting_writes));
  BOOST_TEST(mentions(r.error(), "channel 'c-drained'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "draining"));
  // A draining channel cannot be started again.
  auto again = call<caf::unit_t>(ch.actor(), start_atom::value);
  BOOST_REQUIRE(!again);
  BOOST_TEST(is(again.error(), ec::not_accepting_writes));
  BOOST_TEST(!stats(ch).accepting);
  BOOST_TEST(value_or(ack(ch, "worker", ids), 0) == 1u);
  BOOST_REQUIRE(has_answer());
  bool drained = false;
  std::move(rh).receive([&] { drained = true; },
                        [&](caf::error& err) {
                          BOOST_FAIL("drain failed: " << error_message(err));
                        });
  BOOST_TEST(drained);
  // Drained: still up, still refusing writes.
  BOOST_TEST(!is_down(ch));
  BOOST_TEST(mentions(error_of(write(ch, "alice", data(3))), "drained"));
}

BOOST_AUTO_TEST_CASE(write_checks_accepting_then_authorization_then_shape,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel(acl_config("c-order"), false);
  // Not started: refused as not accepting, whoever writes whatever.
  for (auto who : {"reader", "mallory", "writer"}) {
    auto r = write(ch, who, not_finite());
    BOOST_REQUIRE(!r);
    BOOST_TEST(is(r.error(), ec::not_accepting_writes), who);
    auto d = write(ch, who, message("m-x", "someone-else"));
    BOOST_REQUIRE(!d);
    BOOST_TEST(is(d.error(), ec::not_accepting_writes), who);
  }
  BOOST_REQUIRE(call<caf::unit_t>(ch.actor(), start_atom::value));
  // Started: an unauthorized writer hears about authorization, not shape.
  for (auto who : {"reader", "mallory"}) {
    auto r = write(ch, who, not_finite());
    BOOST_REQUIRE(!r);
    BOOST_TEST(is(r.error(), ec::not_authorized), who);
    BOOST_TEST(mentions(r.error(), std::string{"'"} + who + "'"),
               error_message(error_of(r)));
    BOOST_TEST(mentions(r.error(), "channel 'c-order'"));
    auto d = write(ch, who, message("m-x", "someone-else"));
    BOOST_REQUIRE(!d);
    BOOST_TEST(is(d.error(), ec::not_authorized), who);
  }
  // An authorized writer of malformed data hears about the shape.
  auto r = write(ch, "writer", not_finite());
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::invalid_content));
  BOOST_TEST(mentions(r.error(), "channel 'c-order'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "'writer'"));
  BOOST_TEST(stats(ch).stored == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

// -- writes -------------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_write, fixture)

BOOST_AUTO_TEST_CASE(wrapped_write_makes_a_stamped_message,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-wrap");
  auto before = std::chrono::duration<double>(
                  std::chrono::system_clock::now().time_since_epoch())
                  .count();
  auto id1 = write(ch, "alice", data(1));
  BOOST_REQUIRE(id1);
  advance(10s);
  auto id2 = write(ch, "bob", content{json{{"k", "v"}}});
  BOOST_REQUIRE(id2);
  BOOST_TEST(*id1 != *id2);
  BOOST_TEST(id1->size() == 36u);
  BOOST_TEST(id1->at(14) == '4'); // a fresh UUID v4
  auto got = read(ch, "r", 10);
  BOOST_REQUIRE(got);
  BOOST_REQUIRE(got->size() == 2u);
  auto& m1 = got->at(0);
  auto& m2 = got->at(1);
  BOOST_TEST(m1.id() == *id1);
  BOOST_TEST(m1.sender_id() == "alice");
  BOOST_TEST((m1.content() == data(1)));
  BOOST_TEST(m1.has_timestamp());
  BOOST_TEST(m2.id() == *id2);
  BOOST_TEST(m2.sender_id() == "bob");
  BOOST_TEST(m2.content().data()["k"] == "v");
  // Typed content is stored as is, with its type name.
  auto typed = content::from_typed("demo.Point", json{{"x", 1}, {"y", 2}});
  auto id3 = write(ch, "carol", typed);
  BOOST_REQUIRE(id3);
  auto m3 = read(ch, "r", 10);
  BOOST_REQUIRE(m3);
  BOOST_REQUIRE(m3->size() == 1u);
  BOOST_TEST(m3->front().id() == *id3);
  BOOST_TEST((m3->front().content().kind() == content_kind::typed));
  BOOST_TEST(m3->front().content().type_name() == "demo.Point");
  BOOST_TEST((m3->front().content() == typed));
  // Timestamps come from the actor clock, mapped to Unix time once.
  BOOST_TEST(m2.timestamp_ns() - m1.timestamp_ns() == 10'000'000'000);
  BOOST_TEST(m1.timestamp() >= before - 5.0);
  BOOST_TEST(m1.timestamp() <= before + 60.0);
  BOOST_TEST(stats(ch).writes == 3u);
}

BOOST_AUTO_TEST_CASE(direct_write_keeps_the_given_message,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-direct");
  auto msg = channel_message::builder{}
               .id("m-1")
               .sender_id("alice")
               .content(data(1))
               .correlation_id("corr-1")
               .reply_to("replies")
               .recipient_id("bob")
               .metadata(json{{"k", 1}})
               .build();
  auto r = write(ch, "alice", msg);
  BOOST_REQUIRE(r);
  BOOST_TEST(*r == "m-1");
  advance(1s);
  auto stamped = channel_message::builder{}
                   .id("m-2")
                   .sender_id("alice")
                   .timestamp(1'000.5)
                   .build();
  BOOST_TEST(value_or(write(ch, "alice", stamped), "") == "m-2");
  auto got = read(ch, "r", 10);
  BOOST_REQUIRE(got);
  BOOST_REQUIRE(got->size() == 2u);
  auto& m1 = got->at(0);
  BOOST_TEST(m1.id() == "m-1");
  BOOST_TEST(m1.correlation_id().value_or("") == "corr-1");
  BOOST_TEST(m1.reply_to().value_or("") == "replies");
  BOOST_TEST(m1.recipient_id().value_or("") == "bob");
  BOOST_TEST(m1.metadata()["k"] == 1);
  BOOST_TEST((m1.content() == data(1)));
  // Stamped by the channel when written without a timestamp ...
  BOOST_TEST(m1.has_timestamp());
  BOOST_TEST(m1.timestamp() > 1'000'000'000.0);
  // ... and kept when the writer gave one.
  BOOST_TEST(got->at(1).timestamp() == 1'000.5);
}

BOOST_AUTO_TEST_CASE(direct_write_refuses_duplicates_and_impostors,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-dup");
  BOOST_REQUIRE(write(ch, "alice", message("m-1", "alice")));
  auto dup = write(ch, "alice", message("m-1", "alice", 2));
  BOOST_REQUIRE(!dup);
  BOOST_TEST(is(dup.error(), ec::duplicate_message_id));
  BOOST_TEST(mentions(dup.error(), "channel 'c-dup'"),
             error_message(error_of(dup)));
  BOOST_TEST(mentions(dup.error(), "'m-1'"));
  auto bad = write(ch, "alice", message("m-2", "mallory"));
  BOOST_REQUIRE(!bad);
  BOOST_TEST(is(bad.error(), ec::sender_mismatch));
  BOOST_TEST(mentions(bad.error(), "channel 'c-dup'"),
             error_message(error_of(bad)));
  BOOST_TEST(mentions(bad.error(), "'alice'"));
  BOOST_TEST(mentions(bad.error(), "'mallory'"));
  BOOST_TEST(mentions(bad.error(), "'m-2'"));
  // An empty message has no id: malformed.
  auto empty = write(ch, "alice", channel_message{});
  BOOST_REQUIRE(!empty);
  BOOST_TEST(is(empty.error(), ec::invalid_content));
  BOOST_TEST(mentions(empty.error(), "channel 'c-dup'"));
  // Only the first message is stored, unchanged.
  auto got = read(ch, "r", 10);
  BOOST_REQUIRE(got);
  BOOST_REQUIRE(got->size() == 1u);
  BOOST_TEST((got->front().content() == data(0)));
  auto st = stats(ch);
  BOOST_TEST(st.stored == 1u);
  BOOST_TEST(st.writes == 1u);
  BOOST_TEST(st.refused == 3u);
}

BOOST_AUTO_TEST_CASE(refused_content_loses_nothing_stored,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-nan");
  auto ids = write_n(ch, "alice", 3);
  auto r = write(ch, "alice", not_finite());
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::invalid_content));
  BOOST_TEST(mentions(r.error(), "channel 'c-nan'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "'alice'"));
  auto direct = channel_message::builder{}
                  .id("m-nan")
                  .sender_id("alice")
                  .content(not_finite())
                  .build();
  auto d = write(ch, "alice", direct);
  BOOST_REQUIRE(!d);
  BOOST_TEST(is(d.error(), ec::invalid_content));
  BOOST_TEST(mentions(d.error(), "'m-nan'"), error_message(error_of(d)));
  auto inf_meta
    = channel_message::builder{}
        .id("m-inf")
        .sender_id("alice")
        .metadata(json{{"x", std::numeric_limits<double>::infinity()}})
        .build();
  auto m = write(ch, "alice", inf_meta);
  BOOST_REQUIRE(!m);
  BOOST_TEST(is(m.error(), ec::invalid_content));
  BOOST_TEST(stats(ch).stored == 3u);
  BOOST_TEST(read_ids(ch, "r", 10) == ids);
}

BOOST_AUTO_TEST_SUITE_END()

// -- shared reads -------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_shared_read, fixture)

BOOST_AUTO_TEST_CASE(each_reader_has_its_own_cursor,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-read");
  auto ids = write_n(ch, "w", 5);
  BOOST_TEST(read_ids(ch, "r1", 2) == slice(ids, 0, 2));
  BOOST_TEST(read_ids(ch, "r1", 2) == slice(ids, 2, 4));
  // Reading never removes: another reader sees everything, oldest first.
  BOOST_TEST(read_ids(ch, "r2", 10) == ids);
  BOOST_TEST(read_ids(ch, "r1", 10) == slice(ids, 4, 5));
  BOOST_TEST(read_ids(ch, "r1", 10).empty());
  BOOST_TEST(read_ids(ch, "r2", 10).empty());
  // New messages show up behind each cursor.
  auto more = write_n(ch, "w", 2);
  BOOST_TEST(read_ids(ch, "r1", 10) == more);
  BOOST_TEST(read_ids(ch, "r2", 1) == slice(more, 0, 1));
  auto st = stats(ch);
  BOOST_TEST(st.stored == 7u);
  BOOST_TEST(st.readers == 2u);
  BOOST_TEST(st.reads == 2u + 2u + 5u + 1u + 2u + 1u);
}

BOOST_AUTO_TEST_CASE(limit_zero_reads_and_moves_nothing,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-zero");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(read_ids(ch, "r", 1) == slice(ids, 0, 1));
  BOOST_TEST(read_ids(ch, "r", 0).empty());
  BOOST_TEST(read_ids(ch, "r", 0, ids[1]).empty());
  BOOST_TEST(read_ids(ch, "r", 10) == slice(ids, 1, 3));
  BOOST_TEST(read_ids(ch, "fresh", 0).empty());
  BOOST_TEST(read_ids(ch, "fresh", 10) == ids);
}

BOOST_AUTO_TEST_CASE(read_after_an_id_moves_the_cursor_there,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-after");
  auto ids = write_n(ch, "w", 5);
  BOOST_TEST(read_ids(ch, "r", 2, ids[1]) == slice(ids, 2, 4));
  BOOST_TEST(read_ids(ch, "r", 10) == slice(ids, 4, 5));
  // `after` may go back, and reading after the last gives nothing.
  BOOST_TEST(read_ids(ch, "r", 10, ids[0]) == slice(ids, 1, 5));
  BOOST_TEST(read_ids(ch, "r2", 10, ids[4]).empty());
  BOOST_TEST(read_ids(ch, "r2", 10, ids[2]) == slice(ids, 3, 5));
}

BOOST_AUTO_TEST_CASE(read_after_an_unknown_id_is_an_error,
                     *tt::timeout(test_timeout)) {
  // SSSN defect #4: SSSN silently re-reads the whole channel.
  auto ch = make_channel("c-unknown");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(read_ids(ch, "r", 2) == slice(ids, 0, 2));
  auto r = read(ch, "r", 10, "never-stored");
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::unknown_message_id));
  BOOST_TEST(mentions(r.error(), "'never-stored'"), error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "channel 'c-unknown'"));
  // The failed read moved nothing.
  BOOST_TEST(read_ids(ch, "r", 10) == slice(ids, 2, 3));
  BOOST_TEST(stats(ch).refused == 1u);
}

BOOST_AUTO_TEST_CASE(read_after_an_evicted_id_starts_at_the_next_stored,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-gone");
  auto ids = write_n(ch, "w", 5);
  BOOST_REQUIRE(value_or(evict(ch, "admin", std::nullopt, 3), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r", 10, ids[0]) == slice(ids, 2, 5));
  BOOST_TEST(read_ids(ch, "r", 10, ids[1]) == slice(ids, 2, 5));
  BOOST_REQUIRE(value_or(remove(ch, "admin", {ids[3]}), 0) == 1u);
  BOOST_TEST(read_ids(ch, "r", 10, ids[3]) == slice(ids, 4, 5));
  BOOST_REQUIRE(value_or(clear(ch, "admin"), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r", 10, ids[4]).empty());
  auto later = write_n(ch, "w", 1);
  BOOST_TEST(read_ids(ch, "r2", 10, ids[2]) == later);
}

BOOST_AUTO_TEST_CASE(read_after_an_id_evicted_beyond_the_window_fails,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-window";
  cfg.evicted_window = 2;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 5);
  BOOST_REQUIRE(value_or(evict(ch, "admin", std::nullopt, 2), 0) == 3u);
  // The window remembers the last two evicted ids only.
  auto r = read(ch, "r", 10, ids[0]);
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::unknown_message_id));
  BOOST_TEST(mentions(r.error(), "'" + ids[0] + "'"),
             error_message(error_of(r)));
  BOOST_TEST(read_ids(ch, "r", 10, ids[1]) == slice(ids, 3, 5));
  BOOST_TEST(read_ids(ch, "r", 10, ids[2]) == slice(ids, 3, 5));
}

BOOST_AUTO_TEST_CASE(eviction_never_makes_a_reader_skip_a_stored_message,
                     *tt::timeout(test_timeout)) {
  // SSSN defect #3: SSSN's cursors are list positions, so removing messages
  // before a cursor makes the reader skip unread ones.
  auto ch = make_channel("c-defect3");
  id_list ids;
  for (int i = 0; i < 8; ++i) {
    auto id = "m" + std::to_string(i);
    BOOST_REQUIRE(write(ch, i % 2 == 0 ? "a" : "b",
                        message(id, i % 2 == 0 ? "a" : "b", i)));
    ids.push_back(id);
  }
  BOOST_TEST(read_ids(ch, "r", 4) == slice(ids, 0, 4));
  // clear(filter): drops m0, m2, m4, m6. The next unread stored one is m5.
  message_filter by_a;
  by_a.sender_id = "a";
  BOOST_REQUIRE(value_or(clear(ch, "admin", by_a), 0) == 4u);
  BOOST_TEST(read_ids(ch, "r", 1) == id_list{"m5"});
  // evict: drops m1 and m3 (already read). The next unread one is m7.
  BOOST_REQUIRE(value_or(evict(ch, "admin", std::nullopt, 2), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r", 1) == id_list{"m7"});
  // remove: drops read messages in front of another reader's cursor.
  BOOST_REQUIRE(write(ch, "a", message("m8", "a")));
  BOOST_REQUIRE(write(ch, "a", message("m9", "a")));
  BOOST_TEST(read_ids(ch, "r2", 1, "m7") == id_list{"m8"});
  BOOST_REQUIRE(value_or(remove(ch, "admin", {"m5", "m7", "m8"}), 0) == 3u);
  BOOST_TEST(read_ids(ch, "r2", 10) == id_list{"m9"});
  BOOST_TEST(read_ids(ch, "r", 10) == (id_list{"m9"}));
}

BOOST_AUTO_TEST_CASE(max_read_batch_caps_any_limit,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-batch";
  cfg.max_read_batch = 3;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 5);
  BOOST_TEST(read_ids(ch, "r", 100) == slice(ids, 0, 3));
  BOOST_TEST(read_ids(ch, "r", 100) == slice(ids, 3, 5));
  BOOST_TEST(claim_ids(ch, "x", 100) == slice(ids, 0, 3));
}

BOOST_AUTO_TEST_SUITE_END()

// -- exclusive reads ----------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_exclusive_read, fixture)

BOOST_AUTO_TEST_CASE(claims_hide_messages_until_acknowledged_or_released,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-claim");
  auto ids = write_n(ch, "w", 4);
  BOOST_TEST(claim_ids(ch, "A", 2) == slice(ids, 0, 2));
  BOOST_TEST(claim_ids(ch, "B", 10) == slice(ids, 2, 4));
  // Nobody else sees claimed messages, shared or exclusive.
  BOOST_TEST(claim_ids(ch, "A", 10).empty());
  BOOST_TEST(claim_ids(ch, "C", 10).empty());
  BOOST_TEST(read_ids(ch, "s1", 10).empty());
  BOOST_TEST(stats(ch).claimed == 4u);
  // Acknowledged: consumed for good. Released: claimable again.
  BOOST_TEST(value_or(ack(ch, "A", {ids[0]}), 0) == 1u);
  BOOST_TEST(value_or(nack(ch, "A", {ids[1]}), 0) == 1u);
  BOOST_TEST(stats(ch).claimed == 2u);
  BOOST_TEST(read_ids(ch, "s2", 10) == slice(ids, 1, 2));
  BOOST_TEST(claim_ids(ch, "C", 10) == slice(ids, 1, 2));
  BOOST_TEST(value_or(ack(ch, "B", {ids[2], ids[3]}), 0) == 2u);
  BOOST_TEST(value_or(ack(ch, "C", {ids[1]}), 0) == 1u);
  BOOST_TEST(stats(ch).claimed == 0u);
  // Acknowledged messages never come back, not even after a claim expiry.
  advance(31s);
  BOOST_TEST(claim_ids(ch, "D", 10).empty());
  BOOST_TEST(read_ids(ch, "s3", 10).empty());
  BOOST_TEST(stats(ch).expired_claims == 0u);
  // New messages are claimable as usual.
  auto more = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "D", 10) == more);
}

BOOST_AUTO_TEST_CASE(released_messages_are_visible_to_readers_not_past_them,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-nack");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(claim_ids(ch, "x", 1) == slice(ids, 0, 1));
  // "late" scans past the claimed message.
  BOOST_TEST(read_ids(ch, "late", 10) == slice(ids, 1, 3));
  BOOST_TEST(value_or(nack(ch, "x", {ids[0]}), 0) == 1u);
  // A reader that has not passed it sees it again; "late" does not.
  BOOST_TEST(read_ids(ch, "early", 10) == ids);
  BOOST_TEST(read_ids(ch, "late", 10).empty());
  // Exclusive readers see it again.
  BOOST_TEST(claim_ids(ch, "y", 10) == ids);
}

BOOST_AUTO_TEST_CASE(only_the_claimer_may_acknowledge_or_nack,
                     *tt::timeout(test_timeout)) {
  // SSSN defect #6, under the open policy where everybody is admin.
  auto ch = make_channel("c-own");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(claim_ids(ch, "A", 1) == slice(ids, 0, 1));
  auto r = ack(ch, "B", {ids[0]});
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::not_claimed));
  BOOST_TEST(mentions(r.error(), "channel 'c-own'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "'" + ids[0] + "'"));
  BOOST_TEST(mentions(r.error(), "'B'"));
  auto n = nack(ch, "B", {ids[0]});
  BOOST_REQUIRE(!n);
  BOOST_TEST(is(n.error(), ec::not_claimed));
  // Still A's claim.
  BOOST_TEST(stats(ch).claimed == 1u);
  BOOST_TEST(claim_ids(ch, "C", 1) == slice(ids, 1, 2));
  // A may not acknowledge C's claim nor a message nobody claimed.
  auto other = ack(ch, "A", {ids[1]});
  BOOST_REQUIRE(!other);
  BOOST_TEST(is(other.error(), ec::not_claimed));
  auto unclaimed = ack(ch, "A", {ids[2]});
  BOOST_REQUIRE(!unclaimed);
  BOOST_TEST(is(unclaimed.error(), ec::not_claimed));
  BOOST_TEST(mentions(unclaimed.error(), "'" + ids[2] + "'"));
  auto unknown = ack(ch, "A", {"no-such-id"});
  BOOST_REQUIRE(!unknown);
  BOOST_TEST(is(unknown.error(), ec::unknown_message_id));
  BOOST_TEST(mentions(unknown.error(), "'no-such-id'"));
  BOOST_TEST(mentions(unknown.error(), "channel 'c-own'"));
  // One bad id fails the whole call: nothing was acknowledged.
  auto mixed = ack(ch, "A", {ids[0], "no-such-id"});
  BOOST_REQUIRE(!mixed);
  BOOST_TEST(stats(ch).claimed == 2u);
  BOOST_TEST(value_or(ack(ch, "A", {ids[0]}), 0) == 1u);
  // Consumed: acknowledging again is refused.
  auto twice = ack(ch, "A", {ids[0]});
  BOOST_REQUIRE(!twice);
  BOOST_TEST(is(twice.error(), ec::not_claimed));
}

BOOST_AUTO_TEST_CASE(an_acl_admin_may_acknowledge_others_claims,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-admin-ack";
  cfg.policy = access_policy::acl(
    {{"admin", role::admin}, {"A", role::read}, {"B", role::read}});
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "admin", 2);
  BOOST_TEST(claim_ids(ch, "A", 2) == ids);
  auto r = ack(ch, "B", {ids[0]});
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::not_claimed));
  BOOST_TEST(value_or(ack(ch, "admin", {ids[0]}), 0) == 1u);
  BOOST_TEST(value_or(nack(ch, "admin", {ids[1]}), 0) == 1u);
  BOOST_TEST(claim_ids(ch, "B", 10) == slice(ids, 1, 2));
  // The claim moved to B: A lost it.
  auto lost = ack(ch, "A", {ids[1]});
  BOOST_REQUIRE(!lost);
  BOOST_TEST(is(lost.error(), ec::not_claimed));
}

BOOST_AUTO_TEST_CASE(claims_expire_after_30_seconds_by_default,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-expiry");
  auto ids = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "A", 1) == ids);
  advance(29s);
  BOOST_TEST(stats(ch).claimed == 1u);
  BOOST_TEST(claim_ids(ch, "B", 1).empty());
  BOOST_TEST(stats(ch).expired_claims == 0u);
  BOOST_TEST(read_ids(ch, "late", 10).empty()); // scans past the claim
  advance(2s);
  auto st = stats(ch);
  BOOST_TEST(st.claimed == 0u);
  BOOST_TEST(st.expired_claims == 1u);
  // Released: visible to shared readers that have not passed it ...
  BOOST_TEST(read_ids(ch, "early", 10) == ids);
  BOOST_TEST(read_ids(ch, "late", 10).empty());
  // ... and to exclusive readers.
  BOOST_TEST(claim_ids(ch, "B", 1) == ids);
  // A's claim is gone for good.
  auto late = ack(ch, "A", ids);
  BOOST_REQUIRE(!late);
  BOOST_TEST(is(late.error(), ec::not_claimed));
  BOOST_TEST(value_or(ack(ch, "B", ids), 0) == 1u);
}

BOOST_AUTO_TEST_CASE(claim_expiry_is_configurable, *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-expiry-5";
  cfg.claim_expiry = 5s;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "A", 1) == ids);
  advance(4s);
  BOOST_TEST(stats(ch).claimed == 1u);
  advance(2s);
  BOOST_TEST(stats(ch).claimed == 0u);
  BOOST_TEST(claim_ids(ch, "B", 1) == ids);
}

BOOST_AUTO_TEST_CASE(a_stale_expiry_never_releases_a_newer_claim,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-stale");
  auto ids = write_n(ch, "w", 1);
  BOOST_TEST(claim_ids(ch, "A", 1) == ids); // expires at t = 30 s
  advance(10s);
  BOOST_TEST(value_or(nack(ch, "A", ids), 0) == 1u);
  BOOST_TEST(claim_ids(ch, "B", 1) == ids); // expires at t = 40 s
  advance(21s);                             // t = 31 s
  BOOST_TEST(stats(ch).claimed == 1u);
  BOOST_TEST(stats(ch).expired_claims == 0u);
  BOOST_TEST(claim_ids(ch, "C", 1).empty());
  advance(10s); // t = 41 s
  BOOST_TEST(stats(ch).expired_claims == 1u);
  BOOST_TEST(claim_ids(ch, "C", 1) == ids);
}

BOOST_AUTO_TEST_SUITE_END()

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
  auto ch = make_channel("c-credit");
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

BOOST_AUTO_TEST_SUITE_END()

// -- host operations ----------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_host_ops, fixture)

BOOST_AUTO_TEST_CASE(clear_removes_all_or_what_matches,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-clear");
  BOOST_REQUIRE(write(ch, "a", message("a1", "a")));
  BOOST_REQUIRE(write(ch, "b", message("b1", "b")));
  BOOST_REQUIRE(write(ch, "w", correlated("c1", "job-1/x")));
  auto to_bob = channel_message::builder{}
                  .id("r1")
                  .sender_id("a")
                  .recipient_id("bob")
                  .build();
  BOOST_REQUIRE(write(ch, "a", to_bob));
  advance(5s);
  BOOST_REQUIRE(write(ch, "a", message("a2", "a")));
  message_filter f;
  f.sender_id = "b";
  BOOST_TEST(value_or(clear(ch, "admin", f), 0) == 1u);
  f = {};
  f.correlation_prefix = "job-";
  BOOST_TEST(value_or(clear(ch, "admin", f), 0) == 1u);
  f = {};
  f.recipient_id = "bob";
  BOOST_TEST(value_or(clear(ch, "admin", f), 0) == 1u);
  BOOST_TEST(read_ids(ch, "r", 10) == (id_list{"a1", "a2"}));
  // Older than a2: only a1.
  auto a2 = read(ch, "r2", 10, "a1");
  BOOST_REQUIRE(a2);
  BOOST_REQUIRE(a2->size() == 1u);
  f = {};
  f.before_ns = a2->front().timestamp_ns();
  BOOST_TEST(value_or(clear(ch, "admin", f), 0) == 1u);
  BOOST_TEST(read_ids(ch, "r3", 10) == (id_list{"a2"}));
  BOOST_TEST(value_or(clear(ch, "admin"), 0) == 1u);
  auto st = stats(ch);
  BOOST_TEST(st.stored == 0u);
  BOOST_TEST(st.evicted == 0u); // clearing is not eviction
}

BOOST_AUTO_TEST_CASE(clear_drops_claims_of_what_it_removes,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-clear-claim");
  auto ids = write_n(ch, "w", 2);
  BOOST_TEST(claim_ids(ch, "A", 2) == ids);
  BOOST_TEST(value_or(clear(ch, "admin"), 0) == 2u);
  BOOST_TEST(stats(ch).claimed == 0u);
  advance(31s);
  BOOST_TEST(stats(ch).expired_claims == 0u);
}

BOOST_AUTO_TEST_CASE(evict_goes_by_age_then_count, *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-evict");
  auto ids = write_n(ch, "w", 1);
  for (int i = 1; i < 5; ++i) {
    advance(1s);
    auto more = write_n(ch, "w", 1);
    ids.push_back(more.front());
  }
  auto all = read(ch, "r", 10);
  BOOST_REQUIRE(all);
  BOOST_REQUIRE(all->size() == 5u);
  auto ts = [&](size_t i) { return all->at(i).timestamp_ns(); };
  // Strictly older than m2's timestamp: m0 and m1, not m2.
  BOOST_TEST(value_or(evict(ch, "admin", ts(2), std::nullopt), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r2", 10) == slice(ids, 2, 5));
  // Age first (m2), then the oldest until one is left (m3).
  BOOST_TEST(value_or(evict(ch, "admin", ts(3), 1), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r3", 10) == slice(ids, 4, 5));
  BOOST_TEST(value_or(evict(ch, "admin", std::nullopt, 5), 1) == 0u);
  BOOST_TEST(value_or(evict(ch, "admin", ts(0), std::nullopt), 1) == 0u);
  BOOST_TEST(value_or(evict(ch, "admin", std::nullopt, std::nullopt), 1) == 0u);
  auto st = stats(ch);
  BOOST_TEST(st.evicted == 4u);
  BOOST_TEST(st.stored == 1u);
}

BOOST_AUTO_TEST_CASE(evict_by_age_looks_at_every_message,
                     *tt::timeout(test_timeout)) {
  // A direct write keeps the writer's timestamp, so stored messages need not
  // be in timestamp order; "strictly older than before" still means every
  // such message.
  auto ch = make_channel("c-evict-order");
  auto young = write_n(ch, "w", 1);
  auto stored = read(ch, "r", 1);
  BOOST_REQUIRE(stored);
  BOOST_REQUIRE(stored->size() == 1u);
  auto now_ns = stored->front().timestamp_ns();
  auto old_msg = channel_message::builder{}
                   .id("m-old")
                   .sender_id("w")
                   .timestamp_ns(now_ns - 3'600'000'000'000)
                   .build();
  BOOST_REQUIRE(write(ch, "w", old_msg));
  BOOST_TEST(
    value_or(evict(ch, "admin", now_ns - 60'000'000'000, std::nullopt), 0)
    == 1u);
  BOOST_TEST(read_ids(ch, "r2", 10) == young);
}

BOOST_AUTO_TEST_CASE(evict_never_takes_claimed_messages,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-evict-claim");
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(claim_ids(ch, "A", 1) == slice(ids, 0, 1));
  BOOST_TEST(value_or(evict(ch, "admin", std::nullopt, 0), 0) == 2u);
  BOOST_TEST(stats(ch).stored == 1u);
  BOOST_TEST(value_or(ack(ch, "A", slice(ids, 0, 1)), 0) == 1u);
}

BOOST_AUTO_TEST_CASE(remove_takes_listed_ids_or_nothing,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-remove");
  auto ids = write_n(ch, "w", 3);
  auto r = remove(ch, "admin", {ids[0], "ghost"});
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::unknown_message_id));
  BOOST_TEST(mentions(r.error(), "'ghost'"), error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "channel 'c-remove'"));
  BOOST_TEST(stats(ch).stored == 3u);
  BOOST_TEST(value_or(remove(ch, "admin", {ids[0], ids[1]}), 0) == 2u);
  BOOST_TEST(read_ids(ch, "r", 10) == slice(ids, 2, 3));
}

BOOST_AUTO_TEST_CASE(removing_a_claimed_message_drops_its_claim,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-remove-claim");
  auto ids = write_n(ch, "w", 2);
  BOOST_TEST(claim_ids(ch, "A", 2) == ids);
  BOOST_TEST(value_or(remove(ch, "admin", {ids[0]}), 0) == 1u);
  BOOST_TEST(stats(ch).claimed == 1u);
  auto r = ack(ch, "A", {ids[0]});
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::unknown_message_id));
  advance(31s);
  auto st = stats(ch);
  BOOST_TEST(st.expired_claims == 1u); // only the one still stored
  BOOST_TEST(st.claimed == 0u);
  BOOST_TEST(claim_ids(ch, "B", 10) == slice(ids, 1, 2));
}

BOOST_AUTO_TEST_CASE(host_operations_need_admin_under_an_acl,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel(acl_config("c-host-acl"));
  auto ids = write_n(ch, "writer", 3);
  auto check = [&](const caf::error& err, const char* what) {
    BOOST_TEST(is(err, ec::not_authorized), what);
    BOOST_TEST(mentions(err, "'writer'"), error_message(err));
    BOOST_TEST(mentions(err, "channel 'c-host-acl'"), error_message(err));
  };
  auto c = clear(ch, "writer");
  BOOST_REQUIRE(!c);
  check(c.error(), "clear");
  auto e = evict(ch, "writer", std::nullopt, 0);
  BOOST_REQUIRE(!e);
  check(e.error(), "evict");
  auto r = remove(ch, "writer", {ids[0]});
  BOOST_REQUIRE(!r);
  check(r.error(), "remove");
  auto p = set_policy(ch, "writer", access_policy::open());
  BOOST_REQUIRE(!p);
  check(p.error(), "set_policy");
  auto d = call<caf::unit_t>(ch.actor(), drain_atom::value,
                             std::string{"writer"});
  BOOST_REQUIRE(!d);
  check(d.error(), "drain");
  auto s = call<caf::unit_t>(ch.actor(), stop_atom::value,
                             std::string{"writer"});
  BOOST_REQUIRE(!s);
  check(s.error(), "stop");
  auto st = stats(ch);
  BOOST_TEST(st.stored == 3u);
  BOOST_TEST(st.accepting);
  BOOST_TEST(st.unauthorized == 6u);
  BOOST_TEST(value_or(remove(ch, "admin", {ids[0]}), 0) == 1u);
  BOOST_TEST(value_or(evict(ch, "admin", std::nullopt, 1), 0) == 1u);
  BOOST_TEST(value_or(clear(ch, "admin"), 0) == 1u);
}

BOOST_AUTO_TEST_SUITE_END()

// -- retention ----------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_retention, fixture)

BOOST_AUTO_TEST_CASE(the_count_bound_evicts_the_oldest,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-count";
  cfg.max_messages = 100;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 1000);
  auto st = stats(ch);
  BOOST_TEST(st.stored == 100u);
  BOOST_TEST(st.evicted == 900u);
  BOOST_TEST(st.writes == 1000u);
  BOOST_TEST(read_ids(ch, "r", 1000) == slice(ids, 900, 1000));
}

BOOST_AUTO_TEST_CASE(the_default_count_bound_is_100000,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  BOOST_TEST(cfg.max_messages == 100'000u);
  BOOST_TEST(!cfg.max_age.has_value());
  BOOST_TEST((cfg.claim_expiry == caf::timespan{30s}));
  BOOST_TEST((cfg.reader_idle_timeout == caf::timespan{1h}));
  BOOST_TEST(!cfg.drain_timeout.has_value());
  BOOST_TEST(cfg.policy.is_open());
}

BOOST_AUTO_TEST_CASE(claimed_messages_are_never_evicted,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-full";
  cfg.max_messages = 3;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 3);
  BOOST_TEST(claim_ids(ch, "A", 3) == ids);
  auto r = write(ch, "w", message("m-over", "w"));
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::overloaded));
  BOOST_TEST(mentions(r.error(), "channel 'c-full'"),
             error_message(error_of(r)));
  BOOST_TEST(mentions(r.error(), "'m-over'"));
  auto wrapped = write(ch, "w", data(9));
  BOOST_REQUIRE(!wrapped);
  BOOST_TEST(is(wrapped.error(), ec::overloaded));
  auto st = stats(ch);
  BOOST_TEST(st.stored == 3u);
  BOOST_TEST(st.evicted == 0u);
  // Once one is acknowledged, it makes room; the claimed ones stay.
  BOOST_TEST(value_or(ack(ch, "A", {ids[0]}), 0) == 1u);
  BOOST_TEST(value_or(write(ch, "w", message("m-over", "w")), "") == "m-over");
  BOOST_TEST(stats(ch).stored == 3u);
  BOOST_TEST(value_or(ack(ch, "A", slice(ids, 1, 3)), 0) == 2u);
  BOOST_TEST(claim_ids(ch, "B", 10) == id_list{"m-over"});
}

BOOST_AUTO_TEST_CASE(messages_waiting_for_a_member_are_never_evicted,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-wait";
  cfg.max_messages = 3;
  auto ch = make_channel(cfg);
  auto log = std::make_shared<std::vector<delivery>>();
  subscription member;
  member.group = "workers";
  member.credit = 1;
  BOOST_REQUIRE(subscribe(ch, "m", spawn_recorder(log), member));
  auto ids = write_n(ch, "w", 3); // one in flight, two waiting
  BOOST_TEST(ids_of(*log) == slice(ids, 0, 1));
  auto r = write(ch, "w", message("m-over", "w"));
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::overloaded));
  BOOST_TEST(mentions(r.error(), "channel 'c-wait'"),
             error_message(error_of(r)));
  // Nothing accepted was lost: the member gets every message in turn.
  for (size_t i = 0; i < 3; ++i) {
    BOOST_REQUIRE(log->size() == i + 1);
    BOOST_TEST(log->at(i).message.id() == ids[i]);
    BOOST_TEST(value_or(ack(ch, "m", {ids[i]}), 0) == 1u);
  }
  BOOST_TEST(value_or(write(ch, "w", message("m-over", "w")), "") == "m-over");
  BOOST_TEST(log->back().message.id() == "m-over");
}

BOOST_AUTO_TEST_CASE(the_age_bound_runs_on_the_timer,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-age";
  cfg.max_age = caf::timespan{60s};
  auto ch = make_channel(cfg);
  auto old_ids = write_n(ch, "w", 2);
  advance(30s);
  auto young = write_n(ch, "w", 1);
  advance(31s); // the first two are 61 s old, the third 31 s
  auto st = stats(ch);
  BOOST_TEST(st.stored == 1u);
  BOOST_TEST(st.evicted == 2u);
  BOOST_TEST(read_ids(ch, "r", 10) == young);
  advance(30s);
  BOOST_TEST(stats(ch).stored == 0u);
  BOOST_TEST(stats(ch).evicted == 3u);
}

BOOST_AUTO_TEST_CASE(the_age_bound_spares_claimed_messages_without_spinning,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-age-claim";
  cfg.max_age = caf::timespan{60s};
  cfg.claim_expiry = 300s;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 2);
  BOOST_TEST(claim_ids(ch, "A", 1) == slice(ids, 0, 1));
  advance(61s);
  BOOST_TEST(stats(ch).stored == 1u); // the claimed one stays
  // The only stored message is too old but pinned: the channel must not
  // keep waking itself up until the claim ends.
  size_t wakeups = 0;
  for (int i = 0; i < 5; ++i)
    wakeups += advance(caf::timespan{0});
  BOOST_TEST(wakeups == 0u);
  // Once acknowledged, age retention takes it.
  BOOST_TEST(value_or(ack(ch, "A", slice(ids, 0, 1)), 0) == 1u);
  advance(60s);
  BOOST_TEST(stats(ch).stored == 0u);
}

BOOST_AUTO_TEST_CASE(a_million_writes_keep_memory_bounded,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-million";
  cfg.max_messages = 10'000;
  auto ch = make_channel(cfg);
  auto payload = data(42);
  auto write_batch = [&](int n) {
    // Fire-and-forget writes in batches; anonymous sends get no answers.
    constexpr int batch = 10'000;
    for (int done = 0; done < n; done += batch) {
      for (int i = 0; i < batch; ++i)
        caf::anon_send(ch.actor(), write_atom::value, std::string{"w"},
                       payload);
      run();
    }
  };
  write_batch(100'000);
  BOOST_REQUIRE(stats(ch).stored == 10'000u);
  auto rss_100k = resident_bytes();
  write_batch(900'000);
  auto rss_1m = resident_bytes();
  auto st = stats(ch);
  BOOST_TEST(st.writes == 1'000'000u);
  BOOST_TEST(st.stored == 10'000u);
  BOOST_TEST(st.evicted == 990'000u);
  BOOST_TEST_MESSAGE("RSS after 100k writes: "
                     << rss_100k / 1024 << " KiB, after 1M: " << rss_1m / 1024
                     << " KiB");
  BOOST_TEST(rss_1m <= rss_100k + size_t{4} * 1024 * 1024);
}

BOOST_AUTO_TEST_SUITE_END()

// -- idle readers -------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_idle_readers, fixture)

BOOST_AUTO_TEST_CASE(idle_reader_state_is_dropped_after_an_hour,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-idle");
  auto ids = write_n(ch, "w", 2);
  BOOST_TEST(read_ids(ch, "r1", 1) == slice(ids, 0, 1));
  advance(30min);
  BOOST_TEST(read_ids(ch, "r2", 1) == slice(ids, 0, 1));
  BOOST_TEST(stats(ch).readers == 2u);
  advance(31min); // r1 idle 61 min, r2 idle 31 min
  BOOST_TEST(stats(ch).readers == 1u);
  advance(40min); // r2 idle 71 min
  BOOST_TEST(stats(ch).readers == 0u);
  // A dropped reader starts over from the oldest stored message.
  BOOST_TEST(read_ids(ch, "r1", 10) == ids);
}

BOOST_AUTO_TEST_CASE(an_active_reader_keeps_its_cursor,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-idle-10";
  cfg.reader_idle_timeout = 10min;
  auto ch = make_channel(cfg);
  auto ids = write_n(ch, "w", 4);
  for (size_t i = 0; i < 3; ++i) {
    BOOST_TEST(read_ids(ch, "r", 1) == slice(ids, i, i + 1));
    advance(9min);
  }
  BOOST_TEST(stats(ch).readers == 1u);
  BOOST_TEST(read_ids(ch, "r", 1) == slice(ids, 3, 4));
  advance(11min);
  BOOST_TEST(stats(ch).readers == 0u);
}

BOOST_AUTO_TEST_SUITE_END()

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

// -- authorization ------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_authorization, fixture)

BOOST_AUTO_TEST_CASE(acl_roles_are_ordered_read_write_admin,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel(acl_config("c-acl"));
  auto expect_refused = [&](const caf::error& err, const std::string& who,
                            const char* what) {
    BOOST_TEST(is(err, ec::not_authorized), what << " by " << who);
    BOOST_TEST(mentions(err, "'" + who + "'"), error_message(err));
    BOOST_TEST(mentions(err, "channel 'c-acl'"), error_message(err));
  };
  // write: writer and admin; not reader, not unlisted ids.
  BOOST_TEST(static_cast<bool>(write(ch, "writer", data(1))));
  BOOST_TEST(static_cast<bool>(write(ch, "admin", data(2))));
  for (auto who : {"reader", "mallory"}) {
    auto r = write(ch, who, data(3));
    BOOST_REQUIRE(!r);
    expect_refused(r.error(), who, "write");
  }
  // read and claim: everybody listed; not unlisted ids.
  for (auto who : {"reader", "writer", "admin"})
    BOOST_TEST(read_ids(ch, who, 10).size() == 2u, who);
  auto r = read(ch, "mallory", 10);
  BOOST_REQUIRE(!r);
  expect_refused(r.error(), "mallory", "read");
  auto c = claim(ch, "mallory", 10);
  BOOST_REQUIRE(!c);
  expect_refused(c.error(), "mallory", "claim");
  auto claimed = claim_ids(ch, "reader", 1);
  BOOST_REQUIRE(claimed.size() == 1u);
  auto a = ack(ch, "mallory", claimed);
  BOOST_REQUIRE(!a);
  expect_refused(a.error(), "mallory", "acknowledge");
  BOOST_TEST(value_or(ack(ch, "reader", claimed), 0) == 1u);
  auto st = stats(ch);
  BOOST_TEST(st.unauthorized == 5u);
  BOOST_TEST(st.refused == 5u);
}

BOOST_AUTO_TEST_CASE(the_default_role_applies_to_unlisted_ids,
                     *tt::timeout(test_timeout)) {
  channel_config cfg;
  cfg.id = "c-acl-default";
  cfg.policy = access_policy::acl({{"admin", role::admin}}, role::read);
  auto ch = make_channel(cfg);
  BOOST_REQUIRE(write(ch, "admin", data(1)));
  BOOST_TEST(read_ids(ch, "anybody", 10).size() == 1u);
  auto w = write(ch, "anybody", data(2));
  BOOST_REQUIRE(!w);
  BOOST_TEST(is(w.error(), ec::not_authorized));
}

BOOST_AUTO_TEST_CASE(set_policy_needs_admin_and_takes_effect,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel(acl_config("c-policy"));
  auto p = set_policy(ch, "reader", access_policy::open());
  BOOST_REQUIRE(!p);
  BOOST_TEST(is(p.error(), ec::not_authorized));
  BOOST_TEST(mentions(p.error(), "'reader'"), error_message(error_of(p)));
  BOOST_TEST(mentions(p.error(), "channel 'c-policy'"));
  BOOST_TEST(is(error_of(write(ch, "mallory", data(1))), ec::not_authorized));
  BOOST_REQUIRE(set_policy(ch, "admin", access_policy::open()));
  BOOST_TEST(static_cast<bool>(write(ch, "mallory", data(1))));
  // Under the open policy everybody may administer.
  BOOST_REQUIRE(
    set_policy(ch, "mallory", access_policy::acl({{"admin", role::admin}})));
  BOOST_TEST(is(error_of(write(ch, "mallory", data(2))), ec::not_authorized));
  BOOST_TEST(stats(ch).unauthorized == 3u);
}

BOOST_AUTO_TEST_CASE(empty_principals_are_refused, *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-empty-id");
  auto w = write(ch, "", data(1));
  BOOST_REQUIRE(!w);
  BOOST_TEST(is(w.error(), ec::invalid_argument));
  BOOST_TEST(mentions(w.error(), "channel 'c-empty-id'"));
  auto r = read(ch, "", 10);
  BOOST_REQUIRE(!r);
  BOOST_TEST(is(r.error(), ec::invalid_argument));
}

BOOST_AUTO_TEST_SUITE_END()

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

// -- ownership ----------------------------------------------------------------

BOOST_FIXTURE_TEST_SUITE(channel_ownership, fixture)

BOOST_AUTO_TEST_CASE(the_last_owning_handle_stops_the_channel,
                     *tt::timeout(test_timeout)) {
  auto ch = make_channel("c-owned");
  BOOST_TEST(ch.owning());
  auto non_owning = channel{ch.actor(), ch.id()};
  BOOST_TEST(!non_owning.owning());
  BOOST_TEST((non_owning == ch));
  auto copy = ch;
  BOOST_TEST(copy.owning());
  ch = channel{};
  run();
  // A copy of the owning handle keeps the channel alive.
  BOOST_TEST(!is_down(non_owning));
  BOOST_TEST(find_channel(sys, "c-owned").has_value());
  copy = channel{};
  run();
  // The non-owning handle does not.
  BOOST_TEST(is_down(non_owning));
  BOOST_TEST(!find_channel(sys, "c-owned").has_value());
}

BOOST_AUTO_TEST_CASE(find_channel_finds_live_channels_only,
                     *tt::timeout(test_timeout)) {
  BOOST_TEST(!find_channel(sys, "c-find").has_value());
  auto ch = make_channel("c-find");
  auto found = find_channel(sys, "c-find");
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST((*found == ch));
  BOOST_TEST(!found->owning());
  BOOST_TEST(found->id() == "c-find");
  BOOST_TEST(static_cast<bool>(write(*found, "w", data(1))));
  BOOST_TEST(stats(ch).stored == 1u);
  BOOST_REQUIRE(
    call<caf::unit_t>(ch.actor(), stop_atom::value, std::string{"admin"}));
  run();
  BOOST_TEST(!find_channel(sys, "c-find").has_value());
}

BOOST_AUTO_TEST_CASE(find_channel_keeps_the_first_of_two_with_one_id,
                     *tt::timeout(test_timeout)) {
  auto first = make_channel("c-twice");
  auto second = make_channel("c-twice");
  BOOST_TEST((first != second));
  auto found = find_channel(sys, "c-twice");
  BOOST_REQUIRE(found.has_value());
  BOOST_TEST((*found == first));
}

BOOST_AUTO_TEST_SUITE_END()

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
  auto ch = spawn_channel(sys, "t-blocking");
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
  auto ch = spawn_channel(sys, "t-drain");
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
