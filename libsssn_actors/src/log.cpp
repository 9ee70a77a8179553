// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/log.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include <poll.h>
#include <unistd.h>

namespace sssn {

namespace {

const char* level_name(log_level level) {
  switch (level) {
    case log_level::debug:
      return "debug";
    case log_level::info:
      return "info";
    case log_level::warning:
      return "warning";
    default:
      return "error";
  }
}

std::atomic<uint64_t> dropped_lines{0};
std::atomic<uint64_t> truncated_lines{0};

/// Serializes the default handler's writes, so that two lines never share
/// the room that `poll` saw.
std::mutex stderr_mtx;

/// Writes `line` to stderr only if that cannot block: an actor thread must
/// never wait for a reader of stderr (a node whose stderr was a pipe nobody
/// read used to hang, ignoring SIGTERM). Lines are at most `max_log_line`
/// bytes plus a little, below PIPE_BUF, so a write that `poll` allows goes
/// through whole. What cannot be written now is dropped and counted.
void default_handler(log_level level, std::string_view component,
                     std::string_view message) {
  std::string line;
  line.reserve(component.size() + message.size() + 16);
  line += '[';
  line += level_name(level);
  line += "] ";
  line += component;
  line += ": ";
  line += message;
  line += '\n';
  std::lock_guard<std::mutex> guard{stderr_mtx};
  pollfd fd{STDERR_FILENO, POLLOUT, 0};
  if (poll(&fd, 1, 0) != 1 || (fd.revents & POLLOUT) == 0
      || (fd.revents & (POLLERR | POLLHUP | POLLNVAL)) != 0
      || write(STDERR_FILENO, line.data(), line.size())
           != static_cast<ssize_t>(line.size()))
    dropped_lines.fetch_add(1, std::memory_order_relaxed);
}

std::atomic<int> min_level{static_cast<int>(log_level::warning)};

std::mutex handler_mtx;

std::shared_ptr<const log_handler>& handler_ref() {
  static std::shared_ptr<const log_handler> ptr;
  return ptr;
}

} // namespace

void set_log_handler(log_handler handler) {
  std::shared_ptr<const log_handler> ptr;
  if (handler)
    ptr = std::make_shared<const log_handler>(std::move(handler));
  std::lock_guard<std::mutex> guard{handler_mtx};
  handler_ref().swap(ptr);
}

void set_log_level(log_level level) {
  min_level = static_cast<int>(level);
}

bool log_enabled(log_level level) {
  return static_cast<int>(level) >= min_level.load();
}

void log(log_level level, std::string_view component,
         std::string_view message) {
  if (!log_enabled(level))
    return;
  // Peers choose much of what we log: a line has a bound.
  std::string cut;
  if (message.size() > max_log_line) {
    truncated_lines.fetch_add(1, std::memory_order_relaxed);
    cut.reserve(max_log_line + 48);
    cut.append(message.substr(0, max_log_line));
    cut += "... [";
    cut += std::to_string(message.size() - max_log_line);
    cut += " more bytes]";
    message = cut;
  }
  std::shared_ptr<const log_handler> ptr;
  {
    std::lock_guard<std::mutex> guard{handler_mtx};
    ptr = handler_ref();
  }
  if (ptr)
    (*ptr)(level, component, message);
  else
    default_handler(level, component, message);
}

log_stats_t log_stats() {
  return {dropped_lines.load(), truncated_lines.load()};
}

} // namespace sssn
