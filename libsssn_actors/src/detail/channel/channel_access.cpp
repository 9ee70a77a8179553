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
  if (auto err = check_principal(principal, kind))
    return err;
  return check_role(principal, required, what);
}

caf::error channel_state::check_role(const std::string& principal,
                                     role required, const char* what) {
  auto granted = cfg_.policy.role_of(principal);
  if ((sessions_.enabled() || cfg_.policy.tokens_required())
      && needs_token()) {
    if (sender_is_reachable())
      return refuse_token(make_error(
        ec::not_authorized,
        "not authorized: '" + principal + "' may not " + what + " "
          + describe()
          + " from an actor of this process that peers can reach: a peer "
            "can forge such a sender, so its messages count as remote, and "
            "tokens it presented in-process are not lent to them"));
    auto res = sessions_.role_of(session_key{origin(), principal}, what,
                                 unix_now());
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

bool channel_state::needs_token() const {
  return cfg_.policy.tokens_required() || needs_token_from_outside();
}

bool channel_state::needs_token_from_outside() const {
  return origin_of(self_->current_sender(), self_->system())
         != sender_origin::local;
}

bool channel_state::sender_is_reachable() const {
  return origin_of(self_->current_sender(), self_->system())
         == sender_origin::reachable;
}

caf::node_id channel_state::origin() const {
  auto& src = self_->current_sender();
  // A sender that may be forged gets no node: no session is lent to it.
  if (!src || sender_is_reachable())
    return caf::node_id{};
  return src->node();
}

bool channel_state::token_grants(const std::string& principal,
                                 role required) const {
  if (!(sessions_.enabled() || cfg_.policy.tokens_required())
      || !needs_token())
    return true;
  return sessions_.grants(session_key{origin(), principal}, required,
                          unix_now());
}

caf::error channel_state::refuse_token(caf::error err) {
  ++stats_.token_refusals;
  return refuse(std::move(err));
}

// -- tokens -------------------------------------------------------------------

caf::result<void> channel_state::authenticate(const std::string& token) {
  if (sessions_.enabled() && sender_is_reachable())
    return refuse_token(make_error(
      ec::not_authorized,
      "not authorized: an actor of this process that peers can reach "
      "cannot authenticate on "
        + describe()
        + ": a peer can forge such a sender, so no session is opened for "
          "it"));
  auto res = sessions_.authenticate(origin(), token, unix_now(),
                                    self_->clock().now());
  if (!res.ended.empty())
    end_sessions(res.ended);
  if (res.refused)
    return is(res.refused, ec::not_authorized)
             ? refuse_token(std::move(res.refused))
             : refuse(std::move(res.refused));
  ++stats_.authentications;
  schedule_tick(res.expires);
  return caf::unit;
}

void channel_state::end_sessions(const std::vector<session_key>& ended) {
  for (auto& [node, subject] : ended) {
    if (auto sub = fanout_.find(subject); sub && sub->hdl.node() == node) {
      fanout_.unsubscribe(subject);
      ++stats_.expired_subscriptions;
    }
    if (auto m = group_.find(subject); m && m->hdl.node() == node) {
      remove_member(subject);
      ++stats_.expired_subscriptions;
    }
    if (log_enabled(log_level::info))
      log(log_level::info, name,
          describe() + ": the token of '" + subject
            + "' expired; its session ended");
  }
  note_responders();
}

} // namespace sssn::detail
