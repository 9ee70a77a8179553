// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>

#include <caf/error.hpp>
#include <caf/fwd.hpp>
#include <caf/meta/type_name.hpp>

#include "sssn/export.hpp"

/// Process-wide counts of what this process refused from peers: values our
/// decoders could not accept, messages our actors did not understand, exit
/// messages they ignored and forged down messages, and what the hardened
/// CAF refused before it reached us (forged BASP sources). A node reports
/// them in its stats (`sssn::node_stats`, `sssn stats`).
namespace sssn {

/// A snapshot of the process-wide refusal counters (see `refusals()`).
struct refusal_stats {
  /// Values of our wire types that our load path refused: malformed bytes,
  /// another wire version, lengths or nesting beyond the limits (in
  /// `channel_message` and `content`), and values of our other types whose
  /// fields could not be read (truncated input, impossible lengths). CAF
  /// drops the message that carried such a value, or (for messages and
  /// content, which always decode) the receiving channel refuses it.
  uint64_t undecodable = 0;

  /// Messages that our actors' default handlers refused (unknown atoms,
  /// wrong types or arity, empty messages), plus internal messages with a
  /// wrong secret and replies nobody waits for.
  uint64_t unexpected = 0;

  /// Exit messages our actors ignored (none of them is linked to anything).
  uint64_t ignored_exits = 0;

  /// Down messages our actors ignored because the actor they name is alive:
  /// only a peer forges those.
  uint64_t forged_downs = 0;

  /// BASP down messages that the hardened CAF itself refused because the
  /// node they speak for is not reached through the connection they came
  /// on (`caf_build().refused_forged_downs`; always 0 on Debian's CAF,
  /// which kills its proxy instead: see docs/caf-patches.md, 0009).
  uint64_t caf_forged_downs = 0;

  /// Routed BASP messages that the hardened CAF refused because they named
  /// this node as their source, i.e. claimed one of our actors as their
  /// sender (`caf_build().refused_forged_senders`; 0 on Debian's CAF).
  uint64_t caf_forged_senders = 0;
};

/// @relates refusal_stats
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, refusal_stats& x) {
  return f(caf::meta::type_name("sssn::refusal_stats"), x.undecodable,
           x.unexpected, x.ignored_exits, x.forged_downs,
           x.caf_forged_downs, x.caf_forged_senders);
}

/// Returns the refusal counters of this process.
SSSN_ACTORS_EXPORT refusal_stats refusals() noexcept;

} // namespace sssn

namespace sssn::detail {

/// Counts a value that our load path refused.
SSSN_ACTORS_EXPORT void count_undecodable() noexcept;

/// Counts a message that one of our actors refused as unexpected.
SSSN_ACTORS_EXPORT void count_unexpected() noexcept;

/// Counts an exit message that one of our actors ignored.
SSSN_ACTORS_EXPORT void count_ignored_exit() noexcept;

/// Returns whether a down message is genuine: the actor it names is gone
/// (or unknown). CAF delivers down messages only after the actor's cleanup,
/// so a down message naming an actor that is still alive was forged by a
/// peer; it is counted and must be ignored.
SSSN_ACTORS_EXPORT bool genuine_down(const caf::down_msg& msg);

} // namespace sssn::detail
