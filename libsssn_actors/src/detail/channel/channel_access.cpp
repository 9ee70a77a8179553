// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Who asks a channel (see channel_state.hpp): principals, roles and tokens.
// Split from channel_actor.cpp, which keeps the behaviour and what depends on
// the actor's peers.

#include <algorithm>
#include <string>

#include "detail/channel/channel_state.hpp"
#include "detail/sender_origin.hpp"
#include "sssn/detail/json_util.hpp"
#include "sssn/error.hpp"
#include "sssn/log.hpp"
#include "sssn/detail/token_proof.hpp"
#include "sssn/token.hpp"

namespace sssn::detail {

// -- who asks: principals, roles and tokens -----------------------------------

caf::error channel_state::refuse(caf::error err) {
  ++stats_.refused;
  if (is(err, ec::not_authorized))
    ++stats_.unauthorized;
  if (is(err, ec::overloaded))
    ++stats_.overloaded;
  if (log_enabled(log_level::debug))
    log(log_level::debug, name, error_message(err));
  return err;
}

caf::error channel_state::check_principal(const std::string& principal,
                                          const char* what) {
  if (principal.empty())
    return refuse(make_error(ec::invalid_argument,
                             std::string{"empty "} + what + " on "
                               + describe()));
  if (!valid_utf8(principal))
    return refuse(make_error(ec::invalid_argument,
                             std::string{what} + " '"
                               + sanitize_utf8(principal) + "' on "
                               + describe() + " is not valid UTF-8"));
  return {};
}

caf::error channel_state::check_access(const std::string& principal,
                                       const char* kind, role required,
                                       const char* what) {
  // The usual case without making (and destroying) an empty error.
  if (principal.empty() || !valid_utf8(principal))
    return check_principal(principal, kind);
  return check_role(principal, required, what);
}

caf::error channel_state::check_role(const std::string& principal,
                                     role required, const char* what) {
  auto granted = cfg_.policy.role_of(principal);
  if (token_checked()) {
    auto res = tokens_.role_of(proof_, principal, what, unix_now());
    if (!res)
      return refuse_token(std::move(res.error()));
    granted = std::min(granted, *res);
  }
  if (granted >= required)
    return {};
  return refuse(make_error(ec::not_authorized,
                           "not authorized: '" + principal + "' may not "
                             + what + " " + describe()));
}

void channel_state::take_proof(std::string& principal) {
  origin_.reset();
  auto pos = principal.find(proof_separator);
  if (pos == std::string::npos) {
    proof_.clear();
    return;
  }
  proof_.assign(principal, pos + 1, std::string::npos);
  principal.resize(pos);
}

sender_origin channel_state::origin() const {
  if (!origin_)
    origin_ = origin_of(self_->current_sender(), self_->system());
  return *origin_;
}

bool channel_state::token_checked() const {
  return (tokens_.enabled() || cfg_.policy.tokens_required())
         && (cfg_.policy.tokens_required() || origin() != sender_origin::local);
}

bool channel_state::token_grants(const std::string& principal,
                                 role required) {
  return !token_checked()
         || tokens_.grants(proof_, principal, required, unix_now());
}

void channel_state::bind_to_token(const std::string& principal,
                                  const caf::actor_addr& holder) {
  if (!token_checked() || proof_.empty()) {
    tokens_.unbind(principal);
    return;
  }
  auto claims = tokens_.check(proof_, unix_now());
  if (!claims)
    return; // checked a moment ago: cannot happen
  tokens_.bind(principal, holder, **claims, unix_now(), self_->clock().now());
  schedule_tick(*tokens_.next_expiry());
}

caf::error channel_state::refuse_token(caf::error err) {
  ++stats_.token_refusals;
  return refuse(std::move(err));
}

// -- tokens -------------------------------------------------------------------

caf::result<void> channel_state::authenticate(const std::string& token) {
  auto unix = unix_now();
  auto claims = tokens_.check(token, unix);
  if (!claims)
    return refuse_token(std::move(claims.error()));
  ++stats_.authentications;
  // A newer token of a subject keeps what its older one made.
  tokens_.renew(**claims, unix, self_->clock().now());
  if (auto t = tokens_.next_expiry())
    schedule_tick(*t);
  return caf::unit;
}

void channel_state::end_bound(
  const std::vector<std::pair<std::string, token_binding>>& ended) {
  for (auto& [subject, binding] : ended) {
    if (auto sub = fanout_.find(subject);
        sub && caf::actor_cast<caf::actor_addr>(sub->hdl) == binding.holder) {
      fanout_.unsubscribe(subject);
      ++stats_.expired_subscriptions;
    }
    if (auto m = group_.find(subject);
        m && caf::actor_cast<caf::actor_addr>(m->hdl) == binding.holder) {
      remove_member(subject);
      ++stats_.expired_subscriptions;
    }
    if (log_enabled(log_level::info))
      log(log_level::info, name,
          describe() + ": the token of '" + subject
            + "' expired; what it subscribed ended");
  }
  note_responders();
}

} // namespace sssn::detail
