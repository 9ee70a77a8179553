// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include <caf/error.hpp>
#include <nlohmann/json.hpp>

#include "sssn/detail/json_util.hpp"
#include "sssn/error.hpp"
#include "sssn/export.hpp"

namespace sssn::detail {

// -- detection ----------------------------------------------------------------

/// A visitor type used only to detect `SSSN_CONTENT` declarations.
struct field_probe {
  template <class Member>
  bool operator()(const char*, Member) const {
    return true;
  }
};

/// Whether `T` was declared with `SSSN_CONTENT` (found by ADL).
template <class T, class = void>
struct has_content_fields : std::false_type {};

template <class T>
struct has_content_fields<
  T, std::void_t<decltype(sssn_content_fields(
       static_cast<const T*>(nullptr), std::declval<field_probe&>()))>>
  : std::true_type {};

/// Whether `T` was declared with `SSSN_CONTENT_DEFAULTS` (found by ADL).
template <class T, class = void>
struct has_content_defaults : std::false_type {};

template <class T>
struct has_content_defaults<
  T, std::void_t<decltype(sssn_content_has_default(
       static_cast<const T*>(nullptr), std::string_view{}))>>
  : std::true_type {};

/// Returns whether `SSSN_CONTENT_DEFAULTS` lists the field `name` of `T`.
template <class T>
bool field_has_default(std::string_view name) {
  if constexpr (has_content_defaults<T>::value)
    return sssn_content_has_default(static_cast<const T*>(nullptr), name);
  else
    return false;
}

/// Whether `T` is a `std::optional`.
template <class T>
struct is_optional : std::false_type {};

template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

// -- validation state ---------------------------------------------------------

/// State of one validation: the path of the current field, the nesting
/// level, and the first error.
struct SSSN_ACTORS_EXPORT typed_reader {
  std::string path;
  size_t depth = 0;
  caf::error err;

  /// Records the error `sentence` for the current path; returns false.
  bool fail(std::string sentence);

  /// Records the error "field '<path>' <what>"; returns false.
  bool fail_field(const std::string& what);

  /// Records "field '<path>' must be <expected>, got <type of x>".
  bool fail_type(const char* expected, const json& x);

  /// Enters one level of nesting; false (with an error) beyond the limit.
  bool enter();

