// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/detail/json_util.hpp"

#include <cmath>
#include <cstring>
#include <string>
#include <utility>
#include <vector>

#include "sssn/error.hpp"

namespace sssn::detail {

namespace {

std::string where(const std::string& path) {
  if (path.empty())
    return {};
  return " at field '" + path + "'";
}

bool is_identifier(const std::string& x) {
  if (x.empty())
    return false;
  auto alpha = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
  };
  if (!alpha(x[0]))
    return false;
  for (auto c : x)
    if (!alpha(c) && !(c >= '0' && c <= '9'))
      return false;
  return true;
}

// Returns the length of the valid UTF-8 sequence at `x[0]`, or 0 if the
// bytes there are not one (RFC 3629, table 3-7 of the Unicode standard).
size_t utf8_sequence(const unsigned char* x, size_t n) noexcept {
  auto in = [](unsigned char c, unsigned char lo, unsigned char hi) {
    return c >= lo && c <= hi;
  };
  auto c = x[0];
  if (c <= 0x7F)
    return 1;
  if (in(c, 0xC2, 0xDF))
    return n >= 2 && in(x[1], 0x80, 0xBF) ? 2 : 0;
  if (in(c, 0xE0, 0xEF)) {
    if (n < 3)
      return 0;
    auto lo = c == 0xE0 ? 0xA0 : 0x80;
    auto hi = c == 0xED ? 0x9F : 0xBF;
    return in(x[1], lo, hi) && in(x[2], 0x80, 0xBF) ? 3 : 0;
  }
  if (in(c, 0xF0, 0xF4)) {
    if (n < 4)
      return 0;
    auto lo = c == 0xF0 ? 0x90 : 0x80;
    auto hi = c == 0xF4 ? 0x8F : 0xBF;
    return in(x[1], lo, hi) && in(x[2], 0x80, 0xBF) && in(x[3], 0x80, 0xBF)
             ? 4
             : 0;
  }
  return 0;
}

// Checks what must never be sent; see `detail::check_json`.
struct json_checker {
  size_t max_depth;
  caf::error err;

  bool fail(const detail::json_walker& w, const char* what) {
    auto path = w.path();
    err = make_content_error(path, std::string{"content has "} + what
                                     + where(path));
    return false;
  }

  bool value(const json& x, const detail::json_walker& w) {
    if (w.in_object() && !detail::valid_utf8(w.key()))
      return fail(w, "invalid UTF-8 in a key");
    switch (x.type()) {
      case json::value_t::number_float:
        if (!std::isfinite(x.get<double>()))
          return fail(w, "a non-finite number");
        return true;
      case json::value_t::string:
        if (!detail::valid_utf8(x.get_ref<const std::string&>()))
          return fail(w, "invalid UTF-8 in a string");
        return true;
      case json::value_t::binary:
        return fail(w, "a binary value");
      case json::value_t::discarded:
        return fail(w, "a discarded value");
      case json::value_t::array:
      case json::value_t::object:
        if (w.depth() + 1 > max_depth) {
          auto path = w.path();
          err = make_content_error(path, "content is nested deeper than "
                                           + std::to_string(max_depth)
                                           + " levels" + where(path));
          return false;
        }
        return true;
      default:
        return true;
    }
  }

  void end(const json&) {
    // nop
  }
};

// Renders compact JSON text; see `detail::dump_json`.
struct json_dumper {
  std::string& out;

  bool value(const json& x, const detail::json_walker& w) {
    if (!w.first())
      out += ',';
    if (w.in_object()) {
      out += detail::quote_json(w.key());
      out += ':';
    }
    if (x.is_array())
      out += '[';
    else if (x.is_object())
      out += '{';
    else
      out += x.dump(-1, ' ', false, json::error_handler_t::replace);
    return true;
  }

  void end(const json& x) {
    out += x.is_array() ? ']' : '}';
  }
};

} // namespace

namespace {

/// Whether all bytes of `x` are ASCII: the high bits of all its words ORed
/// (the last word overlaps the one before), no branch per word. Ids, names
/// and keys nearly always are, and then are valid UTF-8 at once.
bool all_ascii(std::string_view x) noexcept {
  auto ptr = reinterpret_cast<const unsigned char*>(x.data());
  auto n = x.size();
  if (n < 8) {
    unsigned acc = 0;
    for (size_t i = 0; i < n; ++i)
      acc |= ptr[i];
    return acc < 0x80;
  }
  uint64_t acc = 0;
  uint64_t word;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::memcpy(&word, ptr + i, sizeof(word));
    acc |= word;
  }
  std::memcpy(&word, ptr + n - 8, sizeof(word));
  acc |= word;
  return (acc & 0x8080808080808080ull) == 0;
}

} // namespace

