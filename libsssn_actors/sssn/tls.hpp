// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <string>

#include <caf/error.hpp>
#include <caf/fwd.hpp>

#include "sssn/export.hpp"

namespace sssn {

/// Returns whether `host` is a loopback address.
SSSN_ACTORS_EXPORT bool is_loopback(const std::string& host);

/// Returns whether the actor system is configured for TLS (any of CAF's
/// `openssl.*` options is set).
SSSN_ACTORS_EXPORT bool tls_configured(const caf::actor_system& sys);

/// Returns whether a configuration sets any of CAF's `openssl.*` options.
SSSN_ACTORS_EXPORT bool tls_configured(const caf::actor_system_config& cfg);

/// Checks the TLS settings of `sys` the way a connection would use them:
/// certificate, key (with its passphrase) and CA file must load and match.
/// CAF itself finds a bad key only at the first connection (the server
/// calls `std::terminate`, the client blocks forever).
SSSN_ACTORS_EXPORT caf::error check_tls(const caf::actor_system& sys);

/// Checks TLS settings before the actor system exists. Call it first when
/// the settings come from users: with some `openssl.*` options set but no
/// certificate or key, CAF's OpenSSL module throws from the
/// `caf::actor_system` constructor and the process aborts.
SSSN_ACTORS_EXPORT caf::error check_tls(const caf::actor_system_config& cfg);

} // namespace sssn
