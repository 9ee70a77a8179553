// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <caf/error.hpp>
#include <caf/meta/load_callback.hpp>
#include <caf/meta/type_name.hpp>
#include <caf/none.hpp>

#include "sssn/channel_message.hpp"
#include "sssn/detail/delivery_sink.hpp"
#include "sssn/detail/inspect.hpp"
#include "sssn/fwd.hpp"

namespace sssn {

// -- options of single operations ----------------------------------------------

/// Options of a direct write.
struct write_options {
  /// Handle of the channel named by the message's `reply_to`, carried beside
  /// the id so that responders on other nodes need no name lookup.
  channel_actor reply_channel;

  /// Fail with `ec::no_responders` instead of storing the message when the
  /// channel has no push subscriber and no live group member.
  bool require_responders = false;
};

/// @relates write_options
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, write_options& x) {
  return detail::inspect_counted(f, caf::meta::type_name("sssn::write_options"),
                                 x.reply_channel, x.require_responders);
}

/// One message pushed to a subscriber.
struct delivery {
  /// Id of the channel that pushes.
  std::string channel_id;

  /// The message.
  channel_message message;

  /// Handle of the channel named by `message.reply_to()`, when the writer
  /// gave one.
  channel_actor reply_channel;

  /// Whether the message is claimed for this subscriber as a responder group
  /// member: it must `acknowledge` (or `nack`) it.
  bool claimed = false;

  /// The channel that pushes, where credit goes back.
  channel_actor source;

  /// Names the plain subscription that this delivery used credit of (0: no
  /// credit to return, as for group members, whose credit comes back with
  /// `acknowledge`). A subscriber hands it back with `sssn::return_credit`
  /// or a `sssn::credit_returner` once it has handled the delivery.
  uint64_t credit_token = 0;

  /// The subscription's credit window: how many deliveries the channel
  /// pushes before it waits for credit.
  uint32_t credit_window = 0;

  /// Whether the channel ended the subscription instead of pushing
  /// (`subscriber_overflow::evict`): `message` then carries error content
  /// (`ec::overloaded`) saying why, and nothing more follows.
  bool ended = false;

  /// Whether the message came from a writer that had to prove itself with a
  /// token (another node, or a sender a peer could forge) on a channel with
  /// tokens. A responder writes its reply into a channel of its own process
  /// (named by `reply_to` or given as `reply_channel`) only for requests
  /// written in that process: otherwise a peer could have it write, with
  /// its in-process authority, where the peer itself may not.
  bool from_peer = false;
};

/// @relates delivery
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, delivery& x) {
  return detail::inspect_counted(f, caf::meta::type_name("sssn::delivery"),
                                 x.channel_id, x.message, x.reply_channel,
                                 x.claimed, x.source, x.credit_token,
                                 x.credit_window, x.ended, x.from_peer);
}

/// How a subscriber receives pushes.
struct subscription {
  /// Only messages whose correlation id starts with this prefix are pushed
  /// (empty: all messages).
  std::string correlation_prefix;

  /// Name of a responder group to join (empty: plain subscriber, which gets
  /// every message). Members of a group compete: each message goes to one
  /// live member, claimed for it until acknowledged. A channel has at most
  /// one group.
  std::string group;

  /// For group members: how many unacknowledged messages the member may hold
  /// at once. Messages beyond that wait in the channel.
  uint32_t credit = 32;

  /// Refuse the subscription (`ec::not_accepting_writes`) unless the
  /// channel accepts writes now. A requester subscribes so to its response
  /// channel: calls through a channel that was never started fail at once
  /// instead of waiting for their deadline.
  bool require_accepting = false;

  /// The subscriber is the one that asked for the messages its filter
  /// selects (a requester, whose correlation prefix is its own): once
  /// such a message is pushed to it, it is consumed, and a channel without
  /// `channel_config::keep_history` drops it. Needs a correlation prefix.
  bool consume = false;

  /// The subscriber also handles `(push_atom, std::vector<delivery>)`: when
  /// deliveries for it queue up (under load), the channel pushes them in one
  /// message, in order; with one message at a time nothing waits. Only for
  /// a subscriber in the channel's own process: it is not part of the wire
  /// form (a subscription from another node arrives without it, and a
  /// subscriber on another node gets one delivery per message).
  bool batch = false;

  /// Internal (the requester's reply path): a plain subscriber in the
  /// channel's process whose deliveries the channel hands to this sink on
  /// its own thread instead of pushing them as messages. Not part of the
  /// wire form, like `batch`.
  std::shared_ptr<detail::delivery_sink> sink;
};

/// @relates subscription
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, subscription& x) {
  return detail::inspect_counted(f, caf::meta::type_name("sssn::subscription"),
                                 x.correlation_prefix, x.group, x.credit,
                                 x.require_accepting, x.consume);
}

/// Selects messages for `clear`. Empty fields match everything; a message
/// matches when every set field matches.
struct message_filter {
  /// Exact sender id.
  std::string sender_id;
  /// Prefix of the correlation id.
  std::string correlation_prefix;
  /// Exact recipient id.
  std::string recipient_id;
  /// Written strictly before this Unix time in nanoseconds (0: any time).
  int64_t before_ns = 0;

  /// Returns whether no field is set.
  bool matches_all() const {
    return sender_id.empty() && correlation_prefix.empty()
           && recipient_id.empty() && before_ns == 0;
  }
};

