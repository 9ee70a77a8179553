// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Fuzz target for typed validation of generic content (`content::as<T>()`,
// `from_generic`, `to_generic`): what a responder does with every request.
//
// The input becomes generic content (JSON text through `from_json`, or the
// structure encoding of `typed_input.hpp` when the first byte is 0x00),
// which is validated into structs that cover every supported field type:
// bool, integers of every width, float, double, long double, std::string,
// json, std::optional, std::vector, std::map, std::unordered_map, nested
// and recursive typed content, and defaulted fields.
//
// Properties, beyond "no crash, no sanitizer report":
// - on success, `to_generic` then validating again gives an equal struct
//   and the same generic form; typed content made from the struct
//   validates to the same struct, passes `check()` if the input did, and
//   survives our wire form;
// - on failure, the error is `ec::invalid_content`; it names a non-empty
//   field path, quoted in its sentence, unless the top level is not an
//   object (then no field);
// - the type name does not matter: typed content of another name gives
//   the same result as generic content;
// - an independent oracle decides, for each field type and each value
//   found in the input, whether `{"v": value}` validates and to what; the
//   error of a refusal names the first offending element.

#include <cfloat>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "sssn/channel_message.hpp"
#include "sssn/content.hpp"
#include "sssn/error.hpp"

#include "fuzz_common.hpp"
#include "typed_input.hpp"

namespace {

using namespace sssn_fuzz;
using sssn::content;
using sssn::ec;
using sssn::json;

// -- whole structs -----------------------------------------------------------------

template <class T>
void check_typed(const content& c, bool sendable) {
  auto res = c.as<T>();
  // The type name plays no part in validation.
  auto renamed = content::from_typed("fuzz.other_name", c.data());
  auto res2 = renamed.as<T>();
  FUZZ_CHECK(static_cast<bool>(res) == static_cast<bool>(res2));
  if (!res) {
    auto err = res.error();
    FUZZ_CHECK_MSG(sssn::is(err, ec::invalid_content), describe(err));
    auto field = sssn::error_field(err);
    auto text = sssn::error_message(err);
    FUZZ_CHECK_MSG(text == sssn::error_message(res2.error()), describe(err));
    if (c.data().is_object()) {
      FUZZ_CHECK_MSG(!field.empty(), describe(err));
      FUZZ_CHECK_MSG(text.find("'" + field + "'") != std::string::npos,
                     describe(err));
    } else {
      FUZZ_CHECK_MSG(field.empty(), describe(err));
    }
    return;
  }
  FUZZ_CHECK(*res == *res2);
  // to_generic, then validating again, is a fixpoint.
  auto generic = sssn::to_generic(*res);
  FUZZ_CHECK(generic.is_object());
  auto again = sssn::from_generic<T>(generic);
  FUZZ_CHECK_MSG(again, describe(again.error()));
  FUZZ_CHECK(*again == *res);
  FUZZ_CHECK(same_json(sssn::to_generic(*again), generic));
  // Typed content made from the struct.
  content typed{*res};
  FUZZ_CHECK(typed.kind() == sssn::content_kind::typed);
  FUZZ_CHECK(typed.type_name() == sssn::type_name_of<T>());
  auto back = typed.as<T>();
  FUZZ_CHECK_MSG(back, describe(back.error()));
  FUZZ_CHECK(*back == *res);
  // Validation adds nothing that cannot be sent.
  auto check = typed.check();
  if (sendable)
    FUZZ_CHECK_MSG(!check, describe(check));
  if (check)
    return;
  std::vector<char> buf;
  auto enc = sssn::detail::encode_content(typed, buf);
  FUZZ_CHECK_MSG(!enc, describe(enc));
  auto decoded = sssn::detail::decode_content(buf.data(), buf.size());
  FUZZ_CHECK(same_content(decoded, typed));
  auto from_wire = decoded.as<T>();
  FUZZ_CHECK_MSG(from_wire, describe(from_wire.error()));
  FUZZ_CHECK(*from_wire == *res);
}

// -- the oracle for single fields ------------------------------------------------

// Decides whether `x` validates into `T`; if so, stores the value in `out`.
// Written from the documentation, independently of the codecs.
template <class T>
bool expect(const json& x, T& out) {
  if constexpr (std::is_same_v<T, bool>) {
    if (!x.is_boolean())
      return false;
    out = x.get<bool>();
    return true;
  } else if constexpr (std::is_integral_v<T>) {
    __int128 v = 0;
    if (x.is_number_unsigned())
      v = x.get<uint64_t>();
    else if (x.is_number_integer())
      v = x.get<int64_t>();
    else
      return false;
    if (v < static_cast<__int128>(std::numeric_limits<T>::min())
        || v > static_cast<__int128>(std::numeric_limits<T>::max()))
      return false;
    out = static_cast<T>(v);
    return true;
  } else if constexpr (std::is_floating_point_v<T>) {
    if (!x.is_number())
      return false;
    double v = x.is_number_float()      ? x.get<double>()
               : x.is_number_unsigned() ? static_cast<double>(x.get<uint64_t>())
                                        : static_cast<double>(x.get<int64_t>());
    if (!std::isfinite(v))
      return false;
    if (std::is_same_v<T, float> && std::fabs(v) > double{FLT_MAX})
      return false;
    out = static_cast<T>(v);
    return true;
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!x.is_string())
      return false;
    out = x.get<std::string>();
    return true;
  } else if constexpr (std::is_same_v<T, json>) {
    out = sssn::detail::copy_json(x);
    return true;
  } else if constexpr (std::is_same_v<T, opt_int>) {
    if (x.is_null()) {
      out.reset();
      return true;
    }
    int32_t tmp = 0;
    if (!expect(x, tmp))
      return false;
    out = tmp;
    return true;
  } else if constexpr (std::is_same_v<T, byte_vector>) {
    if (!x.is_array())
      return false;
    out.clear();
    for (const auto& e : x) {
      uint8_t tmp = 0;
      if (!expect(e, tmp))
        return false;
      out.push_back(tmp);
    }
    return true;
  } else {
    static_assert(std::is_same_v<T, int_map>);
    if (!x.is_object())
      return false;
    out.clear();
    for (const auto& [k, e] : x.get_ref<const json::object_t&>()) {
      int64_t tmp = 0;
      if (!expect(e, tmp))
        return false;
      out.emplace(k, tmp);
    }
    return true;
  }
}

