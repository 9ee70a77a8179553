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
