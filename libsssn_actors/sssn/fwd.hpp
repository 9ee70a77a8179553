// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <caf/atom.hpp>
#include <caf/fwd.hpp>
#include <caf/replies_to.hpp>
#include <caf/typed_actor.hpp>

/// Forward declarations, atoms and the typed actor interfaces of sssn-actors.
namespace sssn {

// -- classes ------------------------------------------------------------------

class access_policy;
class channel;
class channel_message;
class content;
struct channel_config;
struct channel_stats;
struct delivery;
struct evict_options;
struct message_filter;
struct requester_stats;
struct subscription;
struct write_options;

// -- atoms --------------------------------------------------------------------
// All texts start with "sssn_" so that none collides with CAF's own atoms.

/// Opens a channel for writes.
using start_atom = caf::atom_constant<caf::atom("sssn_start")>;
/// Writes a message to a channel.
using write_atom = caf::atom_constant<caf::atom("sssn_write")>;
/// Shared read with a per-reader cursor.
using read_atom = caf::atom_constant<caf::atom("sssn_read")>;
/// Exclusive read: claims messages for one reader.
using claim_atom = caf::atom_constant<caf::atom("sssn_claim")>;
/// Acknowledges claimed messages (consumed for good).
using ack_atom = caf::atom_constant<caf::atom("sssn_ack")>;
/// Releases claimed messages at once.
using nack_atom = caf::atom_constant<caf::atom("sssn_nack")>;
/// Subscribes an actor for push delivery.
using subscribe_atom = caf::atom_constant<caf::atom("sssn_sub")>;
/// Ends a subscription.
using unsubscribe_atom = caf::atom_constant<caf::atom("sssn_unsub")>;
/// Removes all messages, or those matching a filter.
using clear_atom = caf::atom_constant<caf::atom("sssn_clear")>;
/// Evicts messages by age, then by count.
using evict_atom = caf::atom_constant<caf::atom("sssn_evict")>;
/// Removes messages by id.
using remove_atom = caf::atom_constant<caf::atom("sssn_rm")>;
/// Replaces a channel's authorization policy.
using policy_atom = caf::atom_constant<caf::atom("sssn_acl")>;
/// Graceful stop: no more writes, wait for claims, then stop.
using drain_atom = caf::atom_constant<caf::atom("sssn_drain")>;
/// Immediate stop.
using stop_atom = caf::atom_constant<caf::atom("sssn_stop")>;
/// Asks for statistics.
using stats_atom = caf::atom_constant<caf::atom("sssn_stats")>;
/// Push delivery of one message to a subscriber.
using push_atom = caf::atom_constant<caf::atom("sssn_push")>;
/// Internal timer wake-up (never part of a public interface).
using tick_atom = caf::atom_constant<caf::atom("sssn_tick")>;
/// A channel sends it to itself to push what queued up (never part of a
/// public interface).
using flush_atom = caf::atom_constant<caf::atom("sssn_flush")>;
/// Sent by an owning handle when its last copy goes away (never part of a
/// public interface).
using release_atom = caf::atom_constant<caf::atom("sssn_rel")>;
/// Tells the writer of a one-way write that it failed.
using write_failed_atom = caf::atom_constant<caf::atom("sssn_wfail")>;
/// Presents an access token to a channel (see sssn/token.hpp).
using auth_atom = caf::atom_constant<caf::atom("sssn_auth")>;
/// A late answer from a responder's handler.
using reply_atom = caf::atom_constant<caf::atom("sssn_reply")>;
/// A subscriber returns push credit to its channel (see `return_credit`).
using credit_atom = caf::atom_constant<caf::atom("sssn_credt")>;

// -- actor interfaces ---------------------------------------------------------

/// The interface an actor must offer to receive pushed messages from a
/// channel (see `channel::subscribe`).
using subscriber_actor = caf::typed_actor<caf::reacts_to<push_atom, delivery>>;

/// What the writer of a one-way write must accept: the refusal of the write
/// it numbered `token`.
using write_failed_listener = caf::typed_actor<
  caf::reacts_to<write_failed_atom, uint64_t, caf::error>>;

/// The typed interface of a channel actor. Every operation that names a
/// principal (`sender_id`, `reader_id`, `system_id`, or the administrator of
/// a host operation) takes it as the first `std::string` argument. Most users
/// call it through `sssn::channel` instead.
using channel_actor = caf::typed_actor<
  // start()
  caf::replies_to<start_atom>::with<void>,
  // write(sender_id, message, options): direct write; returns the id.
  caf::replies_to<write_atom, std::string, channel_message,
                  write_options>::with<std::string>,
  // write(sender_id, message, options, token): one-way direct write; on
  // failure the sender gets (write_failed_atom, token, error).
  caf::reacts_to<write_atom, std::string, channel_message, write_options,
                 uint64_t>,
  // write(sender_id, messages, options, token): one-way writes of several
  // messages, each as by the one above, in order; a refused one does not
  // stop the others. What they push goes out batched.
  caf::reacts_to<write_atom, std::string, std::vector<channel_message>,
                 write_options, uint64_t>,
  // write(sender_id, data): wrapped write; returns the new message's id.
  caf::replies_to<write_atom, std::string, content>::with<std::string>,
  // read(reader_id, limit, after): shared read; `after` may be empty.
  caf::replies_to<read_atom, std::string, uint32_t,
                  std::string>::with<std::vector<channel_message>>,
  // read(reader_id, limit, exclusive = true): claims messages.
  caf::replies_to<claim_atom, std::string,
                  uint32_t>::with<std::vector<channel_message>>,
  // acknowledge(reader_id, ids): returns how many were acknowledged.
  caf::replies_to<ack_atom, std::string,
                  std::vector<std::string>>::with<uint64_t>,
  // One-way acknowledge(reader_id, ids, token): nothing comes back unless
  // it fails; then the sender gets (write_failed_atom, token, error).
  caf::reacts_to<ack_atom, std::string, std::vector<std::string>, uint64_t>,
  // nack(reader_id, ids): returns how many were released.
  caf::replies_to<nack_atom, std::string,
                  std::vector<std::string>>::with<uint64_t>,
  // subscribe(system_id, subscriber, options).
  caf::replies_to<subscribe_atom, std::string, subscriber_actor,
                  subscription>::with<void>,
  // unsubscribe(system_id).
  caf::replies_to<unsubscribe_atom, std::string>::with<void>,
  // clear(admin_id, filter): returns how many were removed.
  caf::replies_to<clear_atom, std::string, message_filter>::with<uint64_t>,
  // evict(admin_id, options): returns how many were evicted.
  caf::replies_to<evict_atom, std::string, evict_options>::with<uint64_t>,
  // remove(admin_id, ids): returns how many were removed.
  caf::replies_to<remove_atom, std::string,
                  std::vector<std::string>>::with<uint64_t>,
  // set_policy(admin_id, policy).
  caf::replies_to<policy_atom, std::string, access_policy>::with<void>,
  // drain(admin_id): answers once the drain is done (or the channel stopped).
  caf::replies_to<drain_atom, std::string>::with<void>,
  // stop(admin_id).
  caf::replies_to<stop_atom, std::string>::with<void>,
  // stats().
  caf::replies_to<stats_atom>::with<channel_stats>,
  // authenticate(token): opens a session for the token's subject from the
  // sender's node; `ec::not_authorized` if the token is not good here.
  caf::replies_to<auth_atom, std::string>::with<void>,
  // return_credit(credit_token, n): a subscriber handled `n` deliveries of
  // the subscription `credit_token` names (see `delivery::credit_token`).
  caf::reacts_to<credit_atom, uint64_t, uint32_t>>;

} // namespace sssn
