// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// Opt-in: {fmt} formatters for sssn's own types. Not included by
// sssn/all.hpp, so that the library and its package need no {fmt}: who
// includes this header links {fmt} (CMake: fmt::fmt; pkg-config: fmt).
// CAF's `caf::error` is not ours to format for every application: include
// sssn/format_caf_error.hpp to format it as `sssn::error_message` does.

#include <string>
#include <string_view>

#include <fmt/format.h>

#include "sssn/channel_message.hpp"
#include "sssn/content.hpp"
#include "sssn/error.hpp"

/// Formats content as its text (`sssn::to_string`): JSON text, or
/// `error(<code name>): <sentence>` for error content. Accepts the format
/// specifications of strings (width, fill, alignment).
template <>
struct fmt::formatter<sssn::content> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const sssn::content& x, FormatContext& ctx) const
    -> decltype(ctx.out()) {
    auto str = to_string(x);
    return fmt::formatter<std::string_view>::format(str, ctx);
  }
};

/// Formats an error code of ours as its name, e.g. `channel_down`.
template <>
struct fmt::formatter<sssn::ec> : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(sssn::ec x, FormatContext& ctx) const -> decltype(ctx.out()) {
    auto str = to_string(x);
    return fmt::formatter<std::string_view>::format(str, ctx);
  }
};

/// Formats a message as one line of JSON text (`sssn::to_string`).
template <>
struct fmt::formatter<sssn::channel_message>
  : fmt::formatter<std::string_view> {
  template <class FormatContext>
  auto format(const sssn::channel_message& x, FormatContext& ctx) const
    -> decltype(ctx.out()) {
    auto str = to_string(x);
    return fmt::formatter<std::string_view>::format(str, ctx);
  }
};
