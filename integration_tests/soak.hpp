// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// What the fault soaks share (CTest label `soak`): many calls while the
// service under them fails over and over, checking that every call resolves
// exactly once.
//
// - soak_local.cpp, `local/responder_group_under_fire` (CTest `soak.local`)
// - soak_remote.cpp, `remote/restarted_node` (CTest `soak.remote`)
//
// The seed is random unless SSSN_SOAK_SEED is set, and printed.
//
// Each soak executable includes this header once, from its only source file.

#include "compute_types.hpp"
#include "fixture.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <functional>
#include <future>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>

using namespace sssn;
using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
using sssn::test::why;

namespace {

inline uint64_t env_or(const char* name, uint64_t fallback) {
  if (auto str = std::getenv(name); str != nullptr && *str != '\0')
    return std::stoull(str);
  return fallback;
}

inline uint64_t soak_seed() {
  if (auto str = std::getenv("SSSN_SOAK_SEED"); str != nullptr && *str != '\0')
    return std::stoull(str);
  return std::random_device{}();
}

inline double seconds_since(steady::time_point t0) {
  return std::chrono::duration<double>(steady::now() - t0).count();
}

/// Counts log lines by component and level instead of printing them (the
/// soak makes hundreds of refused exit messages and failed acknowledges,
/// all expected); restores the default on destruction.
struct log_counter {
  std::mutex mtx;
  std::map<std::string, uint64_t> lines;

  log_counter() {
    set_log_handler([this](log_level level, std::string_view component,
                           std::string_view) {
      std::lock_guard<std::mutex> guard{mtx};
      ++lines[std::string{component} + "/"
              + std::to_string(static_cast<int>(level))];
    });
  }

  ~log_counter() {
    set_log_handler({});
  }

  std::string summary() {
    std::lock_guard<std::mutex> guard{mtx};
    std::string result;
    for (auto& [key, n] : lines)
      result += " " + key + "=" + std::to_string(n);
    return result.empty() ? " none" : result;
  }
};

/// Outcome kinds of one call.
enum class outcome : uint8_t {
  none,           // not resolved (yet)
  replied,        // its own correct reply
  crashed,        // error reply: the handler threw (names the call)
  dropped,        // error reply: the handler gave no answer
  timed_out,      // caf::sec::request_timeout
  no_responders,  // ec::no_responders
  channel_down,   // ec::channel_down
  overloaded,     // ec::overloaded
  wrong,          // anything else: a bug
};

inline const char* to_string(outcome x) {
  switch (x) {
    case outcome::none:
      return "unresolved";
    case outcome::replied:
      return "replied";
    case outcome::crashed:
      return "error reply (handler crashed)";
    case outcome::dropped:
      return "error reply (handler gave no answer)";
    case outcome::timed_out:
      return "timed out";
    case outcome::no_responders:
      return "no responders";
    case outcome::channel_down:
      return "channel down";
    case outcome::overloaded:
      return "overloaded";
    default:
      return "WRONG";
  }
}

inline outcome classify_error(const caf::error& err) {
  if (err == caf::sec::request_timeout)
    return outcome::timed_out;
  if (is(err, ec::no_responders))
    return outcome::no_responders;
  if (is(err, ec::channel_down))
    return outcome::channel_down;
  if (is(err, ec::overloaded))
    return outcome::overloaded;
  return outcome::wrong;
}

} // namespace
