// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstddef>
#include <string>

namespace sssn::detail {

// Renders a byte count for error messages: "16 MiB", "4 KiB" or "17 bytes".
inline std::string format_size(size_t n) {
  constexpr size_t mib = 1024 * 1024;
  if (n >= mib && n % mib == 0)
    return std::to_string(n / mib) + " MiB";
  if (n >= 1024 && n % 1024 == 0)
    return std::to_string(n / 1024) + " KiB";
  return std::to_string(n) + " bytes";
}

} // namespace sssn::detail
