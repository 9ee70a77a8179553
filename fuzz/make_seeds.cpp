// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Writes the seed corpus of the fuzz targets:
//
//   sssn-fuzz-make-seeds <dir>   writes <dir>/fuzz_wire/, <dir>/fuzz_json/
//                                and <dir>/fuzz_typed/
//
// The committed corpus in fuzz/corpus/ is its output (regenerate it with the
// `sssn-fuzz-seeds` target of a fuzz build). Seeds are small and meaningful:
// valid encodings of every value kind and content kind made by the library's
// own writers, and hand-made bytes for what the writers refuse to produce
// (truncated, too deep, huge lengths, non-finite numbers, invalid UTF-8).

#include <cfloat>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <limits>
#include <string>
#include <vector>

#include <caf/binary_serializer.hpp>
#include <caf/sec.hpp>

#include "sssn/channel_message.hpp"
#include "sssn/content.hpp"
#include "sssn/detail/wire.hpp"
#include "sssn/error.hpp"

#include "fuzz_common.hpp"
#include "typed_input.hpp"

namespace fs = std::filesystem;

namespace {

using sssn::channel_message;
using sssn::content;
using sssn::json;
using sssn::detail::wire_writer;
using bytes = std::vector<char>;

fs::path out_dir;
int written = 0;

void write_file(const std::string& target, const std::string& name,
                const void* data, size_t size) {
  auto dir = out_dir / target;
  fs::create_directories(dir);
  std::ofstream out{dir / name, std::ios::binary | std::ios::trunc};
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) {
    std::cerr << "cannot write " << (dir / name) << '\n';
    std::exit(1);
  }
  ++written;
}

void wire(const std::string& name, const bytes& x) {
  write_file("fuzz_wire", name + ".bin", x.data(), x.size());
}

void json_text(const std::string& name, const std::string& x) {
  write_file("fuzz_json", name + ".json", x.data(), x.size());
}

void typed_text(const std::string& name, const std::string& x) {
  write_file("fuzz_typed", name + ".json", x.data(), x.size());
}

void typed_structure(const std::string& name, const json& x) {
  std::vector<uint8_t> buf{0};
  sssn_fuzz::encode_value(x, buf);
  write_file("fuzz_typed", name + ".struct", buf.data(), buf.size());
}

[[noreturn]] void fail(const std::string& what, const caf::error& err) {
  std::cerr << what << ": " << sssn_fuzz::describe(err) << '\n';
  std::exit(1);
}

bytes encode(const content& x) {
  bytes buf;
  if (auto err = sssn::detail::encode_content(x, buf))
    fail("encode_content", err);
  return buf;
}

bytes encode(const channel_message& x) {
  bytes buf;
  if (auto err = x.encode(buf))
    fail("channel_message::encode", err);
  return buf;
}

template <class T>
bytes caf_framed(const T& x) {
  bytes buf;
  caf::binary_serializer sink{nullptr, buf};
  auto copy = x;
  if (auto err = inspect(sink, copy))
    fail("CAF serialization", err);
  return buf;
}

// Bytes after the version byte 1.
bytes v1(std::initializer_list<int> xs) {
  bytes result{1};
  for (auto x : xs)
    result.push_back(static_cast<char>(x));
  return result;
}

bytes operator+(bytes x, const bytes& y) {
  x.insert(x.end(), y.begin(), y.end());
  return x;
}

bytes raw(const std::string& x) {
  return bytes{x.begin(), x.end()};
}

bytes f64_bits(uint64_t bits) {
  bytes result;
  for (int i = 0; i < 8; ++i)
    result.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
  return result;
}

json nested_arrays(size_t depth, json leaf) {
  json result = std::move(leaf);
  for (size_t i = 0; i < depth; ++i) {
    json outer = json::array();
    outer.push_back(std::move(result));
    result = std::move(outer);
  }
  return result;
}

std::string repeat(const std::string& x, size_t n) {
  std::string result;
  for (size_t i = 0; i < n; ++i)
    result += x;
  return result;
}

// -- typed content examples ---------------------------------------------------------

using namespace sssn_fuzz;

item sample_item(const std::string& name, int32_t qty) {
  item x;
  x.name = name;
  x.qty = qty;
  x.weight = 0.25 * qty;
  return x;
}

