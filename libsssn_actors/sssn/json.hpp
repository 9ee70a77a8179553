// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

namespace sssn {

/// Generic, JSON-like data: null, bool, integer, unsigned, double, string,
/// array, and object with string keys.
using json = nlohmann::json;

/// Limits for decoding content from untrusted bytes or JSON text.
struct content_limits {
  /// Deepest nesting of arrays and objects (`[]` is 1 level, `[[]]` is 2).
  size_t max_depth = 64;

  /// Largest encoded size in bytes (the whole input, and any one string).
  size_t max_bytes = 16 * 1024 * 1024;

  /// Largest total number of values (every scalar, array and object counts).
  size_t max_elements = 1'000'000;
};

} // namespace sssn
