// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/error.hpp>

#include "sssn/export.hpp"

namespace sssn {

/// Registers the message types, atoms and error category of sssn-actors
/// with `cfg`. Every node that talks to sssn actors must call it (or use
/// `sssn::config`): CAF delivers a message of an unregistered type as an
/// empty message.
SSSN_ACTORS_EXPORT void add_message_types(caf::actor_system_config& cfg);

/// Returns an error (`ec::invalid_argument`) saying what to add if `sys`
/// was configured without `add_message_types`; `what` names the operation
/// that needs them ("starting a node"). `node::start` and `connect` check
/// it, so the mistake fails where it is made, not as an
/// `unexpected_actor_messaging_interface` in a client far away.
SSSN_ACTORS_EXPORT caf::error check_message_types(const caf::actor_system& sys,
                                                  const char* what);

/// An actor system configuration with everything of sssn-actors registered,
/// CAF's middleman and OpenSSL module loaded (for `sssn::node`), and the
/// scheduler settings the library recommends:
/// `work-stealing.moderate-poll-attempts = 0`, which makes CAF's workers go
/// to sleep instead of spinning, cutting idle CPU and the latency of
/// blocking callers (see the README's "Performance" section).
///
/// Use it as the second parameter of `caf_main`:
/// `void caf_main(caf::actor_system& sys, const sssn::config&)`.
class SSSN_ACTORS_EXPORT config : public caf::actor_system_config {
public:
  config();
};

} // namespace sssn
