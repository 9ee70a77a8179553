// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <string>

#include <caf/error.hpp>
#include <caf/fwd.hpp>
#include <caf/make_message.hpp>

#include "sssn/export.hpp"

namespace sssn {

/// Error codes for what CAF has no word for. Timeouts use
/// `caf::sec::request_timeout`; everything else of ours is one of these.
/// Every error made by the library carries a sentence in its context that
/// names the channel, the id involved and why (see `error_message`).
enum class ec : uint8_t {
  /// Not an error.
  none = 0,
  /// The channel was not started, or is draining or drained (a drained
  /// channel still serves reads; a stopped one is `channel_down`).
  not_accepting_writes = 1,
  /// The principal may not perform the operation on the channel.
  not_authorized,
  /// A message id was never stored, or was evicted beyond recall.
  unknown_message_id,
  /// A direct write reused the id of a message that is still stored.
  duplicate_message_id,
  /// A direct write's `sender_id` differs from the writer's id.
  sender_mismatch,
  /// Content does not have the required shape (names the field).
  invalid_content,
  /// A request went to a channel that has no push subscriber and no live
  /// responder group member, or the channel's last responder went while
  /// the request waited and none came back within the grace
  /// (`channel_config::no_responder_grace`).
  no_responders,
  /// A bound was reached (retention full of unhandled work, pending calls).
  overloaded,
  /// The channel's actor is gone, or its node is unreachable.
  channel_down,
  /// A peer sent a wire form of another version.
  incompatible_version,
  /// Acknowledge or nack of a message that this reader has not claimed.
  not_claimed,
  /// An argument or option is out of its documented range.
  invalid_argument,
  /// A responder's handler reported a failure (its message says why).
  request_failed,
};

/// Returns the name of `x`, e.g. `"channel_down"`.
SSSN_ACTORS_EXPORT std::string to_string(ec x);

/// The category atom of `sssn::ec` errors (`"sssn"`).
SSSN_ACTORS_EXPORT caf::atom_value error_category();

/// Makes an error of ours whose context is the sentence `what`.
SSSN_ACTORS_EXPORT caf::error make_error(ec code, std::string what);

/// Makes an `ec::invalid_content` error for `field` (a path such as `a` or
/// `items[2].name`); `what` is the whole sentence.
SSSN_ACTORS_EXPORT caf::error make_content_error(std::string field,
                                                 std::string what);

/// Returns the human-readable sentence of `err`: the text an error of ours
/// carries, a description of CAF's own `caf::sec` codes, or a generic
/// rendering for errors of other categories. Empty for no error.
SSSN_ACTORS_EXPORT std::string error_message(const caf::error& err);

/// Returns the field that failed validation, for `ec::invalid_content`
/// errors that name one; empty otherwise.
SSSN_ACTORS_EXPORT std::string error_field(const caf::error& err);

/// Returns whether `err` is the sssn error `code`.
SSSN_ACTORS_EXPORT bool is(const caf::error& err, ec code);

} // namespace sssn

CAF_ERROR_CODE_ENUM(sssn::ec, "sssn")
