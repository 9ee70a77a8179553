// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/channel_message.hpp"

#include <cinttypes>
#include <cmath>
#include <limits>
#include <cstdio>
#include <cstring>

#include "sssn/detail/json_util.hpp"
#include "sssn/error.hpp"

#include "detail/message_data.hpp"
#include "detail/secure_random.hpp"

namespace sssn {

namespace {

const std::shared_ptr<const channel_message::data>& empty_data() {
  static const auto instance = std::make_shared<const channel_message::data>();
  return instance;
}

} // namespace

int64_t detail::seconds_to_ns(double secs) {
  if (!std::isfinite(secs))
    return 0;
  // Beyond ±292 years from 1970 the nanoseconds do not fit: clamp.
  if (secs >= 9.2e9)
    return std::numeric_limits<int64_t>::max();
  if (secs <= -9.2e9)
    return std::numeric_limits<int64_t>::min();
  // Whole and fractional seconds apart: `secs * 1e9` would lose up to
  // 256 ns at today's Unix times, so `timestamp(t).timestamp() != t`.
  auto whole = std::floor(secs);
  return static_cast<int64_t>(whole) * 1'000'000'000
         + std::llround((secs - whole) * 1e9);
}

// Converts whole and fractional seconds apart, so that the result is the
// double nearest to the exact time (`ns / 1e9` rounds `ns` to a double first).
double detail::ns_to_seconds(int64_t ns) {
  return static_cast<double>(ns / 1'000'000'000)
         + static_cast<double>(ns % 1'000'000'000) / 1e9;
}

int64_t detail::first_ns_not_before(double secs) {
  auto ns = seconds_to_ns(secs);
  // Clamped or not a number: nothing to refine.
  if (!std::isfinite(secs) || secs >= 9.2e9 || secs <= -9.2e9)
    return ns;
  // `seconds_to_ns` lands within a few hundred nanoseconds of the answer
  // (a double's resolution at today's times is about 238 ns); the readings
  // grow monotonically with `ns`, so step to the boundary.
  for (int i = 0; i < 4096 && ns_to_seconds(ns) < secs; ++i)
    ++ns;
  for (int i = 0; i < 4096 && ns_to_seconds(ns - 1) >= secs; ++i)
    --ns;
  return ns;
}

const json& detail::empty_object() {
  static const json result = json::object();
  return result;
}

channel_message::channel_message() : data_(empty_data()) {
  // nop
}

channel_message::channel_message(std::shared_ptr<const data> ptr)
  : data_(std::move(ptr)) {
  // nop
}

const std::string& channel_message::id() const {
  return data_->id;
}

double channel_message::timestamp() const {
  return detail::ns_to_seconds(data_->timestamp_ns);
}

int64_t channel_message::timestamp_ns() const {
  return data_->timestamp_ns;
}

const std::string& channel_message::sender_id() const {
  return data_->sender_id;
}

const sssn::content& channel_message::content() const {
  return data_->body;
}

const json& channel_message::metadata() const {
  return data_->metadata_or_empty();
}

const std::optional<std::string>& channel_message::correlation_id() const {
  return data_->correlation_id;
}

const std::optional<std::string>& channel_message::reply_to() const {
  return data_->reply_to;
}

const std::optional<std::string>& channel_message::recipient_id() const {
  return data_->recipient_id;
}

std::optional<double> channel_message::deadline() const {
  if (!data_->deadline_ns)
    return std::nullopt;
  return detail::ns_to_seconds(*data_->deadline_ns);
}

const std::optional<int64_t>& channel_message::deadline_ns() const {
  return data_->deadline_ns;
}

bool channel_message::has_timestamp() const {
  return data_->has_timestamp;
}

channel_message channel_message::with_timestamp(int64_t unix_ns) const& {
  auto copy = std::make_shared<data>(*data_);
  copy->timestamp_ns = unix_ns;
  copy->has_timestamp = true;
  return channel_message{std::move(copy)};
}

channel_message channel_message::with_timestamp(int64_t unix_ns) && {
  // Only this handle holds the representation, so no other thread can reach
  // it: stamping it in place is the same as stamping a copy. Every `data` is
  // made non-const (builder, decode, copy above); only the handle is const.
  if (data_.use_count() == 1) {
    auto& d = const_cast<data&>(*data_);
    d.timestamp_ns = unix_ns;
    d.has_timestamp = true;
    return channel_message{std::move(data_)};
  }
  return static_cast<const channel_message&>(*this).with_timestamp(unix_ns);
}

caf::error channel_message::validate() const {
  auto& d = *data_;
  if (d.valid.passed())
    return {};
  if (d.decode_error)
    return d.decode_error;
  if (d.id.empty())
    return make_error(ec::invalid_content, "message has no id");
  if (d.sender_id.empty())
    return make_error(ec::invalid_content,
                      "message '" + d.id + "' has no sender_id");
  // Plain tests first: an error (an out-of-line CAF type) is only made for
  // the field that fails.
  auto bad_utf8 = [](const std::optional<std::string>& x) {
    return x && !detail::valid_utf8(*x);
  };
  const char* field = nullptr;
  if (!detail::valid_utf8(d.id))
    field = "id";
  else if (!detail::valid_utf8(d.sender_id))
    field = "sender_id";
  else if (bad_utf8(d.correlation_id))
    field = "correlation_id";
  else if (bad_utf8(d.reply_to))
    field = "reply_to";
  else if (bad_utf8(d.recipient_id))
    field = "recipient_id";
  if (field != nullptr)
    return make_error(ec::invalid_content,
                      std::string{field} + " of message '"
                        + detail::sanitize_utf8(d.id) + "' is not valid UTF-8");
  if (d.metadata_given && !d.metadata.is_object())
    return make_error(ec::invalid_content,
                      "metadata of message '" + d.id + "' is not an object");
  if (auto err = d.body.check())
    return make_error(ec::invalid_content, "content of message '" + d.id
                                             + "': " + error_message(err));
  if (d.metadata_given)
    if (auto err = detail::check_json(d.metadata))
      return make_error(ec::invalid_content,
                        "metadata of message '" + d.id
                          + "': " + error_message(err));
  d.valid.mark_passed();
  return {};
}


bool operator==(const channel_message& x, const channel_message& y) {
  if (x.data_ == y.data_)
    return true;
  auto& a = *x.data_;
  auto& b = *y.data_;
  return a.id == b.id && a.timestamp_ns == b.timestamp_ns
         && a.has_timestamp == b.has_timestamp && a.sender_id == b.sender_id
         && a.body == b.body && a.metadata_or_empty() == b.metadata_or_empty()
         && a.correlation_id == b.correlation_id && a.reply_to == b.reply_to
         && a.recipient_id == b.recipient_id && a.deadline_ns == b.deadline_ns
         && a.decode_error == b.decode_error;
}

// -- builder ----------------------------------------------------------------------

channel_message::builder::builder() = default;

channel_message::data* channel_message::builder::fresh() {
  // Made on first use: a builder that is not reused after `build` costs one
  // allocation, not two.
  if (!data_)
    data_ = std::make_shared<data>();
  return data_.get();
}

channel_message::builder& channel_message::builder::id(std::string x) {
  fresh()->id = std::move(x);
  return *this;
}

channel_message::builder&
channel_message::builder::timestamp(double unix_seconds) {
  return timestamp_ns(detail::seconds_to_ns(unix_seconds));
}

channel_message::builder& channel_message::builder::timestamp_ns(int64_t x) {
  fresh()->timestamp_ns = x;
  fresh()->has_timestamp = true;
  return *this;
}

channel_message::builder& channel_message::builder::sender_id(std::string x) {
  fresh()->sender_id = std::move(x);
  return *this;
}

channel_message::builder&
channel_message::builder::content(sssn::content x) {
  fresh()->body = std::move(x);
  return *this;
}

channel_message::builder& channel_message::builder::metadata(json object) {
  fresh()->set_metadata(std::move(object));
  return *this;
}

channel_message::builder&
channel_message::builder::correlation_id(std::string x) {
  fresh()->correlation_id = std::move(x);
  return *this;
}

channel_message::builder& channel_message::builder::reply_to(std::string x) {
  fresh()->reply_to = std::move(x);
  return *this;
}

channel_message::builder&
channel_message::builder::recipient_id(std::string x) {
  fresh()->recipient_id = std::move(x);
  return *this;
}

channel_message::builder&
channel_message::builder::deadline(double unix_seconds) {
  return deadline_ns(detail::seconds_to_ns(unix_seconds));
}

channel_message::builder& channel_message::builder::deadline_ns(int64_t x) {
  fresh()->deadline_ns = x;
  return *this;
}

channel_message channel_message::builder::build() {
  if (fresh()->id.empty())
    fresh()->id = make_uuid();
  return channel_message{std::move(data_)};
}

// -- free functions -----------------------------------------------------------------

namespace {

/// Writes the 8 hex digits of `x` (lowercase, most significant first) to
/// `out`, all at once: its nibbles are spread into the bytes of a word,
/// turned into ASCII by adding '0', plus 39 more where one is 10 or above
/// ('a' - '0' - 10), and stored in one go.
void put_hex8(uint32_t x, char* out) noexcept {
  uint64_t v = x;
  v = ((v & 0xFFFF0000ull) << 16) | (v & 0xFFFFull);
  v = ((v & 0x0000FF000000FF00ull) << 8) | (v & 0x000000FF000000FFull);
  v = ((v & 0x00F000F000F000F0ull) << 4) | (v & 0x000F000F000F000Full);
  // Byte 7 holds the most significant nibble, byte 0 the least.
  auto ten_up = ((v + 0x0606060606060606ull) >> 4) & 0x0101010101010101ull;
  v += 0x3030303030303030ull + ten_up * 39;
  v = __builtin_bswap64(v); // stored little-endian: byte 7 first
  std::memcpy(out, &v, sizeof(v));
}

} // namespace

std::string detail::uuid_text(uint64_t hi, uint64_t lo) {
  // Formatted by hand: snprintf dominated the cost of building a message.
  char digits[32];
  put_hex8(static_cast<uint32_t>(hi >> 32), digits);
  put_hex8(static_cast<uint32_t>(hi), digits + 8);
  put_hex8(static_cast<uint32_t>(lo >> 32), digits + 16);
  put_hex8(static_cast<uint32_t>(lo), digits + 24);
  std::string result(36, '-');
  auto out = result.data();
  std::memcpy(out, digits, 8);
  std::memcpy(out + 9, digits + 8, 4);
  std::memcpy(out + 14, digits + 12, 4);
  std::memcpy(out + 19, digits + 16, 4);
  std::memcpy(out + 24, digits + 20, 12);
  return result;
}

std::string make_uuid() {
  uint64_t hi = detail::secure_random_u64();
  uint64_t lo = detail::secure_random_u64();
  hi = (hi & 0xFFFFFFFFFFFF0FFFull) | 0x0000000000004000ull; // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFull) | 0x8000000000000000ull; // variant 1
  return detail::uuid_text(hi, lo);
}

std::string to_string(const channel_message& x) {
  json out = json::object();
  out["id"] = x.id();
  out["timestamp"] = x.timestamp();
  out["sender_id"] = x.sender_id();
  if (x.content().is_error()) {
    out["content"] = to_string(x.content());
  } else {
    out["content"] = x.content().data();
  }
  if (!x.metadata().empty())
    out["metadata"] = x.metadata();
  if (x.correlation_id())
    out["correlation_id"] = *x.correlation_id();
  if (x.reply_to())
    out["reply_to"] = *x.reply_to();
  if (x.recipient_id())
    out["recipient_id"] = *x.recipient_id();
  if (auto d = x.deadline())
    out["deadline"] = *d;
  if (auto err = x.validate())
    out["invalid"] = error_message(err);
  return out.dump(-1, ' ', false, json::error_handler_t::replace);
}

} // namespace sssn
