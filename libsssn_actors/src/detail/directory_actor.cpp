// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "directory_actor.hpp"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/actor_system.hpp>
#include <caf/exit_reason.hpp>
#include <caf/sec.hpp>
#include <caf/send.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include "detail/harden.hpp"
#include "sssn/channel_message.hpp"
#include "sssn/detail/exit_guard.hpp"
#include "sssn/error.hpp"
#include "sssn/log.hpp"
#include "sssn/refusals.hpp"

namespace sssn {

namespace {

struct directory_state {
  static inline const char* name = "sssn.directory";
  std::shared_ptr<detail::published_channels> channels;
  detail::owner_secret secret;
  uint64_t refused = 0;
};

// Drops `exit_reason::kill` from peers (see detail::exit_guard).
using directory_pointer = detail::exit_guard<
  caf::stateful_actor<directory_state, detail::directory_impl_actor::base>>*;

detail::directory_impl_actor::behavior_type
directory_impl(directory_pointer self,
               std::shared_ptr<detail::published_channels> channels,
               detail::owner_secret secret) {
  self->state.channels = std::move(channels);
  self->state.secret = secret;
  // The directory monitors nothing and asks nothing: down and error
  // messages come only from peers.
  detail::harden(self, detail::make_hardening(
                         directory_state::name,
                         [] { return std::string{"node directory"}; },
                         [self](caf::down_msg&) {
                           ++self->state.refused;
                           detail::count_unexpected();
                         },
                         [self] { ++self->state.refused; }));
  return {
    [](hello_atom, uint8_t version) -> caf::result<uint8_t> {
      if (version != wire_version)
        return make_error(ec::incompatible_version,
                          "peer speaks wire version " + std::to_string(version)
                            + ", this node speaks version "
                            + std::to_string(wire_version));
      return wire_version;
    },
    [self](lookup_atom,
           const std::string& id) -> caf::result<channel_actor> {
      auto& chans = *self->state.channels;
      std::lock_guard<std::mutex> guard{chans.mtx};
      auto i = chans.by_id.find(id);
      if (i == chans.by_id.end())
        return make_error(ec::channel_down,
                          "channel '" + id + "' is not published on this "
                                             "node");
      return i->second.actor();
    },
    [self](list_atom) {
      auto& chans = *self->state.channels;
      std::lock_guard<std::mutex> guard{chans.mtx};
      std::vector<std::string> ids;
      for (auto& [id, ch] : chans.by_id)
        ids.push_back(id);
      return ids;
    },
    [self](stats_atom) {
      node_stats result;
      {
        auto& chans = *self->state.channels;
        std::lock_guard<std::mutex> guard{chans.mtx};
        result.published = chans.by_id.size();
      }
      result.directory_refused = self->state.refused;
      result.refusals = refusals();
      return result;
    },
    [self](release_atom, uint64_t hi, uint64_t lo) {
      auto& st = self->state;
      if (hi == st.secret.first && lo == st.secret.second) {
        self->quit(caf::exit_reason::user_shutdown);
      } else {
        ++st.refused;
        detail::count_unexpected();
        log(log_level::warning, directory_state::name,
            "refused a release with a wrong secret");
      }
    },
  };
}

} // namespace

namespace detail {

directory_actor spawn_directory(caf::actor_system& sys,
                                std::shared_ptr<published_channels> channels,
                                owner_secret secret) {
  return caf::actor_cast<directory_actor>(
    sys.spawn(directory_impl, std::move(channels), secret));
}

void release_directory(const directory_actor& dir, owner_secret secret) {
  caf::anon_send(caf::actor_cast<directory_impl_actor>(dir),
                 release_atom::value, secret.first, secret.second);
}

} // namespace detail

} // namespace sssn
