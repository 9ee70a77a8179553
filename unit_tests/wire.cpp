// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests sssn::detail::wire_writer and wire_reader: round trips of every
// value and content kind, the writer's refusals, and the reader on malformed
// and hostile bytes (truncation, corruption, random input, deep nesting,
// huge declared lengths, non-finite numbers).

#include "timeout_scale.hpp"
#include "sssn/detail/wire.hpp"

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <new>
#include <random>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <caf/sec.hpp>

#include "sssn/content.hpp"
#include "sssn/error.hpp"

// -- allocation tracking --------------------------------------------------------
// The largest single allocation since the last reset: the reader must never
// allocate from an untrusted length before checking it. GCC 12 cannot see
// that our replacement operator delete frees what our operator new
// allocated with malloc, and warns wherever both are inlined.

#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {

std::atomic<size_t> largest_allocation{0};

void track(size_t n) noexcept {
  auto prev = largest_allocation.load(std::memory_order_relaxed);
  while (n > prev
         && !largest_allocation.compare_exchange_weak(prev, n,
                                                      std::memory_order_relaxed))
    ; // retry
}

} // namespace

void* operator new(size_t n) {
  track(n);
  if (auto ptr = std::malloc(n == 0 ? 1 : n))
    return ptr;
  throw std::bad_alloc{};
}

void* operator new[](size_t n) {
  track(n);
  if (auto ptr = std::malloc(n == 0 ? 1 : n))
    return ptr;
  throw std::bad_alloc{};
}

void operator delete(void* ptr) noexcept {
  std::free(ptr);
}

void operator delete[](void* ptr) noexcept {
  std::free(ptr);
}

void operator delete(void* ptr, size_t) noexcept {
  std::free(ptr);
}

void operator delete[](void* ptr, size_t) noexcept {
  std::free(ptr);
}

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

namespace app {

struct compute_request {
  double a = 0;
  double b = 0;
  std::string operation = "add";
};
SSSN_CONTENT(compute_request, a, b, operation)

} // namespace app

using sssn::content;
using sssn::content_kind;
using sssn::content_limits;
using sssn::json;
using sssn::detail::wire_reader;
using sssn::detail::wire_writer;

namespace tt = boost::unit_test;

namespace {

const unsigned test_timeout = sssn::test::scaled_timeout(300);

using bytes = std::vector<char>;

bytes encode(const content& x) {
  bytes buf;
  wire_writer w{buf};
  auto err = w.content(x);
  BOOST_REQUIRE_MESSAGE(!err, sssn::error_message(err));
  return buf;
}

caf::expected<content> decode(const char* data, size_t size,
                              const content_limits& limits = {}) {
  wire_reader r{data, size, limits};
  content result;
  if (auto err = r.content(result))
    return err;
  if (auto err = r.finish())
    return err;
  return result;
}

caf::expected<content> decode(const bytes& buf,
                              const content_limits& limits = {}) {
  return decode(buf.data(), buf.size(), limits);
}

std::string decode_error(const bytes& buf, const content_limits& limits = {}) {
  auto res = decode(buf, limits);
  if (res)
    return "<decoded: " + to_string(*res) + ">";
  return sssn::error_message(res.error());
}

void put_varint(bytes& buf, uint64_t x) {
  wire_writer w{buf};
  w.varint(x);
}

void put_bits(bytes& buf, uint64_t bits) {
  for (int i = 0; i < 8; ++i)
    buf.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
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

json sample_value() {
  return json::parse(R"({
    "id": "abc-123",
    "neg": -5,
    "big": 18446744073709551615,
    "min": -9223372036854775808,
    "pi": 3.141592653589793,
    "tiny": 5e-324,
    "flags": [true, false, null],
    "text": "gr\u00fc\u00df \u2603 \ud83d\ude00",
    "nested": {"k": [1, {"x": "y"}], "empty": {}, "none": []}
  })");
}

std::vector<content> sample_contents() {
  return {
    content{sample_value()},
    content{app::compute_request{1.5, -2, "mul"}},
    content::from_error(sssn::make_content_error("items[2].name",
                                                 "missing field "
                                                 "'items[2].name'")),
    content::from_error(caf::make_error(caf::sec::runtime_error, "boom")),
  };
}

// What must hold for any input: the reader returns a clear error, or
// content that may be sent again and survives another round trip. The
// reader allocates at most what the input can justify.
void check_decode(const char* data, size_t size) {
  largest_allocation = 0;
  auto res = decode(data, size);
  auto largest = largest_allocation.load();
  if (largest > 64 * size + 4096)
    BOOST_FAIL("decoding " << size << " bytes allocated " << largest
                           << " bytes at once");
  if (!res) {
    auto sentence = sssn::error_message(res.error());
    if (sentence.find("malformed content at byte ") != 0
        || !sssn::is(res.error(), sssn::ec::invalid_content))
      BOOST_FAIL("unexpected error: " << sentence);
    return;
  }
  if (auto err = res->check())
    BOOST_FAIL("decoded content fails check(): " << sssn::error_message(err));
  bytes again;
  wire_writer w{again};
  if (auto err = w.content(*res))
    BOOST_FAIL("decoded content cannot be encoded again: "
               << sssn::error_message(err));
  auto res2 = decode(again);
  if (!res2 || !(*res2 == *res))
    BOOST_FAIL("second round trip differs");
}

} // namespace