scalars max_scalars() {
  scalars x;
  x.flag = true;
  x.u8 = std::numeric_limits<uint8_t>::max();
  x.i8 = std::numeric_limits<int8_t>::max();
  x.u16 = std::numeric_limits<uint16_t>::max();
  x.i16 = std::numeric_limits<int16_t>::max();
  x.u32 = std::numeric_limits<uint32_t>::max();
  x.i32 = std::numeric_limits<int32_t>::max();
  x.u64 = std::numeric_limits<uint64_t>::max();
  x.i64 = std::numeric_limits<int64_t>::max();
  x.f = FLT_MAX;
  x.d = DBL_MAX;
  x.s = "max";
  return x;
}

scalars min_scalars() {
  scalars x;
  x.i8 = std::numeric_limits<int8_t>::min();
  x.i16 = std::numeric_limits<int16_t>::min();
  x.i32 = std::numeric_limits<int32_t>::min();
  x.i64 = std::numeric_limits<int64_t>::min();
  x.f = -FLT_MAX;
  x.d = std::numeric_limits<double>::denorm_min();
  x.s = "";
  return x;
}

containers sample_containers() {
  containers x;
  x.ints = {0, -1, std::numeric_limits<int64_t>::min(), 42};
  x.words = {"alpha", "", "\xc3\xa9t\xc3\xa9"};
  x.matrix = {{1, 2, 3}, {}, {255}};
  x.weights = {{"a", 0.5}, {"b c", -2.0}};
  x.sparse = {{"k1", int16_t{-5}}, {"k2", std::nullopt}};
  x.flags = std::vector<bool>{true, false};
  x.extra = json::parse(R"({"free": [1, "two", null, {"3": 4.5}]})");
  x.label = "full";
  return x;
}

order sample_order() {
  order x;
  x.id = "order-1";
  x.first = sample_item("apple", 3);
  x.items = {sample_item("pear", 1), sample_item("fig", 12)};
  x.gift = sample_item("card", 1);
  x.groups = {{"fruit", {sample_item("kiwi", 2)}}, {"empty", {}}};
  x.nums = max_scalars();
  x.meta = json::parse(R"({"source": "cli"})");
  x.total = 18;
  return x;
}

tree deep_tree(size_t levels) {
  tree root;
  root.name = "level0";
  tree* cur = &root;
  for (size_t i = 1; i < levels; ++i) {
    cur->children.emplace_back();
    cur = &cur->children.back();
    cur->name = "level" + std::to_string(i);
    cur->value = static_cast<int64_t>(i);
  }
  return root;
}

std::string text_of(const json& x) {
  return x.dump();
}

// -- fuzz_wire ------------------------------------------------------------------------

