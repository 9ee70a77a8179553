// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <caf/error.hpp>

#include "sssn/channel_message.hpp"

#include "detail/check_memo.hpp"

namespace sssn {

namespace detail {

/// An empty JSON object, made once.
const json& empty_object();

/// The UUID text of the 128 bits `hi`, `lo` (8-4-4-4-12 lowercase hex
/// digits, `hi` first), as `make_uuid` writes it.
std::string uuid_text(uint64_t hi, uint64_t lo);

} // namespace detail

// The representation of a message, shared by its fields and builder
// (channel_message.cpp) and its wire form (detail/wire.cpp).
struct channel_message::data {
  std::string id;
  int64_t timestamp_ns = 0;
  bool has_timestamp = false;
  std::string sender_id;
  sssn::content body;
  /// The metadata as given; unset (null, no allocation) until the builder or
  /// the wire gives a non-empty one. Read it with `metadata_or_empty`.
  json metadata;
  bool metadata_given = false;
  std::optional<std::string> correlation_id;
  std::optional<std::string> reply_to;
  std::optional<std::string> recipient_id;
  std::optional<int64_t> deadline_ns;
  /// Set when the message arrived malformed.
  caf::error decode_error;
  /// Set once `validate` passed (see check_memo).
  detail::check_memo valid;

  /// The metadata that `channel_message::metadata()` shows: an empty object
  /// when none was given.
  const json& metadata_or_empty() const {
    return metadata_given ? metadata : detail::empty_object();
  }

  /// Sets the metadata; an empty object is kept as none given.
  void set_metadata(json x) {
    metadata_given = !(x.is_object() && x.empty());
    metadata = metadata_given ? std::move(x) : json{};
  }
};

} // namespace sssn
