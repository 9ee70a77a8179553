// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The typed content that `fuzz_typed` validates into, and its input format;
// shared with `make_seeds`. Not part of the library.
//
// Input format of `fuzz_typed`: JSON text, unless the first byte is 0x00;
// then the rest is a compact structure encoding (`decode_value`) that
// reaches what JSON text cannot (NaN, infinities, invalid UTF-8, nesting
// beyond the JSON parser's limit) and that libFuzzer mutates into the
// shapes of the structs below more easily (keys are picked from their
// field names).
#pragma once

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sssn/content.hpp"

#include "fuzz_common.hpp"

namespace sssn_fuzz {

// -- typed content covering every supported field type -------------------------

struct item {
  std::string name;
  int32_t qty = 0;
  std::optional<double> weight;
};
SSSN_CONTENT(item, name, qty, weight)

inline bool operator==(const item& x, const item& y) {
  return std::tie(x.name, x.qty, x.weight) == std::tie(y.name, y.qty, y.weight);
}

struct scalars {
  bool flag = false;
  uint8_t u8 = 0;
  int8_t i8 = 0;
  uint16_t u16 = 0;
  int16_t i16 = 0;
  uint32_t u32 = 0;
  int32_t i32 = 0;
  uint64_t u64 = 0;
  int64_t i64 = 0;
  float f = 0;
  double d = 0;
  std::string s;
};
SSSN_CONTENT(scalars, flag, u8, i8, u16, i16, u32, i32, u64, i64, f, d, s)

inline bool operator==(const scalars& x, const scalars& y) {
  return std::tie(x.flag, x.u8, x.i8, x.u16, x.i16, x.u32, x.i32, x.u64, x.i64,
                  x.f, x.d, x.s)
         == std::tie(y.flag, y.u8, y.i8, y.u16, y.i16, y.u32, y.i32, y.u64,
                     y.i64, y.f, y.d, y.s);
}

struct containers {
  std::vector<int64_t> ints;
  std::vector<std::string> words;
  std::vector<std::vector<uint8_t>> matrix;
  std::map<std::string, double> weights;
  std::unordered_map<std::string, std::optional<int16_t>> sparse;
  std::optional<std::vector<bool>> flags;
  sssn::json extra;
  std::string label = "none";
};
SSSN_CONTENT(containers, ints, words, matrix, weights, sparse, flags, extra,
             label)
SSSN_CONTENT_DEFAULTS(containers, extra, label)

inline bool operator==(const containers& x, const containers& y) {
  return std::tie(x.ints, x.words, x.matrix, x.weights, x.sparse, x.flags,
                  x.label)
           == std::tie(y.ints, y.words, y.matrix, y.weights, y.sparse,
                       y.flags, y.label)
         && same_json(x.extra, y.extra);
}

struct order {
  std::string id;
  item first;
  std::vector<item> items;
  std::optional<item> gift;
  std::map<std::string, std::vector<item>> groups;
  scalars nums;
  sssn::json meta;
  uint64_t total = 7;
};
SSSN_CONTENT(order, id, first, items, gift, groups, nums, meta, total)
SSSN_CONTENT_DEFAULTS(order, meta, total)

inline bool operator==(const order& x, const order& y) {
  return std::tie(x.id, x.first, x.items, x.gift, x.groups, x.nums, x.total)
           == std::tie(y.id, y.first, y.items, y.gift, y.groups, y.nums,
                       y.total)
         && same_json(x.meta, y.meta);
}

// Recursive: nesting is bounded only by the validation's depth limit.
struct tree {
  std::string name;
  std::vector<tree> children;
  std::optional<int64_t> value;
};
SSSN_CONTENT(tree, name, children, value)

inline bool operator==(const tree& x, const tree& y) {
  return x.name == y.name && x.value == y.value && x.children == y.children;
}

// One field `v` of type T, checked against an independent oracle.
template <class T>
struct single {
  T v{};
};

using int_map = std::map<std::string, int64_t>;
using byte_vector = std::vector<uint8_t>;
using opt_int = std::optional<int32_t>;

SSSN_CONTENT(single<bool>, v)
SSSN_CONTENT(single<uint8_t>, v)
SSSN_CONTENT(single<int8_t>, v)
SSSN_CONTENT(single<uint16_t>, v)
SSSN_CONTENT(single<int16_t>, v)
SSSN_CONTENT(single<uint32_t>, v)
SSSN_CONTENT(single<int32_t>, v)
SSSN_CONTENT(single<uint64_t>, v)
SSSN_CONTENT(single<int64_t>, v)
SSSN_CONTENT(single<float>, v)
SSSN_CONTENT(single<double>, v)
SSSN_CONTENT(single<long double>, v)
SSSN_CONTENT(single<std::string>, v)
SSSN_CONTENT(single<sssn::json>, v)
SSSN_CONTENT(single<opt_int>, v)
SSSN_CONTENT(single<byte_vector>, v)
SSSN_CONTENT(single<int_map>, v)

/// Field names of the structs above, for keys of the structure encoding.
inline const std::vector<std::string>& field_names() {
  static const std::vector<std::string> names{
    "name",   "qty",    "weight", "flag",  "u8",    "i8",   "u16",
    "i16",    "u32",    "i32",    "u64",   "i64",   "f",    "d",
    "s",      "ints",   "words",  "matrix", "weights", "sparse", "flags",
    "extra",  "label",  "id",     "first", "items", "gift", "groups",
    "nums",   "meta",   "total",  "children", "value", "v",  "",
  };
  return names;
}

// -- the structure encoding ------------------------------------------------------

/// Numbers at the edges of every field type.
inline sssn::json edge_number(uint8_t i) {
  using sssn::json;
  static const std::vector<json> table = [] {
    std::vector<json> t;
    for (int64_t x : {int64_t{0}, int64_t{-1}, int64_t{-128}, int64_t{-129},
                      int64_t{-32768}, int64_t{-32769},
                      int64_t{std::numeric_limits<int32_t>::min()},
                      int64_t{std::numeric_limits<int32_t>::min()} - 1,
                      std::numeric_limits<int64_t>::min()})
      t.emplace_back(json::number_integer_t{x});
    for (uint64_t x : {uint64_t{0}, uint64_t{1}, uint64_t{127}, uint64_t{128},
                       uint64_t{255}, uint64_t{256}, uint64_t{32767},
                       uint64_t{32768}, uint64_t{65535}, uint64_t{65536},
                       uint64_t{2147483647}, uint64_t{2147483648},
                       uint64_t{4294967295}, uint64_t{4294967296},
                       uint64_t{9223372036854775807},
                       uint64_t{9223372036854775808u},
                       std::numeric_limits<uint64_t>::max()})
      t.emplace_back(json::number_unsigned_t{x});
    for (double x : {0.0, -0.0, 0.5, 1.0, -1.5, 255.0, 256.0, 1e10,
                     double{FLT_MAX}, std::nextafter(double{FLT_MAX}, 1e300),
                     3.4028235677973366e38, 1e39, -1e39, DBL_MAX, -DBL_MAX,
                     DBL_MIN, std::numeric_limits<double>::denorm_min(),
                     9223372036854775808.0, 18446744073709551616.0,
                     std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity(),
                     std::numeric_limits<double>::quiet_NaN()})
      t.emplace_back(json::number_float_t{x});
    return t;
  }();
  return table[i % table.size()];
}

/// Reads the structure encoding. Missing bytes read as 0.
class structure_decoder {
public:
  structure_decoder(const uint8_t* data, size_t size)
    : data_(data), size_(size) {
    // nop
  }