void wire_seeds() {
  // Content of every value kind, made by our writer.
  wire("content-null", encode(content{}));
  wire("content-false", encode(content{json(false)}));
  wire("content-true", encode(content{json(true)}));
  wire("content-int-zero", encode(content{json(0)}));
  wire("content-int-negative", encode(content{json(-1)}));
  wire("content-int-min",
       encode(content{json(std::numeric_limits<int64_t>::min())}));
  wire("content-int-max",
       encode(content{json(std::numeric_limits<int64_t>::max())}));
  wire("content-uint-small", encode(content{json(5u)}));
  wire("content-uint-max",
       encode(content{json(std::numeric_limits<uint64_t>::max())}));
  wire("content-double", encode(content{json(3.25)}));
  wire("content-double-negative-zero", encode(content{json(-0.0)}));
  wire("content-double-subnormal",
       encode(content{json(std::numeric_limits<double>::denorm_min())}));
  wire("content-double-max", encode(content{json(DBL_MAX)}));
  wire("content-string-empty", encode(content{json("")}));
  wire("content-string-ascii", encode(content{json("hello, world")}));
  wire("content-string-utf8",
       encode(content{json("gr\xc3\xbc\xc3\x9f" "e \xe6\x97\xa5\xe6\x9c\xac "
                           "\xf0\x9f\x8e\x89")}));
  wire("content-array-empty", encode(content{json::array()}));
  wire("content-array-mixed",
       encode(content{json::parse(R"([null, true, -3, 4, 0.5, "s", [], {}])")}));
  wire("content-object-empty", encode(content{json::object()}));
  wire("content-object-nested",
       encode(content{json::parse(
         R"({"a": {"b": [1, {"c": "d"}]}, "e f": null, "": 1})")}));
  wire("content-array-200", [] {
    json arr = json::array();
    for (int i = 0; i < 200; ++i)
      arr.push_back(i);
    return encode(content{arr});
  }());
  wire("content-deep-64", encode(content{nested_arrays(64, json(1))}));
  // Typed and error content.
  wire("content-typed-order", encode(content{sample_order()}));
  wire("content-typed-scalars", encode(content{max_scalars()}));
  wire("content-error-field",
       encode(content::from_error(sssn::make_content_error(
         "items[2].qty", "field 'items[2].qty' out of range for int32: "
                         "3000000000"))));
  wire("content-error-sssn",
       encode(content::from_error(
         sssn::make_error(sssn::ec::overloaded, "channel 'jobs' is full"))));
  wire("content-error-system",
       encode(content::from_error(
         caf::make_error(caf::sec::request_timeout, "after 5 s"))));
  wire("content-error-system-plain",
       encode(content::from_error(caf::make_error(caf::sec::runtime_error))));
  wire("content-error-other-category",
       encode(content::from_error(caf::error{3, caf::atom("parser")})));

  // Malformed content, by hand: version 1, kind, then the value.
  wire("empty", bytes{});
  wire("content-bad-version", bytes{2, 0, 0});
  wire("content-deep-65", [] {
    bytes b{1, 0};
    for (int i = 0; i < 65; ++i) {
      b.push_back(7);
      b.push_back(1);
    }
    b.push_back(0);
    return b;
  }());
  wire("content-truncated-varint", v1({0, 3, 0x80}));
  wire("content-truncated-string", v1({0, 6, 5, 'a', 'b'}));
  wire("content-truncated-double", v1({0, 5, 0, 0, 0}));
  wire("content-huge-string-length",
       v1({0, 6, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01,
           'x'}));
  wire("content-huge-array-count", v1({0, 7, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0}));
  wire("content-huge-object-count",
       v1({0, 8, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}));
  wire("content-array-count-beyond-input", v1({0, 7, 5, 0}));
  wire("content-object-count-beyond-input", v1({0, 8, 2, 1, 'a', 0}));
  wire("content-varint-11-bytes",
       v1({0, 3, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
           0x01}));
  wire("content-varint-65-bits",
       v1({0, 4, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x02}));
  wire("content-varint-nonminimal", v1({0, 6, 0x85, 0x00}) + raw("hello"));
  wire("content-double-nan", v1({0, 5}) + f64_bits(0x7FF8000000000000));
  wire("content-double-signaling-nan", v1({0, 5}) + f64_bits(0x7FF0000000000001));
  wire("content-double-inf", v1({0, 5}) + f64_bits(0x7FF0000000000000));
  wire("content-double-neg-inf", v1({0, 5}) + f64_bits(0xFFF0000000000000));
  wire("content-utf8-invalid", v1({0, 6, 2, 0xC3, 0x28}));
  wire("content-utf8-overlong", v1({0, 6, 2, 0xC0, 0xAF}));
  wire("content-utf8-surrogate", v1({0, 6, 3, 0xED, 0xA0, 0x80}));
  wire("content-utf8-above-max", v1({0, 6, 4, 0xF4, 0x90, 0x80, 0x80}));
  wire("content-utf8-truncated", v1({0, 6, 2, 0xE6, 0x97}));
  wire("content-key-invalid-utf8", v1({0, 8, 1, 1, 0xFF, 0}));
  wire("content-duplicate-key", v1({0, 8, 2, 1, 'a', 0, 1, 'a', 1}));
  wire("content-unsorted-keys", v1({0, 8, 2, 1, 'b', 0, 1, 'a', 1}));
  wire("content-unknown-tag", v1({0, 9}));
  wire("content-unknown-kind", v1({3, 0}));
  wire("content-trailing-bytes", v1({0, 0, 0}));
  wire("content-typed-empty-name", v1({1, 0, 0}));
  wire("content-error-code-0", v1({2, 0, 4}) + raw("sssn") + bytes{1, 'm', 0});
  wire("content-error-bad-category",
       v1({2, 6, 8}) + raw("bad\x01" "categ") + bytes{1, 'm', 0});
  wire("content-error-long-category",
       v1({2, 6, 11}) + raw("abcdefghijk") + bytes{1, 'm', 0});
  wire("content-error-empty-message-field",
       v1({2, 3, 4}) + raw("sssn") + bytes{0, 1, 'f'});
  wire("content-error-system-unknown-code",
       v1({2, 250, 6}) + raw("system") + bytes{0, 0});

  // Messages.
  auto minimal = channel_message::builder{}
                   .id("m1")
                   .sender_id("alice")
                   .build();
  auto full = channel_message::builder{}
                .id("7f3e2c1a-0b4d-4e5f-8a9b-0c1d2e3f4a5b")
                .timestamp_ns(1'700'000'000'123'456'789)
                .sender_id("alice@node-1")
                .content(content{sample_order()})
                .metadata(json::parse(R"({"trace": "abc", "hops": 3})"))
                .correlation_id("req-42")
                .reply_to("replies.alice")
                .recipient_id("bob")
                .deadline_ns(1'700'000'005'000'000'000)
                .build();
  auto error_reply =
    channel_message::builder{}
      .id("r1")
      .timestamp_ns(1)
      .sender_id("server")
      .content(content::from_error(
        sssn::make_error(sssn::ec::request_failed, "division by zero")))
      .correlation_id("req-42")
      .build();
  auto extremes = channel_message::builder{}
                    .id("x")
                    .timestamp_ns(std::numeric_limits<int64_t>::min())
                    .sender_id("y")
                    .deadline_ns(std::numeric_limits<int64_t>::max())
                    .content(content{json("\xf4\x8f\xbf\xbf")})
                    .build();
  auto deep = channel_message::builder{}
                .id("deep")
                .sender_id("s")
                .content(content{nested_arrays(63, json::object())})
                .metadata(json{{"m", nested_arrays(62, json(1))}})
                .build();
  wire("message-minimal", encode(minimal));
  wire("message-full", encode(full));
  wire("message-error-reply", encode(error_reply));
  wire("message-extreme-times", encode(extremes));
  wire("message-deep", encode(deep));
  auto full_bytes = encode(full);
  wire("message-truncated",
       bytes{full_bytes.begin(), full_bytes.end() - 3});
  auto bad_version = encode(minimal);
  bad_version[0] = 2;
  wire("message-bad-version", bad_version);
  wire("message-trailing-byte", encode(minimal) + bytes{0});
  // Hand-made: version, id, flags, timestamp, sender, content, metadata.
  auto message = [](const std::string& id, uint8_t flags,
                    const std::string& sender, const json& metadata) {
    bytes b;
    wire_writer w{b};
    w.u8(1);
    w.str(id);
    w.u8(flags);
    w.i64(0);
    w.str(sender);
    w.u8(0);
    w.u8(0);
    if (auto err = w.value(metadata))
      fail("metadata", err);
    return b;
  };
  wire("message-no-id", message("", 0, "alice", json::object()));
  wire("message-no-sender", message("m", 0, "", json::object()));
  wire("message-metadata-array", message("m", 0, "a", json::array({1})));
  wire("message-unknown-flags", message("m", 0xE1, "a", json::object()));
  wire("message-flags-without-fields", message("m", 0x1E, "a", json::object()));
  wire("message-id-invalid-utf8", bytes{1, 2, char(0xC3), 0x28});

  // CAF's framing: a length prefix, then our bytes.
  wire("caf-message-full", caf_framed(full));
  wire("caf-content-typed", caf_framed(content{sample_order()}));
  wire("caf-content-error",
       caf_framed(content::from_error(caf::make_error(caf::sec::bad_function_call))));
  wire("caf-huge-blob-length", bytes{char(0xFF), char(0xFF), char(0xFF),
                                     char(0xFF), 0x0F, 1, 0});
  wire("caf-blob-length-beyond-input", bytes{0x10, 1, 0, 0});
}

