// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <caf/detail/stringification_inspector.hpp>
#include <caf/error.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/none.hpp>

#include "sssn/content.hpp"
#include "sssn/detail/inspect.hpp"
#include "sssn/detail/wire.hpp"
#include "sssn/export.hpp"
#include "sssn/fwd.hpp"

namespace sssn {

/// Version of the wire form of `channel_message`. A node refuses messages of
/// another version with `ec::incompatible_version`.
inline constexpr uint8_t wire_version = 1;

/// A message stored in a channel: SSSN's `ChannelMessage`. Immutable once
/// built; copies share one representation, so passing messages between actors
/// costs no deep copy.
///
/// Build one with `channel_message::builder`, or let `channel::write` wrap
/// plain data into a new message.
class SSSN_ACTORS_EXPORT channel_message {
public:
  class builder;

  /// Creates an empty message (no id, null content). Channels refuse it.
  channel_message();

  // -- fields (see docs/channels.md) ------------------------------------------

  /// Stable unique id (UUID text unless the writer gave one).
  const std::string& id() const;

  /// Unix time in seconds at which the message was written.
  double timestamp() const;

  /// Unix time in nanoseconds at which the message was written.
  int64_t timestamp_ns() const;

  /// Who wrote the message.
  const std::string& sender_id() const;

  /// The payload.
  const sssn::content& content() const;

  /// String-keyed JSON-like metadata (a JSON object, empty by default).
  const json& metadata() const;

  /// Threads a reply to its request.
  const std::optional<std::string>& correlation_id() const;

  /// Id of the channel where replies go.
  const std::optional<std::string>& reply_to() const;

  /// Mailbox targeting.
  const std::optional<std::string>& recipient_id() const;

  /// Unix time in seconds after which nobody waits for this request.
  std::optional<double> deadline() const;

  /// Unix time in nanoseconds after which nobody waits for this request.
  const std::optional<int64_t>& deadline_ns() const;

  // -- validity ---------------------------------------------------------------

  /// Returns why this message cannot be accepted: it arrived malformed or
  /// from a peer of another wire version, has no id or no sender, or its
  /// content would not survive the wire. Empty when the message is fine.
  caf::error validate() const;

  // -- wire form ----------------------------------------------------------------

  /// Encodes the message into our own versioned binary form.
  caf::error encode(std::vector<char>& out) const;

  /// Decodes a message from bytes made by `encode`. Never fails: a malformed
  /// input gives a message whose `validate()` says what was wrong.
  static channel_message decode(const char* data, size_t size);

  /// Returns a copy with the timestamp set; used by channels to stamp a
  /// message that was built without one.
  channel_message with_timestamp(int64_t unix_ns) const&;

  /// As above, for a message given up by its holder: when no other handle
  /// shares its representation, that representation is stamped in place
  /// instead of copied (nobody can observe the change).
  channel_message with_timestamp(int64_t unix_ns) &&;

  /// Returns whether the writer left the timestamp unset.
  bool has_timestamp() const;

  friend SSSN_ACTORS_EXPORT bool operator==(const channel_message& x,
                                            const channel_message& y);

  friend bool operator!=(const channel_message& x, const channel_message& y) {
    return !(x == y);
  }

  /// @private
  struct data;

private:
  explicit channel_message(std::shared_ptr<const data> ptr);

  std::shared_ptr<const data> data_;
};

/// Builds a `channel_message`, field by field.
class SSSN_ACTORS_EXPORT channel_message::builder {
public:
  builder();

  builder& id(std::string x);
  builder& timestamp(double unix_seconds);
  builder& timestamp_ns(int64_t unix_ns);
  builder& sender_id(std::string x);
  builder& content(sssn::content x);
  builder& metadata(json object);
  builder& correlation_id(std::string x);
  builder& reply_to(std::string x);
  builder& recipient_id(std::string x);
  builder& deadline(double unix_seconds);
  builder& deadline_ns(int64_t unix_ns);

  /// Finishes the message. Without an id, it gets a fresh UUID; without a
  /// timestamp, the channel stamps it when it is written.
  channel_message build();

private:
  data* fresh();

  std::shared_ptr<data> data_;
};

/// Returns a new random (version 4) UUID in its text form.
SSSN_ACTORS_EXPORT std::string make_uuid();

/// Renders a message as one line of JSON text.
SSSN_ACTORS_EXPORT std::string to_string(const channel_message& x);

namespace detail {

/// Converts Unix seconds to nanoseconds without losing precision (whole and
/// fractional seconds apart); non-finite input gives 0, far times clamp.
SSSN_ACTORS_EXPORT int64_t seconds_to_ns(double secs);

/// Converts Unix nanoseconds to the seconds that `timestamp()` and
/// `deadline()` return.
SSSN_ACTORS_EXPORT double ns_to_seconds(int64_t ns);

/// Returns the first nanosecond whose reading in seconds (`ns_to_seconds`)
/// is not below `secs`: a time in nanoseconds is before `secs` exactly when
/// its reading is, so `evict(before = m.timestamp())` never counts `m`
/// itself as older than itself (`seconds_to_ns` rounds to the nearest
/// nanosecond, up to about 120 ns either side at today's times).
SSSN_ACTORS_EXPORT int64_t first_ns_not_before(double secs);

} // namespace detail

/// Makes `content` a CAF message type: it crosses nodes in our own encoding,
/// never as a CAF-decoded recursive value.
/// @relates content
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, content& x) {
  if constexpr (std::is_same<Inspector,
                             caf::detail::stringification_inspector>::value) {
    auto str = to_string(x);
    return f(caf::meta::type_name("sssn::content"), str);
  } else if constexpr (Inspector::reads_state) {
    std::vector<char> blob;
    if (auto err = detail::encode_content(x, blob))
      return err;
    return f(caf::meta::type_name("sssn::content"), blob);
  } else {
    std::vector<char> blob;
    if (auto err = detail::load_blob(f, blob))
      return err;
    x = detail::decode_content(blob.data(), blob.size());
    return caf::none;
  }
}

/// @relates channel_message
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, channel_message& x) {
  if constexpr (std::is_same<Inspector,
                             caf::detail::stringification_inspector>::value) {
    auto str = to_string(x);
    return f(caf::meta::type_name("sssn::channel_message"), str);
  } else if constexpr (Inspector::reads_state) {
    std::vector<char> blob;
    if (auto err = x.encode(blob))
      return err;
    return f(caf::meta::type_name("sssn::channel_message"), blob);
  } else {
    // CAF resizes a byte vector to whatever length a peer claims before it
    // checks the remaining input; read the blob by hand so that a hostile
    // length is refused instead of allocated.
    std::vector<char> blob;
    if (auto err = detail::load_blob(f, blob))
      return err;
    x = channel_message::decode(blob.data(), blob.size());
    return caf::none;
  }
}

} // namespace sssn