  /// Decodes one value; nesting deeper than `max_depth` reads as null.
  sssn::json value(size_t max_depth = 100) {
    using sssn::json;
    struct frame {
      json* node;
      size_t left;
    };
    json result;
    std::vector<frame> stack;
    json* slot = &result;
    for (;;) {
      size_t n = scalar_or_container(*slot, stack.size() < max_depth);
      if (n > 0)
        stack.push_back(frame{slot, n});
      // find the next slot
      slot = nullptr;
      while (!stack.empty() && slot == nullptr) {
        auto& top = stack.back();
        if (top.left == 0) {
          stack.pop_back();
          continue;
        }
        --top.left;
        if (auto arr = top.node->get_ptr<json::array_t*>()) {
          arr->emplace_back();
          slot = &arr->back();
        } else {
          auto& obj = top.node->get_ref<json::object_t&>();
          slot = &obj[key()];
        }
      }
      if (slot == nullptr)
        return result;
    }
  }

  size_t remaining() const noexcept {
    return size_ - pos_;
  }

private:
  uint8_t byte() {
    return pos_ < size_ ? data_[pos_++] : 0;
  }

  uint64_t u64() {
    uint64_t x = 0;
    for (int i = 0; i < 8; ++i)
      x |= uint64_t{byte()} << (8 * i);
    return x;
  }

