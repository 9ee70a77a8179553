// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

/// @file
/// sssn-actors: SSSN's channel model on the C++ Actor Framework.
///
/// - A **channel** (`sssn::spawn_channel`, `sssn::channel`) is a CAF actor that
///   buffers `sssn::channel_message`s: shared reads with per-reader cursors,
///   exclusive claims with acknowledge and nack, push delivery to subscribing
///   actors, retention, authorization and stats.
/// - A **responder** (`sssn::spawn_responder`) is an actor behaviour built from
///   a function over generic or typed content.
/// - The **request helper** (`sssn::request_via_channel`, `sssn::call`) writes a
///   request with a correlation id and a deadline, and resolves the call when
///   the reply is pushed back: no polling, any number of concurrent calls.
///
/// Start with `sssn::config` as the configuration of your actor system.

#include "sssn/access_policy.hpp"
#include "sssn/channel.hpp"
#include "sssn/channel_config.hpp"
#include "sssn/channel_message.hpp"
#include "sssn/channel_protocol.hpp"
#include "sssn/config.hpp"
#include "sssn/content.hpp"
#include "sssn/error.hpp"
#include "sssn/export.hpp"
#include "sssn/fwd.hpp"
#include "sssn/json.hpp"
#include "sssn/log.hpp"
#include "sssn/node.hpp"
#include "sssn/refusals.hpp"
#include "sssn/request.hpp"
#include "sssn/requester.hpp"
#include "sssn/responder.hpp"
#include "sssn/tls.hpp"
#include "sssn/token.hpp"
#include "sssn/typed_content.hpp"
