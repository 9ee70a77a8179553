#pragma once

#include <string>
#include <string_view>

#include <caf/error.hpp>
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
