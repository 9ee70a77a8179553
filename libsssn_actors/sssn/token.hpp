// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/expected.hpp>

#include "sssn/access_policy.hpp"
#include "sssn/export.hpp"

/// Access tokens for operations that cross nodes: JSON Web Tokens (RFC 7519)
/// signed with HMAC-SHA256 (`"alg": "HS256"`), the only algorithm accepted.
///
/// A node that names a secret file (`sssn.auth-secret-file` in the actor
/// system's configuration, or `channel_config::auth_secret_file`) makes its
/// channels demand a token from every remote peer: the peer presents it to a
/// channel with `channel::authenticate`, and from then on this library sends
/// it along with each operation of that peer's process that names the
/// token's subject as its `sender_id`, reader id or system id on that
/// channel, which checks it every time (signature, channel, role, expiry).
/// Nothing a peer can write into CAF's wire format (node or actor ids) stands
/// in for it. See docs/security.md.
namespace sssn {

/// Name of the configuration option that holds the path of the secret file.
/// (An array, not a `const char*`: built with clang, CAF 0.17's
/// `caf::string_view` converts only from arrays and strings.)
inline constexpr char auth_secret_file_option[] = "sssn.auth-secret-file";

/// Shortest secret accepted, in bytes (RFC 7518 asks for at least the hash
/// size for HS256).
inline constexpr size_t min_secret_size = 32;

/// Longest token accepted, in bytes.
inline constexpr size_t max_token_size = 8192;

/// What a token grants.
struct SSSN_ACTORS_EXPORT token_claims {
  /// Who the token is for (`"sub"`): the only `sender_id`, reader id or
  /// system id the token allows.
  std::string subject;

  /// Channel ids the token is good for (`"channels"`); `"*"` means every
  /// channel of the node.
  std::vector<std::string> channels;

  /// The most the subject may do (`"role"`: `"read"`, `"write"` or
  /// `"admin"`); the channel's own policy may allow less.
  role granted = role::read;

  /// Expiry (`"exp"`), seconds since the Unix epoch. A token from another
  /// tool may carry a fractional NumericDate (RFC 7519): it is rounded down
  /// here, so the token ends less than a second early, never late.
  int64_t expires_at = 0;

  /// Issue time (`"iat"`), seconds since the Unix epoch (rounded down).
  int64_t issued_at = 0;

  /// Returns whether the token names `channel_id` (or `"*"`).
  bool covers(const std::string& channel_id) const;
};

/// Reads a secret from `path`: the file's bytes without one trailing
/// newline. Fails when the file cannot be read or the secret is shorter
/// than `min_secret_size`.
SSSN_ACTORS_EXPORT caf::expected<std::string>
load_secret(const std::string& path);

/// Issues a signed token for `claims`. Fails on an empty subject, no
/// channels, a role of `none`, or a secret shorter than `min_secret_size`.
SSSN_ACTORS_EXPORT caf::expected<std::string>
issue_token(const std::string& secret, const token_claims& claims);

/// Checks `token`'s form and signature against `secret` and its expiry
/// (and `nbf`, when present) against `now` (seconds since the Unix epoch).
/// `exp`, `nbf` and `iat` are NumericDates: integers or fractional numbers
/// from 0 to 9999-12-31 (a fractional `exp` counts as the second before,
/// a fractional `nbf` as the second after). Every failure is an
/// `ec::not_authorized` error saying what was wrong (malformed, forged,
/// expired, a date that is not a number or out of range, or "unsupported
/// algorithm 'HS512' (only HS256)" for a token signed otherwise).
SSSN_ACTORS_EXPORT caf::expected<token_claims>
verify_token(const std::string& secret, const std::string& token, int64_t now);

/// What a client can read from a token it holds, without the secret.
struct token_label {
  /// `"sub"`.
  std::string subject;
  /// `"exp"`, seconds since the Unix epoch.
  int64_t expires_at = 0;
};

/// Reads whom `token` names and until when, checking nothing else: no
/// signature, no role, no channel. For a client that keeps its own tokens
/// (to know which principal a token goes with); never for a decision.
SSSN_ACTORS_EXPORT caf::expected<token_label>
peek_token(const std::string& token);

/// Returns the current time in seconds since the Unix epoch.
SSSN_ACTORS_EXPORT int64_t unix_now();

} // namespace sssn
