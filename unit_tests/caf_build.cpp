// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// sssn::caf_build (sssn/caf_build.hpp): tells at run time which CAF the
// process loaded. The expected answer is the CAF this test was built
// against (the hardened CAF installs caf/detail/sssn_hardening.hpp), unless
// SSSN_EXPECT_CAF says otherwise ("hardened" or "debian"): .ci/hardened-caf
// runs the binary built against Debian's CAF on the hardened libraries with
// SSSN_EXPECT_CAF=hardened, which shows that the ABI is the same.

#include <cstdlib>
#include <fstream>
#include <string>

#include <boost/test/unit_test.hpp>

#include "sssn/caf_build.hpp"

#if __has_include(<caf/detail/sssn_hardening.hpp>)
#  define SSSN_BUILT_AGAINST "hardened"
#else
#  define SSSN_BUILT_AGAINST "debian"
#endif

namespace {

std::string expected_flavor() {
  if (auto env = std::getenv("SSSN_EXPECT_CAF"); env != nullptr && *env)
    return env;
  return SSSN_BUILT_AGAINST;
}

/// The path of the libcaf_core this process mapped, from /proc/self/maps.
std::string loaded_caf_core() {
  std::ifstream maps{"/proc/self/maps"};
  for (std::string line; std::getline(maps, line);)
    if (auto pos = line.find('/'); pos != std::string::npos
                                   && line.find("libcaf_core") != std::string::npos)
      return line.substr(pos);
  return "?";
}

} // namespace

BOOST_AUTO_TEST_CASE(caf_build_names_the_loaded_caf) {
  auto expected = expected_flavor();
  BOOST_TEST_MESSAGE("built against: " << SSSN_BUILT_AGAINST
                                       << "; expecting: " << expected
                                       << "; libcaf_core: "
                                       << loaded_caf_core());
  BOOST_REQUIRE(expected == "hardened" || expected == "debian");
  auto info = sssn::caf_build();
  BOOST_TEST(std::string{info.flavor} == expected);
  BOOST_TEST(info.hardened == (expected == "hardened"));
  BOOST_TEST(info.patches.empty() == !info.hardened);
  // The hardened CAF of this series checks BASP sources (patch 0009) and
  // counts what it refuses; nothing forged reached this process.
  BOOST_TEST(info.checks_basp_sources == info.hardened);
  BOOST_TEST(info.refused_forged_downs == 0u);
  BOOST_TEST(info.refused_forged_senders == 0u);
  auto text = sssn::caf_build_description();
  BOOST_TEST_MESSAGE(text);
  BOOST_TEST(text.rfind("CAF 0.17.6, ", 0) == 0, text);
  if (info.hardened) {
    BOOST_TEST(text.find("hardened (sssn-hardened-") != std::string::npos,
               text);
  } else {
    BOOST_TEST(text.find("Debian's") != std::string::npos, text);
  }
}
