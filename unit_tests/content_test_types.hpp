// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// What the content tests (content.cpp, typed_content.cpp) share: typed
// content in several namespaces, printing for Boost.Test, and the helpers.
//
// Each test executable includes this header once, from its only source file.

#include "timeout_scale.hpp"
#include "sssn/content.hpp"

#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <caf/sec.hpp>

#include "compute_types.hpp"
#include "sssn/error.hpp"
#include "sssn/format.hpp"

namespace app {

// The one copy of the compute structs (compute_types.hpp).
using sssn::test::compute_request;
using sssn::test::compute_response;

struct item {
  std::string name;
  int qty = 0;
};
SSSN_CONTENT(item, name, qty)

struct order {
  std::vector<item> items;
  std::map<std::string, std::string> tags;
  std::unordered_map<std::string, int> counts;
  std::optional<item> gift;
  sssn::json extra;
};
SSSN_CONTENT(order, items, tags, counts, gift, extra)

struct numbers {
  uint8_t u8 = 0;
  int8_t i8 = 0;
  uint16_t u16 = 0;
  int32_t i32 = 0;
  uint64_t u64 = 0;
  int64_t i64 = 0;
  float f = 0;
  double d = 0;
  bool on = false;
};
SSSN_CONTENT(numbers, u8, i8, u16, i32, u64, i64, f, d, on)

struct with_defaults {
  int a = 1;
  int b = 2;
  std::optional<int> c = 7;
  std::optional<int> d = 8;
};
SSSN_CONTENT(with_defaults, a, b, c, d)
SSSN_CONTENT_DEFAULTS(with_defaults, b, d)

struct containers {
  std::vector<bool> flags;
  std::vector<std::optional<int>> maybe;
  std::vector<std::vector<int>> matrix;
  std::map<std::string, std::vector<double>> series;
};
SSSN_CONTENT(containers, flags, maybe, matrix, series)

// A recursive type: its own nesting is unbounded.
struct node {
  std::string name;
  std::vector<node> children;
};
SSSN_CONTENT(node, name, children)

} // namespace app

namespace other::deeper {

struct ping {
  int64_t seq = 0;
};
SSSN_CONTENT(ping, seq)

} // namespace other::deeper

struct global_ns_type {
  std::string text;
};
SSSN_CONTENT(global_ns_type, text)

// Printing for Boost.Test diagnostics (found by ADL).
namespace sssn {

inline std::ostream& boost_test_print_type(std::ostream& out,
                                           const content& x) {
  return out << to_string(x);
}

inline std::ostream& boost_test_print_type(std::ostream& out, content_kind x) {
  return out << to_string(x);
}

} // namespace sssn

namespace caf {

inline std::ostream& boost_test_print_type(std::ostream& out, const error& x) {
  return out << sssn::error_message(x);
}

} // namespace caf

using sssn::content;
using sssn::content_kind;
using sssn::json;

namespace {

const unsigned test_timeout = sssn::test::scaled_timeout(60);

inline json parse(const char* text) {
  return json::parse(text);
}

// Returns an array nested `depth` levels deep, built without recursion.
inline json nested_arrays(size_t depth) {
  json root = json::array();
  json* cur = &root;
  for (size_t i = 1; i < depth; ++i) {
    cur->push_back(json::array());
    cur = &cur->back();
  }
  return root;
}

// Checks that `res` failed with ec::invalid_content, `sentence` and `field`.
template <class T>
void require_content_error(const caf::expected<T>& res,
                           const std::string& sentence,
                           const std::string& field) {
  BOOST_REQUIRE(!res);
  BOOST_TEST(sssn::is(res.error(), sssn::ec::invalid_content));
  BOOST_TEST(sssn::error_message(res.error()) == sentence);
  BOOST_TEST(sssn::error_field(res.error()) == field);
}

inline void require_content_error(const caf::error& err,
                                  const std::string& sentence,
                                  const std::string& field) {
  BOOST_REQUIRE(err);
  BOOST_TEST(sssn::is(err, sssn::ec::invalid_content));
  BOOST_TEST(sssn::error_message(err) == sentence);
  BOOST_TEST(sssn::error_field(err) == field);
}

} // namespace

namespace tt = boost::unit_test;
