// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// Per-test-case time limits scaled for slow builds: sanitizer builds run
// several times slower, so `.ci/sanitize` sets SSSN_TEST_TIMEOUT_SCALE (a
// whole number >= 1), as it scales CTest's limits.

#include <cstdlib>
#include <string>

namespace sssn::test {

/// `seconds` times $SSSN_TEST_TIMEOUT_SCALE (1 if unset or not a number >= 1).
inline unsigned scaled_timeout(unsigned seconds) {
  if (auto str = std::getenv("SSSN_TEST_TIMEOUT_SCALE"); str != nullptr) {
    char* end = nullptr;
    auto scale = std::strtoul(str, &end, 10);
    if (end != str && *end == '\0' && scale >= 1 && scale <= 100)
      return seconds * static_cast<unsigned>(scale);
  }
  return seconds;
}

} // namespace sssn::test
