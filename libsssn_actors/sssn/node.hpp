// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/expected.hpp>
#include <caf/timespan.hpp>

#include "sssn/channel.hpp"
#include "sssn/detail/inspect.hpp"
#include "sssn/export.hpp"
#include "sssn/fwd.hpp"
#include "sssn/refusals.hpp"
#include "sssn/tls.hpp"

namespace sssn {

/// Greets a node: carries the wire version.
using hello_atom = caf::atom_constant<caf::atom("sssn_hello")>;
/// Looks up a published channel by id.
using lookup_atom = caf::atom_constant<caf::atom("sssn_find")>;
/// Lists the ids of published channels.
using list_atom = caf::atom_constant<caf::atom("sssn_list")>;

/// Counters of a node, answered by its directory (`remote_node::stats`,
/// `node::stats`, `sssn stats`).
struct node_stats {
  /// Channels published now.
  uint64_t published = 0;

  /// Messages the directory refused or ignored (unexpected messages, exit
  /// messages, releases with a wrong secret).
  uint64_t directory_refused = 0;

  /// What the node's process refused from peers, process-wide.
  refusal_stats refusals;
};

/// @relates node_stats
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, node_stats& x) {
  return detail::inspect_counted(f, caf::meta::type_name("sssn::node_stats"),
                                 x.published, x.directory_refused,
                                 x.refusals);
}

/// The typed interface that a node publishes on its port: a directory of
/// its published channels.
using directory_actor = caf::typed_actor<
  // hello(wire version of the caller): the node's wire version, or
  // `ec::incompatible_version`.
  caf::replies_to<hello_atom, uint8_t>::with<uint8_t>,
  // lookup(channel id): the channel, or `ec::channel_down` when no channel
  // of that id is published.
  caf::replies_to<lookup_atom, std::string>::with<channel_actor>,
  // list(): the ids of all published channels.
  caf::replies_to<list_atom>::with<std::vector<std::string>>,
  // stats(): the node's counters.
  caf::replies_to<stats_atom>::with<node_stats>>;

/// Settings of a node.
struct node_config {
  /// Address to listen on. Loopback (`127.0.0.1`, `::1`, `localhost`) needs
  /// nothing more; any other address, including the empty one (all
  /// interfaces), requires TLS with client certificates unless `insecure` is
  /// set.
  std::string host = "127.0.0.1";

  /// Port to listen on; 0 picks a free one (see `node::port`).
  uint16_t port = 0;

  /// Publish on a non-loopback address without TLS. Any peer that can reach
  /// the port can then stop the node through CAF's own message types (see
  /// docs/guarantees.md): use only on trusted networks.
  bool insecure = false;
};

/// A remote node as seen from this one: hands out handles to its channels.
class SSSN_ACTORS_EXPORT remote_node {
public:
  remote_node() = default;

  /// @private
  remote_node(directory_actor dir, std::string host, uint16_t port,
              caf::timespan timeout);

  /// Returns a (non-owning) handle to the remote channel `id`. The handle
  /// stays dead once the connection fails; connect again for a fresh one.
  caf::expected<sssn::channel> channel(const std::string& id) const;

  /// Returns the ids of the remote node's published channels.
  caf::expected<std::vector<std::string>> channels() const;

  /// Returns the remote node's counters.
  caf::expected<node_stats> stats() const;

  /// Returns the remote directory's handle.
  const directory_actor& directory() const noexcept {
    return dir_;
  }

  /// Returns "host:port".
  std::string address() const;

private:
  directory_actor dir_;
  std::string host_;
  uint16_t port_ = 0;
  caf::timespan timeout_;
};

/// What a CAF application embeds to share channels with other nodes:
/// publishes a directory of channels on a port through CAF's middleman
/// (over TLS when the actor system is configured for it), and connects to
/// other nodes. Copies share one node; the last copy stops it.
class SSSN_ACTORS_EXPORT node {
public:
  node() = default;

  /// Starts a node: checks the security rules and TLS settings, then
  /// publishes the directory on `cfg.host`/`cfg.port`. The actor system must
  /// have loaded `caf::io::middleman` (and `caf::openssl::manager` for TLS);
  /// `sssn::config` does both.
  static caf::expected<node> start(caf::actor_system& sys,
                                   node_config cfg = {});

  /// Makes `ch` reachable by id from other nodes. The node keeps the channel
  /// alive while it runs.
  caf::expected<void> publish(const channel& ch) const;

  /// Connects to the node at `host`/`port` (over TLS when configured) and
  /// checks that it speaks our wire version. `timeout` bounds the whole:
  /// CAF's handshake (a listener that never completes it fails with
  /// `ec::channel_down`) and the greeting.
  caf::expected<remote_node> connect(const std::string& host, uint16_t port,
                                     caf::timespan timeout
                                     = std::chrono::seconds{10}) const;

  /// Returns the port the node listens on.
  uint16_t port() const noexcept;

  /// Returns the address the node listens on.
  const std::string& host() const noexcept;

  /// Returns whether the node speaks TLS.
  bool tls() const noexcept;

  /// Returns the directory actor.
  directory_actor directory() const;

  /// Returns this node's counters (asks the directory; blocks at most
  /// `timeout`).
  caf::expected<node_stats> stats(caf::timespan timeout
                                  = std::chrono::seconds{10}) const;

  /// Closes the port and stops the directory (published channels stay
  /// alive as long as other handles own them).
  void stop();

  explicit operator bool() const noexcept {
    return static_cast<bool>(impl_);
  }

  struct impl;

private:
  std::shared_ptr<impl> impl_;
};

/// Connects to a node without running one (a pure client).
SSSN_ACTORS_EXPORT caf::expected<remote_node>
connect(caf::actor_system& sys, const std::string& host, uint16_t port,
        caf::timespan timeout = std::chrono::seconds{10});

} // namespace sssn
