// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The index of a channel's message ids (src/detail/channel/id_index.hpp):
// live ids, gone ids remembered for a window of removals, ids short enough
// for the flat table and longer ones, and the same answers as a plain map
// with a queue of gone ids through any mix of operations. Pure: no actor
// system.

#include <algorithm>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "detail/channel/id_index.hpp"

using sssn::detail::id_index;
using namespace std::string_literals;

namespace {

/// What `id_index` answers, done the obvious way (the map and queue that
/// message_store used before).
class reference_index {
public:
  explicit reference_index(uint64_t window) : window_(window) {
  }

  std::optional<id_index::entry> find(const std::string& id) const {
    auto i = ids_.find(id);
    if (i == ids_.end())
      return std::nullopt;
    return i->second;
  }

  void add(const std::string& id, uint64_t seq) {
    ids_[id] = id_index::entry{seq, true, false};
  }

  void remove(const std::string& id, uint64_t seq, bool consumed) {
    auto i = ids_.find(id);
    if (i == ids_.end() || !i->second.live || i->second.seq != seq)
      return;
    if (window_ == 0) {
      ids_.erase(i);
      return;
    }
    i->second = id_index::entry{seq, false, consumed};
    gone_.emplace_back(id, seq);
    while (gone_.size() > window_) {
      auto [key, turn] = gone_.front();
      gone_.pop_front();
      auto j = ids_.find(key);
      if (j != ids_.end() && !j->second.live && j->second.seq == turn)
        ids_.erase(j);
    }
  }

  size_t size() const {
    return ids_.size();
  }

  const std::map<std::string, id_index::entry>& ids() const {
    return ids_;
  }

private:
  uint64_t window_;
  std::map<std::string, id_index::entry> ids_;
  std::deque<std::pair<std::string, uint64_t>> gone_;
};

std::string describe(const std::optional<id_index::entry>& x) {
  if (!x)
    return "none";
  return "seq " + std::to_string(x->seq) + (x->live ? " live" : " gone")
         + (x->consumed ? " consumed" : "");
}

bool same(const std::optional<id_index::entry>& x,
          const std::optional<id_index::entry>& y) {
  return describe(x) == describe(y);
}

/// An id of `len` bytes from `n` (distinct `n`, distinct ids).
std::string id_of(uint64_t n, size_t len) {
  auto s = std::to_string(n);
  if (s.size() < len)
    s = std::string(len - s.size(), 'x') + s;
  return s;
}

} // namespace

BOOST_AUTO_TEST_CASE(live_ids_name_their_messages) {
  id_index xs{0};
  BOOST_TEST(!xs.find("a"));
  xs.add("a", 1);
  xs.add("0b4a6f1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b", 2);
  BOOST_TEST(describe(xs.find("a")) == "seq 1 live");
  BOOST_TEST(describe(xs.find("0b4a6f1e-3c2d-4e5f-8a9b-0c1d2e3f4a5b"))
             == "seq 2 live");
  // Prefixes, extensions and an empty id are other ids.
  BOOST_TEST(!xs.find(""));
  BOOST_TEST(!xs.find("a\0"s));
  BOOST_TEST(!xs.find("aa"));
  BOOST_TEST(!xs.find("0b4a6f1e-3c2d-4e5f-8a9b-0c1d2e3f4a5"));
  BOOST_TEST(xs.size() == 2u);
  // Without a window, a removed id is forgotten at once.
  xs.remove("a", 1, true);
  BOOST_TEST(!xs.find("a"));
  BOOST_TEST(xs.size() == 1u);
}

BOOST_AUTO_TEST_CASE(gone_ids_stay_for_the_window_then_go) {
  for (size_t len : {size_t{8}, id_index::inline_max, id_index::inline_max + 1,
                     size_t{100}}) {
    BOOST_TEST_CONTEXT("ids of " << len << " bytes") {
      id_index xs{3};
      for (uint64_t i = 1; i <= 5; ++i)
        xs.add(id_of(i, len), i);
      xs.remove(id_of(1, len), 1, true);
      xs.remove(id_of(2, len), 2, false);
      BOOST_TEST(describe(xs.find(id_of(1, len))) == "seq 1 gone consumed");
      BOOST_TEST(describe(xs.find(id_of(2, len))) == "seq 2 gone");
      xs.remove(id_of(3, len), 3, false);
      BOOST_TEST(xs.size() == 5u);
      // The fourth removal pushes the first out of the window.
      xs.remove(id_of(4, len), 4, false);
      BOOST_TEST(!xs.find(id_of(1, len)));
      BOOST_TEST(describe(xs.find(id_of(2, len))) == "seq 2 gone");
      BOOST_TEST(describe(xs.find(id_of(5, len))) == "seq 5 live");
      BOOST_TEST(xs.size() == 4u);
    }
  }
}

