// Tests sssn::content: generic and typed content, validation, error content,
// check(), JSON text in and out, and fmt formatting.

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

#include "sssn/error.hpp"
#include "sssn/format.hpp"

namespace app {

struct compute_request {
  double a = 0;
  double b = 0;
  std::string operation = "add";
};
SSSN_CONTENT(compute_request, a, b, operation)
SSSN_CONTENT_DEFAULTS(compute_request, operation)

struct compute_response {
  double result = 0;
  std::optional<std::string> error;
};
SSSN_CONTENT(compute_response, result, error)

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

json parse(const char* text) {
  return json::parse(text);
}

// Returns an array nested `depth` levels deep, built without recursion.
json nested_arrays(size_t depth) {
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

void require_content_error(const caf::error& err, const std::string& sentence,
                           const std::string& field) {
  BOOST_REQUIRE(err);
  BOOST_TEST(sssn::is(err, sssn::ec::invalid_content));
  BOOST_TEST(sssn::error_message(err) == sentence);
  BOOST_TEST(sssn::error_field(err) == field);
}

} // namespace

namespace tt = boost::unit_test;

BOOST_AUTO_TEST_SUITE(generic)

BOOST_AUTO_TEST_CASE(default_content_is_generic_null,
                     *tt::timeout(test_timeout)) {
  content x;
  BOOST_TEST(x.kind() == content_kind::generic);
  BOOST_TEST(!x.is_error());
  BOOST_TEST(x.data().is_null());
  BOOST_TEST(x.type_name().empty());
  BOOST_TEST(x.to_json() == "null");
  BOOST_TEST(!x.error());
  BOOST_TEST(!x.check());
  BOOST_TEST(x == content{json{}});
  BOOST_TEST(x == content{});
}

BOOST_AUTO_TEST_CASE(generic_json_round_trips, *tt::timeout(test_timeout)) {
  const char* texts[] = {
    "null",
    "true",
    "false",
    "0",
    "-42",
    "18446744073709551615",
    "-9223372036854775808",
    "3.25",
    "1e-300",
    R"("hello")",
    R"("gr\u00fc\u00df \u2603 \ud83d\ude00")",
    "[]",
    "{}",
    R"([1,"two",3.5,null,true,[[]],{"k":{"n":[1,2]}}])",
    R"({"a":1,"b":[true,false],"c":{"d":"e"},"weird key":"\n\t\""})",
  };
  for (auto text : texts) {
    BOOST_TEST_CONTEXT("text: " << text) {
      auto x = content::from_json(text);
      BOOST_REQUIRE(x);
      BOOST_TEST(x->kind() == content_kind::generic);
      BOOST_TEST(x->data() == json::parse(text));
      auto y = content::from_json(x->to_json());
      BOOST_REQUIRE(y);
      BOOST_TEST(*x == *y);
      BOOST_TEST(x->to_json() == json::parse(text).dump());
      BOOST_TEST(!x->check());
    }
  }
}

BOOST_AUTO_TEST_CASE(copies_share_one_representation,
                     *tt::timeout(test_timeout)) {
  content x{parse(R"({"a":[1,2,3]})")};
  content y = x;
  BOOST_TEST(&x.data() == &y.data());
  BOOST_TEST(x == y);
  content z{parse(R"({"a":[1,2,3]})")};
  BOOST_TEST(x == z);
  BOOST_TEST(x != content{parse(R"({"a":[1,2,4]})")});
  // nlohmann's number semantics: 1 (int) == 1 (unsigned) == 1.0
  BOOST_TEST(content{json(int64_t{1})} == content{json(uint64_t{1})});
}

