// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "detail/channel/responder_group.hpp"

namespace sssn::detail {

// -- membership ---------------------------------------------------------------

void responder_group::join(const std::string& group, const std::string& id,
                           subscriber_actor hdl, uint32_t credit,
                           bool batch) {
  name_ = group;
  auto& m = members_[id];
  m.hdl = std::move(hdl);
  m.credit = credit;
  m.batch = batch;
}

bool responder_group::leave(const std::string& id) {
  if (members_.erase(id) == 0)
    return false;
  if (members_.empty())
    name_.clear();
  return true;
}

std::vector<std::string>
responder_group::members_at(const caf::actor_addr& addr) const {
  std::vector<std::string> result;
  for (auto& [id, m] : members_)
    if (m.hdl.address() == addr)
      result.push_back(id);
  return result;
}

const group_member* responder_group::find(const std::string& id) const {
  auto i = members_.find(id);
  return i != members_.end() ? &i->second : nullptr;
}

// -- dispatch -----------------------------------------------------------------

responder_group::member_map::value_type* responder_group::next() {
  auto has_credit = [](const group_member& m) {
    return m.in_flight < m.credit;
  };
  auto pick = members_.end();
  auto start = members_.lower_bound(next_);
  for (auto i = start; i != members_.end(); ++i)
    if (has_credit(i->second)) {
      pick = i;
      break;
    }
  if (pick == members_.end())
    for (auto i = members_.begin(); i != start; ++i)
      if (has_credit(i->second)) {
        pick = i;
        break;
      }
  if (pick == members_.end())
    return nullptr;
  auto after = std::next(pick);
  next_ = after == members_.end() ? std::string{} : after->first;
  ++pick->second.in_flight;
  return &*pick;
}

void responder_group::settle(const std::string& id) {
  auto i = members_.find(id);
  if (i != members_.end() && i->second.in_flight > 0)
    --i->second.in_flight;
}

} // namespace sssn::detail
