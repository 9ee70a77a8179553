// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// What the hostile peers (crafted_peer, forging_peer) share: their command
// line (`MODE --key=value...`) and BASP frames built with CAF's binary
// serializer.

#pragma once

#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

#include <caf/actor_system.hpp>
#include <caf/binary_serializer.hpp>
#include <caf/io/basp/header.hpp>

namespace peer_tools {

/// Reads `argv` as `MODE --key=value...`: stores MODE in `mode` and calls
/// `set(key, value)` for each option, which returns false for an unknown
/// key. Returns false for a missing mode, an argument of another form, an
/// unknown key, or a value `set` cannot convert (it throws).
template <class F>
bool parse_args(int argc, char** argv, std::string& mode, F set) {
  if (argc < 2)
    return false;
  mode = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    auto eq = arg.find('=');
    if (arg.rfind("--", 0) != 0 || eq == std::string::npos)
      return false;
    try {
      if (!set(arg.substr(2, eq - 2), arg.substr(eq + 1)))
        return false;
    } catch (std::exception&) {
      return false;
    }
  }
  return true;
}

/// Serializes `xs...` with CAF's binary serializer (a BASP payload).
template <class... Ts>
std::vector<char> serialize(caf::actor_system& sys, Ts&... xs) {
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  if (auto err = sink(xs...))
    throw std::runtime_error("cannot serialize: " + sys.render(err));
  return buf;
}

/// One BASP frame: `hdr` (its payload_len set here), then `payload`.
inline std::string frame(caf::actor_system& sys, caf::io::basp::header hdr,
                         const std::vector<char>& payload) {
  hdr.payload_len = static_cast<uint32_t>(payload.size());
  auto buf = serialize(sys, hdr);
  buf.insert(buf.end(), payload.begin(), payload.end());
  return std::string(buf.begin(), buf.end());
}

} // namespace peer_tools