BOOST_AUTO_TEST_CASE(to_json_never_throws_on_invalid_utf8,
                     *tt::timeout(test_timeout)) {
  json bad = json::object();
  bad["k\xff"] = "a\xc3(b";
  content x{bad};
  std::string text;
  BOOST_CHECK_NO_THROW(text = x.to_json());
  BOOST_TEST(text == "{\"k\xEF\xBF\xBD\":\"a\xEF\xBF\xBD(b\"}");
  require_content_error(x.check(),
                        "content has invalid UTF-8 in a key at field "
                        "'[\"k\xEF\xBF\xBD\"]'",
                        "[\"k\xEF\xBF\xBD\"]");
  content y{json::array({"ok", "\xed\xa0\x80"})}; // an encoded surrogate
  require_content_error(y.check(),
                        "content has invalid UTF-8 in a string at field "
                        "'[1]'",
                        "[1]");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(typed)

BOOST_AUTO_TEST_CASE(declarations, *tt::timeout(test_timeout)) {
  static_assert(sssn::is_typed_content_v<app::compute_request>);
  static_assert(sssn::is_typed_content_v<other::deeper::ping>);
  static_assert(sssn::is_typed_content_v<global_ns_type>);
  static_assert(!sssn::is_typed_content_v<int>);
  static_assert(!sssn::is_typed_content_v<std::string>);
  static_assert(!sssn::is_typed_content_v<json>);
  static_assert(!sssn::is_typed_content_v<content>);
  BOOST_TEST(sssn::type_name_of<app::compute_request>() == "compute_request");
  BOOST_TEST(sssn::type_name_of<other::deeper::ping>() == "ping");
  BOOST_TEST(sssn::type_name_of<global_ns_type>() == "global_ns_type");
  content x{other::deeper::ping{7}};
  BOOST_TEST(x.to_json() == R"({"seq":7})");
  BOOST_TEST(x.as<other::deeper::ping>()->seq == 7);
  content y{global_ns_type{"hi"}};
  BOOST_TEST(y.as<global_ns_type>()->text == "hi");
}

BOOST_AUTO_TEST_CASE(compute_example, *tt::timeout(test_timeout)) {
  content req{app::compute_request{1.5, 2, "mul"}};
  BOOST_TEST(req.kind() == content_kind::typed);
  BOOST_TEST(req.type_name() == "compute_request");
  BOOST_TEST(req.data() == parse(R"({"a":1.5,"b":2.0,"operation":"mul"})"));
  BOOST_TEST(req.to_json() == R"({"a":1.5,"b":2.0,"operation":"mul"})");
  auto back = req.as<app::compute_request>();
  BOOST_REQUIRE(back);
  BOOST_TEST(back->a == 1.5);
  BOOST_TEST(back->b == 2.0);
  BOOST_TEST(back->operation == "mul");
  // generic content validates too; integers convert to double fields and
  // the declared default fills the missing operation
  content generic{parse(R"({"a":1,"b":2})")};
  auto req2 = generic.as<app::compute_request>();
  BOOST_REQUIRE(req2);
  BOOST_TEST(req2->a == 1.0);
  BOOST_TEST(req2->b == 2.0);
  BOOST_TEST(req2->operation == "add");
  // typed content of one type validates into another with matching fields
  auto as_resp = content{parse(R"({"result":3})")}.as<app::compute_response>();
  BOOST_REQUIRE(as_resp);
  BOOST_TEST(as_resp->result == 3.0);
  BOOST_TEST(!as_resp->error.has_value());
  content resp{app::compute_response{3, std::nullopt}};
  BOOST_TEST(resp.to_json() == R"({"error":null,"result":3.0})");
  content failed{app::compute_response{0, std::string{"division by zero"}}};
  auto failed_back = failed.as<app::compute_response>();
  BOOST_REQUIRE(failed_back);
  BOOST_TEST(failed_back->error.value() == "division by zero");
  // typed and generic content with the same data differ by kind
  BOOST_TEST(req != content{req.data()});
  BOOST_TEST(req == content::from_typed("compute_request", req.data()));
  BOOST_TEST(req != content::from_typed("other", req.data()));
  BOOST_TEST(content::from_typed("", req.data()).kind()
             == content_kind::generic);
}

BOOST_AUTO_TEST_CASE(missing_and_wrong_fields, *tt::timeout(test_timeout)) {
  using app::compute_request;
  auto as_req = [](const char* text) {
    return content{parse(text)}.as<compute_request>();
  };
  require_content_error(as_req(R"({"b":2})"), "missing field 'a'", "a");
  require_content_error(as_req(R"({"a":1})"), "missing field 'b'", "b");
  require_content_error(as_req(R"({"a":"1","b":2})"),
                        "field 'a' must be a number, got string", "a");
  require_content_error(as_req(R"({"a":null,"b":2})"),
                        "field 'a' must be a number, got null", "a");
  require_content_error(as_req(R"({"a":1,"b":2,"operation":5})"),
                        "field 'operation' must be a string, got number",
                        "operation");
  require_content_error(as_req(R"({"a":1,"b":2,"operation":null})"),
                        "field 'operation' must be a string, got null",
                        "operation");
  require_content_error(as_req(R"([1,2])"),
                        "content must be an object to validate as "
                        "compute_request, got array",
                        "");
  require_content_error(content{}.as<compute_request>(),
                        "content must be an object to validate as "
                        "compute_request, got null",
                        "");
  // extra fields are ignored
  auto ok = as_req(R"({"a":1,"b":2,"c":3,"operation":"sub","x":[1]})");
  BOOST_REQUIRE(ok);
  BOOST_TEST(ok->operation == "sub");
}

BOOST_AUTO_TEST_CASE(defaults_only_where_declared,
                     *tt::timeout(test_timeout)) {
  auto as_wd = [](const char* text) {
    return content{parse(text)}.as<app::with_defaults>();
  };
  require_content_error(as_wd("{}"), "missing field 'a'", "a");
  auto x = as_wd(R"({"a":10})");
  BOOST_REQUIRE(x);
  BOOST_TEST(x->a == 10);
  BOOST_TEST(x->b == 2);                // declared default kept
  BOOST_TEST(!x->c.has_value());        // optional without default: nullopt
  BOOST_TEST(x->d.value() == 8);        // optional with declared default
  auto y = as_wd(R"({"a":10,"b":20,"c":30,"d":null})");
  BOOST_REQUIRE(y);
  BOOST_TEST(y->b == 20);
  BOOST_TEST(y->c.value() == 30);
  BOOST_TEST(!y->d.has_value()); // an explicit null is nullopt
  require_content_error(as_wd(R"({"a":1,"c":"x"})"),
                        "field 'c' must be an integer, got string", "c");
}

BOOST_AUTO_TEST_CASE(numbers_and_booleans, *tt::timeout(test_timeout)) {
  auto as_num = [](json x) {
    json base = parse(R"({"u8":1,"i8":-1,"u16":2,"i32":-3,"u64":4,"i64":-5,
                          "f":0.5,"d":1.25,"on":true})");
    for (auto& [key, val] : x.items())
      base[key] = val;
    return content{base}.as<app::numbers>();
  };
  auto ok = as_num(json::object());
  BOOST_REQUIRE(ok);
  BOOST_TEST(ok->u8 == 1);
  BOOST_TEST(ok->i8 == -1);
  BOOST_TEST(ok->i64 == -5);
  BOOST_TEST(ok->f == 0.5f);
  BOOST_TEST(ok->on);
  // limits are accepted
  auto limits = as_num(parse(R"({"u8":255,"i8":-128,"u16":65535,
                                 "i32":-2147483648,"u64":18446744073709551615,
                                 "i64":-9223372036854775808})"));
  BOOST_REQUIRE(limits);
  BOOST_TEST(limits->u64 == std::numeric_limits<uint64_t>::max());
  BOOST_TEST(limits->i64 == std::numeric_limits<int64_t>::min());
  // range checks
  require_content_error(as_num(parse(R"({"u8":300})")),
                        "field 'u8' out of range for uint8: 300", "u8");
  require_content_error(as_num(parse(R"({"u8":-1})")),
                        "field 'u8' out of range for uint8: -1", "u8");
  require_content_error(as_num(parse(R"({"u16":-1})")),
                        "field 'u16' out of range for uint16: -1", "u16");
  require_content_error(as_num(parse(R"({"i8":-129})")),
                        "field 'i8' out of range for int8: -129", "i8");
  require_content_error(as_num(parse(R"({"i8":128})")),
                        "field 'i8' out of range for int8: 128", "i8");
  require_content_error(as_num(parse(R"({"i32":2147483648})")),
                        "field 'i32' out of range for int32: 2147483648",
                        "i32");
  require_content_error(as_num(parse(R"({"i64":9223372036854775808})")),
                        "field 'i64' out of range for int64: "
                        "9223372036854775808",
                        "i64");
  require_content_error(as_num(parse(R"({"u64":-1})")),
                        "field 'u64' out of range for uint64: -1", "u64");
  require_content_error(as_num(parse(R"({"f":1e300})")),
                        "field 'f' out of range for float: 1e+300", "f");
  // a double never converts to an integer field, even 3.0
  require_content_error(as_num(parse(R"({"i32":3.5})")),
                        "field 'i32' must be an integer, got 3.5", "i32");
  require_content_error(as_num(parse(R"({"u8":3.0})")),
                        "field 'u8' must be an integer, got 3.0", "u8");
  // integers convert to floating-point fields
  auto ints = as_num(parse(R"({"f":3,"d":18446744073709551615})"));
  BOOST_REQUIRE(ints);
  BOOST_TEST(ints->f == 3.0f);
  BOOST_TEST(ints->d == 18446744073709551615.0);
  // booleans never convert to or from numbers
  require_content_error(as_num(parse(R"({"on":1})")),
                        "field 'on' must be a boolean, got number", "on");
  require_content_error(as_num(parse(R"({"d":true})")),
                        "field 'd' must be a number, got boolean", "d");
  require_content_error(as_num(parse(R"({"i32":false})")),
                        "field 'i32' must be an integer, got boolean", "i32");
  // non-finite numbers in generic data are refused
  require_content_error(as_num(json{{"d", NAN}}),
                        "field 'd' must be a finite number, got NaN", "d");
  require_content_error(as_num(json{{"d", -INFINITY}}),
                        "field 'd' must be a finite number, got -inf", "d");
  // to_generic keeps signedness
  content typed{app::numbers{}};
  BOOST_TEST(typed.data()["u64"].is_number_unsigned());
  BOOST_TEST(typed.data()["i64"].is_number_integer());
  BOOST_TEST(typed.data()["d"].is_number_float());
  BOOST_TEST(typed.data()["on"].is_boolean());
}

