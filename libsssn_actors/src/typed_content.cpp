// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/typed_content.hpp"

#include <cmath>
#include <string>
#include <utility>

#include "sssn/error.hpp"

namespace sssn::detail {

bool typed_reader::fail(std::string sentence) {
  err = make_content_error(path, std::move(sentence));
  return false;
}

bool typed_reader::fail_field(const std::string& what) {
  return fail("field '" + path + "' " + what);
}

bool typed_reader::fail_type(const char* expected, const json& x) {
  return fail_field(std::string{"must be "} + expected + ", got "
                    + x.type_name());
}

bool typed_reader::enter() {
  if (++depth > default_max_depth)
    return fail_field("is nested deeper than "
                      + std::to_string(default_max_depth) + " levels");
  return true;
}

std::string int_type_name(bool is_signed, size_t size) {
  return (is_signed ? "int" : "uint") + std::to_string(size * 8);
}

std::string render_number(const json& x) {
  if (auto ptr = x.get_ptr<const json::number_float_t*>()) {
    if (std::isnan(*ptr))
      return "NaN";
    if (std::isinf(*ptr))
      return *ptr < 0 ? "-inf" : "inf";
  }
  return x.dump(-1, ' ', false, json::error_handler_t::replace);
}

caf::error not_an_object(const char* type_name, const json& x) {
  return make_content_error({}, std::string{"content must be an object to "
                                            "validate as "}
                                  + type_name + ", got " + x.type_name());
}

} // namespace sssn::detail
