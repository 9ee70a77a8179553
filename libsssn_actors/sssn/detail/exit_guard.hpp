#pragma once

#include <caf/error.hpp>
#include <caf/execution_unit.hpp>
#include <caf/exit_reason.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/system_messages.hpp>

#include "sssn/refusals.hpp"

namespace sssn::detail {

/// An actor type that drops exit messages with reason `exit_reason::kill`
/// that come from another node, before they reach its mailbox, counting
/// them as ignored exits. CAF 0.17 handles such a message before any exit
/// handler (the actor stops), and any peer that reaches a published actor,
/// or learns an actor's handle, can send one. None of our actors may be
/// stopped from another node; they stop by quitting, or with their owner's
/// secret. A `kill` from this process still works (tests use it to stand
/// for a crash).
///
/// "From another node": the sender is a proxy of another node, or, for an
/// anonymous message, it was enqueued on an execution unit (CAF's BASP
/// workers deliver remote messages on one; `caf::anon_send_exit` from a
/// thread passes none). An anonymous `kill` sent from inside a local actor
/// (`self->anon_send`) is dropped too.
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
    if (!content.match_elements<caf::exit_msg>()
        || content.get_as<caf::exit_msg>(0).reason
             != caf::make_error(caf::exit_reason::kill))
      return false;
    if (x.sender != nullptr)
      return x.sender->node() != this->home_system().node();
    return eu != nullptr;
  }
};

} // namespace sssn::detail
