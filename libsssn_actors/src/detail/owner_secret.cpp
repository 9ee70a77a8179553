// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "detail/owner_secret.hpp"

#include "detail/secure_random.hpp"

namespace sssn::detail {

owner_secret random_bits() {
  auto hi = secure_random_u64();
  auto lo = secure_random_u64();
  return {hi, lo};
}

} // namespace sssn::detail
