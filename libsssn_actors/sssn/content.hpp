// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <type_traits>

#include <caf/atom.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <nlohmann/json.hpp>

#include "sssn/detail/json_util.hpp"
#include "sssn/error.hpp"
#include "sssn/export.hpp"
#include "sssn/json.hpp"
#include "sssn/typed_content.hpp"

namespace sssn {

/// The three kinds of `content`.
enum class content_kind : uint8_t {
  /// JSON-like data.
  generic,
  /// A struct declared with `SSSN_CONTENT`, kept in its generic form with
  /// its type name.
  typed,
  /// An error reply: code, category, sentence and (for validation errors)
  /// the field.
  error,
};

/// Returns the name of `x`, e.g. `"typed"`.
SSSN_ACTORS_EXPORT std::string to_string(content_kind x);

/// The payload of a channel message: generic JSON-like data, typed content
/// (a struct declared with `SSSN_CONTENT`), or an error.
///
/// Content is an immutable value: copies share one representation, so they
/// are cheap. Typed content is stored in its generic form, so any content
/// validates into any typed struct whose fields it matches (`as<T>()`).
///
/// A struct becomes typed content with one line next to it, at namespace
/// scope in its namespace (supported field types: `bool`, integers,
/// `float`, `double`, `std::string`, `json`, `std::optional`,
/// `std::vector`, string-keyed `std::map` and `std::unordered_map`, and
/// other typed content):
///
/// ~~~
/// struct compute_request {
///   double a = 0;
///   double b = 0;
///   std::string operation = "add";
/// };
/// SSSN_CONTENT(compute_request, a, b, operation)
/// SSSN_CONTENT_DEFAULTS(compute_request, operation) // may be missing
/// ~~~
///
/// Strings are UTF-8: `check()`, `detail::wire_writer` and
/// `detail::wire_reader` refuse invalid UTF-8, and `to_json()` renders it
/// as U+FFFD.
class SSSN_ACTORS_EXPORT content {
public:
  // -- constructors -----------------------------------------------------------

  /// Creates generic null content; does not allocate.
  content() noexcept = default;

  /// Creates generic content holding a copy of `value` (copied without
  /// recursion, so any nesting depth is safe).
  content(const json& value);

  /// Creates generic content holding `value`.
  content(json&& value);

  /// Creates typed content from `x`: its generic form (`to_generic(x)`) and
  /// its declared type name (`type_name_of<T>()`).
  template <class T, class = std::enable_if_t<is_typed_content_v<T>>>
  content(const T& x) : content(from_typed(type_name_of<T>(), to_generic(x))) {
    // nop
  }

  /// Creates typed content from its generic form and type name, e.g. as
  /// received from a peer. An empty `type_name` gives generic content.
  static content from_typed(std::string type_name, json&& data);

  /// Creates typed content from a copy of `data` (copied without
  /// recursion) and a type name. An empty `type_name` gives generic content.
  static content from_typed(std::string type_name, const json& data);

  /// Creates error content that keeps the category, code, sentence
  /// (`error_message(err)`) and field (`error_field(err)`) of `err`.
  /// Invalid UTF-8 in the sentence or field is replaced by U+FFFD. An empty
  /// `err` gives an `ec::invalid_argument` error saying so.
  static content from_error(const caf::error& err);

  /// Parses JSON text into generic content with nlohmann's parser, refusing
  /// input beyond `limits` (size, nesting depth, number of values). The
  /// error names what was wrong and where, e.g. "invalid JSON at line 1,
  /// column 7: ..." or "JSON nesting deeper than 64 levels".
  static caf::expected<content>
  from_json(std::string_view text, const content_limits& limits = {});

  // -- observers --------------------------------------------------------------

  /// Returns the kind of this content.
  content_kind kind() const noexcept;

  /// Returns whether this content is an error.
  bool is_error() const noexcept {
    return kind() == content_kind::error;
  }

  /// Returns the generic form: the data of generic and typed content, and
  /// `{"error": {"code": <int>, "category": <text>, "message": <text>,
  /// "field": <text>}}` for error content.
  const json& data() const noexcept;

  /// Returns the declared type name of typed content; empty otherwise.
  const std::string& type_name() const noexcept;

  /// Returns an error equal to the one this error content was made from
  /// (same code and category; `error_message` and `error_field` give the
  /// same sentence and field). Empty for other kinds of content.
  caf::error error() const;

  /// Validates this content into typed content `T` (SSSN's
  /// `model_validate(content.model_dump())`). Generic and typed content
  /// alike are validated from their generic form; error content yields its
  /// error. Fails with `ec::invalid_content` naming the field otherwise.
  template <class T>
  caf::expected<T> as() const {
    static_assert(is_typed_content_v<T>,
                  "T must be declared with SSSN_CONTENT");
    if (is_error())
      return error();
    return from_generic<T>(data());
  }

  /// Returns why this content must not be sent: a non-finite number, a
  /// binary value or invalid UTF-8 anywhere, or nesting deeper than
  /// `content_limits{}.max_depth`. The error names the path of the
  /// offending value (e.g. `values[3]`). Empty when the content is fine.
  caf::error check() const;

  /// Returns compact JSON text of `data()`. Never throws: invalid UTF-8 is
  /// rendered as U+FFFD, and nesting of any depth is rendered iteratively.
  std::string to_json() const;

  // -- comparison -------------------------------------------------------------

  /// Compares kind, type name and data.
  friend SSSN_ACTORS_EXPORT bool operator==(const content& x, const content& y);

  /// Compares kind, type name and data.
  friend bool operator!=(const content& x, const content& y) {
    return !(x == y);
  }

  /// @private
  struct impl;

private:
  explicit content(std::shared_ptr<const impl> ptr) noexcept;

  std::shared_ptr<const impl> ptr_;
};

/// Renders content as JSON text; error content as
/// `error(<code name>): <sentence>`.
SSSN_ACTORS_EXPORT std::string to_string(const content& x);

} // namespace sssn

namespace sssn::detail {

/// Rebuilds an error from the parts that error content keeps (see
/// `content::error`). Returns an empty error if `code` is 0.
SSSN_ACTORS_EXPORT caf::error rebuild_error(uint8_t code,
                                            caf::atom_value category,
                                            const std::string& message,
                                            const std::string& field);

} // namespace sssn::detail
