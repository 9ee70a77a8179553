// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <caf/fwd.hpp>

#include "sssn/channel.hpp"
#include "detail/owner_secret.hpp"
#include "sssn/node.hpp"

namespace sssn::detail {

/// The channels a node publishes: written by `node::publish` on the caller's
/// thread, read by the directory actor.
struct published_channels {
  std::mutex mtx;
  std::map<std::string, channel> by_id;
};

/// The directory's own interface: the public one plus the owning `node`
/// handle's release.
using directory_impl_actor = directory_actor::extend<
  caf::reacts_to<release_atom, uint64_t, uint64_t>>;

/// Sends the release that stops the directory `dir` to it.
void release_directory(const directory_actor& dir, owner_secret secret);

/// Spawns the directory that a node publishes on its port, answering from
/// `channels`. Only the holder of `secret` can stop it
/// (`release_directory`).
directory_actor spawn_directory(caf::actor_system& sys,
                                std::shared_ptr<published_channels> channels,
                                owner_secret secret);

} // namespace sssn::detail
