// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// Test fixtures for sssn-actors.
//
// - `deterministic_fixture`: an actor system on CAF's test_coordinator. Time
//   is the actor clock's, advanced with `advance(d)`; nothing sleeps. Send
//   requests with `call<T>(handle, args...)`, which runs the scheduler until
//   the answer is there.
// - `threaded_fixture`: a real actor system (2 worker threads) for tests on
//   real threads; every wait is bounded.

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <utility>

#include <boost/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/after.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <caf/scoped_actor.hpp>

#include "sssn/all.hpp"

// Lets Boost.Test print CAF's error types in failed assertions.
namespace caf {

inline std::ostream& boost_test_print_type(std::ostream& os,
                                           const caf::error& x) {
  return os << (x ? sssn::error_message(x) : std::string{"<no error>"});
}

inline std::ostream& boost_test_print_type(std::ostream& os, caf::sec x) {
  return os << to_string(x);
}

} // namespace caf

namespace sssn::test {

/// A configuration for deterministic tests (no middleman: nothing runs on
/// threads of its own).
class deterministic_config : public caf::actor_system_config {
public:
  deterministic_config() {
    sssn::add_message_types(*this);
    set("scheduler.policy", caf::atom("testing"));
  }
};

/// An actor system driven by hand: `run()` processes every pending message,
/// `advance(d)` moves the actor clock forward and fires due timers.
struct deterministic_fixture {
  deterministic_config cfg;
  caf::actor_system sys;
  caf::scheduler::test_coordinator& sched;
  caf::scoped_actor self;

  deterministic_fixture()
    : sys(cfg),
      sched(dynamic_cast<caf::scheduler::test_coordinator&>(sys.scheduler())),
      self(sys) {
    // nop
  }

  ~deterministic_fixture() {
    // Let released channels and their followers stop.
    run();
    sys.await_actors_before_shutdown(false);
  }

  /// Runs every pending message; returns how many actor runs that took.
  size_t run() {
    return sched.run();
  }

  /// Moves the clock forward by `d` and runs what became due.
  size_t advance(caf::timespan d) {
    sched.advance_time(d);
    return run();
  }

  /// Sends a request from `self` and runs the scheduler until it is
  /// answered; returns the answer or the error. For `void` answers, `T` is
  /// `caf::unit_t`.
  template <class T, class Handle, class... Ts>
  caf::expected<T> call(const Handle& hdl, Ts&&... xs) {
    auto rh = self->request(hdl, caf::infinite, std::forward<Ts>(xs)...);
    run();
    // The answer is in the mailbox now, or never comes: do not block.
    if (self->mailbox().empty())
      return caf::make_error(caf::sec::request_timeout,
                             "no answer in the deterministic fixture");
    std::optional<caf::expected<T>> result;
    auto on_error = [&](caf::error& err) {
      result = caf::expected<T>{std::move(err)};
    };
    if constexpr (std::is_same<T, caf::unit_t>::value)
      std::move(rh).receive([&] { result = caf::unit; }, on_error);
    else
      std::move(rh).receive([&](T& x) { result = std::move(x); }, on_error);
    return std::move(*result);
  }

  /// Spawns and starts a channel with `cfg`.
  sssn::channel make_channel(sssn::channel_config ccfg, bool start = true) {
    auto ch = sssn::spawn_channel(sys, std::move(ccfg));
    if (start) {
      auto ok = call<caf::unit_t>(ch.actor(), sssn::start_atom::value);
      BOOST_REQUIRE(ok);
    }
    return ch;
  }

  /// Spawns and starts a channel with id `id` and default settings.
  sssn::channel make_channel(const std::string& id, bool start = true) {
    sssn::channel_config ccfg;
    ccfg.id = id;
    return make_channel(std::move(ccfg), start);
  }
};

/// A real actor system for tests on real threads.
struct threaded_fixture {
  sssn::config cfg;
  caf::actor_system sys;

  threaded_fixture() : sys(init(cfg)) {
    // nop
  }

  static sssn::config& init(sssn::config& cfg) {
    cfg.set("scheduler.max-threads", 2);
    return cfg;
  }
};

} // namespace sssn::test
