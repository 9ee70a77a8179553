// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Helpers shared by the fuzz targets and the seed generator: property checks
// that abort (a libFuzzer crash), strict JSON comparison, and error-text
// checks. Not part of the library.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <caf/error.hpp>

#include "sssn/content.hpp"
#include "sssn/error.hpp"

namespace sssn_fuzz {

using sssn::json;

/// Reports a violated property and aborts, which libFuzzer records as a
/// crash (with the input that caused it).
[[noreturn]] inline void property_violated(const char* cond, const char* file,
                                           int line, const std::string& info) {
  std::fprintf(stderr, "\n*** property violated at %s:%d: %s\n", file, line,
               cond);
  if (!info.empty())
    std::fprintf(stderr, "*** %s\n", info.c_str());
  std::fflush(stderr);
  std::abort();
}

} // namespace sssn_fuzz

/// Checks a property of the code under test; aborts if it does not hold.
#define FUZZ_CHECK(cond)                                                       \
  do {                                                                         \
    if (!(cond))                                                               \
      ::sssn_fuzz::property_violated(#cond, __FILE__, __LINE__, {});           \
  } while (false)

/// Like `FUZZ_CHECK`, with a description (any expression convertible to
/// `std::string`, evaluated only on failure).
#define FUZZ_CHECK_MSG(cond, info)                                             \
  do {                                                                         \
    if (!(cond))                                                               \
      ::sssn_fuzz::property_violated(#cond, __FILE__, __LINE__, (info));       \
  } while (false)

namespace sssn_fuzz {

/// Compares two JSON values strictly and without recursion: same types
/// (an integer 1 differs from an unsigned 1 and from 1.0), floats
/// bit-identical or both NaN, same keys in the same order.
inline bool same_json(const json& x, const json& y) {
  std::vector<std::pair<const json*, const json*>> todo;
  todo.emplace_back(&x, &y);
  while (!todo.empty()) {
    auto [lhs, rhs] = todo.back();
    todo.pop_back();
    if (lhs->type() != rhs->type())
      return false;
    switch (lhs->type()) {
      case json::value_t::number_float: {
        auto a = lhs->get<double>();
        auto b = rhs->get<double>();
        if (std::isnan(a) && std::isnan(b))
          break;
        if (std::memcmp(&a, &b, sizeof(double)) != 0)
          return false;
        break;
      }
      case json::value_t::array: {
        const auto& a = lhs->get_ref<const json::array_t&>();
        const auto& b = rhs->get_ref<const json::array_t&>();
        if (a.size() != b.size())
          return false;
        for (size_t i = 0; i < a.size(); ++i)
          todo.emplace_back(&a[i], &b[i]);
        break;
      }
      case json::value_t::object: {
        const auto& a = lhs->get_ref<const json::object_t&>();
        const auto& b = rhs->get_ref<const json::object_t&>();
        if (a.size() != b.size())
          return false;
        for (auto i = a.begin(), j = b.begin(); i != a.end(); ++i, ++j) {
          if (i->first != j->first)
            return false;
          todo.emplace_back(&i->second, &j->second);
        }
        break;
      }
      default:
        if (!(*lhs == *rhs))
          return false;
    }
  }
  return true;
}

/// Strict comparison of content: kind, type name and `same_json` data.
inline bool same_content(const sssn::content& x, const sssn::content& y) {
  return x.kind() == y.kind() && x.type_name() == y.type_name()
         && same_json(x.data(), y.data());
}

/// Nesting depth of `x` (`1` is 0, `[]` is 1, `[[1]]` is 2), iteratively.
inline size_t depth_of(const json& x) {
  struct visitor {
    size_t result = 0;
    bool value(const json& v, const sssn::detail::json_walker& w) {
      auto d = w.depth() + (v.is_structured() ? 1 : 0);
      if (d > result)
        result = d;
      return true;
    }
    void end(const json&) {
      // nop
    }
  } f;
  sssn::detail::json_walker w;
  w.run(x, f);
  return f.result;
}

/// Number of values in `x`, containers included, iteratively.
inline size_t count_of(const json& x) {
  struct visitor {
    size_t result = 0;
    bool value(const json&, const sssn::detail::json_walker&) {
      ++result;
      return true;
    }
    void end(const json&) {
      // nop
    }
  } f;
  sssn::detail::json_walker w;
  w.run(x, f);
  return f.result;
}

/// Renders an error for a property report.
inline std::string describe(const caf::error& err) {
  if (!err)
    return "no error";
  return "error code " + std::to_string(err.code()) + " in category "
         + caf::to_string(err.category()) + ": message "
         + sssn::detail::quote_json(sssn::error_message(err)) + ", field "
         + sssn::detail::quote_json(sssn::error_field(err));
}

/// Renders up to 256 bytes as hex for a property report.
inline std::string hex(const std::vector<char>& bytes) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < 256; ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out += digits[b >> 4];
    out += digits[b & 0xF];
  }
  if (bytes.size() > 256)
    out += "...";
  return out;
}

/// If `text` is "<prefix><number>: ...", stores the number in `out`.
inline bool parse_offset(const std::string& text, std::string_view prefix,
                         size_t& out) {
  if (text.compare(0, prefix.size(), prefix) != 0)
    return false;
  size_t pos = prefix.size();
  size_t value = 0;
  size_t digits = 0;
  while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9'
         && digits < 19) {
    value = value * 10 + static_cast<size_t>(text[pos] - '0');
    ++pos;
    ++digits;
  }
  if (digits == 0 || text.compare(pos, 2, ": ") != 0)
    return false;
  out = value;
  return true;
}

} // namespace sssn_fuzz
