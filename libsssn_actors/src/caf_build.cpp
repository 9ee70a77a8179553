// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/caf_build.hpp"

#include <dlfcn.h>

#include <caf/config.hpp>

namespace sssn {

caf_build_info caf_build() {
  // A symbol that only the hardened libcaf_core exports (patch 0008 of
  // .ci/caf-patches). Looked up, not linked: the library must load on
  // Debian's CAF too.
  using marker_fn = const char* (*)();
  caf_build_info result;
  if (auto sym = dlsym(RTLD_DEFAULT, "sssn_caf_hardening")) {
    auto fn = reinterpret_cast<marker_fn>(sym);
    result.hardened = true;
    result.flavor = "hardened";
    if (auto text = fn())
      result.patches = text;
  } else {
    result.flavor = "debian";
  }
  // The counters of patch 0009 (libcaf_io), also looked up: a hardened CAF
  // built before that patch has the marker but not these.
  using counter_fn = uint64_t (*)();
  auto downs = dlsym(RTLD_DEFAULT, "sssn_caf_refused_forged_downs");
  auto senders = dlsym(RTLD_DEFAULT, "sssn_caf_refused_forged_senders");
  if (result.hardened && downs != nullptr && senders != nullptr) {
    result.checks_basp_sources = true;
    result.refused_forged_downs = reinterpret_cast<counter_fn>(downs)();
    result.refused_forged_senders = reinterpret_cast<counter_fn>(senders)();
  }
  return result;
}

std::string caf_build_description() {
  auto info = caf_build();
  std::string result = "CAF " + std::to_string(CAF_VERSION / 10000) + "."
                       + std::to_string(CAF_VERSION / 100 % 100) + "."
                       + std::to_string(CAF_VERSION % 100);
  if (info.hardened) {
    result += ", hardened (";
    result += info.patches;
    result += ")";
  } else {
    result += ", Debian's (not hardened: see docs/caf-patches.md)";
  }
  return result;
}

} // namespace sssn
