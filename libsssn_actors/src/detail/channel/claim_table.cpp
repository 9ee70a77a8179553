// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "detail/channel/claim_table.hpp"

#include "sssn/error.hpp"

namespace sssn::detail {

// -- claims -------------------------------------------------------------------

void claim_table::claim(message_store& store, uint64_t seq, stored_message& e,
                        const std::string& owner, bool group,
                        time_point expiry) {
  e.claim_owner = owner;
  e.claim_expiry = expiry;
  e.group_claim = group;
  ++e.claim_gen;
  ++count_;
  store.take(seq);
  auto [i, added] = by_owner_.try_emplace(owner);
  if (!added && i->second.empty())
    --idle_owners_; // kept from its last claim (see drop)
  i->second.insert(seq);
  expiries_.emplace(expiry, seq, e.claim_gen);
  prune(store);
}

bool claim_table::stale(const message_store& store, const expiry_item& x) {
  auto& entries = store.entries();
  auto i = entries.find(std::get<1>(x));
  return i == entries.end() || i->second.claim_gen != std::get<2>(x)
         || i->second.claim_owner.empty();
}

void claim_table::prune(const message_store& store) {
  // A settled claim leaves its expiry behind until it is due: a busy
  // channel would hold one per claim of the last claim timeout (millions,
  // at 100,000 claims a second and 30 s). Claims mostly settle in the order
  // they were made, so the top is usually stale.
  while (!expiries_.empty() && stale(store, expiries_.top()))
    expiries_.pop();
  if (expiries_.size() <= 1024 || expiries_.size() <= 2 * count_)
    return;
  std::vector<expiry_item> held;
  held.reserve(count_);
  auto& entries = store.entries();
  for (auto& kvp : by_owner_)
    for (auto seq : kvp.second)
      if (auto i = entries.find(seq); i != entries.end())
        held.emplace_back(i->second.claim_expiry, seq, i->second.claim_gen);
  expiries_ = decltype(expiries_){std::greater<expiry_item>{}, std::move(held)};
}

void claim_table::drop(uint64_t seq, stored_message& e) {
  if (e.claim_owner.empty())
    return;
  auto i = by_owner_.find(e.claim_owner);
  if (i != by_owner_.end()) {
    i->second.erase(seq);
    // An owner whose last claim ends usually claims again next (a
    // responder, once per request): its entry stays, up to
    // `max_idle_owners` of them, so that claim makes no new one.
    if (i->second.empty()) {
      if (idle_owners_ < max_idle_owners)
        ++idle_owners_;
      else
        by_owner_.erase(i);
    }
  }
  --count_;
  e.claim_owner.clear();
  e.group_claim = false;
}

void claim_table::release(message_store& store, uint64_t seq,
                          stored_message& e) {
  drop(seq, e);
  if (!e.acked)
    store.put_back(seq);
}

bool claim_table::acknowledge(message_store& store, uint64_t seq,
                              stored_message& e) {
  if (e.acked)
    return false;
  drop(seq, e);
  store.consume(seq, e);
  return true;
}

size_t claim_table::release_all(message_store& store,
                                const std::string& owner) {
  auto i = by_owner_.find(owner);
  if (i == by_owner_.end())
    return 0;
  auto seqs = std::move(i->second);
  if (seqs.empty())
    --idle_owners_;
  by_owner_.erase(i);
  size_t n = 0;
  for (auto seq : seqs) {
    auto j = store.find(seq);
    if (j != store.end()) {
      release(store, seq, j->second);
      ++n;
    }
  }
  return n;
}

std::vector<expired_claim> claim_table::expire(message_store& store,
                                               time_point now) {
  std::vector<expired_claim> result;
  while (!expiries_.empty() && std::get<0>(expiries_.top()) <= now) {
    auto x = expiries_.top();
    expiries_.pop();
    if (stale(store, x))
      continue; // gone, or claimed again since, or released
    auto seq = std::get<1>(x);
    auto& e = store.at(seq);
    result.push_back(expired_claim{seq, e.claim_owner, e.group_claim});
    release(store, seq, e);
  }
  return result;
}

caf::error claim_table::check(const message_store& store,
                              const std::string& reader,
                              const std::vector<std::string>& ids,
                              bool any_owner, const char* op,
                              const std::string& channel_id,
                              std::vector<uint64_t>& seqs) const {
  for (auto& id : ids) {
    auto seq = store.seq_of(id);
    if (!seq && store.was_consumed(id))
      return make_error(ec::not_claimed,
                        "channel '" + channel_id + "': message '" + id
                          + "' is not claimed: it was consumed and is no "
                            "longer stored; '"
                          + reader + "' may not " + op + " it");
    if (!seq)
      return make_error(ec::unknown_message_id,
                        "channel '" + channel_id + "': unknown message id '"
                          + id + "' in " + op + " by '" + reader + "'");
    auto& owner = store.entries().at(*seq).claim_owner;
    if (owner != reader && !any_owner) {
      auto who = owner.empty() ? std::string{"is not claimed"}
                               : "is claimed by another reader";
      return make_error(ec::not_claimed,
                        "channel '" + channel_id + "': message '" + id + "' "
                          + who + "; '" + reader + "' may not " + op + " it");
    }
    seqs.push_back(*seq);
  }
  return {};
}

// -- introspection ------------------------------------------------------------

std::optional<claim_table::time_point> claim_table::next_expiry() const {
  if (expiries_.empty())
    return std::nullopt;
  return std::get<0>(expiries_.top());
}

const seq_set&
claim_table::claims_of(const std::string& owner) const {
  static const seq_set none;
  auto i = by_owner_.find(owner);
  return i != by_owner_.end() ? i->second : none;
}

} // namespace sssn::detail