BOOST_AUTO_TEST_SUITE(round_trips)

BOOST_AUTO_TEST_CASE(primitives, *tt::timeout(test_timeout)) {
  bytes buf;
  wire_writer w{buf};
  const uint64_t varints[] = {0, 1, 127, 128, 300, uint64_t{1} << 63,
                              std::numeric_limits<uint64_t>::max()};
  const int64_t ints[] = {0, -1, 1, -64, 64, std::numeric_limits<int64_t>::min(),
                          std::numeric_limits<int64_t>::max()};
  const double doubles[] = {0.0, -0.0, 1.5, -2.25e300, 5e-324,
                            std::numeric_limits<double>::max(),
                            std::numeric_limits<double>::lowest(),
                            std::numeric_limits<double>::denorm_min()};
  const std::string strings[] = {"", "a", "gr\xc3\xbc\xc3\x9f \xf0\x9f\x98\x80",
                                 std::string(1000, 'x'),
                                 std::string("nul\0inside", 10)};
  w.u8(0);
  w.u8(255);
  for (auto x : varints)
    w.varint(x);
  for (auto x : ints)
    w.i64(x);
  for (auto x : doubles)
    BOOST_REQUIRE(!w.f64(x));
  for (auto& x : strings)
    w.str(x);
  wire_reader r{buf.data(), buf.size()};
  uint8_t byte = 1;
  BOOST_REQUIRE(!r.u8(byte));
  BOOST_TEST(byte == 0);
  BOOST_REQUIRE(!r.u8(byte));
  BOOST_TEST(byte == 255);
  for (auto x : varints) {
    uint64_t y = 0;
    BOOST_REQUIRE(!r.varint(y));
    BOOST_TEST(x == y);
  }
  for (auto x : ints) {
    int64_t y = 0;
    BOOST_REQUIRE(!r.i64(y));
    BOOST_TEST(x == y);
  }
  for (auto x : doubles) {
    double y = 1;
    BOOST_REQUIRE(!r.f64(y));
    BOOST_TEST(std::memcmp(&x, &y, sizeof(x)) == 0); // the same bit pattern
  }
  for (auto& x : strings) {
    std::string y;
    BOOST_REQUIRE(!r.str(y));
    BOOST_TEST(x == y);
  }
  BOOST_TEST(r.at_end());
  BOOST_TEST(!r.finish());
  // the encodings are the documented ones
  bytes small;
  wire_writer sw{small};
  sw.varint(300);
  sw.i64(-1);
  sw.i64(1);
  BOOST_REQUIRE(!sw.f64(1.0));
  sw.str("hi");
  BOOST_TEST(small
             == (bytes{'\xac', '\x02', '\x01', '\x02', 0, 0, 0, 0, 0, 0, '\xf0',
                       '\x3f', 2, 'h', 'i'}));
}

