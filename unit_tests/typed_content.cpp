// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests typed content (SSSN_CONTENT, SSSN_CONTENT_DEFAULTS): declarations,
// validation of missing and wrong fields, defaults, numbers, nested structs,
// containers and hostile generic data.

#include "content_test_types.hpp"

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
