#pragma once

// Which CAF this process runs on: Debian's libcaf-dev 0.17.6 as it is, or
// the hardened build of the same version (.ci/hardened-caf, patches in
// .ci/caf-patches), which turns CAF's own crashes and unbounded allocations
// on hostile input into refusals (docs/caf-patches.md). Both share one ABI,
// so the answer depends on the libcaf_core the process loaded, not on the
// headers it was built with.

#include <string>
#include <string_view>

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
};

/// Finds out at run time (dlsym) which CAF the process loaded.
caf_build_info caf_build();

/// One line for a log or a start-up message, e.g. "CAF 0.17.6, hardened
/// (sssn-hardened-1: ...)" or "CAF 0.17.6, Debian's (not hardened)".
std::string caf_build_description();

} // namespace sssn
