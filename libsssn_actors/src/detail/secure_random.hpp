// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>

namespace sssn::detail {

/// Returns 64 bits from OpenSSL's CSPRNG (`RAND_bytes`). Every id and
/// token that a peer may see comes from here: message ids, correlation-id
/// prefixes, credit tokens and owner secrets. The bytes are drawn in
/// batches per thread, so a call costs about as much as a
/// `std::mt19937_64` step; a forked child draws fresh bytes.
uint64_t secure_random_u64();

} // namespace sssn::detail
