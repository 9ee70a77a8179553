// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <caf/error.hpp>
#include <caf/actor_registry.hpp>
#include <caf/actor_system.hpp>
#include <caf/execution_unit.hpp>
#include <caf/exit_reason.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/system_messages.hpp>
#include <caf/type_nr.hpp>

#include "sssn/refusals.hpp"

namespace sssn::detail {

/// An actor type that drops exit messages with reason `exit_reason::kill`
/// that may come from another node, before they reach its mailbox, counting
/// them as ignored exits. CAF 0.17 handles such a message before any exit
/// handler (the actor stops), and any peer that reaches an actor can send
/// one. None of our actors may be stopped from another node; they stop by
/// quitting, or with their owner's secret.
///
/// A peer reaches every actor in CAF's actor registry: CAF puts an actor
/// there once its handle has been sent to another node (a published actor,
/// a handle in a message) or it has sent a message to one. And a peer can
/// make its message look local: CAF 0.17 builds the sender of a routed
/// message from the node and actor ids the peer writes, so naming this
/// node and a registered actor yields a real local sender. So a `kill` is
/// dropped whatever its claimed sender once the actor is registered; before
/// that, no peer can address it, and a `kill` from this process still works
/// (tests use it to stand for a crash), unless its sender is a proxy of
/// another node or it is anonymous and was enqueued on an execution unit
/// (CAF's BASP workers deliver remote messages on one; `caf::anon_send_exit`
/// from a thread passes none).
///
/// Spawn with a function whose first argument is a pointer to
/// `exit_guard<caf::stateful_actor<State, Handle::base>>`.
template <class Base>
class exit_guard : public Base {
public:
  using Base::Base;

  void enqueue(caf::mailbox_element_ptr ptr, caf::execution_unit* eu) override {
    if (ptr != nullptr && is_foreign_kill(*ptr, eu)) {
      count_ignored_exit();
      return;
    }
    Base::enqueue(std::move(ptr), eu);
  }

private:
  bool is_foreign_kill(const caf::mailbox_element& x,
                       caf::execution_unit* eu) const {
    auto& content = x.content();
    // The type token first: one virtual call turns away every other message
    // (what CAF's monitorable_actor does for down_msg); the full match only
    // for what may be an exit message.
    if (content.type_token() != caf::make_type_token<caf::exit_msg>()
        || !content.match_elements<caf::exit_msg>()
        || content.get_as<caf::exit_msg>(0).reason
             != caf::make_error(caf::exit_reason::kill))
      return false;
    if (x.sender != nullptr ? x.sender->node() != this->home_system().node()
                            : eu != nullptr)
      return true;
    // Reachable from the network: the sender may be forged.
    return this->home_system().registry().get(this->id()) != nullptr;
  }
};

} // namespace sssn::detail
