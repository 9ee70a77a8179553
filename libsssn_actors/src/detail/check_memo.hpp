// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <atomic>

namespace sssn::detail {

/// Remembers that an immutable value passed its check, so the check runs
/// once per value and not at every hop (a request is checked where it enters
/// the request channel; its content is not checked again by the responder,
/// nor the reply's content by the response channel).
///
/// Only success is remembered: a failing check runs again and builds its
/// error message with its caller's context. The values that carry a memo
/// (`content::impl`, `channel_message::data`) are shared between actors and
/// never changed once shared, hence the atomic. A value decoded from the
/// wire is a new value and starts unchecked; a copy keeps the mark, because
/// it is made only to change what no check looks at (the timestamp).
class check_memo {
public:
  check_memo() noexcept = default;

  check_memo(const check_memo& other) noexcept
    : passed_(other.passed_.load(std::memory_order_relaxed)) {
    // nop
  }

  check_memo& operator=(const check_memo& other) noexcept {
    passed_.store(other.passed_.load(std::memory_order_relaxed),
                  std::memory_order_relaxed);
    return *this;
  }

  bool passed() const noexcept {
    return passed_.load(std::memory_order_relaxed);
  }

  void mark_passed() const noexcept {
    passed_.store(true, std::memory_order_relaxed);
  }

private:
  mutable std::atomic<bool> passed_{false};
};

} // namespace sssn::detail
