// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The tokens this process presents to channels, per channel and subject.

#include "sssn/detail/token_proof.hpp"

#include <map>
#include <set>
#include <mutex>
#include <tuple>

#include <caf/actor_system.hpp>
#include <caf/node_id.hpp>

#include "sssn/token.hpp"

namespace sssn::detail {

std::atomic<size_t> remembered_tokens{0};

namespace {

/// Names a channel as one actor system sees it (two systems of one process
/// share a node id and may reuse actor ids) and a subject.
using proof_key
  = std::tuple<const caf::actor_system*, caf::node_id, caf::actor_id,
               std::string>;

struct remembered {
  std::string token;
};

/// Names a channel as one actor system sees it.
using channel_key
  = std::tuple<const caf::actor_system*, caf::node_id, caf::actor_id>;

std::mutex mtx;
std::map<proof_key, remembered> tokens;
/// The channels that tokens are remembered for: when one terminates (or,
/// for another node's, its proxy goes), its tokens are forgotten, so that
/// nothing is left for an actor system that may later live at the same
/// address and reuse the actor id.
std::set<channel_key> watched;

/// Forgets every token of `ch`.
void forget(const channel_key& ch) {
  std::lock_guard<std::mutex> guard{mtx};
  watched.erase(ch);
  auto& [sys, node, id] = ch;
  auto i = tokens.lower_bound(proof_key{sys, node, id, std::string{}});
  while (i != tokens.end() && std::get<0>(i->first) == sys
         && std::get<1>(i->first) == node && std::get<2>(i->first) == id)
    i = tokens.erase(i);
  remembered_tokens.store(tokens.size(), std::memory_order_relaxed);
}

proof_key key_of(const caf::strong_actor_ptr& channel, std::string subject) {
  return proof_key{channel->home_system, channel->node(), channel->id(),
                   std::move(subject)};
}

} // namespace

bool remember_token(const caf::strong_actor_ptr& channel,
                    const std::string& token) {
  auto label = peek_token(token);
  if (!channel || !label)
    return false;
  channel_key ch{channel->home_system, channel->node(), channel->id()};
  bool watch = false;
  {
    std::lock_guard<std::mutex> guard{mtx};
    tokens.insert_or_assign(key_of(channel, std::move(label->subject)),
                            remembered{token});
    remembered_tokens.store(tokens.size(), std::memory_order_relaxed);
    watch = watched.insert(ch).second;
  }
  // Outside the lock: CAF runs a functor attached to an actor that has
  // terminated already at once, on this thread.
  if (watch)
    channel->get()->attach_functor([ch] { forget(ch); });
  return true;
}

std::string prove_slow(const caf::strong_actor_ptr& channel,
                       const std::string& principal) {
  if (!channel)
    return principal;
  std::lock_guard<std::mutex> guard{mtx};
  auto i = tokens.find(key_of(channel, principal));
  // An expired token goes along too: the channel then says that it expired.
  if (i == tokens.end())
    return principal;
  std::string result;
  result.reserve(principal.size() + 1 + i->second.token.size());
  result += principal;
  result += proof_separator;
  result += i->second.token;
  return result;
}

} // namespace sssn::detail
