// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <map>
#include <mutex>
#include <optional>
#include <utility>

#include <caf/abstract_actor.hpp>
#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/actor_system.hpp>

namespace sssn::detail {

/// Live actors of each actor system by key, each with a value kept beside
/// it: the channels by id, the requesters by response channel. An entry goes
/// away when its actor terminates.
///
/// The clean-up functor is attached only after the registry's lock is
/// released: CAF 0.17 runs a functor attached to an actor that has already
/// terminated at once, on the attaching thread, and that functor locks the
/// registry.
template <class Key, class Value>
class system_registry {
public:
  /// A live actor and the value kept beside it.
  struct entry {
    caf::strong_actor_ptr actor;
    Value value;
  };

  /// Returns the live entry under `key` in `sys`, if any.
  std::optional<entry> find(caf::actor_system& sys, const Key& key) {
    std::lock_guard<std::mutex> guard{mtx_};
    return find_live(sys, key);
  }

  /// Returns the live entry under `key` in `sys`, or adds and returns the
  /// entry that `make()` returns; `second` says whether it was added.
  /// `make` runs with the registry locked: it must not use the registry.
  template <class Make>
  std::pair<entry, bool> find_or_add(caf::actor_system& sys, const Key& key,
                                     Make make) {
    entry added;
    {
      std::lock_guard<std::mutex> guard{mtx_};
      if (auto found = find_live(sys, key))
        return {std::move(*found), false};
      added = make();
      entries_.insert_or_assign(
        map_key{&sys, key},
        stored{caf::actor_cast<caf::weak_actor_ptr>(added.actor),
               added.value});
    }
    if (added.actor) {
      auto addr = caf::actor_cast<caf::actor_addr>(added.actor);
      added.actor->get()->attach_functor(
        [this, sys_ptr = &sys, key, addr] { erase(sys_ptr, key, addr); });
    }
    return {std::move(added), true};
  }

private:
  using map_key = std::pair<caf::actor_system*, Key>;

  struct stored {
    caf::weak_actor_ptr actor;
    Value value;
  };

  /// Lock held.
  std::optional<entry> find_live(caf::actor_system& sys, const Key& key) {
    auto i = entries_.find(map_key{&sys, key});
    if (i == entries_.end())
      return std::nullopt;
    auto strong = i->second.actor.lock();
    // A stopping actor may still be referenced while its clean-up runs.
    if (!strong || strong->get()->getf(caf::abstract_actor::is_terminated_flag))
      return std::nullopt;
    return entry{std::move(strong), i->second.value};
  }

  /// Removes the entry under `key` if it still names the actor `addr` (or
  /// an actor that is gone).
  void erase(caf::actor_system* sys, const Key& key,
             const caf::actor_addr& addr) {
    std::lock_guard<std::mutex> guard{mtx_};
    auto i = entries_.find(map_key{sys, key});
    if (i == entries_.end())
      return;
    auto strong = i->second.actor.lock();
    if (!strong || caf::actor_cast<caf::actor_addr>(strong) == addr)
      entries_.erase(i);
  }

  std::mutex mtx_;
  std::map<map_key, stored> entries_;
};

} // namespace sssn::detail