BOOST_AUTO_TEST_CASE(an_id_written_again_is_live_and_its_old_turn_forgets_nothing) {
  id_index xs{2};
  xs.add("m", 1);
  xs.remove("m", 1, true);
  xs.add("m", 7); // written again while its old turn is in the window
  BOOST_TEST(describe(xs.find("m")) == "seq 7 live");
  xs.add("n", 8);
  xs.remove("n", 8, false);
  xs.add("o", 9);
  xs.remove("o", 9, false); // the window passes m's first turn
  BOOST_TEST(describe(xs.find("m")) == "seq 7 live");
  // Removing it with a number it does not go by changes nothing.
  xs.remove("m", 1, false);
  BOOST_TEST(describe(xs.find("m")) == "seq 7 live");
  xs.remove("m", 7, false);
  BOOST_TEST(describe(xs.find("m")) == "seq 7 gone");
}

BOOST_AUTO_TEST_CASE(the_table_grows_and_shrinks_with_its_ids) {
  id_index xs{0};
  for (uint64_t i = 0; i < 100'000; ++i)
    xs.add(id_of(i, 36), i);
  BOOST_TEST(xs.size() == 100'000u);
  BOOST_TEST(xs.capacity() >= 100'000u * 4 / 3);
  for (uint64_t i = 0; i < 100'000; i += 2)
    xs.remove(id_of(i, 36), i, false);
  for (uint64_t i = 0; i < 100'000; ++i)
    BOOST_REQUIRE_MESSAGE(xs.find(id_of(i, 36)).has_value() == (i % 2 == 1),
                          "id " << i);
  for (uint64_t i = 1; i < 100'000; i += 2)
    xs.remove(id_of(i, 36), i, false);
  BOOST_TEST(xs.size() == 0u);
  // Empty again: no table of 100,000 ids left behind.
  BOOST_TEST(xs.capacity() <= 32u);
}

BOOST_AUTO_TEST_CASE(any_mix_of_operations_answers_as_a_plain_map) {
  std::mt19937_64 rng{20261205};
  for (uint64_t window : {uint64_t{0}, uint64_t{1}, uint64_t{16},
                          uint64_t{1000}}) {
    BOOST_TEST_CONTEXT("window " << window) {
      id_index xs{window};
      reference_index ref{window};
      uint64_t next_seq = 1;
      // Few distinct ids, so that they are written again, removed and
      // forgotten many times; short, inline-sized and long ones.
      auto pick_id = [&] {
        auto n = rng() % 300;
        size_t lens[] = {1, 12, 36, id_index::inline_max,
                         id_index::inline_max + 1, 64};
        return id_of(n, std::max(lens[n % 6], std::to_string(n).size()));
      };
      for (int op = 0; op < 200'000; ++op) {
        auto id = pick_id();
        auto cur = ref.find(id);
        switch (rng() % 3) {
          case 0: // written: only if not stored (the channel refuses that)
            if (!cur || !cur->live) {
              xs.add(id, next_seq);
              ref.add(id, next_seq);
              ++next_seq;
            }
            break;
          case 1: // removed with the number it goes by, or a stale one
            if (cur) {
              auto seq = rng() % 4 == 0 ? cur->seq + 1 : cur->seq;
              auto consumed = rng() % 2 == 0;
              xs.remove(id, seq, consumed);
              ref.remove(id, seq, consumed);
            }
            break;
          default:
            break;
        }
        BOOST_REQUIRE_MESSAGE(same(xs.find(id), ref.find(id)),
                              "op " << op << ", id '" << id << "': "
                                    << describe(xs.find(id)) << " instead of "
                                    << describe(ref.find(id)));
        BOOST_REQUIRE_EQUAL(xs.size(), ref.size());
      }
      for (auto& [id, x] : ref.ids())
        BOOST_REQUIRE_MESSAGE(same(xs.find(id), x), "id '" << id << "'");
      for (uint64_t n = 0; n < 300; ++n)
        for (size_t len : {size_t{1}, size_t{36}, size_t{64}}) {
          auto id = id_of(n, len);
          BOOST_REQUIRE(same(xs.find(id), ref.find(id)));
        }
    }
  }
}

BOOST_AUTO_TEST_CASE(ids_a_peer_picks_alike_are_still_told_apart) {
  // UUID-shaped ids that differ in one character, at every position.
  id_index xs{0};
  std::string base = "00000000-0000-4000-8000-000000000000";
  std::vector<std::string> ids;
  for (size_t pos = 0; pos < base.size(); ++pos)
    for (char c : std::string{"0123456789abcdef-"}) {
      if (c == base[pos])
        continue;
      auto id = base;
      id[pos] = c;
      ids.push_back(id);
    }
  uint64_t seq = 1;
  for (auto& id : ids)
    xs.add(id, seq++);
  xs.add(base, seq);
  BOOST_TEST(xs.size() == ids.size() + 1);
  seq = 1;
  for (auto& id : ids)
    BOOST_REQUIRE_EQUAL(describe(xs.find(id)),
                        "seq " + std::to_string(seq++) + " live");
  BOOST_TEST(describe(xs.find(base)) == "seq " + std::to_string(seq) + " live");
}
