// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <caf/abstract_actor.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>

namespace sssn::detail {

/// Where the sender of a message may have come from, as far as a peer
/// cannot fake it.
enum class sender_origin {
  /// An actor of this process that no peer can name: it is not in CAF's
  /// registry and has not terminated. The message is surely local.
  local,
  /// An actor of this process that a peer can name (in CAF's registry), or
  /// one that has terminated (and may have left the registry since): CAF
  /// 0.17 builds the sender of a routed message from the node and actor ids
  /// that the peer writes, so such a sender may be forged. Counts as remote.
  reachable,
  /// An actor of another node, or no actor at all (anonymous): remote.
  remote,
};

/// Classifies `src` as seen by an actor of `sys`. Only a message that a
/// peer could not have sent counts as `local`: BASP gives a remote message
/// a local sender only by looking its id up in the registry, where an actor
/// stays until it terminates (CAF marks it cleaned up first), so a local
/// sender that is neither registered nor terminated now was never forged.
/// Costs a registry lookup (a shared lock): ask only where it matters.
inline sender_origin origin_of(const caf::strong_actor_ptr& src,
                               caf::actor_system& sys) {
  if (!src || src->node() != sys.node())
    return sender_origin::remote;
  if (sys.registry().get(src->id()) != nullptr
      || src->get()->getf(caf::abstract_actor::is_cleaned_up_flag))
    return sender_origin::reachable;
  return sender_origin::local;
}

} // namespace sssn::detail