BOOST_AUTO_TEST_CASE(nested_structs_vectors_maps, *tt::timeout(test_timeout)) {
  app::order o;
  o.items = {{"apple", 3}, {"pear", 1}};
  o.tags = {{"x", "1"}, {"y z", "2"}};
  o.counts = {{"a", 1}};
  o.gift = app::item{"card", 1};
  o.extra = parse(R"({"any":[1,"thing",null]})");
  content x{o};
  BOOST_TEST(x.type_name() == "order");
  BOOST_TEST(x.data()["items"][1]["name"] == "pear");
  auto back = x.as<app::order>();
  BOOST_REQUIRE(back);
  BOOST_TEST(back->items.size() == 2u);
  BOOST_TEST(back->items[0].name == "apple");
  BOOST_TEST(back->items[0].qty == 3);
  BOOST_TEST(back->tags == o.tags);
  BOOST_TEST((back->counts == o.counts));
  BOOST_TEST(back->gift->name == "card");
  BOOST_TEST(back->extra == o.extra);
  // field paths of errors
  auto as_order = [](const char* text) {
    return content{parse(text)}.as<app::order>();
  };
  const char* good_rest = R"("counts":{},"gift":null,"extra":null)";
  auto text = [&](const std::string& items, const std::string& tags) {
    return std::string{"{\"items\":"} + items + ",\"tags\":" + tags + ","
           + good_rest + "}";
  };
  require_content_error(
    as_order(text(R"([{"name":"a","qty":1},{"name":"b","qty":2},{"qty":3}])",
                  "{}")
               .c_str()),
    "missing field 'items[2].name'", "items[2].name");
  require_content_error(
    as_order(text(R"([{"name":"a","qty":1.5}])", "{}").c_str()),
    "field 'items[0].qty' must be an integer, got 1.5", "items[0].qty");
  require_content_error(as_order(text("[5]", "{}").c_str()),
                        "field 'items[0]' must be an object, got number",
                        "items[0]");
  require_content_error(as_order(text("{}", "{}").c_str()),
                        "field 'items' must be an array, got object", "items");
  require_content_error(as_order(text("[]", R"({"x":1})").c_str()),
                        R"(field 'tags["x"]' must be a string, got number)",
                        R"(tags["x"])");
  require_content_error(as_order(text("[]", R"({"a \"q\"":1})").c_str()),
                        R"(field 'tags["a \"q\""]' must be a string, got number)",
                        R"(tags["a \"q\""])");
  require_content_error(as_order(text("[]", "[]").c_str()),
                        "field 'tags' must be an object, got array", "tags");
  require_content_error(
    as_order(
      R"({"items":[],"tags":{},"counts":{"n":"1"},"gift":null,"extra":1})"),
    R"(field 'counts["n"]' must be an integer, got string)", R"(counts["n"])");
  require_content_error(
    as_order(
      R"({"items":[],"tags":{},"counts":{},"gift":{"name":1},"extra":1})"),
    "field 'gift.name' must be a string, got number", "gift.name");
  require_content_error(
    as_order(R"({"items":[],"tags":{},"counts":{},"gift":null})"),
    "missing field 'extra'", "extra");
  auto missing_gift = as_order(R"({"items":[],"tags":{},"counts":{},
                                   "extra":null})");
  BOOST_REQUIRE(missing_gift);
  BOOST_TEST(!missing_gift->gift.has_value());
  BOOST_TEST(missing_gift->extra.is_null());
}