  /// Leaves one level of nesting.
  void leave() noexcept {
    --depth;
  }
};

/// Returns the name of an integer type for messages, e.g. `uint8`.
SSSN_ACTORS_EXPORT std::string int_type_name(bool is_signed, size_t size);

/// Renders a number for an error message (`3.5`, `NaN`, `-inf`).
SSSN_ACTORS_EXPORT std::string render_number(const json& x);

// -- field codecs ---------------------------------------------------------------

/// Converts one field type to and from generic data: `read` validates
/// (returning false after recording an error), `write` converts.
template <class T, class = void>
struct field_codec {
  static_assert(sizeof(T) == 0,
                "unsupported field type in SSSN_CONTENT: use bool, an "
                "integer, float, double, std::string, sssn::json, "
                "std::optional, std::vector, std::map or std::unordered_map "
                "with std::string keys, or a struct declared with "
                "SSSN_CONTENT");
};

/// Validates `x` into `out`; returns false after recording an error in `r`.
template <class T>
bool read_field(const json& x, T& out, typed_reader& r) {
  return field_codec<T>::read(x, out, r);
}

/// Converts `x` to generic data in `out`.
template <class T>
void write_field(const T& x, json& out) {
  field_codec<T>::write(x, out);
}

template <>
struct field_codec<bool> {
  static bool read(const json& x, bool& out, typed_reader& r) {
    if (!x.is_boolean())
      return r.fail_type("a boolean", x);
    out = x.get<bool>();
    return true;
  }
  static void write(bool x, json& out) {
    out = x;
  }
};

template <class T>
struct field_codec<T, std::enable_if_t<std::is_integral_v<T>
                                       && !std::is_same_v<T, bool>>> {
  static bool out_of_range(const std::string& value, typed_reader& r) {
    return r.fail_field("out of range for "
                        + int_type_name(std::is_signed_v<T>, sizeof(T)) + ": "
                        + value);
  }
  static bool read(const json& x, T& out, typed_reader& r) {
    using limits = std::numeric_limits<T>;
    // Note: nlohmann's get_ptr<number_integer_t*> also answers for
    // unsigned numbers, so test the exact type.
    if (x.is_number_unsigned()) {
      auto v = x.get<json::number_unsigned_t>();
      if (v > static_cast<std::make_unsigned_t<T>>(limits::max()))
        return out_of_range(std::to_string(v), r);
      out = static_cast<T>(v);
      return true;
    }
    if (x.is_number_integer()) {
      auto v = x.get<json::number_integer_t>();
      if constexpr (std::is_signed_v<T>) {
        if (v < static_cast<int64_t>(limits::min())
            || v > static_cast<int64_t>(limits::max()))
          return out_of_range(std::to_string(v), r);
      } else {
        if (v < 0 || static_cast<uint64_t>(v) > uint64_t{limits::max()})
          return out_of_range(std::to_string(v), r);
      }
      out = static_cast<T>(v);
      return true;
    }
    if (x.is_number_float())
      return r.fail_field("must be an integer, got " + render_number(x));
    return r.fail_type("an integer", x);
  }
  static void write(T x, json& out) {
    if constexpr (std::is_signed_v<T>)
      out = static_cast<json::number_integer_t>(x);
    else
      out = static_cast<json::number_unsigned_t>(x);
  }
};

template <class T>
struct field_codec<T, std::enable_if_t<std::is_floating_point_v<T>>> {
  static bool read(const json& x, T& out, typed_reader& r) {
    // Note: nlohmann's get_ptr<number_integer_t*> also answers for
    // unsigned numbers, so test the exact type.
    double v = 0;
    switch (x.type()) {
      case json::value_t::number_float:
        v = x.get<json::number_float_t>();
        break;
      case json::value_t::number_integer:
        v = static_cast<double>(x.get<json::number_integer_t>());
        break;
      case json::value_t::number_unsigned:
        v = static_cast<double>(x.get<json::number_unsigned_t>());
        break;
      default:
        return r.fail_type("a number", x);
    }
    if (!std::isfinite(v))
      return r.fail_field("must be a finite number, got "
                          + render_number(x));
    if constexpr (!std::is_same_v<T, double>) {
      if (std::fabs(v) > static_cast<double>(std::numeric_limits<T>::max()))
        return r.fail_field(std::string{"out of range for "}
                            + (std::is_same_v<T, float> ? "float"
                                                        : "long double")
                            + ": " + render_number(x));
    }
    out = static_cast<T>(v);
    return true;
  }
  static void write(T x, json& out) {
    out = static_cast<double>(x);
  }
};

template <>
struct field_codec<std::string> {
  static bool read(const json& x, std::string& out, typed_reader& r) {
    if (auto ptr = x.get_ptr<const std::string*>()) {
      out = *ptr;
      return true;
    }
    return r.fail_type("a string", x);
  }
  static void write(const std::string& x, json& out) {
    out = x;
  }
};

template <>
struct field_codec<json> {
  static bool read(const json& x, json& out, typed_reader&) {
    out = copy_json(x);
    return true;
  }
  static void write(const json& x, json& out) {
    out = copy_json(x);
  }
};

template <class T>
struct field_codec<std::optional<T>> {
  static bool read(const json& x, std::optional<T>& out, typed_reader& r) {
    if (x.is_null()) {
      out.reset();
      return true;
    }
    T tmp{};
    if (!read_field(x, tmp, r))
      return false;
    out = std::move(tmp);
    return true;
  }
  static void write(const std::optional<T>& x, json& out) {
    if (x)
      write_field(*x, out);
    else
      out = nullptr;
  }
};

template <class T, class Allocator>
struct field_codec<std::vector<T, Allocator>> {
  static bool read(const json& x, std::vector<T, Allocator>& out,
                   typed_reader& r) {
    auto arr = x.get_ptr<const json::array_t*>();
    if (arr == nullptr)
      return r.fail_type("an array", x);
    if (!r.enter())
      return false;
    out.clear();
    out.reserve(arr->size());
    auto old_size = r.path.size();
    for (size_t i = 0; i < arr->size(); ++i) {
      r.path += '[';
      r.path += std::to_string(i);
      r.path += ']';
      T tmp{};
      if (!read_field((*arr)[i], tmp, r))
        return false;
      out.push_back(std::move(tmp));
      r.path.resize(old_size);
    }
    r.leave();
    return true;
  }
  static void write(const std::vector<T, Allocator>& x, json& out) {
    out = json::array();
    auto& arr = out.get_ref<json::array_t&>();
    arr.resize(x.size());
    for (size_t i = 0; i < x.size(); ++i)
      write_field(static_cast<const T&>(x[i]), arr[i]);
  }
};

/// Codec of string-keyed maps (`std::map`, `std::unordered_map`).
template <class Map>
struct map_codec {
  using mapped_type = typename Map::mapped_type;
  static bool read(const json& x, Map& out, typed_reader& r) {
    auto obj = x.get_ptr<const json::object_t*>();
    if (obj == nullptr)
      return r.fail_type("an object", x);
    if (!r.enter())
      return false;
    out.clear();
    auto old_size = r.path.size();
    for (const auto& [key, val] : *obj) {
      r.path += '[';
      r.path += quote_json(key);
      r.path += ']';
      mapped_type tmp{};
      if (!read_field(val, tmp, r))
        return false;
      out.emplace(key, std::move(tmp));
      r.path.resize(old_size);
    }
    r.leave();
    return true;
  }
  static void write(const Map& x, json& out) {
    out = json::object();
    for (const auto& [key, val] : x)
      write_field(val, out[key]);
  }
};

template <class T, class Compare, class Allocator>
struct field_codec<std::map<std::string, T, Compare, Allocator>>
  : map_codec<std::map<std::string, T, Compare, Allocator>> {};

template <class T, class Hash, class Equal, class Allocator>
struct field_codec<std::unordered_map<std::string, T, Hash, Equal, Allocator>>
  : map_codec<std::unordered_map<std::string, T, Hash, Equal, Allocator>> {};

/// Reads the declared fields of `T` from the members of `obj`.
template <class T>
bool read_members(const json::object_t& obj, T& out, typed_reader& r) {
  return sssn_content_fields(
    static_cast<const T*>(nullptr), [&](const char* name, auto member) {
      using field_type = std::decay_t<decltype(out.*member)>;
      auto old_size = r.path.size();
      if (!r.path.empty())
        r.path += '.';
      r.path += name;
      auto i = obj.find(name);
      if (i == obj.end()) {
        if (field_has_default<T>(name)) {
          // keep the value of the default member initializer
        } else if constexpr (is_optional<field_type>::value) {
          (out.*member).reset();
        } else {
          return r.fail("missing field '" + r.path + "'");
        }
      } else if (!read_field(i->second, out.*member, r)) {
        return false;
      }
      r.path.resize(old_size);
      return true;
    });
}

template <class T>
struct field_codec<T, std::enable_if_t<has_content_fields<T>::value>> {
  static bool read(const json& x, T& out, typed_reader& r) {
    auto obj = x.get_ptr<const json::object_t*>();
    if (obj == nullptr)
      return r.fail_type("an object", x);
    if (!r.enter())
      return false;
    if (!read_members(*obj, out, r))
      return false;
    r.leave();
    return true;
  }
  static void write(const T& x, json& out) {
    out = json::object();
    sssn_content_fields(static_cast<const T*>(nullptr),
                        [&](const char* name, auto member) {
                          write_field(x.*member, out[name]);
                          return true;
                        });
  }
};

/// Makes the error for content that is not an object at the top level.
SSSN_ACTORS_EXPORT caf::error not_an_object(const char* type_name,
                                            const json& x);

} // namespace sssn::detail