// -- fuzz_json ------------------------------------------------------------------------

void json_seeds() {
  json_text("null", "null");
  json_text("true", "true");
  json_text("false", "false");
  json_text("zero", "0");
  json_text("negative-zero-int", "-0");
  json_text("negative-zero-float", "-0.0");
  json_text("int-min", "-9223372036854775808");
  json_text("int-below-min", "-9223372036854775809");
  json_text("uint-max", "18446744073709551615");
  json_text("uint-above-max", "18446744073709551616");
  json_text("double", "3.141592653589793");
  json_text("double-exponent", "-1.5e-300");
  json_text("double-max", "1.7976931348623157e308");
  json_text("double-overflow", "1e999");
  json_text("double-negative-overflow", "[-1e400]");
  json_text("double-underflow", "4.9e-325");
  json_text("double-subnormal", "4.9e-324");
  json_text("number-many-digits", "0." + repeat("1234567890", 40));
  json_text("string-empty", R"("")");
  json_text("string-escapes", R"("\n\t\"\\\/\b\f\r")");
  json_text("string-unicode-escapes", R"("\u00e9\u65e5\ud83c\udf89\u0000")");
  json_text("string-lone-surrogate", R"("\ud800")");
  json_text("string-swapped-surrogates", R"("\udc00\ud800")");
  json_text("string-raw-utf8",
            "\"gr\xc3\xbc\xc3\x9f" "e \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x8e\x89\"");
  json_text("string-invalid-utf8", "\"\xc3\x28\"");
  json_text("string-overlong-utf8", "\"\xc0\xaf\"");
  json_text("string-control-char", "\"a\x01" "b\"");
  json_text("object-request",
            R"({"a": 1.5, "b": 2, "operation": "add"})");
  json_text("object-duplicate-keys", R"({"a": 1, "a": [2], "a": {"b": 3}})");
  json_text("object-unicode-key", R"({"\u00e9": 1, "日本": 2, "": 3})");
  json_text("array-mixed", R"([null, true, false, 0, -1, 1.0, "x", [], {}])");
  json_text("deep-64-arrays", repeat("[", 64) + repeat("]", 64));
  json_text("deep-65-arrays", repeat("[", 65) + repeat("]", 65));
  json_text("deep-64-objects",
            repeat(R"({"a":)", 63) + "{}" + repeat("}", 63));
  json_text("deep-unclosed", repeat("[", 2000));
  json_text("wide-array", "[" + repeat("1,", 300) + "1]");
  json_text("whitespace", " \t\r\n {\n \"a\" : [ 1 , 2 ] } \n");
  json_text("empty", "");
  json_text("only-whitespace", "   ");
  json_text("trailing-garbage", "{} x");
  json_text("trailing-comma", "[1, 2,]");
  json_text("comment", "/* c */ 1");
  json_text("byte-order-mark", "\xef\xbb\xbf{}");
  json_text("nan-literal", "NaN");
  json_text("infinity-literal", "[Infinity]");
  json_text("single-quotes", "{'a': 1}");
  json_text("leading-zero", "012");
  json_text("unterminated-string", R"({"a": "b)");
  json_text("nul-byte", std::string("[1,\0 2]", 7));
}

