// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <chrono>
#include <cstdint>

#include <caf/actor_clock.hpp>

namespace sssn::detail {

/// Maps the actor system's clock to Unix time. The mapping is fixed once, at
/// construction, so that deterministic tests that advance the actor clock
/// advance every timestamp, deadline and expiry of the library too.
class unix_clock {
public:
  using time_point = caf::actor_clock::time_point;

  explicit unix_clock(time_point now)
    : origin_(now),
      origin_unix_ns_(std::chrono::duration_cast<std::chrono::nanoseconds>(
                        std::chrono::system_clock::now().time_since_epoch())
                        .count()) {
    // nop
  }

  /// Converts an actor clock time point to Unix nanoseconds.
  int64_t to_unix_ns(time_point t) const {
    return origin_unix_ns_
           + std::chrono::duration_cast<std::chrono::nanoseconds>(t - origin_)
               .count();
  }

  /// Converts Unix nanoseconds to an actor clock time point.
  time_point from_unix_ns(int64_t ns) const {
    return origin_
           + std::chrono::duration_cast<time_point::duration>(
             std::chrono::nanoseconds{ns - origin_unix_ns_});
  }

private:
  time_point origin_;
  int64_t origin_unix_ns_;
};

} // namespace sssn::detail
