// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <utility>

namespace sssn::detail {

/// The secret that lets an owning handle stop what it owns (a channel, a
/// node's directory) with `release_atom`.
using owner_secret = std::pair<uint64_t, uint64_t>;

/// Returns 128 random bits from OpenSSL's CSPRNG.
owner_secret random_bits();

} // namespace sssn::detail
