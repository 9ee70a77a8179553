// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <caf/error.hpp>

#include "sssn/content.hpp"
#include "sssn/export.hpp"

/// Our own binary encoding of content (and building blocks for whole
/// messages), because CAF 0.17's decoder is unsafe on hostile input (see
/// "Hostile peers" in docs/caf-0.17-notes.md).
///
/// Primitives: `u8` is one byte; `varint` is unsigned LEB128 (at most 10
/// bytes); `i64` is a zigzag varint; `f64` is the IEEE 754 bit pattern as 8
/// little-endian bytes; `str` is a varint byte length followed by the bytes,
/// which must be valid UTF-8.
///
/// A value is one tag byte (`wire_tag`) followed by: nothing (null, false,
/// true), an `i64` (int), a `varint` (uint), an `f64` (double), a `str`
/// body (string), a varint count and that many values (array), or a varint
/// count and that many pairs of `str` key and value (object).
///
/// Content is one kind byte (`content_kind`) followed by: the value
/// (generic); a `str` type name and the value (typed); or the `u8` code,
/// the `str` category, the `str` sentence and the `str` field (error).
namespace sssn::detail {

/// Tags of values in the wire form.
enum class wire_tag : uint8_t {
  null_value = 0,
  false_value = 1,
  true_value = 2,
  int_value = 3,
  uint_value = 4,
  double_value = 5,
  string_value = 6,
  array_value = 7,
  object_value = 8,
};

/// Appends the wire form of primitives, values and content to a byte
/// buffer.
class SSSN_ACTORS_EXPORT wire_writer {
public:
  // -- constructors -----------------------------------------------------------

  /// Creates a writer that appends to `buf`. Values and content that a
  /// `wire_reader` with `limits` would refuse are refused when written.
  explicit wire_writer(std::vector<char>& buf,
                       const content_limits& limits = {});

  // -- primitives -------------------------------------------------------------

  /// Appends one byte.
  void u8(uint8_t x);

  /// Appends `x` as unsigned LEB128.
  void varint(uint64_t x);

  /// Appends `x` as a zigzag varint.
  void i64(int64_t x);

  /// Appends the bit pattern of `x` as 8 little-endian bytes; refuses (and
  /// writes nothing for) NaN and infinities, which a reader refuses too.
  caf::error f64(double x);

  /// Appends the byte length of `x` and its bytes. `x` must be valid UTF-8:
  /// `wire_reader::str` refuses anything else (see `valid_utf8`).
  void str(std::string_view x);

  // -- composites -------------------------------------------------------------

  /// Appends the tagged form of `x` without recursion. Refuses, writing
  /// nothing, what `check_json` refuses (non-finite numbers, binary values,
  /// invalid UTF-8, nesting beyond the limit) and values with more elements
  /// or bytes than the limits allow; the error names the path.
  caf::error value(const json& x);

  /// Appends the kind, type name and data (or the error's code, category,
  /// sentence and field) of `x`; refuses, writing nothing, what
  /// `value` refuses.
  caf::error content(const sssn::content& x);

  // -- properties -------------------------------------------------------------

  /// Returns the buffer this writer appends to.
  std::vector<char>& buffer() noexcept {
    return buf_;
  }

private:
  std::vector<char>& buf_;
  content_limits limits_;
};

/// Reads primitives, values and content written by `wire_writer` from
/// untrusted bytes. Never reads out of bounds, checks every declared length
/// against the remaining input and the limits before allocating, decodes
/// nesting with an explicit stack up to `max_depth`, and refuses non-finite
/// numbers and invalid UTF-8. Errors are `ec::invalid_content` with a
/// sentence such as "malformed content at byte 17: string length 4294967295
/// exceeds the 16 MiB limit". The first error sticks: every later call
/// returns it again.
class SSSN_ACTORS_EXPORT wire_reader {
public:
  // -- constructors -----------------------------------------------------------

  /// Creates a reader over `size` bytes at `data`, which must outlive it.
  /// `what` names the input in error messages ("malformed <what> at byte
  /// ..."). An input larger than `limits.max_bytes` is refused at once.
  wire_reader(const char* data, size_t size, const content_limits& limits = {},
              std::string what = "content");

  // -- primitives -------------------------------------------------------------

  /// Reads one byte.
  caf::error u8(uint8_t& x);

  /// Reads an unsigned LEB128 number of at most 64 bits.
  caf::error varint(uint64_t& x);

  /// Reads a zigzag varint.
  caf::error i64(int64_t& x);

  /// Reads 8 little-endian bytes as a double; refuses NaN and infinities.
  caf::error f64(double& x);

  /// Reads a length-prefixed string; refuses lengths beyond the remaining
  /// input or `max_bytes`, and invalid UTF-8.
  caf::error str(std::string& x);

  // -- composites -------------------------------------------------------------

  /// Reads a tagged value within the limits (depth, elements, bytes),
  /// without recursion.
  caf::error value(json& x);

  /// Reads content written by `wire_writer::content`.
  caf::error content(sssn::content& x);

  /// Returns an error if any input is left.
  caf::error finish();

  // -- properties -------------------------------------------------------------

  /// Returns the number of bytes read so far.
  size_t offset() const noexcept {
    return pos_;
  }

  /// Returns the number of bytes left.
  size_t remaining() const noexcept {
    return size_ - pos_;
  }

  /// Returns whether every byte was read.
  bool at_end() const noexcept {
    return pos_ == size_;
  }

private:
  caf::error fail(size_t at, std::string what);

  // Bytes not yet claimed by the declared elements of open containers.
  size_t available() const noexcept {
    return remaining() > reserved_ ? remaining() - reserved_ : 0;
  }

  caf::error read_string(std::string& x, const char* what);

  caf::error read_item(json& x, size_t depth, uint64_t& children);

  const char* data_;
  size_t size_;
  size_t pos_ = 0;
  content_limits limits_;
  std::string what_;
  caf::error err_;
  size_t elements_ = 0;
  size_t reserved_ = 0;
};

// -- content on the wire --------------------------------------------------------

/// Encodes content alone in our wire form (for `content` in messages).
SSSN_ACTORS_EXPORT caf::error encode_content(const content& x,
                                             std::vector<char>& out);

/// Decodes content made by `encode_content`; a malformed input gives error
/// content (`ec::invalid_content`) that says what was wrong.
SSSN_ACTORS_EXPORT content decode_content(const char* data, size_t size);

} // namespace sssn::detail
