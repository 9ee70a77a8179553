// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Fuzz target for our wire decoder: the bytes a peer sends.
//
// The same input is decoded four ways:
// 1. as a whole `channel_message` (`channel_message::decode`);
// 2. as content (`detail::decode_content`, and `wire_reader` directly);
// 3. as a bare value with small limits, against the default limits;
// 4. as CAF's framing of a message and of content (what a node's
//    deserializer sees: CAF's length prefix, then our bytes).
//
// Properties, beyond "no crash, no sanitizer report":
// - a decoding error is `ec::invalid_content` "malformed <what> at byte N"
//   with N within the input (or `ec::incompatible_version`);
// - what decodes re-encodes without error, and decodes again to an equal
//   value (strictly: same number types, bit-identical doubles); encoding
//   that again gives the same bytes (the encoding is canonical), never
//   longer than the input (except for error content, whose sentence the
//   decoder normalizes);
// - decoded content passes `check()` (nothing unsendable gets in), and its
//   JSON text parses back to equal content;
// - limits are monotonic and exact: a value accepted with the default
//   limits is accepted with small ones iff it is within them.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include "sssn/channel_message.hpp"
#include "sssn/content.hpp"
#include "sssn/detail/wire.hpp"
#include "sssn/error.hpp"

#include "fuzz_common.hpp"

