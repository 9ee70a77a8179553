// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include "sssn/export.hpp"
#include "sssn/fwd.hpp"

namespace caf {
class execution_unit;
} // namespace caf

namespace sssn::detail {

/// Takes a plain subscriber's deliveries on the channel's own thread, in
/// place of `(push_atom, delivery)` messages: the requester's reply path,
/// where the channel resolves the waiting call directly (one actor
/// activation less per call). Only in process: `subscription::sink` is not
/// part of the wire form. A sink runs inside the channel's handler, so it
/// must be quick, thread-safe and never block; it takes no credit (what it
/// is given is handled when `take` returns).
class SSSN_ACTORS_EXPORT delivery_sink {
public:
  virtual ~delivery_sink();

  /// Takes the message `msg` that the channel pushes to the subscriber now.
  /// `host` is the channel's execution unit (for enqueueing from it).
  virtual void take(const channel_message& msg, caf::execution_unit* host)
    = 0;
};

} // namespace sssn::detail