// -- fuzz_typed -------------------------------------------------------------------------

void typed_seeds() {
  using sssn::to_generic;
  typed_text("item", text_of(to_generic(sample_item("apple", 3))));
  typed_text("item-no-weight", R"({"name": "pear", "qty": 2})");
  typed_text("item-weight-null", R"({"name": "pear", "qty": 2, "weight": null})");
  typed_text("item-qty-string", R"({"name": "pear", "qty": "2"})");
  typed_text("item-qty-float", R"({"name": "pear", "qty": 2.5})");
  typed_text("item-missing-name", R"({"qty": 2})");
  typed_text("scalars-zero", text_of(to_generic(scalars{})));
  typed_text("scalars-max", text_of(to_generic(max_scalars())));
  typed_text("scalars-min", text_of(to_generic(min_scalars())));
  {
    auto x = to_generic(max_scalars());
    x["u8"] = 256;
    typed_text("scalars-u8-overflow", text_of(x));
    x = to_generic(max_scalars());
    x["i8"] = -129;
    typed_text("scalars-i8-underflow", text_of(x));
    x = to_generic(max_scalars());
    x["f"] = 1e39;
    typed_text("scalars-float-overflow", text_of(x));
    x = to_generic(max_scalars());
    x["i64"] = std::numeric_limits<uint64_t>::max();
    typed_text("scalars-i64-overflow", text_of(x));
    x = to_generic(max_scalars());
    x["u64"] = -1;
    typed_text("scalars-u64-negative", text_of(x));
    typed_text("scalars-double-inf", R"({"d": 1e999})");
  }
  typed_text("containers", text_of(to_generic(sample_containers())));
  typed_text("containers-defaults",
             R"({"ints": [], "words": [], "matrix": [], "weights": {},)"
             R"( "sparse": {}, "flags": null})");
  typed_text("containers-bad-matrix",
             R"({"ints": [], "words": [], "matrix": [[1], [2, 300]],)"
             R"( "weights": {}, "sparse": {}})");
  typed_text("containers-bad-map-value",
             R"({"ints": [], "words": [], "matrix": [],)"
             R"( "weights": {"a": 1, "b c": "x"}, "sparse": {}})");
  typed_text("order", text_of(to_generic(sample_order())));
  {
    auto x = to_generic(sample_order());
    x.erase("meta");
    x.erase("total");
    x["gift"] = nullptr;
    typed_text("order-defaults", text_of(x));
    x.erase("first");
    typed_text("order-missing-first", text_of(x));
  }
  typed_text("tree-small", text_of(to_generic(deep_tree(3))));
  typed_text("tree-deep-32", text_of(to_generic(deep_tree(32))));
  typed_text("top-level-array", "[1, 2, 3]");
  typed_text("top-level-string", R"("text")");
  typed_text("top-level-null", "null");
  for (auto [name, value] :
       std::vector<std::pair<std::string, std::string>>{
         {"v-255", "255"},
         {"v-256", "256"},
         {"v-minus-129", "-129"},
         {"v-int32-min", "-2147483648"},
         {"v-uint32-max", "4294967295"},
         {"v-uint64-max", "18446744073709551615"},
         {"v-int64-min", "-9223372036854775808"},
         {"v-half", "1.5"},
         {"v-float-max", "3.4028234663852886e38"},
         {"v-above-float-max", "3.4028235677973366e38"},
         {"v-1e39", "1e39"},
         {"v-null", "null"},
         {"v-bool", "true"},
         {"v-string", R"("text")"},
         {"v-bytes", "[1, 2, 255]"},
         {"v-bytes-bad", "[1, 2, 256, -1]"},
         {"v-map", R"({"a": 1, "b": -9223372036854775808})"},
         {"v-map-bad", R"({"a": 1, "b c": 1.5})"},
       })
    typed_text(name, R"({"v": )" + value + "}");
  // The structure encoding: what JSON text cannot say.
  typed_structure("struct-scalars-max", to_generic(max_scalars()));
  typed_structure("struct-order", to_generic(sample_order()));
  {
    auto x = to_generic(sample_item("pear", 2));
    x["weight"] = std::numeric_limits<double>::quiet_NaN();
    typed_structure("struct-item-nan-weight", x);
    x["weight"] = std::numeric_limits<double>::infinity();
    typed_structure("struct-item-inf-weight", x);
    x["weight"] = 1.0;
    x["name"] = "\xc3\x28";
    typed_structure("struct-item-invalid-utf8", x);
  }
  {
    auto x = to_generic(sample_containers());
    x["extra"] = json{{"nan", std::numeric_limits<double>::quiet_NaN()}};
    typed_structure("struct-containers-nan-extra", x);
  }
  typed_structure("struct-tree-deep-40", to_generic(deep_tree(40)));
  typed_structure("struct-deep-80", json{{"v", nested_arrays(80, json(1))}});
  typed_structure("struct-v-nan",
                  json{{"v", std::numeric_limits<double>::quiet_NaN()}});
  typed_structure("struct-v-neg-inf",
                  json{{"v", -std::numeric_limits<double>::infinity()}});
}

} // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: " << argv[0] << " <corpus dir>\n";
    return 2;
  }
  out_dir = argv[1];
  wire_seeds();
  json_seeds();
  typed_seeds();
  std::cout << "wrote " << written << " seeds to " << out_dir << '\n';
  return 0;
}
