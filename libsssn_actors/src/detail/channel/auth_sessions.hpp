#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include <caf/actor_clock.hpp>
#include <caf/error.hpp>
#include <caf/expected.hpp>
#include <caf/node_id.hpp>

#include "sssn/access_policy.hpp"
#include "sssn/token.hpp"

namespace sssn::detail {

/// Names a token session. Today: the peer's node and the token's subject
/// (the trust boundary issue replaces the node, which a peer can forge,
/// with a capability the peer presents).
struct session_key {
  caf::node_id peer;
  std::string subject;
};

inline bool operator<(const session_key& x, const session_key& y) {
  return std::tie(x.peer, x.subject) < std::tie(y.peer, y.subject);
}

/// What a peer proved with a token.
struct auth_session {
  token_claims claims;
  /// When the token expires, on the actor clock.
  caf::actor_clock::time_point expires;
};

/// What `auth_sessions::authenticate` did.
struct auth_result {
  /// Set: the token opened no session, for this reason (`not_authorized`,
  /// or `overloaded` when the table is full).
  caf::error refused;
  /// Sessions that ended to make room (expired ones, or the oldest session
  /// of a subject at its bound): the caller ends what they held.
  std::vector<session_key> ended;
  /// When the new session ends.
  caf::actor_clock::time_point expires{};
};

/// The token sessions of one channel: the HMAC secret that tokens must be
/// signed with, and per session key what its token grants until when.
/// Errors name the channel and say why; every error is `not_authorized`
/// unless it says otherwise.
class auth_sessions {
public:
  using time_point = caf::actor_clock::time_point;

  /// At most this many sessions by default: a session lasts until its token
  /// expires, even when its peer has gone (CAF 0.17 cannot monitor nodes),
  /// so the bound keeps a churn of peers from growing the table.
  static constexpr size_t default_max_sessions = 10'000;

  /// At most this many sessions per subject by default: a subject that
  /// opens one more (from another peer) ends its own oldest session, so
  /// that one token, presented from ever new peers, can never fill the
  /// table and lock the other subjects out.
  static constexpr size_t default_max_per_subject = 16;

  auth_sessions() = default;

  /// Sessions of the channel `channel_id`, at most `max_sessions` at once
  /// and `max_per_subject` per subject.
  explicit auth_sessions(std::string channel_id,
                         size_t max_sessions = default_max_sessions,
                         size_t max_per_subject = default_max_per_subject);

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

  // -- sessions ---------------------------------------------------------------

  /// Checks `token` (at Unix time `unix_now`, actor clock `now`) and opens,
  /// or renews, the session of its subject for `peer` (none: an anonymous
  /// message, refused). A subject at its bound gives up its oldest session
  /// for the new one (listed in `ended`); a full table first ends expired
  /// sessions, then refuses (`ec::overloaded`).
  auth_result authenticate(const caf::node_id& peer, const std::string& token,
                           int64_t unix_now, time_point now);

  /// The role that the session `key` grants, or why none: no secret, an
  /// anonymous peer, no session, or an expired one (which ends). `what`
  /// names the operation in errors ("write to").
  caf::expected<role> role_of(const session_key& key, const char* what,
                              int64_t unix_now);

  /// Returns whether the session `key` is valid and grants at least
  /// `required`.
  bool grants(const session_key& key, role required, int64_t unix_now) const;

  /// Ends every session whose token has expired; returns their keys.
  std::vector<session_key> expire(int64_t unix_now);

  /// When the next session ends, if any is open.
  std::optional<time_point> next_expiry() const;

  size_t size() const noexcept {
    return sessions_.size();
  }

  /// Sessions open now for `subject`.
  size_t count(const std::string& subject) const {
    auto i = by_subject_.find(subject);
    return i != by_subject_.end() ? i->second.size() : 0;
  }

  bool empty() const noexcept {
    return sessions_.empty();
  }

private:
  /// Why tokens cannot be checked, if so.
  std::optional<caf::error> no_secret() const;

  std::string describe() const {
    return "channel '" + channel_id_ + "'";
  }

  /// Erases the session `i` from both indexes.
  void erase(std::map<session_key, auth_session>::iterator i);

  std::string channel_id_;
  size_t max_sessions_ = default_max_sessions;
  size_t max_per_subject_ = default_max_per_subject;
  bool enabled_ = false;
  /// The HMAC secret of tokens; empty if none could be loaded.
  std::string secret_;
  /// Why the configured secret cannot be used (refuses every token).
  std::string problem_;
  std::map<session_key, auth_session> sessions_;
  /// The peers of each subject's sessions, oldest first.
  std::map<std::string, std::vector<caf::node_id>> by_subject_;
};

} // namespace sssn::detail
