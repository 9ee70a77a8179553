#include "sssn/log.hpp"

#include <atomic>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>

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
  std::fputs(line.c_str(), stderr);
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

} // namespace sssn
