// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "detail/channel/token_checks.hpp"

#include <algorithm>
#include <chrono>

#include "sssn/error.hpp"

namespace sssn::detail {

namespace {

caf::error refusal(std::string what) {
  return make_error(ec::not_authorized, "not authorized: " + std::move(what));
}

} // namespace

token_checks::token_checks(std::string channel_id, size_t max_cached)
  : channel_id_(std::move(channel_id)),
    max_cached_(std::max<size_t>(1, max_cached)) {
  // nop
}

// -- the secret ---------------------------------------------------------------

const std::string& token_checks::load_secret(const std::string& path) {
  enabled_ = true;
  cache_.clear();
  if (auto secret = sssn::load_secret(path)) {
    secret_ = std::move(*secret);
    problem_.clear();
  } else {
    secret_.clear();
    problem_ = error_message(secret.error());
  }
  return problem_;
}

void token_checks::use_secret(std::string secret) {
  enabled_ = true;
  cache_.clear();
  secret_ = std::move(secret);
  problem_.clear();
}

std::optional<caf::error> token_checks::no_secret() const {
  if (!secret_.empty())
    return std::nullopt;
  return refusal(describe() + " cannot check tokens: "
                 + (problem_.empty()
                      ? std::string{"no token secret is configured"}
                      : problem_));
}

// -- checks -------------------------------------------------------------------

caf::expected<const token_claims*>
token_checks::check(const std::string& token, int64_t unix_now) {
  if (auto err = no_secret())
    return std::move(*err);
  if (auto i = cache_.find(token); i != cache_.end()) {
    if (i->second.expires_at > unix_now)
      return &i->second;
    cache_.erase(i);
  }
  auto claims = verify_token(secret_, token, unix_now);
  if (!claims)
    return make_error(ec::not_authorized, error_message(claims.error())
                                            + " (on " + describe() + ")");
  if (!claims->covers(channel_id_))
    return refusal("the token of '" + claims->subject + "' does not name "
                   + describe());
  if (cache_.size() >= max_cached_) {
    for (auto i = cache_.begin(); i != cache_.end();)
      i = i->second.expires_at <= unix_now ? cache_.erase(i) : std::next(i);
    if (cache_.size() >= max_cached_)
      cache_.erase(cache_.begin());
  }
  return &cache_.insert_or_assign(token, std::move(*claims)).first->second;
}

caf::expected<role> token_checks::role_of(const std::string& token,
                                          const std::string& principal,
                                          const char* what,
                                          int64_t unix_now) {
  if (auto err = no_secret())
    return std::move(*err);
  if (token.empty())
    return refusal("'" + principal + "' presented no token to " + describe()
                   + "; it may not " + what
                   + " it (present one with channel::authenticate first)");
  auto claims = check(token, unix_now);
  if (!claims)
    return std::move(claims.error());
  if ((*claims)->subject != principal)
    return refusal("the token presented as '" + principal + "' on "
                   + describe() + " is for '" + (*claims)->subject + "'");
  return (*claims)->granted;
}

bool token_checks::grants(const std::string& token,
                          const std::string& principal, role required,
                          int64_t unix_now) {
  auto res = role_of(token, principal, "use", unix_now);
  return res && *res >= required;
}

// -- what tokens made ---------------------------------------------------------

void token_checks::bind(const std::string& subject, caf::actor_addr holder,
                        const token_claims& claims, int64_t unix_now,
                        time_point now) {
  auto left = std::chrono::seconds{claims.expires_at - unix_now};
  bindings_.insert_or_assign(subject, token_binding{std::move(holder),
                                                    claims.expires_at,
                                                    now + left});
}

void token_checks::renew(const token_claims& claims, int64_t unix_now,
                         time_point now) {
  auto i = bindings_.find(claims.subject);
  if (i == bindings_.end() || i->second.expires_at >= claims.expires_at)
    return;
  i->second.expires_at = claims.expires_at;
  i->second.expires = now + std::chrono::seconds{claims.expires_at - unix_now};
}

std::vector<std::pair<std::string, token_binding>>
token_checks::expire(int64_t unix_now) {
  std::vector<std::pair<std::string, token_binding>> result;
  for (auto i = bindings_.begin(); i != bindings_.end();) {
    if (i->second.expires_at > unix_now) {
      ++i;
      continue;
    }
    result.emplace_back(i->first, std::move(i->second));
    i = bindings_.erase(i);
  }
  return result;
}

std::optional<token_checks::time_point> token_checks::next_expiry() const {
  std::optional<time_point> result;
  for (auto& kvp : bindings_)
    if (!result || kvp.second.expires < *result)
      result = kvp.second.expires;
  return result;
}

} // namespace sssn::detail
