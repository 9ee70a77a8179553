// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// Made-up actor clock readings for the tests of the plain classes, which
// take the time as a parameter instead of reading a clock.

#include <chrono>

#include <caf/actor_clock.hpp>
#include <caf/timespan.hpp>

namespace sssn::test {

/// The actor clock's reading `t` after its epoch.
inline caf::actor_clock::time_point at(caf::timespan t) {
  using time_point = caf::actor_clock::time_point;
  return time_point{std::chrono::duration_cast<time_point::duration>(t)};
}

} // namespace sssn::test