namespace {

using namespace sssn_fuzz;
using sssn::channel_message;
using sssn::content;
using sssn::content_limits;
using sssn::ec;
using sssn::error_message;

// Checks the form of a reader's error: "malformed <what> at byte N: ...".
void check_reader_error(const caf::error& err, const std::string& what,
                        size_t size) {
  FUZZ_CHECK_MSG(sssn::is(err, ec::invalid_content), describe(err));
  auto text = error_message(err);
  size_t at = 0;
  FUZZ_CHECK_MSG(parse_offset(text, "malformed " + what + " at byte ", at),
                 describe(err));
  FUZZ_CHECK_MSG(at <= size, describe(err));
}

bool starts_with(const std::string& x, const std::string& prefix) {
  return x.compare(0, prefix.size(), prefix) == 0;
}

// -- 1. channel_message --------------------------------------------------------

void fuzz_message(const char* data, size_t size) {
  auto msg = channel_message::decode(data, size);
  auto err = msg.validate();
  // Used for logging: must work on any decoded message.
  static_cast<void>(sssn::to_string(msg));
  static_cast<void>(msg.timestamp());
  static_cast<void>(msg.deadline());
  if (err) {
    if (sssn::is(err, ec::incompatible_version)) {
      FUZZ_CHECK(size > 0 && data[0] != static_cast<char>(sssn::wire_version));
      return;
    }
    FUZZ_CHECK_MSG(sssn::is(err, ec::invalid_content), describe(err));
    if (starts_with(error_message(err), "malformed message")) {
      check_reader_error(err, "message", size);
      FUZZ_CHECK(msg.content() == content{});
      return;
    }
    // Decoded, but not acceptable (no id, metadata not an object, ...):
    // it still round-trips below.
  }
  std::vector<char> buf;
  auto enc = msg.encode(buf);
  FUZZ_CHECK_MSG(!enc, describe(enc));
  if (!msg.content().is_error())
    FUZZ_CHECK_MSG(buf.size() <= size, hex(buf));
  auto again = channel_message::decode(buf.data(), buf.size());
  FUZZ_CHECK_MSG(again == msg, hex(buf));
  FUZZ_CHECK(same_content(again.content(), msg.content()));
  FUZZ_CHECK(same_json(again.metadata(), msg.metadata()));
  FUZZ_CHECK(again.has_timestamp() == msg.has_timestamp());
  FUZZ_CHECK(error_message(again.validate()) == error_message(err));
  std::vector<char> buf2;
  FUZZ_CHECK(!again.encode(buf2));
  FUZZ_CHECK_MSG(buf2 == buf, hex(buf) + " vs " + hex(buf2));
}

// -- 2. content ------------------------------------------------------------------

void fuzz_content(const char* data, size_t size) {
  auto c = sssn::detail::decode_content(data, size);
  static_cast<void>(sssn::to_string(c));
  static_cast<void>(c.to_json());
  // The same with the reader, to tell a decoding error from error content.
  sssn::detail::wire_reader r{data, size, content_limits{}, "content"};
  uint8_t version = 0;
  auto err = r.u8(version);
  if (!err && version != sssn::wire_version) {
    FUZZ_CHECK(c.is_error());
    FUZZ_CHECK_MSG(sssn::is(c.error(), ec::incompatible_version),
                   describe(c.error()));
    return;
  }
  content direct;
  if (!err)
    err = r.content(direct);
  if (!err)
    err = r.finish();
  if (err) {
    check_reader_error(err, "content", size);
    FUZZ_CHECK(c.is_error());
    FUZZ_CHECK_MSG(error_message(c.error()) == error_message(err),
                   describe(c.error()) + " vs " + describe(err));
    return;
  }
  FUZZ_CHECK(same_content(c, direct));
  // What the decoder lets in can be sent on.
  auto check = c.check();
  FUZZ_CHECK_MSG(!check, describe(check));
  // Wire round trip.
  std::vector<char> buf;
  auto enc = sssn::detail::encode_content(c, buf);
  FUZZ_CHECK_MSG(!enc, describe(enc));
  if (!c.is_error())
    FUZZ_CHECK_MSG(buf.size() <= size, hex(buf));
  auto again = sssn::detail::decode_content(buf.data(), buf.size());
  FUZZ_CHECK_MSG(same_content(again, c), hex(buf));
  std::vector<char> buf2;
  FUZZ_CHECK(!sssn::detail::encode_content(again, buf2));
  FUZZ_CHECK_MSG(buf2 == buf, hex(buf) + " vs " + hex(buf2));
  if (c.is_error()) {
    // Error content keeps everything of the error it was made from.
    auto e = c.error();
    FUZZ_CHECK(static_cast<bool>(e));
    FUZZ_CHECK_MSG(same_content(content::from_error(e), c), describe(e));
  } else {
    // JSON text round trip (JSON text cannot tell 1 from 1u: loose ==).
    auto text = c.to_json();
    auto parsed = content::from_json(text);
    FUZZ_CHECK_MSG(parsed, describe(parsed.error()) + " for " + text);
    FUZZ_CHECK_MSG(parsed->data() == c.data(), text);
  }
}

// -- 3. bare values and limits ---------------------------------------------------

bool read_value(const char* data, size_t size, const content_limits& limits,
                sssn::json& out, caf::error& err) {
  sssn::detail::wire_reader r{data, size, limits, "value"};
  err = r.value(out);
  if (!err)
    err = r.finish();
  return !err;
}

void fuzz_value(const char* data, size_t size) {
  content_limits small;
  small.max_depth = 4;
  small.max_bytes = 512;
  small.max_elements = 32;
  sssn::json big_value;
  caf::error big_err;
  bool big_ok = read_value(data, size, content_limits{}, big_value, big_err);
  sssn::json small_value;
  caf::error small_err;
  bool small_ok = read_value(data, size, small, small_value, small_err);
  if (!big_ok) {
    check_reader_error(big_err, "value", size);
    FUZZ_CHECK_MSG(!small_ok, "small limits accept what the default refuses");
    check_reader_error(small_err, "value", size);
    return;
  }
  bool within = depth_of(big_value) <= small.max_depth
                && count_of(big_value) <= small.max_elements
                && size <= small.max_bytes;
  FUZZ_CHECK_MSG(small_ok == within,
                 std::string{within ? "within" : "beyond"}
                   + " the small limits, but " + describe(small_err));
  if (!small_ok) {
    check_reader_error(small_err, "value", size);
    return;
  }
  FUZZ_CHECK(same_json(small_value, big_value));
  // The writer accepts, with the same limits, what the reader accepted.
  std::vector<char> buf;
  sssn::detail::wire_writer w{buf, small};
  auto enc = w.value(small_value);
  FUZZ_CHECK_MSG(!enc, describe(enc));
  FUZZ_CHECK(buf.size() <= size);
  sssn::json again;
  caf::error again_err;
  FUZZ_CHECK_MSG(read_value(buf.data(), buf.size(), small, again, again_err),
                 describe(again_err));
  FUZZ_CHECK(same_json(again, small_value));
}

// -- 4. CAF's framing --------------------------------------------------------------

void fuzz_caf_framing(const char* data, size_t size) {
  {
    caf::binary_deserializer src{nullptr, data, size};
    channel_message msg;
    auto err = inspect(src, msg);
    // (CAF 0.17's `error::code()` and `category()` must not be called on
    // an empty error: they dereference a null pointer. So must not
    // `sssn::is` and `sssn::error_field`.)
    if (!err) {
      auto valid = msg.validate();
      bool decoded = !valid
                     || (!sssn::is(valid, ec::incompatible_version)
                         && !starts_with(error_message(valid), "malformed"));
      if (decoded) {
        std::vector<char> buf;
        caf::binary_serializer sink{nullptr, buf};
        FUZZ_CHECK(!inspect(sink, msg));
        caf::binary_deserializer src2{nullptr, buf};
        channel_message again;
        FUZZ_CHECK(!inspect(src2, again));
        FUZZ_CHECK(again == msg);
      }
    }
  }
  {
    caf::binary_deserializer src{nullptr, data, size};
    content c;
    auto err = inspect(src, c);
    if (!err) {
      static_cast<void>(sssn::to_string(c));
      std::vector<char> buf;
      caf::binary_serializer sink{nullptr, buf};
      // Decoding errors became error content, which is sendable too.
      auto enc = inspect(sink, c);
      FUZZ_CHECK_MSG(!enc, describe(enc));
      caf::binary_deserializer src2{nullptr, buf};
      content again;
      FUZZ_CHECK(!inspect(src2, again));
      FUZZ_CHECK(same_content(again, c));
    }
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  auto data = reinterpret_cast<const char*>(bytes);
  fuzz_message(data, size);
  fuzz_content(data, size);
  fuzz_value(data, size);
  fuzz_caf_framing(data, size);
  return 0;
}
