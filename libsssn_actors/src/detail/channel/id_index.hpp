// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

namespace sssn::detail {

/// The ids of a channel's messages: each stored message's (live) and those
/// of the last `window` removed ones (gone), with the sequence number each
/// went with. What `message_store` looks ids up in (duplicate writes,
/// acknowledgements, `read(after = id)`).
///
/// An id of up to `inline_max` bytes (a UUID has 36) lives in an open
/// addressing table, in its slot: adding, finding and forgetting one
/// allocates nothing. Longer ids go to a map of strings. Slots are found by
/// a hash seeded at random per index: a peer does not know where the ids
/// it picks land, so it cannot aim them at one run of slots.
class id_index {
public:
  /// What an id names.
  struct entry {
    uint64_t seq = 0;
    /// Names a stored message; otherwise one removed recently.
    bool live = true;
    /// Removed because it was consumed.
    bool consumed = false;
  };

  static constexpr size_t inline_max = 40;

  /// An index that remembers the last `window` removed ids (none: forgets
  /// an id as its message goes).
  explicit id_index(uint64_t window = 0);

  id_index(const id_index&) = delete;
  id_index& operator=(const id_index&) = delete;
  id_index(id_index&&) = default;
  id_index& operator=(id_index&&) = default;

  /// What `id` names, if anything.
  std::optional<entry> find(const std::string& id) const;

  /// `id` names the stored message `seq` from now on (live again, if it was
  /// gone).
  void add(const std::string& id, uint64_t seq);

  /// The message `seq`, named `id`, is removed: its id is gone (`consumed`
  /// or not) until `window` more ids have gone, then forgotten. Does
  /// nothing if `id` is unknown or names another message.
  void remove(const std::string& id, uint64_t seq, bool consumed);

  /// Ids known: live and gone.
  size_t size() const noexcept {
    return count_ + long_ids_.size();
  }

  /// Slots of the table (for tests: it grows and shrinks with `size`).
  size_t capacity() const noexcept {
    return slots_.size();
  }

private:
  static constexpr size_t words = inline_max / 8;

  enum class state : uint8_t { empty, live, gone, consumed };

  struct slot {
    uint64_t text[words];
    uint64_t hash;
    uint64_t seq;
    uint8_t len;
    state st;
  };

  /// An id as a table key: its bytes zero-padded to whole words.
  struct key {
    uint64_t text[words];
    uint64_t hash;
    uint8_t len;
  };

  /// Gone ids, oldest first: the sequence number an id went with and where
  /// to find it (a long id's map key, whose node never moves, or the hash
  /// of an inline one).
  struct gone_item {
    uint64_t seq;
    uint64_t hash;
    const std::string* long_id;
  };

  key make_key(const std::string& id) const;

  /// The slot holding `k`, or npos.
  size_t locate(const key& k) const;

  /// Empties slot `i`, moving later slots of its run back (no tombstones).
  void erase_at(size_t i);

  /// Puts `x` into an empty slot of the table (which has room).
  void place(const slot& x);

  /// Rebuilds the table with `n` slots (a power of two).
  void rehash(size_t n);

  /// Forgets the oldest gone ids beyond the window.
  void trim();

  void forget(const gone_item& x);

  static constexpr size_t npos = static_cast<size_t>(-1);
  static constexpr size_t min_capacity = 16;

  uint64_t window_ = 0;
  uint64_t seed_ = 0;
  std::vector<slot> slots_;
  size_t count_ = 0;
  std::unordered_map<std::string, entry> long_ids_;
  std::deque<gone_item> gone_;
};

} // namespace sssn::detail
