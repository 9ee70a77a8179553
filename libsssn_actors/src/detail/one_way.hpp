// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <caf/delegated.hpp>
#include <caf/local_actor.hpp>
#include <caf/result.hpp>

namespace sssn::detail {

/// What a handler of a one-way message returns. For a handler that returns
/// `void`, CAF makes a response promise for every message it handles, only
/// to find for an asynchronous one that there is nothing to send. This
/// answers a request (a sender that used `request`) with the same empty
/// response, and skips the promise for an asynchronous message.
inline caf::result<void> one_way(caf::local_actor* self) {
  if (self->current_message_id().is_request())
    return {};
  return caf::delegated<void>{};
}

} // namespace sssn::detail
