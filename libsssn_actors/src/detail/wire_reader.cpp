// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/detail/wire.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <utility>

#include <caf/atom.hpp>

#include "format_size.hpp"

namespace sssn::detail {

namespace {

constexpr size_t max_varint_size = 10;

double from_bits(uint64_t x) noexcept {
  double result;
  std::memcpy(&result, &x, sizeof(x));
  return result;
}

int64_t unzigzag(uint64_t x) noexcept {
  auto magnitude = x >> 1;
  return static_cast<int64_t>((x & 1) ? ~magnitude : magnitude);
}

std::string hex(uint8_t x) {
  char buf[8];
  std::snprintf(buf, sizeof(buf), "0x%02x", static_cast<unsigned>(x));
  return buf;
}

} // namespace

// -- wire_reader --------------------------------------------------------------

wire_reader::wire_reader(const char* data, size_t size,
                         const content_limits& limits, std::string what)
  : data_(data), size_(size), limits_(limits), what_(std::move(what)) {
  if (size_ > limits_.max_bytes)
    fail(0, "input of " + std::to_string(size_) + " bytes exceeds the "
              + format_size(limits_.max_bytes) + " limit");
}

caf::error wire_reader::fail(size_t at, std::string what) {
  if (!err_)
    err_ = make_error(ec::invalid_content, "malformed " + what_ + " at byte "
                                             + std::to_string(at) + ": "
                                             + what);
  return err_;
}

caf::error wire_reader::u8(uint8_t& x) {
  if (err_)
    return err_;
  if (pos_ >= size_)
    return fail(pos_, "truncated: expected a byte, got end of input");
  x = static_cast<uint8_t>(data_[pos_++]);
  return {};
}

caf::error wire_reader::varint(uint64_t& x) {
  if (err_)
    return err_;
  auto at = pos_;
  uint64_t result = 0;
  for (size_t i = 0; i < max_varint_size; ++i) {
    if (pos_ >= size_)
      return fail(at, "truncated varint");
    auto byte = static_cast<uint8_t>(data_[pos_++]);
    if (i == max_varint_size - 1 && byte > 1)
      return fail(at, "varint longer than 64 bits");
    result |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
    if ((byte & 0x80) == 0) {
      x = result;
      return {};
    }
  }
  // unreachable: the 10th byte is at most 1 and thus ends the varint
  return fail(at, "varint longer than 64 bits");
}

caf::error wire_reader::i64(int64_t& x) {
  uint64_t tmp = 0;
  if (auto err = varint(tmp))
    return err;
  x = unzigzag(tmp);
  return {};
}

caf::error wire_reader::f64(double& x) {
  if (err_)
    return err_;
  auto at = pos_;
  if (remaining() < 8)
    return fail(at, "truncated double: needs 8 bytes, "
                      + std::to_string(remaining()) + " left");
  uint64_t bits = 0;
  for (int i = 0; i < 8; ++i)
    bits |= static_cast<uint64_t>(static_cast<uint8_t>(data_[pos_ + i]))
            << (8 * i);
  auto result = from_bits(bits);
  if (!std::isfinite(result))
    return fail(at, std::isnan(result) ? "non-finite number (NaN)"
                                       : "non-finite number (infinity)");
  pos_ += 8;
  x = result;
  return {};
}

caf::error wire_reader::read_string(std::string& x, const char* what) {
  auto at = pos_;
  uint64_t len = 0;
  if (auto err = varint(len))
    return err;
  if (len > limits_.max_bytes)
    return fail(at, std::string{what} + " length " + std::to_string(len)
                      + " exceeds the " + format_size(limits_.max_bytes)
                      + " limit");
  if (len > available())
    return fail(at, "truncated " + std::string{what} + ": length "
                      + std::to_string(len) + " exceeds the "
                      + std::to_string(available()) + " remaining bytes");
  std::string_view bytes{data_ + pos_, static_cast<size_t>(len)};
  if (!valid_utf8(bytes))
    return fail(at, "invalid UTF-8 in a " + std::string{what});
  x.assign(bytes.data(), bytes.size());
  pos_ += len;
  return {};
}

caf::error wire_reader::str(std::string& x) {
  if (err_)
    return err_;
  return read_string(x, "string");
}

caf::error wire_reader::read_item(json& x, size_t depth, uint64_t& children) {
  children = 0;
  auto at = pos_;
  uint8_t tag = 0;
  if (auto err = u8(tag))
    return err;
  if (++elements_ > limits_.max_elements)
    return fail(at, "more than " + std::to_string(limits_.max_elements)
                      + " values");
  switch (static_cast<wire_tag>(tag)) {
    case wire_tag::null_value:
      x = nullptr;
      return {};
    case wire_tag::false_value:
      x = false;
      return {};
    case wire_tag::true_value:
      x = true;
      return {};
    case wire_tag::int_value: {
      int64_t val = 0;
      if (auto err = i64(val))
        return err;
      x = val;
      return {};
    }
    case wire_tag::uint_value: {
      uint64_t val = 0;
      if (auto err = varint(val))
        return err;
      x = val;
      return {};
    }
    case wire_tag::double_value: {
      double val = 0;
      if (auto err = f64(val))
        return err;
      x = val;
      return {};
    }
    case wire_tag::string_value: {
      std::string val;
      if (auto err = read_string(val, "string"))
        return err;
      x = std::move(val);
      return {};
    }
    case wire_tag::array_value:
    case wire_tag::object_value: {
      bool is_array = static_cast<wire_tag>(tag) == wire_tag::array_value;
      const char* name = is_array ? "array" : "object";
      if (depth + 1 > limits_.max_depth)
        return fail(at, "nesting deeper than "
                          + std::to_string(limits_.max_depth));
      uint64_t count = 0;
      if (auto err = varint(count))
        return err;
      // Every element takes at least one byte (its tag), every member at
      // least two (key length and tag): a count that the input cannot hold
      // is refused before anything is allocated.
      uint64_t min_size = is_array ? 1 : 2;
      if (count > available() / min_size)
        return fail(at, std::string{name} + " length " + std::to_string(count)
                          + " exceeds the " + std::to_string(available())
                          + " remaining bytes"
                          + (is_array ? "" : " (at least 2 per member)"));
      if (count > limits_.max_elements - std::min(elements_,
                                                  limits_.max_elements))
        return fail(at, std::string{name} + " length " + std::to_string(count)
                          + " exceeds the limit of "
                          + std::to_string(limits_.max_elements) + " values");
      reserved_ += count * min_size;
      if (is_array) {
        x = json::array();
        x.get_ref<json::array_t&>().reserve(count);
      } else {
        x = json::object();
      }
      children = count;
      return {};
    }
    default:
      return fail(at, "unknown value tag " + hex(tag));
  }
}

caf::error wire_reader::value(json& x) {
  if (err_)
    return err_;
  struct frame {
    json* node;
    uint64_t left;
  };
  std::vector<frame> stack;
  json result;
  uint64_t children = 0;
  reserved_ = 0;
  // Limits apply per value, as in the writer: a message's content and its
  // metadata each get the whole element budget.
  elements_ = 0;
  if (auto err = read_item(result, 0, children))
    return err;
  if (children > 0)
    stack.push_back(frame{&result, children});
  while (!stack.empty()) {
    auto& top = stack.back();
    if (top.left == 0) {
      stack.pop_back();
      continue;
    }
    --top.left;
    json* slot = nullptr;
    if (auto arr = top.node->get_ptr<json::array_t*>()) {
      reserved_ -= std::min<size_t>(reserved_, 1);
      arr->emplace_back();
      slot = &arr->back();
    } else {
      reserved_ -= std::min<size_t>(reserved_, 2);
      auto at = pos_;
      std::string key;
      if (auto err = read_string(key, "key"))
        return err;
      auto& obj = top.node->get_ref<json::object_t&>();
      auto [i, added] = obj.emplace(std::move(key), nullptr);
      if (!added)
        return fail(at, "duplicate key " + quote_json(i->first));
      slot = &i->second;
    }
    // `top` may dangle after the push below: use nothing of it afterwards
    auto depth = stack.size();
    if (auto err = read_item(*slot, depth, children))
      return err;
    if (children > 0)
      stack.push_back(frame{slot, children});
  }
  reserved_ = 0;
  x = std::move(result);
  return {};
}

caf::error wire_reader::content(sssn::content& x) {
  if (err_)
    return err_;
  auto at = pos_;
  uint8_t kind = 0;
  if (auto err = u8(kind))
    return err;
  switch (static_cast<content_kind>(kind)) {
    case content_kind::generic: {
      json data;
      if (auto err = value(data))
        return err;
      x = sssn::content{std::move(data)};
      return {};
    }
    case content_kind::typed: {
      auto name_at = pos_;
      std::string name;
      if (auto err = read_string(name, "type name"))
        return err;
      if (name.empty())
        return fail(name_at, "typed content without a type name");
      json data;
      if (auto err = value(data))
        return err;
      x = sssn::content::from_typed(std::move(name), std::move(data));
      return {};
    }
    case content_kind::error: {
      auto code_at = pos_;
      uint8_t code = 0;
      if (auto err = u8(code))
        return err;
      if (code == 0)
        return fail(code_at, "error content with code 0");
      auto category_at = pos_;
      std::string category;
      if (auto err = read_string(category, "error category"))
        return err;
      auto atom = caf::atom_from_string(category);
      if (category.size() > 10 || caf::to_string(atom) != category)
        return fail(category_at,
                    "invalid error category " + quote_json(category));
      std::string message;
      if (auto err = read_string(message, "error message"))
        return err;
      std::string field;
      if (auto err = read_string(field, "error field"))
        return err;
      x = sssn::content::from_error(
        rebuild_error(code, atom, message, field));
      return {};
    }
  }
  return fail(at, "unknown content kind " + hex(kind));
}

caf::error wire_reader::finish() {
  if (err_)
    return err_;
  if (!at_end())
    return fail(pos_, std::to_string(remaining()) + " trailing bytes");
  return {};
}

} // namespace sssn::detail
