// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <utility>
#include <vector>

#include <caf/actor_cast.hpp>
#include <caf/typed_actor.hpp>

#include "sssn/channel_protocol.hpp"
#include "sssn/fwd.hpp"

namespace sssn::detail {

/// A subscriber that takes batches (`subscription::batch`). The type
/// `std::vector<delivery>` is not announced to CAF, so a batch never
/// crosses the wire, in either direction.
using batch_subscriber_actor
  = caf::typed_actor<caf::reacts_to<push_atom, std::vector<delivery>>>;

/// Deliveries that queued up for subscribers that take batches
/// (`subscription::batch`), in push order per subscriber. The channel
/// queues a delivery here only when it has more work waiting in its mailbox
/// (or is inside an operation that writes several messages); with one
/// message at a time it pushes at once, so nothing waits for a batch to
/// fill. `flush` sends each subscriber's deliveries in one message: one
/// delivery as `(push_atom, delivery)`, more as
/// `(push_atom, std::vector<delivery>)`.
class push_batcher {
public:
  bool empty() const noexcept {
    return queued_ == 0;
  }

  /// Queues `d` for `hdl`, after what `hdl` already has queued.
  void add(const subscriber_actor& hdl, delivery d);

  /// Sends what is queued, as `self`, and empties the batcher. (Sending
  /// runs no code of ours, so nothing is added meanwhile.)
  template <class Self>
  void flush(Self* self) {
    for (auto& [hdl, items] : pending_) {
      if (items.size() == 1) {
        // Keeps the list's buffer: a lone delivery allocates nothing here.
        self->send(hdl, push_atom::value, std::move(items.front()));
        items.clear();
      } else if (!items.empty()) {
        self->send(caf::actor_cast<batch_subscriber_actor>(hdl),
                   push_atom::value, std::exchange(items, {}));
      }
      // Holds no subscriber alive between flushes.
      hdl = nullptr;
    }
    if (pending_.size() > max_kept)
      pending_.clear();
    queued_ = 0;
  }

private:
  struct entry {
    subscriber_actor hdl;
    std::vector<delivery> items;
  };

  /// Few subscribers take batches (a requester, a responder group's
  /// members): a vector searched from the back beats a map.
  std::vector<entry> pending_;
  size_t queued_ = 0;
  /// Entries kept between flushes, without their handles: their buffers
  /// serve the next flush.
  static constexpr size_t max_kept = 16;
};

} // namespace sssn::detail