/// @relates message_filter
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, message_filter& x) {
  return detail::inspect_counted(f,
                                 caf::meta::type_name("sssn::message_filter"),
                                 x.sender_id, x.correlation_prefix,
                                 x.recipient_id, x.before_ns);
}

/// Arguments of `evict`: first every message strictly older than `before`,
/// then the oldest ones until at most `max_count` remain. Claimed messages
/// and messages waiting for a group member are never evicted.
struct evict_options {
  std::optional<int64_t> before_ns;
  std::optional<uint64_t> max_count;
};

/// @relates evict_options
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, evict_options& x) {
  bool has_before = x.before_ns.has_value();
  int64_t before = x.before_ns.value_or(0);
  bool has_max = x.max_count.has_value();
  uint64_t max = x.max_count.value_or(0);
  auto load = [&]() -> caf::error {
    x.before_ns = has_before ? std::optional<int64_t>{before} : std::nullopt;
    x.max_count = has_max ? std::optional<uint64_t>{max} : std::nullopt;
    return caf::none;
  };
  return detail::inspect_counted(f, caf::meta::type_name("sssn::evict_options"),
                                 has_before, before, has_max, max,
                                 caf::meta::load_callback(load));
}

/// Counters and gauges of one channel.
struct channel_stats {
  std::string id;
  std::string name;
  /// Whether the channel accepts writes.
  bool accepting = false;
  /// Messages accepted by `write`.
  uint64_t writes = 0;
  /// Messages returned by shared and exclusive reads.
  uint64_t reads = 0;
  /// Messages pushed to subscribers.
  uint64_t pushes = 0;
  /// Operations refused with an error (any reason).
  uint64_t refused = 0;
  /// Refusals for lack of authorization.
  uint64_t unauthorized = 0;
  /// Messages evicted by retention or `evict`.
  uint64_t evicted = 0;
  /// Claims that expired and were released.
  uint64_t expired_claims = 0;
  /// Messages stored now.
  uint64_t stored = 0;
  /// Messages claimed now.
  uint64_t claimed = 0;
  /// Plain push subscribers now.
  uint64_t subscribers = 0;
  /// Live responder group members now.
  uint64_t group_members = 0;
  /// Readers with a cursor now.
  uint64_t readers = 0;
  /// Tokens accepted by `authenticate`.
  uint64_t authentications = 0;
  /// Operations refused for a missing, expired, forged, wrong-channel or
  /// wrong-subject token (also counted in `unauthorized`).
  uint64_t token_refusals = 0;
  /// Subscriptions and group memberships ended because their token expired.
  uint64_t expired_subscriptions = 0;
  /// Subscriptions and group memberships that a token made, now: each ends
  /// when its token expires unless a newer token of its subject renews it.
  uint64_t token_bound = 0;
  /// Operations refused with `ec::overloaded` (writes when retention is
  /// full of work that may not be evicted, also counted in `refused`).
  uint64_t overloaded = 0;
  /// Deliveries pushed to plain subscribers whose credit has not come back
  /// yet, now (at most `subscriber_credit` per subscriber).
  uint64_t in_flight = 0;
  /// Plain subscribers out of credit now, whose pushes wait in the channel.
  uint64_t waiting = 0;
  /// Subscriptions ended for lack of credit (`subscriber_overflow::evict`).
  uint64_t dropped_subscribers = 0;
  /// Subscriptions ended because their subscriber, out of credit, returned
  /// none within `subscriber_credit_timeout`.
  uint64_t stalled_subscribers = 0;
  /// Messages a waiting subscriber never got because a host operation
  /// (`clear`, `remove`) removed them before its credit came back.
  uint64_t skipped = 0;
  /// Subscribers and group members on other nodes that CAF reported down:
  /// their subscriptions ended. CAF 0.17 reports a lost connection and a
  /// peer's BASP down message naming them alike (see docs/security.md).
  uint64_t remote_downs = 0;
  /// Calls failed with `no_responders` because the channel's last
  /// responder went and none came back within `no_responder_grace`.
  uint64_t abandoned_calls = 0;
  /// Messages dropped once acknowledged (answered requests, finished work),
  /// because the channel does not keep history (`keep_history`).
  uint64_t dropped_acknowledged = 0;
  /// Messages dropped once pushed to the subscriber that asked for them
  /// (replies delivered to their requester), because the channel does not
  /// keep history.
  uint64_t dropped_delivered = 0;
};

/// @relates channel_stats
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, channel_stats& x) {
  return detail::inspect_counted(f, caf::meta::type_name("sssn::channel_stats"),
                                 x.id, x.name, x.accepting, x.writes, x.reads,
                                 x.pushes, x.refused, x.unauthorized, x.evicted,
                                 x.expired_claims, x.stored, x.claimed,
                                 x.subscribers, x.group_members, x.readers,
                                 x.authentications, x.token_refusals,
                                 x.expired_subscriptions, x.token_bound,
                                 x.overloaded, x.in_flight, x.waiting,
                                 x.dropped_subscribers, x.stalled_subscribers,
                                 x.skipped, x.remote_downs,
                                 x.abandoned_calls, x.dropped_acknowledged,
                                 x.dropped_delivered);
}

} // namespace sssn
