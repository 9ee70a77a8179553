// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <caf/actor_addr.hpp>
#include <caf/actor_clock.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>

#include "sssn/access_policy.hpp"
#include "sssn/token.hpp"

namespace sssn::detail {

/// A subscription or group membership that a token made: it ends when the
/// token expires, unless a newer token of its subject renews it.
struct token_binding {
  /// The subscriber or member it holds.
  caf::actor_addr holder;
  /// When its token expires: Unix seconds and the actor clock.
  int64_t expires_at = 0;
  caf::actor_clock::time_point expires;
};

/// The tokens of one channel: the HMAC secret they must be signed with, the
/// check of the token that comes with an operation (every operation that
/// needs one brings its own, so nothing a peer writes into CAF's wire format
/// can borrow another's), a bounded cache of tokens already checked, and the
/// subscriptions that tokens made. Errors name the channel and say why;
/// every error is `ec::not_authorized`.
class token_checks {
public:
  using time_point = caf::actor_clock::time_point;

  /// At most this many checked tokens are cached: a token outside the cache
  /// costs one more signature check, nothing else.
  static constexpr size_t default_max_cached = 1024;

  token_checks() = default;

  explicit token_checks(std::string channel_id,
                        size_t max_cached = default_max_cached);

  // -- the secret -------------------------------------------------------------

  /// Turns tokens on with the secret in the file `path`. A secret that
  /// cannot be loaded fails closed: every token is refused, saying why
  /// (returned; empty: loaded).
  const std::string& load_secret(const std::string& path);

  /// Turns tokens on with `secret`.
  void use_secret(std::string secret);

  /// Returns whether tokens are on (a secret is configured, usable or not).
  bool enabled() const noexcept {
    return enabled_;
  }

  // -- checks -----------------------------------------------------------------

  /// Checks `token` for this channel at Unix time `unix_now`: signature,
  /// form, expiry and that it names the channel. The claims stay valid until
  /// the next call.
  caf::expected<const token_claims*> check(const std::string& token,
                                           int64_t unix_now);

  /// The role that `token` grants `principal`, or why none: no secret, no
  /// token, a bad one, or one for another subject. `what` names the
  /// operation in errors ("write to").
  caf::expected<role> role_of(const std::string& token,
                              const std::string& principal, const char* what,
                              int64_t unix_now);

  /// Returns whether `token` is valid for `principal` and grants at least
  /// `required`.
  bool grants(const std::string& token, const std::string& principal,
              role required, int64_t unix_now);

  /// Tokens in the cache.
  size_t cached() const noexcept {
    return cache_.size();
  }

  // -- what tokens made -------------------------------------------------------

  /// The subscription or membership of `subject`, held by `holder`, was
  /// made with `claims` (checked at actor-clock time `now`, Unix time
  /// `unix_now`): it ends when they expire.
  void bind(const std::string& subject, caf::actor_addr holder,
            const token_claims& claims, int64_t unix_now, time_point now);

  /// What `subject` holds is no longer bound to a token (ended, or made
  /// anew without one).
  void unbind(const std::string& subject) {
    bindings_.erase(subject);
  }

  /// A newer token of `claims.subject` renews what the subject holds.
  void renew(const token_claims& claims, int64_t unix_now, time_point now);

  /// Removes and returns the bindings whose token has expired.
  std::vector<std::pair<std::string, token_binding>> expire(int64_t unix_now);

  /// When the next binding ends, if any.
  std::optional<time_point> next_expiry() const;

  /// Subscriptions and memberships that tokens hold now.
  size_t bound() const noexcept {
    return bindings_.size();
  }

private:
  /// Why tokens cannot be checked, if so.
  std::optional<caf::error> no_secret() const;

  std::string describe() const {
    return "channel '" + channel_id_ + "'";
  }

  std::string channel_id_;
  size_t max_cached_ = default_max_cached;
  bool enabled_ = false;
  /// The HMAC secret of tokens; empty if none could be loaded.
  std::string secret_;
  /// Why the configured secret cannot be used (refuses every token).
  std::string problem_;
  /// Tokens that passed `check`, by their text.
  std::unordered_map<std::string, token_claims> cache_;
  /// What tokens made, by subject.
  std::map<std::string, token_binding> bindings_;
};

} // namespace sssn::detail
