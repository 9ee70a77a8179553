// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/access_policy.hpp"

namespace sssn {

std::string to_string(role x) {
  switch (x) {
    case role::none:
      return "none";
    case role::read:
      return "read";
    case role::write:
      return "write";
    case role::admin:
      return "admin";
  }
  return "role(" + std::to_string(static_cast<int>(x)) + ")";
}

access_policy access_policy::open() {
  return access_policy{};
}

access_policy access_policy::acl(std::map<std::string, role> entries,
                                 role default_role) {
  access_policy result;
  result.open_ = false;
  result.entries_ = std::move(entries);
  for (auto& kvp : result.entries_)
    kvp.second = checked_role(kvp.second);
  result.default_role_ = checked_role(default_role);
  return result;
}

role access_policy::role_of(const std::string& principal) const {
  if (open_)
    return role::admin;
  auto i = entries_.find(principal);
  return i != entries_.end() ? i->second : default_role_;
}

} // namespace sssn
