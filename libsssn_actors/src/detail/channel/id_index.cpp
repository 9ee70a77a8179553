// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "detail/channel/id_index.hpp"

#include <cstring>

#include "detail/secure_random.hpp"

namespace sssn::detail {

id_index::id_index(uint64_t window)
  : window_(window), seed_(secure_random_u64()) {
  // nop
}

id_index::key id_index::make_key(const std::string& id) const {
  key k{};
  k.len = static_cast<uint8_t>(id.size());
  std::memcpy(k.text, id.data(), id.size());
  // Keyed by the seed, word by word (multiply, then fold the high half
  // down): ids that differ anywhere land apart.
  auto h = seed_ ^ (static_cast<uint64_t>(k.len) * 0x9E3779B97F4A7C15ull);
  for (size_t i = 0; i < (id.size() + 7) / 8; ++i) {
    h = (h ^ k.text[i]) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
  }
  h *= 0x94D049BB133111EBull;
  k.hash = h ^ (h >> 29);
  return k;
}

size_t id_index::locate(const key& k) const {
  if (slots_.empty())
    return npos;
  auto mask = slots_.size() - 1;
  for (auto i = k.hash & mask;; i = (i + 1) & mask) {
    auto& x = slots_[i];
    if (x.st == state::empty)
      return npos;
    if (x.hash == k.hash && x.len == k.len
        && std::memcmp(x.text, k.text, sizeof(k.text)) == 0)
      return i;
  }
}

std::optional<id_index::entry> id_index::find(const std::string& id) const {
  if (id.size() > inline_max) {
    auto i = long_ids_.find(id);
    if (i == long_ids_.end())
      return std::nullopt;
    return i->second;
  }
  auto i = locate(make_key(id));
  if (i == npos)
    return std::nullopt;
  auto& x = slots_[i];
  return entry{x.seq, x.st == state::live, x.st == state::consumed};
}

void id_index::add(const std::string& id, uint64_t seq) {
  if (id.size() > inline_max) {
    long_ids_.insert_or_assign(id, entry{seq, true, false});
    return;
  }
  auto k = make_key(id);
  if (auto i = locate(k); i != npos) {
    slots_[i].seq = seq;
    slots_[i].st = state::live;
    return;
  }
  // At most three quarters full.
  if ((count_ + 1) * 4 > slots_.size() * 3)
    rehash(slots_.empty() ? min_capacity : slots_.size() * 2);
  slot x;
  std::memcpy(x.text, k.text, sizeof(k.text));
  x.hash = k.hash;
  x.seq = seq;
  x.len = k.len;
  x.st = state::live;
  place(x);
  ++count_;
}

void id_index::place(const slot& x) {
  auto mask = slots_.size() - 1;
  auto i = x.hash & mask;
  while (slots_[i].st != state::empty)
    i = (i + 1) & mask;
  slots_[i] = x;
}

void id_index::remove(const std::string& id, uint64_t seq, bool consumed) {
  if (id.size() > inline_max) {
    auto i = long_ids_.find(id);
    if (i == long_ids_.end() || !i->second.live || i->second.seq != seq)
      return;
    if (window_ == 0) {
      long_ids_.erase(i);
      return;
    }
    i->second = entry{seq, false, consumed};
    gone_.push_back(gone_item{seq, 0, &i->first});
    trim();
    return;
  }
  auto i = locate(make_key(id));
  if (i == npos || slots_[i].st != state::live || slots_[i].seq != seq)
    return;
  if (window_ == 0) {
    erase_at(i);
    return;
  }
  slots_[i].st = consumed ? state::consumed : state::gone;
  gone_.push_back(gone_item{seq, slots_[i].hash, nullptr});
  trim();
}

void id_index::trim() {
  while (gone_.size() > window_) {
    auto x = gone_.front();
    gone_.pop_front();
    forget(x);
  }
}

void id_index::forget(const gone_item& x) {
  // Only while it is still gone with that message: written again, the id is
  // live (or gone with a later message, listed again further back).
  if (x.long_id != nullptr) {
    auto i = long_ids_.find(*x.long_id);
    if (i != long_ids_.end() && !i->second.live && i->second.seq == x.seq)
      long_ids_.erase(i);
    return;
  }
  if (slots_.empty())
    return;
  auto mask = slots_.size() - 1;
  for (auto i = x.hash & mask; slots_[i].st != state::empty;
       i = (i + 1) & mask) {
    auto& s = slots_[i];
    if (s.hash == x.hash && s.seq == x.seq) {
      if (s.st != state::live)
        erase_at(i);
      return;
    }
  }
}

void id_index::erase_at(size_t i) {
  auto mask = slots_.size() - 1;
  // Backward shift: a later slot of the run moves into the hole unless its
  // home lies cyclically in (hole, its place].
  for (auto j = (i + 1) & mask; slots_[j].st != state::empty;
       j = (j + 1) & mask) {
    auto home = slots_[j].hash & mask;
    auto stays = i <= j ? (i < home && home <= j) : (i < home || home <= j);
    if (!stays) {
      slots_[i] = slots_[j];
      i = j;
    }
  }
  slots_[i].st = state::empty;
  --count_;
  // At most an eighth full: half the slots.
  if (slots_.size() > min_capacity && count_ * 8 < slots_.size())
    rehash(slots_.size() / 2);
}

void id_index::rehash(size_t n) {
  auto old = std::move(slots_);
  slots_.assign(n, slot{});
  for (auto& x : old)
    if (x.st != state::empty)
      place(x);
}

} // namespace sssn::detail
