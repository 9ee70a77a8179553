// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "detail/channel/push_batcher.hpp"

namespace sssn::detail {

void push_batcher::add(const subscriber_actor& hdl, delivery d) {
  ++queued_;
  for (auto i = pending_.rbegin(); i != pending_.rend(); ++i) {
    if (i->hdl == hdl) {
      i->items.push_back(std::move(d));
      return;
    }
  }
  for (auto& x : pending_) {
    if (!x.hdl) {
      x.hdl = hdl;
      x.items.push_back(std::move(d));
      return;
    }
  }
  pending_.push_back(entry{hdl, {}});
  pending_.back().items.push_back(std::move(d));
}

} // namespace sssn::detail