BOOST_AUTO_TEST_CASE(every_value_kind, *tt::timeout(test_timeout)) {
  std::vector<json> values = {
    json{},
    json(false),
    json(true),
    json(int64_t{-42}),
    json(uint64_t{42}),
    json(std::numeric_limits<uint64_t>::max()),
    json(-0.0),
    json(2.5),
    json("text"),
    json::array(),
    json::object(),
    sample_value(),
    nested_arrays(64),
  };
  for (auto& x : values) {
    BOOST_TEST_CONTEXT("value: " << x.dump()) {
      bytes buf;
      wire_writer w{buf};
      BOOST_REQUIRE(!w.value(x));
      wire_reader r{buf.data(), buf.size()};
      json y;
      BOOST_REQUIRE(!r.value(y));
      BOOST_TEST(r.at_end());
      BOOST_TEST(y.type_name() == x.type_name());
      BOOST_TEST((y.type() == x.type()));
      BOOST_TEST((y == x));
      BOOST_TEST(y.dump() == x.dump());
    }
  }
  // the documented encoding of a small object
  bytes buf;
  wire_writer w{buf};
  BOOST_REQUIRE(!w.value(json{{"a", 1}}));
  BOOST_TEST(buf == (bytes{8, 1, 1, 'a', 3, 2}));
}

