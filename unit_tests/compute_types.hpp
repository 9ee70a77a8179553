// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// The compute service's content types, as `sssn serve` and the examples
// declare them (same type names, so they validate on both sides of a
// node), and `why`, the text of an outcome for check messages.

#include <optional>
#include <string>

#include <caf/expected.hpp>

#include "sssn/all.hpp"

namespace sssn::test {

struct compute_request {
  double a = 0;
  double b = 0;
  std::string operation = "add";
};
SSSN_CONTENT(compute_request, a, b, operation)
SSSN_CONTENT_DEFAULTS(compute_request, operation)

struct compute_response {
  double result = 0;
  std::optional<std::string> error;
};
SSSN_CONTENT(compute_response, result, error)

/// The error message of `x`, or "ok" (Boost.Test builds the message of a
/// check whether it fails or not).
template <class T>
std::string why(const caf::expected<T>& x) {
  return x ? std::string{"ok"} : sssn::error_message(x.error());
}

} // namespace sssn::test
