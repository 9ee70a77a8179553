// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <vector>

namespace sssn::detail {

/// An ordered set of message sequence numbers in one flat buffer: the
/// channel's unclaimed messages, its calls waiting for a responder and each
/// reader's claims.
///
/// Sequence numbers are handed out in increasing order, so nearly every
/// insert appends, and they mostly leave in the order they came. A `std::set`
/// paid a tree node (an allocation, a free and a rebalance) for each; here an
/// insert at the end is a `push_back` into kept capacity, and an erase marks
/// the slot as gone (a binary search) instead of moving what follows. Gone
/// slots at the front are skipped at once; the others are squeezed out when
/// they outnumber the members, so an erase costs O(log n) amortised and the
/// buffer holds at most about twice the members. A gone slot still knows its
/// number: inserting it again (a released claim put back) revives it in
/// place. Only a number whose slot was squeezed out, inserted before the
/// last member, moves the members after it.
class seq_set {
public:
  seq_set() = default;

  seq_set(std::initializer_list<uint64_t> xs) {
    for (auto x : xs)
      insert(x);
  }

  class const_iterator {
  public:
    using iterator_category = std::forward_iterator_tag;
    using value_type = uint64_t;
    using difference_type = std::ptrdiff_t;
    using pointer = const uint64_t*;
    using reference = uint64_t;

    const_iterator() = default;

    const_iterator(const uint64_t* pos, const uint64_t* end)
      : pos_(pos), end_(end) {
      skip();
    }

    uint64_t operator*() const noexcept {
      return *pos_;
    }

    const_iterator& operator++() noexcept {
      ++pos_;
      skip();
      return *this;
    }

    const_iterator operator++(int) noexcept {
      auto result = *this;
      ++*this;
      return result;
    }

    friend bool operator==(const const_iterator& x, const const_iterator& y) {
      return x.pos_ == y.pos_;
    }

    friend bool operator!=(const const_iterator& x, const const_iterator& y) {
      return x.pos_ != y.pos_;
    }

  private:
    void skip() noexcept {
      while (pos_ != end_ && (*pos_ & gone_bit) != 0)
        ++pos_;
    }

    const uint64_t* pos_ = nullptr;
    const uint64_t* end_ = nullptr;
  };

  using iterator = const_iterator;

  const_iterator begin() const noexcept {
    auto first = slots_.data() + head_;
    auto last = slots_.data() + slots_.size();
    return {first, last};
  }

  const_iterator end() const noexcept {
    auto last = slots_.data() + slots_.size();
    return {last, last};
  }

  bool empty() const noexcept {
    return size_ == 0;
  }

  size_t size() const noexcept {
    return size_;
  }

  /// The smallest member; the set must not be empty.
  uint64_t front() const noexcept {
    return slots_[head_]; // head_ is always a member while one exists
  }

  size_t count(uint64_t seq) const noexcept {
    auto i = find_slot(seq);
    return i != slots_.end() && *i == seq ? 1 : 0;
  }

  /// Adds `seq`; returns whether it was not a member yet.
  bool insert(uint64_t seq) {
    if (slots_.empty() || seq > (slots_.back() & ~gone_bit)) {
      if (size_ == 0)
        head_ = slots_.size();
      slots_.push_back(seq);
      ++size_;
      return true;
    }
    auto i = find_slot(seq);
    if (i != slots_.end() && (*i & ~gone_bit) == seq) {
      if (*i == seq)
        return false;
      *i = seq; // revived
    } else {
      i = slots_.insert(i, seq);
    }
    auto pos = static_cast<size_t>(i - slots_.begin());
    if (size_ == 0 || pos < head_)
      head_ = pos;
    ++size_;
    return true;
  }

  /// Removes `seq`; returns whether it was a member.
  bool erase(uint64_t seq) noexcept {
    auto i = find_slot(seq);
    if (i == slots_.end() || *i != seq)
      return false;
    *i |= gone_bit;
    if (--size_ == 0) {
      clear();
      return true;
    }
    while ((slots_[head_] & gone_bit) != 0)
      ++head_;
    if (slots_.size() - size_ > size_ + min_gone)
      squeeze();
    return true;
  }

  /// Removes all members. A small buffer is kept for the next ones (the
  /// sets empty and fill again with every call); a large one, left by a
  /// burst, is given back.
  void clear() noexcept {
    if (slots_.capacity() > max_kept)
      std::vector<uint64_t>{}.swap(slots_);
    else
      slots_.clear();
    head_ = 0;
    size_ = 0;
  }

  friend bool operator==(const seq_set& x, const seq_set& y) {
    return x.size_ == y.size_ && std::equal(x.begin(), x.end(), y.begin());
  }

  friend bool operator!=(const seq_set& x, const seq_set& y) {
    return !(x == y);
  }

private:
  /// Marks a slot whose number left the set. Sequence numbers start at 1 and
  /// grow by one per message, so they never reach it.
  static constexpr uint64_t gone_bit = uint64_t{1} << 63;

  /// Gone slots tolerated beyond the members before squeezing.
  static constexpr size_t min_gone = 32;

  /// Slots of capacity an empty set keeps.
  static constexpr size_t max_kept = 1024;

  /// The slot holding `seq` (member or gone), else where it would go.
  std::vector<uint64_t>::iterator find_slot(uint64_t seq) noexcept {
    return std::lower_bound(slots_.begin(), slots_.end(), seq,
                            [](uint64_t slot, uint64_t x) {
                              return (slot & ~gone_bit) < x;
                            });
  }

  std::vector<uint64_t>::const_iterator find_slot(uint64_t seq) const noexcept {
    return const_cast<seq_set*>(this)->find_slot(seq);
  }

  void squeeze() noexcept {
    slots_.erase(std::remove_if(slots_.begin(), slots_.end(),
                                [](uint64_t x) { return (x & gone_bit) != 0; }),
                 slots_.end());
    head_ = 0;
    if (slots_.capacity() > max_kept && slots_.capacity() > 4 * slots_.size())
      slots_.shrink_to_fit();
  }

  /// Increasing numbers (ignoring gone_bit), members and gone ones.
  std::vector<uint64_t> slots_;
  /// The first member's slot (meaningless while empty).
  size_t head_ = 0;
  size_t size_ = 0;
};

} // namespace sssn::detail