BOOST_AUTO_TEST_CASE(containers_of_all_kinds, *tt::timeout(test_timeout)) {
  app::containers c;
  c.flags = {true, false, true};
  c.maybe = {1, std::nullopt, 3};
  c.matrix = {{1, 2}, {}, {3}};
  c.series = {{"s", {0.5, 1}}};
  content x{c};
  BOOST_TEST(x.to_json()
             == R"({"flags":[true,false,true],"matrix":[[1,2],[],[3]],)"
                R"("maybe":[1,null,3],"series":{"s":[0.5,1.0]}})");
  auto back = x.as<app::containers>();
  BOOST_REQUIRE(back);
  BOOST_TEST(back->flags == c.flags);
  BOOST_TEST(back->maybe == c.maybe);
  BOOST_TEST(back->matrix == c.matrix);
  BOOST_TEST(back->series == c.series);
  json bad = x.data();
  bad["matrix"][2][0] = "x";
  require_content_error(content{bad}.as<app::containers>(),
                        "field 'matrix[2][0]' must be an integer, got string",
                        "matrix[2][0]");
  bad = x.data();
  bad["flags"][1] = 0;
  require_content_error(content{bad}.as<app::containers>(),
                        "field 'flags[1]' must be a boolean, got number",
                        "flags[1]");
  bad = x.data();
  bad["series"]["s"][1] = true;
  require_content_error(content{bad}.as<app::containers>(),
                        R"(field 'series["s"][1]' must be a number, got boolean)",
                        R"(series["s"][1])");
}

