// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/detail/wire.hpp"

#include <cmath>
#include <cstring>
#include <memory>
#include <utility>

#include <caf/atom.hpp>

#include "sssn/channel_message.hpp"
#include "sssn/error.hpp"
#include "sssn/refusals.hpp"

#include "format_size.hpp"
#include "message_data.hpp"

namespace sssn::detail {

namespace {

uint64_t to_bits(double x) noexcept {
  uint64_t result;
  static_assert(sizeof(result) == sizeof(x));
  std::memcpy(&result, &x, sizeof(x));
  return result;
}

uint64_t zigzag(int64_t x) noexcept {
  return (static_cast<uint64_t>(x) << 1) ^ (x < 0 ? ~uint64_t{0} : 0);
}

// Writes the tagged form of every value the walker visits.
struct value_encoder {
  wire_writer& out;
  size_t max_elements;
  size_t elements = 0;

  void tag(wire_tag x) {
    out.u8(static_cast<uint8_t>(x));
  }

  bool value(const json& x, const json_walker& w) {
    if (++elements > max_elements)
      return false;
    if (w.in_object())
      out.str(w.key());
    switch (x.type()) {
      case json::value_t::null:
        tag(wire_tag::null_value);
        break;
      case json::value_t::boolean:
        tag(x.get<bool>() ? wire_tag::true_value : wire_tag::false_value);
        break;
      case json::value_t::number_integer:
        tag(wire_tag::int_value);
        out.i64(x.get<json::number_integer_t>());
        break;
      case json::value_t::number_unsigned:
        tag(wire_tag::uint_value);
        out.varint(x.get<json::number_unsigned_t>());
        break;
      case json::value_t::number_float:
        tag(wire_tag::double_value);
        // check_json ran before: the number is finite
        static_cast<void>(out.f64(x.get<double>()));
        break;
      case json::value_t::string:
        tag(wire_tag::string_value);
        out.str(x.get_ref<const std::string&>());
        break;
      case json::value_t::array:
        tag(wire_tag::array_value);
        out.varint(x.size());
        break;
      case json::value_t::object:
        tag(wire_tag::object_value);
        out.varint(x.size());
        break;
      default:
        // binary and discarded values: refused by check_json before
        tag(wire_tag::null_value);
        break;
    }
    return true;
  }

  void end(const json&) {
    // nop
  }
};

} // namespace

// -- wire_writer --------------------------------------------------------------

wire_writer::wire_writer(std::vector<char>& buf, const content_limits& limits)
  : buf_(buf), limits_(limits) {
  // nop
}

void wire_writer::u8(uint8_t x) {
  buf_.push_back(static_cast<char>(x));
}

void wire_writer::varint(uint64_t x) {
  while (x >= 0x80) {
    buf_.push_back(static_cast<char>((x & 0x7F) | 0x80));
    x >>= 7;
  }
  buf_.push_back(static_cast<char>(x));
}

void wire_writer::i64(int64_t x) {
  varint(zigzag(x));
}

caf::error wire_writer::f64(double x) {
  if (!std::isfinite(x))
    return make_error(ec::invalid_content,
                      "cannot encode a non-finite number");
  auto bits = to_bits(x);
  for (int i = 0; i < 8; ++i)
    buf_.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
  return {};
}

void wire_writer::str(std::string_view x) {
  varint(x.size());
  buf_.insert(buf_.end(), x.begin(), x.end());
}

namespace {

/// Takes back what was written to `buf` since `start` if it is more than
/// `max_bytes`, saying so.
caf::error cut_oversize(std::vector<char>& buf, size_t start,
                        size_t max_bytes) {
  auto size = buf.size() - start;
  if (size <= max_bytes)
    return {};
  buf.resize(start);
  return make_content_error({}, "content of " + std::to_string(size)
                                  + " bytes exceeds the "
                                  + format_size(max_bytes) + " limit");
}

} // namespace

caf::error wire_writer::value(const json& x) {
  if (auto err = check_json(x, limits_.max_depth))
    return err;
  auto start = buf_.size();
  value_encoder f{*this, limits_.max_elements};
  json_walker w;
  if (!w.run(x, f)) {
    buf_.resize(start);
    return make_content_error({}, "content has more than "
                                    + std::to_string(limits_.max_elements)
                                    + " values");
  }
  return cut_oversize(buf_, start, limits_.max_bytes);
}

caf::error wire_writer::content(const sssn::content& x) {
  auto start = buf_.size();
  switch (x.kind()) {
    case content_kind::generic:
      u8(static_cast<uint8_t>(content_kind::generic));
      break;
    case content_kind::typed:
      if (!valid_utf8(x.type_name()))
        return make_content_error({}, "content has invalid UTF-8 in its "
                                      "type name");
      u8(static_cast<uint8_t>(content_kind::typed));
      str(x.type_name());
      break;
    case content_kind::error: {
      auto err = x.error();
      u8(static_cast<uint8_t>(content_kind::error));
      u8(err.code());
      str(caf::to_string(err.category()));
      str(error_message(err));
      str(error_field(err));
      break;
    }
  }
  if (x.kind() != content_kind::error) {
    if (auto err = value(x.data())) {
      buf_.resize(start);
      return err;
    }
  }
  return cut_oversize(buf_, start, limits_.max_bytes);
}

} // namespace sssn::detail