bool valid_utf8(std::string_view x) noexcept {
  if (all_ascii(x))
    return true;
  auto ptr = reinterpret_cast<const unsigned char*>(x.data());
  size_t i = 0;
  while (i < x.size()) {
    // Ids and names are ASCII: skip eight ASCII bytes at a time.
    if (x.size() - i >= 8) {
      uint64_t word;
      std::memcpy(&word, ptr + i, sizeof(word));
      if ((word & 0x8080808080808080ull) == 0) {
        i += 8;
        continue;
      }
    }
    if (ptr[i] <= 0x7F) {
      ++i;
      continue;
    }
    auto n = utf8_sequence(ptr + i, x.size() - i);
    if (n == 0)
      return false;
    i += n;
  }
  return true;
}

std::string sanitize_utf8(std::string_view x) {
  if (valid_utf8(x))
    return std::string{x};
  auto ptr = reinterpret_cast<const unsigned char*>(x.data());
  std::string result;
  result.reserve(x.size() + 8);
  size_t i = 0;
  while (i < x.size()) {
    auto n = utf8_sequence(ptr + i, x.size() - i);
    if (n == 0) {
      result += "\xEF\xBF\xBD";
      ++i;
    } else {
      result.append(x.data() + i, n);
      i += n;
    }
  }
  return result;
}

std::string append_key(const std::string& parent, const std::string& key) {
  if (!is_identifier(key))
    return parent + "[" + quote_json(key) + "]";
  if (parent.empty())
    return key;
  return parent + "." + key;
}

std::string quote_json(std::string_view x) {
  return json(std::string{x}).dump(-1, ' ', false,
                                   json::error_handler_t::replace);
}

std::string json_walker::path() const {
  std::string result;
  for (const auto& f : stack_) {
    if (f.node->is_object())
      result = append_key(result, f.pos.key());
    else
      result += "[" + std::to_string(f.index) + "]";
  }
  return result;
}

caf::error check_json(const json& x, size_t max_depth) {
  json_checker f{max_depth, {}};
  // The walker keeps its stack between calls: no allocation per check.
  // (check_json does not call itself, so one walker per thread is enough.)
  thread_local json_walker w;
  w.run(x, f);
  return std::move(f.err);
}

json copy_json(const json& x) {
  if (!x.is_structured())
    return x;
  json result;
  std::vector<std::pair<const json*, json*>> todo;
  todo.emplace_back(&x, &result);
  while (!todo.empty()) {
    auto [src, dst] = todo.back();
    todo.pop_back();
    if (auto arr = src->get_ptr<const json::array_t*>()) {
      *dst = json::array();
      auto& out = dst->get_ref<json::array_t&>();
      out.resize(arr->size());
      for (size_t i = 0; i < arr->size(); ++i) {
        if ((*arr)[i].is_structured())
          todo.emplace_back(&(*arr)[i], &out[i]);
        else
          out[i] = (*arr)[i];
      }
    } else if (auto obj = src->get_ptr<const json::object_t*>()) {
      *dst = json::object();
      auto& out = dst->get_ref<json::object_t&>();
      for (const auto& [key, val] : *obj) {
        auto& slot = out[key];
        if (val.is_structured())
          todo.emplace_back(&val, &slot);
        else
          slot = val;
      }
    } else {
      *dst = *src;
    }
  }
  return result;
}

bool equal_json(const json& x, const json& y) {
  std::vector<std::pair<const json*, const json*>> todo;
  todo.emplace_back(&x, &y);
  while (!todo.empty()) {
    auto [lhs, rhs] = todo.back();
    todo.pop_back();
    if (!lhs->is_structured() && !rhs->is_structured()) {
      if (!(*lhs == *rhs))
        return false;
      continue;
    }
    if (lhs->type() != rhs->type() || lhs->size() != rhs->size())
      return false;
    if (auto arr = lhs->get_ptr<const json::array_t*>()) {
      const auto& other = rhs->get_ref<const json::array_t&>();
      for (size_t i = 0; i < arr->size(); ++i)
        todo.emplace_back(&(*arr)[i], &other[i]);
    } else {
      const auto& obj = lhs->get_ref<const json::object_t&>();
      const auto& other = rhs->get_ref<const json::object_t&>();
      for (auto i = obj.begin(), j = other.begin(); i != obj.end(); ++i, ++j) {
        if (i->first != j->first)
          return false;
        todo.emplace_back(&i->second, &j->second);
      }
    }
  }
  return true;
}

void dump_json(const json& x, std::string& out) {
  json_dumper f{out};
  json_walker w;
  w.run(x, f);
}

} // namespace sssn::detail
