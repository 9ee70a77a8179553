// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <caf/actor_addr.hpp>

#include "sssn/fwd.hpp"

namespace sssn::detail {

/// A member of a channel's responder group.
struct group_member {
  subscriber_actor hdl;
  /// How many deliveries it may hold unacknowledged.
  uint32_t credit = 0;
  /// Deliveries it holds now.
  uint32_t in_flight = 0;
  /// It takes pushes in batches (`subscription::batch`, in process only).
  bool batch = false;
};

/// The responder group of a channel (at most one, named by its first
/// member): its members by system id and their credit, and whose turn it
/// is. Each unclaimed message goes to one member, round robin over those
/// with credit left; the caller claims and sends it.
class responder_group {
public:
  using member_map = std::map<std::string, group_member>;

  // -- membership -------------------------------------------------------------

  /// The group's name (empty while it has no member).
  const std::string& name() const noexcept {
    return name_;
  }

  /// Returns whether members of `group` may join: the channel has no group
  /// yet, or this one.
  bool admits(const std::string& group) const {
    return name_.empty() || name_ == group;
  }

  /// Adds `id` to `group` (see `admits`) with `credit`, or updates the
  /// handle and credit of a member (what it holds stays counted).
  void join(const std::string& group, const std::string& id,
            subscriber_actor hdl, uint32_t credit, bool batch = false);

  /// Removes the member `id`; returns whether it was one. The group loses
  /// its name with its last member.
  bool leave(const std::string& id);

  /// The members whose handle is `addr` (it is down).
  std::vector<std::string> members_at(const caf::actor_addr& addr) const;

  /// The member `id`, if any.
  const group_member* find(const std::string& id) const;

  bool contains(const std::string& id) const {
    return members_.count(id) > 0;
  }

  bool empty() const noexcept {
    return members_.empty();
  }

  size_t size() const noexcept {
    return members_.size();
  }

  // -- dispatch ---------------------------------------------------------------

  /// Round robin: the first member at or after the last one's successor
  /// that has credit left, wrapping around; it takes one delivery. Returns
  /// nullptr when every member is full.
  member_map::value_type* next();

  /// A delivery to the member `id` ended (acknowledged, released or
  /// expired): it has that credit back.
  void settle(const std::string& id);

private:
  std::string name_;
  member_map members_;
  /// Whose turn it is: the first member at or after this id.
  std::string next_;
};

} // namespace sssn::detail