namespace sssn {

namespace {

/// Refuses (and removes) an encoding that the reader would refuse as too
/// large: the limits apply to the whole input.
caf::error check_size(std::vector<char>& out, size_t start,
                      const std::string& what) {
  auto size = out.size() - start;
  if (size <= content_limits{}.max_bytes)
    return {};
  out.resize(start);
  return make_error(ec::invalid_content,
                    what + " encodes to " + std::to_string(size)
                      + " bytes, more than the "
                      + std::to_string(content_limits{}.max_bytes)
                      + " bytes a peer accepts");
}

enum flag : uint8_t {
  has_timestamp_flag = 0x01,
  has_correlation_flag = 0x02,
  has_reply_to_flag = 0x04,
  has_recipient_flag = 0x08,
  has_deadline_flag = 0x10,
};

} // namespace

// -- channel_message on the wire ----------------------------------------------------

caf::error channel_message::encode(std::vector<char>& out) const {
  auto& d = *data_;
  auto start = out.size();
  detail::wire_writer w{out};
  w.u8(wire_version);
  w.str(d.id);
  uint8_t flags = 0;
  if (d.has_timestamp)
    flags |= has_timestamp_flag;
  if (d.correlation_id)
    flags |= has_correlation_flag;
  if (d.reply_to)
    flags |= has_reply_to_flag;
  if (d.recipient_id)
    flags |= has_recipient_flag;
  if (d.deadline_ns)
    flags |= has_deadline_flag;
  w.u8(flags);
  w.i64(d.timestamp_ns);
  w.str(d.sender_id);
  if (auto err = w.content(d.body)) {
    out.resize(start);
    return err;
  }
  if (auto err = w.value(d.metadata_or_empty())) {
    out.resize(start);
    return err;
  }
  if (d.correlation_id)
    w.str(*d.correlation_id);
  if (d.reply_to)
    w.str(*d.reply_to);
  if (d.recipient_id)
    w.str(*d.recipient_id);
  if (d.deadline_ns)
    w.i64(*d.deadline_ns);
  return check_size(out, start, "message '" + d.id + "'");
}

channel_message channel_message::decode(const char* bytes, size_t size) {
  auto d = std::make_shared<data>();
  auto fail = [&](caf::error err) {
    detail::count_undecodable();
    auto bad = std::make_shared<data>();
    bad->id = d->id;
    bad->sender_id = d->sender_id;
    bad->decode_error = std::move(err);
    return channel_message{std::move(bad)};
  };
  detail::wire_reader r{bytes, size, content_limits{}, "message"};
  uint8_t version = 0;
  if (auto err = r.u8(version))
    return fail(std::move(err));
  if (version != wire_version)
    return fail(make_error(ec::incompatible_version,
                           "message of wire version " + std::to_string(version)
                             + " refused; this node speaks version "
                             + std::to_string(wire_version)));
  uint8_t flags = 0;
  auto opt_str = [&](uint8_t bit, std::optional<std::string>& out) {
    if ((flags & bit) == 0)
      return caf::error{};
    std::string tmp;
    if (auto err = r.str(tmp))
      return err;
    out = std::move(tmp);
    return caf::error{};
  };
  caf::error err;
  if ((err = r.str(d->id)) || (err = r.u8(flags))
      || (err = r.i64(d->timestamp_ns)) || (err = r.str(d->sender_id))
      || (err = r.content(d->body)) || (err = r.value(d->metadata))
      || (err = opt_str(has_correlation_flag, d->correlation_id))
      || (err = opt_str(has_reply_to_flag, d->reply_to))
      || (err = opt_str(has_recipient_flag, d->recipient_id)))
    return fail(std::move(err));
  d->set_metadata(std::move(d->metadata));
  if (flags & has_deadline_flag) {
    int64_t deadline = 0;
    if ((err = r.i64(deadline)))
      return fail(std::move(err));
    d->deadline_ns = deadline;
  }
  d->has_timestamp = (flags & has_timestamp_flag) != 0;
  if ((err = r.finish()))
    return fail(std::move(err));
  return channel_message{std::move(d)};
}

// -- content on the wire -----------------------------------------------------------

namespace detail {

caf::error encode_content(const content& x, std::vector<char>& out) {
  auto start = out.size();
  wire_writer w{out};
  w.u8(wire_version);
  if (auto err = w.content(x)) {
    out.resize(start);
    return err;
  }
  return check_size(out, start, "content");
}

content decode_content(const char* bytes, size_t size) {
  auto fail = [](const caf::error& err) {
    count_undecodable();
    return content::from_error(err);
  };
  wire_reader r{bytes, size, content_limits{}, "content"};
  uint8_t version = 0;
  if (auto err = r.u8(version))
    return fail(err);
  if (version != wire_version)
    return fail(
      make_error(ec::incompatible_version,
                 "content of wire version " + std::to_string(version)
                   + " refused; this node speaks version "
                   + std::to_string(wire_version)));
  content result;
  if (auto err = r.content(result))
    return fail(err);
  if (auto err = r.finish())
    return fail(err);
  return result;
}

} // namespace detail

} // namespace sssn
