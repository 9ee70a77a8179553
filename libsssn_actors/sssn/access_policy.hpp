// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <map>
#include <string>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/none.hpp>

#include "sssn/detail/inspect.hpp"
#include "sssn/export.hpp"

namespace sssn {

/// What a principal may do on a channel; each role includes the ones below.
enum class role : uint8_t {
  /// Nothing at all.
  none = 0,
  /// Read, claim, acknowledge and nack own claims, subscribe.
  read = 1,
  /// Everything `read` allows, plus write.
  write = 2,
  /// Everything, including host operations (clear, evict, remove, policy,
  /// drain, stop) and acknowledging other readers' claims.
  admin = 3,
};

/// Returns `"none"`, `"read"`, `"write"` or `"admin"`.
SSSN_ACTORS_EXPORT std::string to_string(role x);

/// Returns `x` if it is one of the four roles, else `role::none`: a value
/// outside the enum (`static_cast<role>(7)`) grants nothing anywhere.
constexpr role checked_role(role x) noexcept {
  return x <= role::admin ? x : role::none;
}

/// Decides, per principal id, what it may do on a channel. The default policy
/// is open: everybody is admin. An ACL gives listed ids their role and every
/// other id `default_role`.
class SSSN_ACTORS_EXPORT access_policy {
public:
  /// Creates an open policy.
  access_policy() = default;

  /// Returns a policy that allows everything to everybody.
  static access_policy open();

  /// Returns an ACL policy: `entries` map ids to roles; unlisted ids get
  /// `default_role`. A role outside the enum counts as `role::none`.
  static access_policy acl(std::map<std::string, role> entries,
                           role default_role = role::none);

  /// Returns the role of `principal`.
  role role_of(const std::string& principal) const;

  /// Returns whether `principal` has at least role `required` (never, if
  /// `required` is outside the enum).
  bool allows(const std::string& principal, role required) const {
    return required <= role::admin && role_of(principal) >= required;
  }

  /// Makes every operation need a token, in-process ones too (by default
  /// only operations from other nodes need one, and only on a node with a
  /// token secret). Returns `*this`.
  access_policy& require_tokens(bool value = true) noexcept {
    tokens_required_ = value;
    return *this;
  }

  /// Returns whether in-process operations need a token too.
  bool tokens_required() const noexcept {
    return tokens_required_;
  }

  /// Returns whether this is the open policy.
  bool is_open() const noexcept {
    return open_;
  }

  /// Returns the ACL entries (empty for the open policy).
  const std::map<std::string, role>& entries() const noexcept {
    return entries_;
  }

  /// Returns the role of ids the ACL does not list.
  role default_role() const noexcept {
    return default_role_;
  }

  template <class Inspector>
  friend typename Inspector::result_type inspect(Inspector& f,
                                                 access_policy& x) {
    // Roles travel as plain bytes; out-of-range values become `none`, so a
    // hostile peer cannot forge a stronger role.
    std::map<std::string, uint8_t> entries;
    for (auto& [id, r] : x.entries_)
      entries.emplace(id, static_cast<uint8_t>(r));
    auto def = static_cast<uint8_t>(x.default_role_);
    auto load = [&]() -> caf::error {
      x.entries_.clear();
      for (auto& [id, r] : entries)
        x.entries_.emplace(id, to_role(r));
      x.default_role_ = to_role(def);
      return caf::none;
    };
    return detail::inspect_counted(f,
                                   caf::meta::type_name("sssn::access_policy"),
                                   x.open_, entries, def, x.tokens_required_,
                                   caf::meta::load_callback(load));
  }

private:
  static role to_role(uint8_t x) {
    return checked_role(static_cast<role>(x));
  }

  bool open_ = true;
  std::map<std::string, role> entries_;
  role default_role_ = role::none;
  bool tokens_required_ = false;
};

} // namespace sssn
