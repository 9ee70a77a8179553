// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// Which CAF this process runs on: Debian's libcaf-dev 0.17.6 as it is, or
// the hardened build of the same version (.ci/hardened-caf, patches in
// .ci/caf-patches), which turns CAF's own crashes and unbounded allocations
// on hostile input into refusals (docs/caf-patches.md). Both share one ABI,
// so the answer depends on the libcaf_core the process loaded, not on the
// headers it was built with.

#include <cstdint>
#include <string>
#include <string_view>

#include "sssn/export.hpp"

namespace sssn {

/// The CAF that this process runs on.
struct caf_build_info {
  /// True on the hardened CAF (its libcaf_core exports
  /// `sssn_caf_hardening()`).
  bool hardened = false;
  /// "hardened" or "debian".
  std::string_view flavor;
  /// What the hardened CAF says of itself (the patch series), or empty.
  std::string_view patches;
  /// True when the loaded CAF checks the source node of BASP messages
  /// (patch 0009 of the hardened CAF: its libcaf_io exports the two
  /// counters below); false on Debian's CAF and on hardened builds before
  /// that patch, whose counters then stay 0.
  bool checks_basp_sources = false;
  /// BASP down messages this process's CAF refused since it started: down
  /// messages for an actor of a node that is not reached through the
  /// connection they arrived on (a peer forging another node's actor
  /// death, which would end that actor's subscriptions, links and
  /// monitors here).
  uint64_t refused_forged_downs = 0;
  /// Routed BASP messages this process's CAF refused since it started
  /// because they named this node as their source (a peer claiming one of
  /// our own actors as the sender), unless CAF's option
  /// `middleman.accept-relayed-local-senders` is set.
  uint64_t refused_forged_senders = 0;
};

/// Finds out at run time (dlsym) which CAF the process loaded, and reads
/// the hardened CAF's refusal counters (cheap: a few symbol lookups).
SSSN_ACTORS_EXPORT caf_build_info caf_build();

/// One line for a log or a start-up message, e.g. "CAF 0.17.6, hardened
/// (sssn-hardened-1: ...)" or "CAF 0.17.6, Debian's (not hardened)".
SSSN_ACTORS_EXPORT std::string caf_build_description();

} // namespace sssn
