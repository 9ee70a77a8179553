// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <utility>

#include <caf/actor_cast.hpp>
#include <caf/actor_control_block.hpp>

#include "sssn/export.hpp"

namespace sssn::detail {

/// How a token travels with an operation: after the principal, behind this
/// separator (`"alice\0<token>"`). A channel takes it off before anything
/// else looks at the principal, so no principal can contain it.
inline constexpr char proof_separator = '\0';

/// How many tokens this process remembers for channels (see `prove`).
extern SSSN_ACTORS_EXPORT std::atomic<size_t> remembered_tokens;

/// Remembers `token` (already accepted by, or about to be presented to, the
/// channel `channel`) for its subject: from now on `prove` sends it along
/// with every operation of this process that names the subject on that
/// channel, until it expires or another token for the subject replaces it.
/// Returns false (and remembers nothing) if the token names no subject or
/// expiry.
SSSN_ACTORS_EXPORT bool remember_token(const caf::strong_actor_ptr& channel,
                                       const std::string& token);

/// `prove` when tokens are remembered.
SSSN_ACTORS_EXPORT std::string prove_slow(const caf::strong_actor_ptr& channel,
                                          const std::string& principal);

/// Returns `principal` as this process sends it to `channel`: followed by
/// the token it remembers for the principal on that channel, if any. Costs
/// one atomic load while no token is remembered.
template <class Handle>
std::string prove(const Handle& channel, const std::string& principal) {
  if (remembered_tokens.load(std::memory_order_relaxed) == 0)
    return principal;
  return prove_slow(caf::actor_cast<caf::strong_actor_ptr>(channel),
                    principal);
}

/// `prove` that moves `principal` while no token is remembered.
template <class Handle>
std::string prove(const Handle& channel, std::string&& principal) {
  if (remembered_tokens.load(std::memory_order_relaxed) == 0)
    return std::move(principal);
  return prove_slow(caf::actor_cast<caf::strong_actor_ptr>(channel),
                    principal);
}

} // namespace sssn::detail
