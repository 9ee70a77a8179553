// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>

#include "sssn/export.hpp"

namespace sssn {

/// Severity of a library log line.
enum class log_level : int {
  debug = 0,
  info = 1,
  warning = 2,
  error = 3,
};

/// Longest message (in bytes) that reaches the log hook; a longer one is
/// cut there and says how much was cut.
inline constexpr size_t max_log_line = 2048;

/// Receives what the library refuses or drops. `component` names the actor
/// or module (e.g. `"sssn.channel"`), `message` is one sentence.
using log_handler = std::function<void(log_level level,
                                       std::string_view component,
                                       std::string_view message)>;

/// Replaces the process-wide log hook (Debian's CAF has its own logging
/// compiled out, so this is where refusals show up). Passing an empty
/// function restores the default, which prints warnings and errors to
/// stderr without ever blocking: a line that stderr cannot take at once (a
/// pipe nobody reads) is dropped and counted in `log_stats()`. A handler of
/// your own runs on actor threads: it must not block either. Thread-safe.
SSSN_ACTORS_EXPORT void set_log_handler(log_handler handler);

/// Sets the lowest level that reaches the handler (default: `warning`).
SSSN_ACTORS_EXPORT void set_log_level(log_level level);

/// Sends one line to the log hook when `level` passes the threshold.
SSSN_ACTORS_EXPORT void log(log_level level, std::string_view component,
                            std::string_view message);

/// Returns whether lines of `level` reach the handler, so that callers can
/// skip formatting them.
SSSN_ACTORS_EXPORT bool log_enabled(log_level level);

/// What the log hook lost, since the process started.
struct log_stats_t {
  /// Lines the default handler dropped because stderr could not take them
  /// without blocking.
  uint64_t dropped = 0;
  /// Messages cut to `max_log_line` bytes.
  uint64_t truncated = 0;
};

/// Returns what the log hook lost so far.
SSSN_ACTORS_EXPORT log_stats_t log_stats();

} // namespace sssn
