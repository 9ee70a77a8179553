// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests sssn::content: generic content, error content, check(), JSON text
// in and out, and fmt formatting (typed content: typed_content.cpp).

#include "content_test_types.hpp"

#include "sssn/format_caf_error.hpp"

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
