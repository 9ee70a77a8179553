// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// Opt-in: a {fmt} formatter for `caf::error` that prints the sentence
// `sssn::error_message` gives. Not included by sssn/all.hpp, so that an
// application with its own `fmt::formatter<caf::error>` keeps it; include
// this header in one place that wants ours instead.

#include <string_view>

#include <caf/error.hpp>
#include <fmt/format.h>

#include "sssn/error.hpp"

/// Formats an error as its sentence (`sssn::error_message`); empty for no
/// error.
template <>
struct fmt::formatter<caf::error> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const caf::error& x, FormatContext& ctx) const
    -> decltype(ctx.out()) {
    auto str = sssn::error_message(x);
    return fmt::formatter<std::string_view>::format(str, ctx);
  }
};