// The field an error must name when `x` does not validate into `T`.
template <class T>
std::string expected_field(const json& x) {
  if constexpr (std::is_same_v<T, byte_vector>) {
    if (x.is_array()) {
      for (size_t i = 0; i < x.size(); ++i) {
        uint8_t tmp;
        if (!expect(x[i], tmp))
          return "v[" + std::to_string(i) + "]";
      }
    }
  } else if constexpr (std::is_same_v<T, int_map>) {
    if (x.is_object()) {
      for (const auto& [k, e] : x.get_ref<const json::object_t&>()) {
        int64_t tmp;
        if (!expect(e, tmp))
          return "v[" + sssn::detail::quote_json(k) + "]";
      }
    }
  }
  return "v";
}

template <class T>
bool same_value(const T& x, const T& y) {
  if constexpr (std::is_same_v<T, json>)
    return same_json(x, y);
  else if constexpr (std::is_floating_point_v<T>)
    return x == y && std::signbit(x) == std::signbit(y);
  else
    return x == y;
}

template <class T>
void check_single(const json& x) {
  json obj = json::object();
  obj["v"] = sssn::detail::copy_json(x);
  content c{std::move(obj)};
  auto res = c.as<single<T>>();
  T want{};
  bool ok = expect(x, want);
  if (!ok) {
    FUZZ_CHECK_MSG(!res, "accepted " + c.to_json() + " as "
                           + sssn::type_name_of<single<T>>());
    auto err = res.error();
    FUZZ_CHECK_MSG(sssn::is(err, ec::invalid_content), describe(err));
    FUZZ_CHECK_MSG(sssn::error_field(err) == expected_field<T>(x),
                   describe(err) + " for " + c.to_json());
    return;
  }
  FUZZ_CHECK_MSG(res, describe(res.error()) + " for " + c.to_json());
  FUZZ_CHECK_MSG(same_value(res->v, want),
                 "wrong value for " + c.to_json() + " as "
                   + sssn::type_name_of<single<T>>());
  // Round trip through the generic form.
  auto generic = sssn::to_generic(*res);
  auto again = sssn::from_generic<single<T>>(generic);
  FUZZ_CHECK(again && same_value(again->v, res->v));
}

void check_singles(const json& x) {
  check_single<bool>(x);
  check_single<uint8_t>(x);
  check_single<int8_t>(x);
  check_single<uint16_t>(x);
  check_single<int16_t>(x);
  check_single<uint32_t>(x);
  check_single<int32_t>(x);
  check_single<uint64_t>(x);
  check_single<int64_t>(x);
  check_single<float>(x);
  check_single<double>(x);
  check_single<long double>(x);
  check_single<std::string>(x);
  check_single<json>(x);
  check_single<opt_int>(x);
  check_single<byte_vector>(x);
  check_single<int_map>(x);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  content c;
  if (size > 0 && bytes[0] == 0) {
    structure_decoder dec{bytes + 1, size - 1};
    c = content{dec.value()};
  } else {
    auto res = content::from_json(
      std::string_view{reinterpret_cast<const char*>(bytes), size});
    if (!res)
      return 0;
    c = std::move(*res);
  }
  bool sendable = !c.check();
  check_typed<item>(c, sendable);
  check_typed<scalars>(c, sendable);
  check_typed<containers>(c, sendable);
  check_typed<order>(c, sendable);
  check_typed<tree>(c, sendable);
  // The oracle, for the value itself and for the first few values inside,
  // if small (each check copies the value: big ones would only slow the
  // fuzzer down).
  auto oracle = [](const json& x) {
    if (!x.is_structured() || count_of(x) <= 16)
      check_singles(x);
  };
  const auto& data = c.data();
  oracle(data);
  if (data.is_structured()) {
    size_t n = 0;
    for (const auto& e : data) {
      if (++n > 8)
        break;
      oracle(e);
    }
  }
  return 0;
}