  std::string raw_string() {
    size_t len = byte();
    len = std::min(len, remaining());
    std::string result(reinterpret_cast<const char*>(data_ + pos_), len);
    pos_ += len;
    return result;
  }

  std::string key() {
    auto k = byte();
    if (k == 0xFF)
      return raw_string();
    const auto& names = field_names();
    return names[k % names.size()];
  }

  // Fills `x`; returns the number of elements of a container to read.
  size_t scalar_or_container(sssn::json& x, bool may_nest) {
    using sssn::json;
    auto tag = byte();
    switch (tag % 16) {
      case 0:
        x = nullptr;
        return 0;
      case 1:
        x = false;
        return 0;
      case 2:
        x = true;
        return 0;
      case 3:
        x = static_cast<json::number_integer_t>(u64());
        return 0;
      case 4:
        x = static_cast<json::number_unsigned_t>(u64());
        return 0;
      case 5: {
        auto bits = u64();
        double d;
        std::memcpy(&d, &bits, sizeof(d));
        x = d;
        return 0;
      }
      case 6:
        x = static_cast<json::number_integer_t>(static_cast<int8_t>(byte()));
        return 0;
      case 7:
        x = edge_number(byte());
        return 0;
      case 8:
        x = raw_string();
        return 0;
      case 9:
        x = field_names()[byte() % field_names().size()];
        return 0;
      case 10:
      case 12:
        x = json::array();
        return may_nest ? byte() : 0;
      case 11:
      case 13:
        x = json::object();
        return may_nest ? byte() : 0;
      default:
        x = nullptr;
        return 0;
    }
  }

  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

/// Writes `x` in the structure encoding (for seeds); strings and keys
/// longer than 255 bytes and containers with more than 255 elements are
/// cut.
inline void encode_value(const sssn::json& x, std::vector<uint8_t>& out) {
  using sssn::json;
  auto u64 = [&](uint64_t v) {
    for (int i = 0; i < 8; ++i)
      out.push_back(static_cast<uint8_t>(v >> (8 * i)));
  };
  auto str = [&](const std::string& s) {
    auto n = std::min<size_t>(s.size(), 255);
    out.push_back(static_cast<uint8_t>(n));
    out.insert(out.end(), s.begin(), s.begin() + static_cast<ptrdiff_t>(n));
  };
  switch (x.type()) {
    case json::value_t::boolean:
      out.push_back(x.get<bool>() ? 2 : 1);
      break;
    case json::value_t::number_integer:
      out.push_back(3);
      u64(static_cast<uint64_t>(x.get<int64_t>()));
      break;
    case json::value_t::number_unsigned:
      out.push_back(4);
      u64(x.get<uint64_t>());
      break;
    case json::value_t::number_float: {
      out.push_back(5);
      auto d = x.get<double>();
      uint64_t bits;
      std::memcpy(&bits, &d, sizeof(d));
      u64(bits);
      break;
    }
    case json::value_t::string:
      out.push_back(8);
      str(x.get_ref<const std::string&>());
      break;
    case json::value_t::array: {
      out.push_back(10);
      auto n = std::min<size_t>(x.size(), 255);
      out.push_back(static_cast<uint8_t>(n));
      for (size_t i = 0; i < n; ++i)
        encode_value(x[i], out);
      break;
    }
    case json::value_t::object: {
      out.push_back(11);
      auto n = std::min<size_t>(x.size(), 255);
      out.push_back(static_cast<uint8_t>(n));
      size_t i = 0;
      for (auto& [k, v] : x.items()) {
        if (i++ == n)
          break;
        out.push_back(0xFF);
        str(k);
        encode_value(v, out);
      }
      break;
    }
    default:
      out.push_back(0);
      break;
  }
}

} // namespace sssn_fuzz
