#pragma once

#include <cstdint>
#include <utility>

#include <caf/fwd.hpp>

#include "sssn/channel_types.hpp"
#include "sssn/fwd.hpp"

namespace sssn::detail {

/// The secret that lets the owning `sssn::channel` handle stop its channel.
using owner_secret = std::pair<uint64_t, uint64_t>;

/// Spawns a channel actor. Only the holder of `secret` can release it with
/// `release_atom`.
channel_actor spawn_channel_actor(caf::actor_system& sys, channel_config cfg,
                                  owner_secret secret);

/// Returns 128 random bits from OpenSSL's CSPRNG.
owner_secret random_bits();

} // namespace sssn::detail
