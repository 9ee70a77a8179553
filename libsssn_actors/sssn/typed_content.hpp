// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <string>
#include <string_view>
#include <type_traits>
#include <utility>

#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "sssn/detail/field_codec.hpp"
#include "sssn/json.hpp"

// -- declaration macros -------------------------------------------------------

/// Declares `Type` as typed content with the listed fields (at most 63, the
/// limit of nlohmann's `NLOHMANN_JSON_PASTE`). Use it once at namespace scope,
/// in the namespace of `Type`, after the struct's definition. Each field is
/// required, unless its type is `std::optional<X>` (a missing or null field
/// gives `std::nullopt`) or it is listed in `SSSN_CONTENT_DEFAULTS`.
#define SSSN_CONTENT(Type, ...)                                                \
  [[maybe_unused]] inline const char* sssn_content_type_name(const Type*) {   \
    return #Type;                                                              \
  }                                                                            \
  template <class SssnFieldVisitor>                                            \
  bool sssn_content_fields(const Type*, SssnFieldVisitor&& sssn_visit) {       \
    using sssn_self_type = Type;                                               \
    NLOHMANN_JSON_EXPAND(NLOHMANN_JSON_PASTE(SSSN_CONTENT_FIELD_, __VA_ARGS__)) \
    return true;                                                               \
  }

/// Declares fields of typed content `Type` that may be missing: validation
/// then keeps the value of the struct's default member initializer (the
/// struct is value-initialized before validation). Optional second line next
/// to `SSSN_CONTENT(Type, ...)`.
#define SSSN_CONTENT_DEFAULTS(Type, ...)                                       \
  [[maybe_unused]] inline bool sssn_content_has_default(                       \
    const Type*, std::string_view sssn_name) {                                 \
    using sssn_self_type = Type;                                               \
    NLOHMANN_JSON_EXPAND(                                                      \
      NLOHMANN_JSON_PASTE(SSSN_CONTENT_DEFAULT_, __VA_ARGS__))                 \
    return false;                                                              \
  }

/// @private
#define SSSN_CONTENT_FIELD_(field)                                             \
  if (!sssn_visit(#field, &sssn_self_type::field))                             \
    return false;

/// @private
#define SSSN_CONTENT_DEFAULT_(field)                                           \
  if (sssn_name == #field)                                                     \
    return sizeof(&sssn_self_type::field) > 0;

namespace sssn {

/// Whether `T` is typed content, i.e., declared with `SSSN_CONTENT`.
template <class T>
inline constexpr bool is_typed_content_v = detail::has_content_fields<T>::value;

/// Returns the declared type name of typed content `T`, e.g.
/// `"compute_request"`.
template <class T>
std::string type_name_of() {
  static_assert(is_typed_content_v<T>, "T must be declared with SSSN_CONTENT");
  return sssn_content_type_name(static_cast<const T*>(nullptr));
}

/// Converts typed content to its generic form: an object with one member
/// per declared field (`std::nullopt` becomes null).
template <class T>
json to_generic(const T& x) {
  static_assert(is_typed_content_v<T>, "T must be declared with SSSN_CONTENT");
  json result;
  detail::field_codec<T>::write(x, result);
  return result;
}

/// Validates generic data into typed content `T` (SSSN's
/// `model_validate`): the struct is value-initialized, then every declared
/// field is read from the member of the same name. Returns an
/// `ec::invalid_content` error naming the field and what was wrong.
template <class T>
caf::expected<T> from_generic(const json& x) {
  static_assert(is_typed_content_v<T>, "T must be declared with SSSN_CONTENT");
  static_assert(std::is_default_constructible_v<T>,
                "typed content must be default-constructible");
  auto obj = x.get_ptr<const json::object_t*>();
  if (obj == nullptr)
    return detail::not_an_object(
      sssn_content_type_name(static_cast<const T*>(nullptr)), x);
  T result{};
  detail::typed_reader r;
  r.depth = 1;
  if (!detail::read_members(*obj, result, r))
    return std::move(r.err);
  return result;
}

} // namespace sssn
