// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <caf/error.hpp>
#include <nlohmann/json.hpp>

#include "sssn/export.hpp"
#include "sssn/json.hpp"

namespace sssn::detail {

/// Default nesting limit of content (see `content_limits::max_depth`).
inline constexpr size_t default_max_depth = content_limits{}.max_depth;

/// Returns whether `x` is well-formed UTF-8 (no overlong forms, no
/// surrogates, nothing above U+10FFFF).
SSSN_ACTORS_EXPORT bool valid_utf8(std::string_view x) noexcept;

/// Returns `x` with every invalid UTF-8 sequence replaced by U+FFFD.
SSSN_ACTORS_EXPORT std::string sanitize_utf8(std::string_view x);

/// Returns the path of a value inside its parent: `name` for the first
/// level, `parent.name` for identifier-like keys, `parent["a b"]` otherwise.
SSSN_ACTORS_EXPORT std::string append_key(const std::string& parent,
                                          const std::string& key);

/// Checks what must never leave a node: non-finite numbers, binary or
/// discarded values, invalid UTF-8 in strings or keys, and nesting deeper
/// than `max_depth` containers. Iterative: safe on any input. Returns an
/// `ec::invalid_content` error naming the path of the first offender.
SSSN_ACTORS_EXPORT caf::error check_json(const json& x,
                                         size_t max_depth = default_max_depth);

/// Returns a deep copy of `x` without recursion (nlohmann's copy constructor
/// recurses once per nesting level).
SSSN_ACTORS_EXPORT json copy_json(const json& x);

/// Compares two values like nlohmann's `operator==`, without recursion.
SSSN_ACTORS_EXPORT bool equal_json(const json& x, const json& y);

/// Appends compact JSON text of `x` to `out` without recursion; invalid
/// UTF-8 is replaced by U+FFFD, so this never throws (except `bad_alloc`).
SSSN_ACTORS_EXPORT void dump_json(const json& x, std::string& out);

/// Returns compact JSON text of one string, as a JSON string literal.
SSSN_ACTORS_EXPORT std::string quote_json(std::string_view x);

/// Visits every value of a JSON tree in document order with an explicit
/// stack instead of recursion, and knows the path of the current value.
class SSSN_ACTORS_EXPORT json_walker {
public:
  /// One open container on the path from the root to the current value.
  struct frame {
    /// The container.
    const json* node;
    /// Position of the current element.
    json::const_iterator pos;
    /// Index of the current element.
    size_t index;
  };

  /// Visits `root`. The visitor offers
  /// `bool value(const json& x, const json_walker& w)` (called for every
  /// value, containers before their elements; for members of an object
  /// `w.key()` is the member's key) and `void end(const json& container)`.
  /// Stops early and returns false as soon as `value` returns false.
  template <class Visitor>
  bool run(const json& root, Visitor& f) {
    stack_.clear();
    if (!f.value(root, *this))
      return false;
    if (root.is_structured())
      stack_.push_back(frame{&root, root.cbegin(), 0});
    while (!stack_.empty()) {
      auto& top = stack_.back();
      if (top.pos == top.node->cend()) {
        f.end(*top.node);
        stack_.pop_back();
        if (!stack_.empty()) {
          ++stack_.back().pos;
          ++stack_.back().index;
        }
        continue;
      }
      const json& child = *top.pos;
      if (!f.value(child, *this))
        return false;
      if (child.is_structured()) {
        stack_.push_back(frame{&child, child.cbegin(), 0});
      } else {
        ++top.pos;
        ++top.index;
      }
    }
    return true;
  }

  /// Number of containers that enclose the current value.
  size_t depth() const noexcept {
    return stack_.size();
  }

  /// Returns whether the current value is the first one of its container.
  bool first() const noexcept {
    return stack_.empty() || stack_.back().index == 0;
  }

  /// Returns whether the current value is a member of an object.
  bool in_object() const noexcept {
    return !stack_.empty() && stack_.back().node->is_object();
  }

  /// The key of the current value; only valid if `in_object()`.
  const std::string& key() const {
    return stack_.back().pos.key();
  }

  /// Renders the path of the current value, e.g. `values[3]` or `a.b`.
  /// Empty for the root.
  std::string path() const;

private:
  std::vector<frame> stack_;
};

} // namespace sssn::detail
