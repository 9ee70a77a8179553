// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/refusals.hpp"

#include "sssn/caf_build.hpp"

#include <atomic>

#include <caf/abstract_actor.hpp>
#include <caf/actor_cast.hpp>
#include <caf/actor_control_block.hpp>
#include <caf/system_messages.hpp>

namespace sssn {

namespace {

std::atomic<uint64_t> undecodable_count{0};
std::atomic<uint64_t> unexpected_count{0};
std::atomic<uint64_t> ignored_exit_count{0};
std::atomic<uint64_t> forged_down_count{0};

} // namespace

refusal_stats refusals() noexcept {
  refusal_stats result;
  result.undecodable = undecodable_count.load();
  result.unexpected = unexpected_count.load();
  result.ignored_exits = ignored_exit_count.load();
  result.forged_downs = forged_down_count.load();
  auto caf = caf_build();
  result.caf_forged_downs = caf.refused_forged_downs;
  result.caf_forged_senders = caf.refused_forged_senders;
  return result;
}

namespace detail {

void count_undecodable() noexcept {
  ++undecodable_count;
}

void count_unexpected() noexcept {
  ++unexpected_count;
}

void count_ignored_exit() noexcept {
  ++ignored_exit_count;
}

bool genuine_down(const caf::down_msg& msg) {
  // CAF sets the cleaned-up flag before it sends the down messages of an
  // actor (local or proxy). An actor nobody holds a strong reference to is
  // gone or going: fine too.
  auto ptr = caf::actor_cast<caf::strong_actor_ptr>(msg.source);
  if (ptr == nullptr
      || ptr->get()->getf(caf::abstract_actor::is_cleaned_up_flag))
    return true;
  ++forged_down_count;
  return false;
}

} // namespace detail

} // namespace sssn
