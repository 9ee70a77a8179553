// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// The fixture of the channel tests (unit_tests/channel/*.cpp): the
// deterministic fixture plus one helper per channel operation, and the
// helpers the files share. The channel tests check every rule of
// docs/channels.md, one file per area; most run on the deterministic fixture
// (time moves only with `advance`), channel/blocking.cpp runs on real
// threads with every wait bounded.
//
// Each test executable includes this header once, from its only source file.

#include "timeout_scale.hpp"
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <caf/sec.hpp>
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
inline subscriber_actor::behavior_type recorder(subscriber_actor::pointer,
                                                delivery_log log) {
  return {
    [log](push_atom, delivery& x) { log->push_back(std::move(x)); },
  };
}

/// Generic content `{"n": n}`.
inline content data(int n) {
  return content{json{{"n", n}}};
}

inline id_list ids_of(const message_list& xs) {
  id_list result;
  for (auto& x : xs)
    result.push_back(x.id());
  return result;
}

inline id_list ids_of(const std::vector<delivery>& xs) {
  id_list result;
  for (auto& x : xs)
    result.push_back(x.message.id());
  return result;
}

inline id_list slice(const id_list& xs, size_t first, size_t last) {
  return id_list(xs.begin() + first, xs.begin() + last);
}

inline bool mentions(const caf::error& err, const std::string& text) {
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
