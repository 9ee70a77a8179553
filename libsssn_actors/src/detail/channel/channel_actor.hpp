// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>

#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

#include "detail/owner_secret.hpp"
#include "sssn/channel_types.hpp"
#include "sssn/fwd.hpp"

namespace sssn::detail {

/// The channel's own interface: the public one plus its timer, its flush of
/// batched pushes and the owning handle's release, which no one else may
/// send (a flush from elsewhere only pushes what is due anyway).
using channel_actor_impl = channel_actor::extend<
  caf::reacts_to<tick_atom>, caf::reacts_to<flush_atom>,
  caf::reacts_to<release_atom, uint64_t, uint64_t>>;

/// Spawns a channel actor. Only the holder of `secret` can release it with
/// `release_atom`.
channel_actor spawn_channel_actor(caf::actor_system& sys, channel_config cfg,
                                  owner_secret secret);

} // namespace sssn::detail