BOOST_AUTO_TEST_CASE(hostile_generic_data, *tt::timeout(test_timeout)) {
  // A huge array validates element by element without recursion.
  json big = json::object();
  big["flags"] = json::array();
  big["maybe"] = json::array();
  big["series"] = json::object();
  json matrix = json::array();
  for (int i = 0; i < 200'000; ++i)
    matrix.push_back(json::array({i}));
  big["matrix"] = std::move(matrix);
  auto ok = content{big}.as<app::containers>();
  BOOST_REQUIRE(ok);
  BOOST_TEST(ok->matrix.size() == 200'000u);
  // Deep nesting where the struct expects a flat array: refused at once.
  big["matrix"] = nested_arrays(100'000);
  require_content_error(content{big}.as<app::containers>(),
                        "field 'matrix[0][0]' must be an integer, got array",
                        "matrix[0][0]");
  // A recursive struct stops at the depth limit instead of overflowing.
  json deep = json::object({{"name", "n"}, {"children", json::array()}});
  json* cur = &deep;
  for (int i = 0; i < 100'000; ++i) {
    auto& children = (*cur)["children"];
    children.push_back(
      json::object({{"name", "n"}, {"children", json::array()}}));
    cur = &children.back();
  }
  auto res = content{std::move(deep)}.as<app::node>();
  BOOST_REQUIRE(!res);
  BOOST_TEST(sssn::is(res.error(), sssn::ec::invalid_content));
  BOOST_TEST(sssn::error_message(res.error()).find("is nested deeper than 64 "
                                                   "levels")
             != std::string::npos);
  // A shallow tree of the recursive type works.
  auto shallow = content{parse(R"({"name":"root","children":[
                                   {"name":"a","children":[]},
                                   {"name":"b","children":[
                                     {"name":"c","children":[]}]}]})")}
                   .as<app::node>();
  BOOST_REQUIRE(shallow);
  BOOST_TEST(shallow->children[1].children[0].name == "c");
  // A json field takes a deep value without recursion.
  json with_extra = parse(R"({"items":[],"tags":{},"counts":{}})");
  with_extra["extra"] = nested_arrays(100'000);
  auto deep_extra = content{with_extra}.as<app::order>();
  BOOST_REQUIRE(deep_extra);
  BOOST_TEST(deep_extra->extra.is_array());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(errors)

BOOST_AUTO_TEST_CASE(sssn_error_round_trip, *tt::timeout(test_timeout)) {
  auto err = sssn::make_content_error("items[2].name",
                                      "missing field 'items[2].name'");
  auto x = content::from_error(err);
  BOOST_TEST(x.kind() == content_kind::error);
  BOOST_TEST(x.is_error());
  BOOST_TEST(x.type_name().empty());
  auto back = x.error();
  BOOST_TEST(back.code() == err.code());
  BOOST_TEST(back.category() == err.category());
  BOOST_TEST(sssn::error_message(back) == "missing field 'items[2].name'");
  BOOST_TEST(sssn::error_field(back) == "items[2].name");
  BOOST_TEST(x.data()
             == parse(R"({"error":{"code":6,"category":"sssn",
                          "message":"missing field 'items[2].name'",
                          "field":"items[2].name"}})"));
  BOOST_TEST(sssn::to_string(x)
             == "error(invalid_content): missing field 'items[2].name'");
  BOOST_TEST(fmt::format("{}", x)
             == "error(invalid_content): missing field 'items[2].name'");
  // as<T>() on error content yields that error
  auto as_req = x.as<app::compute_request>();
  BOOST_REQUIRE(!as_req);
  BOOST_TEST(as_req.error() == err);
  BOOST_TEST(sssn::error_field(as_req.error()) == "items[2].name");
  // other codes of ours
  auto down = sssn::make_error(sssn::ec::channel_down,
                               "channel 'requests' is down");
  auto y = content::from_error(down);
  BOOST_TEST(y.error() == down);
  BOOST_TEST(sssn::is(y.error(), sssn::ec::channel_down));
  BOOST_TEST(sssn::error_message(y.error()) == "channel 'requests' is down");
  BOOST_TEST(sssn::error_field(y.error()).empty());
  BOOST_TEST(y != x);
  BOOST_TEST(y == content::from_error(down));
  BOOST_TEST(!y.check());
}

BOOST_AUTO_TEST_CASE(other_categories_round_trip,
                     *tt::timeout(test_timeout)) {
  caf::error errors[] = {
    caf::make_error(caf::sec::request_timeout),
    caf::make_error(caf::sec::runtime_error, "boom"),
    caf::error{3, caf::atom("mycat"), caf::make_message("oops")},
    caf::error{4, caf::atom("mycat")},
  };
  for (auto& err : errors) {
    BOOST_TEST_CONTEXT("error: " << sssn::error_message(err)) {
      auto x = content::from_error(err);
      auto back = x.error();
      BOOST_TEST(back == err);
      BOOST_TEST(back.category() == err.category());
      BOOST_TEST(sssn::error_message(back) == sssn::error_message(err));
      BOOST_TEST(content::from_error(back) == x);
    }
  }
  BOOST_TEST(sssn::to_string(content::from_error(errors[0]))
             == "error(request_timeout): request timed out");
  BOOST_TEST(sssn::to_string(content::from_error(errors[2]))
             == "error(mycat:3): error 3 in category mycat: oops");
  // an empty error becomes an explicit error, never an empty one
  auto none = content::from_error(caf::error{});
  BOOST_TEST(none.is_error());
  BOOST_TEST(sssn::is(none.error(), sssn::ec::invalid_argument));
  BOOST_TEST(!none.as<app::compute_request>());
  // non-error content has no error
  BOOST_TEST(!content{json(1)}.error());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(check)

BOOST_AUTO_TEST_CASE(non_finite_numbers, *tt::timeout(test_timeout)) {
  json x = parse(R"({"values":[1,2,3,0]})");
  x["values"][3] = NAN;
  require_content_error(content{x}.check(),
                        "content has a non-finite number at field "
                        "'values[3]'",
                        "values[3]");
  json y = parse(R"({"a":{"b":[{"c":0}]}})");
  y["a"]["b"][0]["c"] = INFINITY;
  require_content_error(content{y}.check(),
                        "content has a non-finite number at field "
                        "'a.b[0].c'",
                        "a.b[0].c");
  json z = parse(R"({"odd key":[0]})");
  z["odd key"][0] = -INFINITY;
  require_content_error(content{z}.check(),
                        "content has a non-finite number at field "
                        "'[\"odd key\"][0]'",
                        "[\"odd key\"][0]");
  require_content_error(content{json(NAN)}.check(),
                        "content has a non-finite number", "");
  // typed content is checked the same way
  content typed{app::compute_request{NAN, 1, "add"}};
  require_content_error(typed.check(),
                        "content has a non-finite number at field 'a'", "a");
  content fine{app::compute_request{1, 2, "add"}};
  BOOST_TEST(!fine.check());
}

BOOST_AUTO_TEST_CASE(nesting_limit, *tt::timeout(test_timeout)) {
  BOOST_TEST(!content{nested_arrays(64)}.check());
  auto err = content{nested_arrays(65)}.check();
  BOOST_REQUIRE(err);
  BOOST_TEST(sssn::error_message(err).find("content is nested deeper than 64 "
                                           "levels at field '[0][0]")
             == 0u);
  // a value nested 100,000 deep is refused, printed and compared safely
  content deep{nested_arrays(100'000)};
  BOOST_TEST(deep.check());
  auto text = deep.to_json();
  BOOST_TEST(text.size() == 200'000u);
  BOOST_TEST(deep == content{nested_arrays(100'000)});
  BOOST_TEST(deep != content{nested_arrays(99'999)});
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(json_text)

BOOST_AUTO_TEST_CASE(malformed_text, *tt::timeout(test_timeout)) {
  auto bad = content::from_json("[1,2,x]");
  BOOST_REQUIRE(!bad);
  BOOST_TEST(sssn::is(bad.error(), sssn::ec::invalid_content));
  auto msg = sssn::error_message(bad.error());
  BOOST_TEST(msg.find("invalid JSON at line 1, column 6: syntax error") == 0u,
             msg);
  auto multi = content::from_json("{\n  \"a\": 1,\n  \"b\": }");
  BOOST_REQUIRE(!multi);
  BOOST_TEST(sssn::error_message(multi.error()).find("at line 3, column 8")
               != std::string::npos,
             sssn::error_message(multi.error()));
  const char* refused[] = {
    "", "   ", "[1,", R"({"a" 1})", "[1] 2", "nul", "1e400", "\"\xff\"",
    "\"\\ud800\"", "NaN", "[Infinity]", "'single'",
  };
  for (auto text : refused) {
    BOOST_TEST_CONTEXT("text: " << text) {
      auto res = content::from_json(text);
      BOOST_REQUIRE(!res);
      auto sentence = sssn::error_message(res.error());
      BOOST_TEST(sentence.find("invalid JSON at ") == 0u, sentence);
    }
  }
  auto overflow = content::from_json("[1e400]");
  BOOST_TEST(sssn::error_message(overflow.error())
             == "invalid JSON at byte 6: number overflow parsing '1e400'");
}

BOOST_AUTO_TEST_CASE(limits, *tt::timeout(test_timeout)) {
  // 100,000 '[' characters: a clear error, not a crash
  std::string deep(100'000, '[');
  auto res = content::from_json(deep);
  BOOST_REQUIRE(!res);
  BOOST_TEST(sssn::error_message(res.error())
             == "JSON nesting deeper than 64 levels");
  // balanced deep nesting, at and just over the limit
  auto balanced = [](size_t n) {
    return std::string(n, '[') + std::string(n, ']');
  };
  BOOST_TEST(static_cast<bool>(content::from_json(balanced(64))));
  BOOST_TEST(!content::from_json(balanced(65)));
  BOOST_TEST(!content::from_json(R"({"a":)" + balanced(64) + "}"));
  sssn::content_limits relaxed;
  relaxed.max_depth = 200'000;
  auto very_deep = content::from_json(balanced(100'000), relaxed);
  BOOST_REQUIRE(very_deep);
  BOOST_TEST(very_deep->check()); // too deep to send
  // size
  sssn::content_limits small;
  small.max_bytes = 10;
  auto big = content::from_json("[1,2,3,4,5]", small);
  BOOST_REQUIRE(!big);
  BOOST_TEST(sssn::error_message(big.error())
             == "JSON text of 11 bytes exceeds the 10 bytes limit");
  BOOST_TEST(static_cast<bool>(content::from_json("[1,2,3,4]", small)));
  auto huge = std::string(17 * 1024 * 1024, ' ');
  BOOST_TEST(sssn::error_message(content::from_json(huge).error())
             == "JSON text of 17825792 bytes exceeds the 16 MiB limit");
  // number of values
  sssn::content_limits few;
  few.max_elements = 4;
  BOOST_TEST(static_cast<bool>(content::from_json("[1,2,3]", few)));
  auto many = content::from_json("[1,2,3,4]", few);
  BOOST_REQUIRE(!many);
  BOOST_TEST(sssn::error_message(many.error())
             == "JSON text has more than 4 values");
}

BOOST_AUTO_TEST_CASE(duplicate_keys_keep_the_last, *tt::timeout(test_timeout)) {
  auto x = content::from_json(R"({"a":1,"a":2})");
  BOOST_REQUIRE(x);
  BOOST_TEST(x->to_json() == R"({"a":2})");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(formatting)

BOOST_AUTO_TEST_CASE(fmt_formatters, *tt::timeout(test_timeout)) {
  content x{parse(R"({"a":[1,"b"]})")};
  BOOST_TEST(fmt::format("{}", x) == R"({"a":[1,"b"]})");
  BOOST_TEST(fmt::format("[{:>8}]", content{json(1.5)}) == "[     1.5]");
  BOOST_TEST(fmt::format("{}", content{app::compute_request{1, 2, "add"}})
             == R"({"a":1.0,"b":2.0,"operation":"add"})");
  BOOST_TEST(fmt::format("{}", sssn::ec::channel_down) == "channel_down");
  BOOST_TEST(fmt::format("{}", sssn::make_error(sssn::ec::overloaded,
                                                "channel 'x' is full"))
             == "channel 'x' is full");
  BOOST_TEST(fmt::format("{}", caf::make_error(caf::sec::request_timeout))
             == "request timed out");
  BOOST_TEST(fmt::format("{}", caf::error{}).empty());
  BOOST_TEST(sssn::to_string(content_kind::typed) == "typed");
}

BOOST_AUTO_TEST_SUITE_END()
