#include "detail/channel/auth_sessions.hpp"

#include <algorithm>
#include <chrono>

#include "sssn/error.hpp"

namespace sssn::detail {

namespace {

caf::error refusal(std::string what) {
  return make_error(ec::not_authorized, "not authorized: " + std::move(what));
}

} // namespace

auth_sessions::auth_sessions(std::string channel_id, size_t max_sessions,
                             size_t max_per_subject)
  : channel_id_(std::move(channel_id)),
    max_sessions_(max_sessions),
    max_per_subject_(std::max<size_t>(1, max_per_subject)) {
  // nop
}

void auth_sessions::erase(std::map<session_key, auth_session>::iterator i) {
  auto peers = by_subject_.find(i->first.subject);
  if (peers != by_subject_.end()) {
    auto& v = peers->second;
    v.erase(std::remove(v.begin(), v.end(), i->first.peer), v.end());
    if (v.empty())
      by_subject_.erase(peers);
  }
  sessions_.erase(i);
}

// -- the secret ---------------------------------------------------------------

const std::string& auth_sessions::load_secret(const std::string& path) {
  enabled_ = true;
  if (auto secret = sssn::load_secret(path)) {
    secret_ = std::move(*secret);
    problem_.clear();
  } else {
    secret_.clear();
    problem_ = error_message(secret.error());
  }
  return problem_;
}

void auth_sessions::use_secret(std::string secret) {
  enabled_ = true;
  secret_ = std::move(secret);
  problem_.clear();
}

std::optional<caf::error> auth_sessions::no_secret() const {
  if (!secret_.empty())
    return std::nullopt;
  return refusal(describe() + " cannot check tokens: "
                 + (problem_.empty()
                      ? std::string{"no token secret is configured"}
                      : problem_));
}

// -- sessions -----------------------------------------------------------------

auth_result auth_sessions::authenticate(const caf::node_id& peer,
                                        const std::string& token,
                                        int64_t unix_now, time_point now) {
  auth_result result;
  if (auto err = no_secret()) {
    result.refused = std::move(*err);
    return result;
  }
  if (!peer) {
    result.refused = refusal("an anonymous message cannot authenticate on "
                             + describe());
    return result;
  }
  auto claims = verify_token(secret_, token, unix_now);
  if (!claims) {
    result.refused = make_error(ec::not_authorized,
                                error_message(claims.error()) + " (on "
                                  + describe() + ")");
    return result;
  }
  if (!claims->covers(channel_id_)) {
    result.refused = refusal("the token of '" + claims->subject
                             + "' does not name " + describe());
    return result;
  }
  session_key key{peer, claims->subject};
  auto is_new = sessions_.count(key) == 0;
  // A subject at its bound gives up its oldest session: one principal can
  // crowd out only itself.
  if (is_new && count(key.subject) >= max_per_subject_) {
    auto oldest = session_key{by_subject_[key.subject].front(), key.subject};
    erase(sessions_.find(oldest));
    result.ended.push_back(std::move(oldest));
  }
  if (is_new && sessions_.size() >= max_sessions_) {
    for (auto& k : expire(unix_now))
      result.ended.push_back(std::move(k));
    if (sessions_.size() >= max_sessions_) {
      result.refused = make_error(ec::overloaded,
                                  describe() + " has "
                                    + std::to_string(max_sessions_)
                                    + " token sessions open; '"
                                    + claims->subject
                                    + "' cannot open another");
      return result;
    }
  }
  auto left = claims->expires_at - unix_now;
  result.expires = now + std::chrono::seconds{left};
  if (is_new)
    by_subject_[key.subject].push_back(key.peer);
  sessions_[std::move(key)] = auth_session{std::move(*claims), result.expires};
  return result;
}

caf::expected<role> auth_sessions::role_of(const session_key& key,
                                           const char* what,
                                           int64_t unix_now) {
  if (auto err = no_secret())
    return std::move(*err);
  if (!key.peer)
    return refusal("an anonymous message may not " + std::string{what} + " "
                   + describe() + " (tokens are required)");
  auto i = sessions_.find(key);
  if (i == sessions_.end())
    return refusal("'" + key.subject + "' presented no token to "
                   + describe() + " from this peer; it may not " + what
                   + " it");
  if (i->second.claims.expires_at <= unix_now) {
    erase(i);
    return refusal("the token of '" + key.subject + "' on " + describe()
                   + " has expired");
  }
  return i->second.claims.granted;
}

bool auth_sessions::grants(const session_key& key, role required,
                           int64_t unix_now) const {
  auto i = sessions_.find(key);
  return i != sessions_.end() && i->second.claims.expires_at > unix_now
         && i->second.claims.granted >= required;
}

std::vector<session_key> auth_sessions::expire(int64_t unix_now) {
  std::vector<session_key> result;
  for (auto i = sessions_.begin(); i != sessions_.end();) {
    if (i->second.claims.expires_at > unix_now) {
      ++i;
      continue;
    }
    result.push_back(i->first);
    erase(i++);
  }
  return result;
}

std::optional<auth_sessions::time_point> auth_sessions::next_expiry() const {
  std::optional<time_point> result;
  for (auto& kvp : sessions_)
    if (!result || kvp.second.expires < *result)
      result = kvp.second.expires;
  return result;
}

} // namespace sssn::detail