BOOST_AUTO_TEST_CASE(all_content_kinds, *tt::timeout(test_timeout)) {
  for (auto& x : sample_contents()) {
    BOOST_TEST_CONTEXT("content: " << to_string(x)) {
      auto buf = encode(x);
      auto y = decode(buf);
      BOOST_REQUIRE(y);
      BOOST_TEST(*y == x);
      BOOST_TEST(y->kind() == x.kind());
      BOOST_TEST(y->type_name() == x.type_name());
      if (x.is_error()) {
        BOOST_TEST(y->error() == x.error());
        BOOST_TEST(sssn::error_message(y->error())
                   == sssn::error_message(x.error()));
        BOOST_TEST(sssn::error_field(y->error())
                   == sssn::error_field(x.error()));
      }
    }
  }
  auto typed = decode(encode(content{app::compute_request{1.5, -2, "mul"}}));
  BOOST_REQUIRE(typed);
  BOOST_TEST(typed->type_name() == "compute_request");
  BOOST_TEST(typed->as<app::compute_request>()->operation == "mul");
  auto err = decode(encode(content::from_error(
    sssn::make_content_error("a", "missing field 'a'"))));
  BOOST_REQUIRE(err);
  auto as_req = err->as<app::compute_request>();
  BOOST_REQUIRE(!as_req);
  BOOST_TEST(sssn::error_field(as_req.error()) == "a");
  BOOST_TEST(encode(content{}) == (bytes{0, 0}));
  // several contents in one buffer, then a primitive
  bytes buf;
  wire_writer w{buf};
  for (auto& x : sample_contents())
    BOOST_REQUIRE(!w.content(x));
  w.varint(7);
  wire_reader r{buf.data(), buf.size()};
  for (auto& x : sample_contents()) {
    content y;
    BOOST_REQUIRE(!r.content(y));
    BOOST_TEST(y == x);
  }
  uint64_t seven = 0;
  BOOST_REQUIRE(!r.varint(seven));
  BOOST_TEST(seven == 7u);
  BOOST_TEST(!r.finish());
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(writer)

BOOST_AUTO_TEST_CASE(refuses_non_finite_numbers, *tt::timeout(test_timeout)) {
  bytes buf{'x'};
  wire_writer w{buf};
  json x = json::parse(R"({"values":[1,2,0]})");
  for (double bad : {std::nan(""), HUGE_VAL, -HUGE_VAL}) {
    x["values"][2] = bad;
    auto err = w.value(x);
    BOOST_REQUIRE(err);
    BOOST_TEST(sssn::error_message(err)
               == "content has a non-finite number at field 'values[2]'");
    BOOST_TEST(sssn::error_field(err) == "values[2]");
    BOOST_TEST(w.content(content{x}) == err);
    BOOST_TEST(sssn::error_field(w.content(content{x})) == "values[2]");
    BOOST_TEST(w.f64(bad));
    BOOST_TEST(buf == bytes{'x'}); // nothing written
  }
  auto typed = w.content(content{app::compute_request{1, INFINITY, "add"}});
  BOOST_REQUIRE(typed);
  BOOST_TEST(sssn::error_message(typed)
             == "content has a non-finite number at field 'b'");
  BOOST_TEST(buf == bytes{'x'});
}

BOOST_AUTO_TEST_CASE(refuses_what_readers_refuse, *tt::timeout(test_timeout)) {
  bytes buf;
  wire_writer w{buf};
  auto deep = w.value(nested_arrays(65));
  BOOST_REQUIRE(deep);
  BOOST_TEST(sssn::error_message(deep).find("nested deeper than 64")
             != std::string::npos);
  auto utf8 = w.value(json{{"name", "\xc0\xaf"}});
  BOOST_REQUIRE(utf8);
  BOOST_TEST(sssn::error_message(utf8)
             == "content has invalid UTF-8 in a string at field 'name'");
  BOOST_TEST(w.content(content::from_typed("bad\xff", json::object())));
  BOOST_TEST(buf.empty());
  content_limits small;
  small.max_elements = 3;
  small.max_bytes = 12;
  wire_writer sw{buf, small};
  BOOST_TEST(!sw.value(json::array({1, 2})));
  buf.clear();
  auto many = sw.value(json::array({1, 2, 3}));
  BOOST_REQUIRE(many);
  BOOST_TEST(sssn::error_message(many) == "content has more than 3 values");
  auto large = sw.value(json("0123456789ab"));
  BOOST_REQUIRE(large);
  BOOST_TEST(sssn::error_message(large)
             == "content of 14 bytes exceeds the 12 bytes limit");
  BOOST_TEST(buf.empty());
  auto long_error = sw.content(content::from_error(
    sssn::make_error(sssn::ec::request_failed, "a long sentence")));
  BOOST_REQUIRE(long_error);
  BOOST_TEST(sssn::error_message(long_error)
             == "content of 24 bytes exceeds the 12 bytes limit");
  auto long_name = sw.content(content::from_typed("a_long_type_name", 1));
  BOOST_REQUIRE(long_name);
  BOOST_TEST(sssn::error_message(long_name)
             == "content of 20 bytes exceeds the 12 bytes limit");
  BOOST_TEST(buf.empty());
  // error content carries no numbers: always encodable, even from invalid
  // UTF-8 (from_error replaces it)
  auto odd = content::from_error(
    sssn::make_error(sssn::ec::request_failed, "bad \xff byte"));
  auto round = decode(encode(odd));
  BOOST_REQUIRE(round);
  BOOST_TEST(sssn::error_message(round->error()) == "bad \xEF\xBF\xBD byte");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(reader)

BOOST_AUTO_TEST_CASE(clear_errors, *tt::timeout(test_timeout)) {
  auto expect = [](bytes buf, const std::string& sentence) {
    BOOST_TEST_CONTEXT("expecting: " << sentence) {
      BOOST_TEST(decode_error(buf) == sentence);
    }
  };
  expect({}, "malformed content at byte 0: truncated: expected a byte, got "
             "end of input");
  expect({7}, "malformed content at byte 0: unknown content kind 0x07");
  expect({0, '\x9f'}, "malformed content at byte 1: unknown value tag 0x9f");
  expect({0, 6, 1, '\xff'},
         "malformed content at byte 2: invalid UTF-8 in a string");
  expect({0, 6, 3, 'a'}, "malformed content at byte 2: truncated string: "
                         "length 3 exceeds the 1 remaining bytes");
  expect({0, 3, '\x80'}, "malformed content at byte 2: truncated varint");
  expect({0, 5, 0, 0, 0}, "malformed content at byte 2: truncated double: "
                          "needs 8 bytes, 3 left");
  expect({0, 8, 2, 1, 'a', 0, 1, 'a', 0},
         "malformed content at byte 6: duplicate key \"a\"");
  expect({0, 0, 0, 0}, "malformed content at byte 2: 2 trailing bytes");
  expect({1, 0, 0}, "malformed content at byte 1: typed content without a "
                    "type name");
  expect({2, 0, 4, 's', 's', 's', 'n', 0, 0},
         "malformed content at byte 1: error content with code 0");
  expect({2, 1, 3, 'a', '!', 'b', 0, 0},
         "malformed content at byte 2: invalid error category \"a!b\"");
  expect({2, 1, 11, 'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 0, 0},
         "malformed content at byte 2: invalid error category "
         "\"abcdefghijk\"");
  bytes overlong{0, 3};
  overlong.insert(overlong.end(), 10, '\x80');
  overlong.push_back(1);
  expect(overlong, "malformed content at byte 2: varint longer than 64 bits");
  bytes top_bit{0, 4};
  top_bit.insert(top_bit.end(), 9, '\xff');
  top_bit.push_back(2);
  expect(top_bit, "malformed content at byte 2: varint longer than 64 bits");
  // the largest varint is fine
  bytes max_uint{0, 4};
  put_varint(max_uint, std::numeric_limits<uint64_t>::max());
  BOOST_TEST(decode(max_uint)->data() == json(UINT64_MAX));
  // the name given to the reader appears in messages; the first error sticks
  bytes two{5};
  wire_reader r{two.data(), two.size(), {}, "message"};
  uint64_t x = 0;
  BOOST_TEST(!r.varint(x));
  BOOST_TEST(x == 5u);
  uint8_t y = 0;
  auto err = r.u8(y);
  BOOST_TEST(sssn::error_message(err)
             == "malformed message at byte 1: truncated: expected a byte, got "
                "end of input");
  BOOST_TEST(r.finish() == err);
  BOOST_TEST(sssn::error_message(r.finish()) == sssn::error_message(err));
}

BOOST_AUTO_TEST_CASE(huge_declared_lengths, *tt::timeout(test_timeout)) {
  auto with_length = [](uint8_t tag, uint64_t length) {
    bytes buf{0, static_cast<char>(tag)};
    put_varint(buf, length);
    buf.insert(buf.end(), {'a', 'b', 'c'});
    return buf;
  };
  BOOST_TEST(decode_error(with_length(6, 4294967295u))
             == "malformed content at byte 2: string length 4294967295 "
                "exceeds the 16 MiB limit");
  BOOST_TEST(decode_error(with_length(6, UINT64_MAX))
             == "malformed content at byte 2: string length "
                "18446744073709551615 exceeds the 16 MiB limit");
  BOOST_TEST(decode_error(with_length(6, 16 * 1024 * 1024))
             == "malformed content at byte 2: truncated string: length "
                "16777216 exceeds the 3 remaining bytes");
  BOOST_TEST(decode_error(with_length(7, UINT64_MAX))
             == "malformed content at byte 1: array length "
                "18446744073709551615 exceeds the 3 remaining bytes");
  BOOST_TEST(decode_error(with_length(7, UINT64_MAX - 1))
             == "malformed content at byte 1: array length "
                "18446744073709551614 exceeds the 3 remaining bytes");
  BOOST_TEST(decode_error(with_length(8, uint64_t{1} << 63))
             == "malformed content at byte 1: object length "
                "9223372036854775808 exceeds the 3 remaining bytes (at least "
                "2 per member)");
  BOOST_TEST(decode_error(with_length(8, 2))
             == "malformed content at byte 1: object length 2 exceeds the 3 "
                "remaining bytes (at least 2 per member)");
  // nested containers cannot claim the same bytes twice: the outer array
  // claims 1000 bytes, which leaves nothing for the inner one
  bytes nested{0, 7};
  put_varint(nested, 1000);
  nested.push_back(7);
  put_varint(nested, 1000);
  nested.insert(nested.end(), 1000, 0);
  BOOST_TEST(decode_error(nested)
             == "malformed content at byte 4: array length 1000 exceeds "
                "the 1 remaining bytes");
  // key lengths are checked too
  bytes key{0, 8, 1};
  put_varint(key, UINT64_MAX);
  BOOST_TEST(decode_error(key)
             == "malformed content at byte 3: key length "
                "18446744073709551615 exceeds the 16 MiB limit");
  // the whole input is bounded
  content_limits small;
  small.max_bytes = 4;
  BOOST_TEST(decode_error(bytes{0, 6, 2, 'a', 'b'}, small)
             == "malformed content at byte 0: input of 5 bytes exceeds the 4 "
                "bytes limit");
  // the number of values is bounded
  small = content_limits{};
  small.max_elements = 3;
  BOOST_TEST(decode_error(bytes{0, 7, 3, 0, 0, 0}, small)
             == "malformed content at byte 1: array length 3 exceeds the "
                "limit of 3 values");
  BOOST_TEST(decode_error(bytes{0, 7, 2, 7, 1, 0, 0}, small)
             == "malformed content at byte 6: more than 3 values");
  BOOST_TEST(static_cast<bool>(decode(bytes{0, 7, 2, 0, 0}, small)));
  // a large but honest array: allocations stay proportional to the input
  bytes honest{0, 7};
  put_varint(honest, 100'000);
  honest.insert(honest.end(), 100'000, 0);
  largest_allocation = 0;
  auto res = decode(honest);
  BOOST_REQUIRE(res);
  BOOST_TEST(res->data().size() == 100'000u);
  BOOST_TEST(largest_allocation.load() <= 16 * honest.size());
}

BOOST_AUTO_TEST_CASE(deep_nesting, *tt::timeout(test_timeout)) {
  // a 200 KB input that nests 100,000 arrays
  bytes buf{0};
  for (int i = 0; i < 100'000; ++i)
    buf.insert(buf.end(), {7, 1});
  buf.push_back(0);
  BOOST_TEST(buf.size() == 200'002u);
  BOOST_TEST(decode_error(buf)
             == "malformed content at byte 129: nesting deeper than 64");
  // a reader with a raised limit decodes it without recursion; such
  // content is then too deep to send, but prints and compares safely
  content_limits relaxed;
  relaxed.max_depth = 1'000'000;
  auto res = decode(buf, relaxed);
  BOOST_REQUIRE(res);
  BOOST_TEST(res->check());
  BOOST_TEST(res->to_json().size() == 200'004u);
  json expected = json::array();
  json* cur = &expected;
  for (int i = 1; i < 100'000; ++i) {
    cur->push_back(json::array());
    cur = &cur->back();
  }
  cur->push_back(nullptr);
  BOOST_TEST(*res == content{std::move(expected)});
  // objects too
  bytes objs{0};
  for (int i = 0; i < 100'000; ++i)
    objs.insert(objs.end(), {8, 1, 1, 'k'});
  objs.push_back(0);
  BOOST_TEST(decode_error(objs)
             == "malformed content at byte 257: nesting deeper than 64");
  // exactly at the limit is fine
  bytes limit{0};
  for (int i = 0; i < 64; ++i)
    limit.insert(limit.end(), {7, 1});
  limit.push_back(0);
  BOOST_TEST(decode_error(limit).find("<decoded:") == 0u);
}

BOOST_AUTO_TEST_CASE(non_finite_numbers, *tt::timeout(test_timeout)) {
  const uint64_t nan_bits[] = {0x7ff8000000000000, 0xfff8000000000000,
                               0x7ff0000000000001, 0x7fffffffffffffff,
                               0xffffffffffffffff};
  for (auto bits : nan_bits) {
    bytes buf{0, 5};
    put_bits(buf, bits);
    BOOST_TEST(decode_error(buf)
               == "malformed content at byte 2: non-finite number (NaN)");
  }
  for (auto bits : {uint64_t{0x7ff0000000000000}, uint64_t{0xfff0000000000000}}) {
    bytes buf{0, 5};
    put_bits(buf, bits);
    BOOST_TEST(decode_error(buf)
               == "malformed content at byte 2: non-finite number "
                  "(infinity)");
  }
  // subnormals and negative zero keep their bit patterns
  for (auto bits : {uint64_t{1}, uint64_t{0x000fffffffffffff},
                    uint64_t{0x8000000000000000}}) {
    bytes buf{0, 5};
    put_bits(buf, bits);
    auto res = decode(buf);
    BOOST_REQUIRE(res);
    auto x = res->data().get<double>();
    BOOST_TEST(std::memcmp(&x, &bits, 8) == 0);
  }
  // inside a container, after other values
  bytes buf{0, 7, 2, 3, 2, 5};
  put_bits(buf, 0x7ff0000000000000);
  BOOST_TEST(decode_error(buf)
             == "malformed content at byte 6: non-finite number (infinity)");
}

BOOST_AUTO_TEST_CASE(truncated_at_every_position, *tt::timeout(test_timeout)) {
  for (auto& x : sample_contents()) {
    auto buf = encode(x);
    BOOST_TEST_CONTEXT("content: " << to_string(x)) {
      for (size_t n = 0; n < buf.size(); ++n) {
        auto res = decode(buf.data(), n);
        if (res)
          BOOST_FAIL("a prefix of " << n << " bytes decoded");
        auto sentence = sssn::error_message(res.error());
        if (sentence.find("malformed content at byte ") != 0)
          BOOST_FAIL("unexpected error: " << sentence);
        check_decode(buf.data(), n);
      }
      BOOST_TEST(decode(buf)->kind() == x.kind());
    }
  }
}

BOOST_AUTO_TEST_CASE(every_single_byte_corruption,
                     *tt::timeout(test_timeout)) {
  size_t decoded = 0;
  size_t refused = 0;
  for (auto& x : sample_contents()) {
    auto buf = encode(x);
    for (size_t i = 0; i < buf.size(); ++i) {
      auto copy = buf;
      for (int b = 0; b < 256; ++b) {
        copy[i] = static_cast<char>(b);
        check_decode(copy.data(), copy.size());
        if (decode(copy))
          ++decoded;
        else
          ++refused;
      }
    }
  }
  BOOST_TEST_MESSAGE(decoded << " corruptions decoded, " << refused
                             << " refused");
  BOOST_TEST(decoded > 0u);
  BOOST_TEST(refused > 0u);
}

BOOST_AUTO_TEST_CASE(random_bytes, *tt::timeout(test_timeout)) {
  std::mt19937_64 rng{20240601};
  std::uniform_int_distribution<int> byte_dist{0, 255};
  std::uniform_int_distribution<int> small_dist{0, 12};
  std::uniform_int_distribution<size_t> len_dist{0, 40};
  bytes buf;
  size_t decoded = 0;
  for (int i = 0; i < 300'000; ++i) {
    auto len = len_dist(rng);
    buf.resize(len);
    // bias towards small bytes (valid kinds, tags and lengths) so that the
    // decoder gets deep into the input, but keep every byte value possible
    for (auto& c : buf)
      c = static_cast<char>(i % 2 == 0 ? small_dist(rng) : byte_dist(rng));
    check_decode(buf.data(), buf.size());
    if (decode(buf))
      ++decoded;
  }
  BOOST_TEST_MESSAGE(decoded << " of 300000 random inputs decoded");
  BOOST_TEST(decoded > 0u);
}

BOOST_AUTO_TEST_CASE(random_mutations_of_valid_input,
                     *tt::timeout(test_timeout)) {
  std::mt19937_64 rng{42};
  std::vector<bytes> seeds;
  for (auto& x : sample_contents())
    seeds.push_back(encode(x));
  std::uniform_int_distribution<int> byte_dist{0, 255};
  std::uniform_int_distribution<int> op_dist{0, 3};
  std::uniform_int_distribution<int> count_dist{1, 4};
  size_t decoded = 0;
  for (int i = 0; i < 100'000; ++i) {
    auto buf = seeds[static_cast<size_t>(i) % seeds.size()];
    for (int n = count_dist(rng); n > 0 && !buf.empty(); --n) {
      std::uniform_int_distribution<size_t> pos_dist{0, buf.size() - 1};
      auto pos = pos_dist(rng);
      switch (op_dist(rng)) {
        case 0: // overwrite a byte
          buf[pos] = static_cast<char>(byte_dist(rng));
          break;
        case 1: // insert a byte
          buf.insert(buf.begin() + static_cast<ptrdiff_t>(pos),
                     static_cast<char>(byte_dist(rng)));
          break;
        case 2: // delete a byte
          buf.erase(buf.begin() + static_cast<ptrdiff_t>(pos));
          break;
        default: // flip one bit
          buf[pos] = static_cast<char>(buf[pos] ^ (1 << (byte_dist(rng) % 8)));
          break;
      }
    }
    check_decode(buf.data(), buf.size());
    if (decode(buf))
      ++decoded;
  }
  BOOST_TEST_MESSAGE(decoded << " of 100000 mutated inputs decoded");
  BOOST_TEST(decoded > 0u);
}

BOOST_AUTO_TEST_SUITE_END()
