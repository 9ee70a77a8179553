// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// `sssn stats`: prints a channel's counters and its node's, as `name: value`
// lines or, with --json, as one JSON object.

#include <iostream>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace sssn::cli {

namespace {

struct stats_options {
  remote_options remote;
  bool json = false;
};

/// The channel's counters, then the node's (`node`: process-wide, see
/// sssn/refusals.hpp), in the order of `channel_stats`.
nlohmann::ordered_json to_json(const sssn::channel_stats& st,
                               const sssn::node_stats& node_st) {
  nlohmann::ordered_json j;
  j["id"] = st.id;
  j["name"] = st.name;
  j["accepting"] = st.accepting;
  j["writes"] = st.writes;
  j["reads"] = st.reads;
  j["pushes"] = st.pushes;
  j["refused"] = st.refused;
  j["unauthorized"] = st.unauthorized;
  j["evicted"] = st.evicted;
  j["expired_claims"] = st.expired_claims;
  j["stored"] = st.stored;
  j["claimed"] = st.claimed;
  j["subscribers"] = st.subscribers;
  j["group_members"] = st.group_members;
  j["readers"] = st.readers;
  j["authentications"] = st.authentications;
  j["token_refusals"] = st.token_refusals;
  j["expired_subscriptions"] = st.expired_subscriptions;
  j["token_bound"] = st.token_bound;
  j["overloaded"] = st.overloaded;
  j["in_flight"] = st.in_flight;
  j["waiting"] = st.waiting;
  j["dropped_subscribers"] = st.dropped_subscribers;
  j["stalled_subscribers"] = st.stalled_subscribers;
  j["skipped"] = st.skipped;
  j["remote_downs"] = st.remote_downs;
  j["abandoned_calls"] = st.abandoned_calls;
  j["dropped_acknowledged"] = st.dropped_acknowledged;
  j["dropped_delivered"] = st.dropped_delivered;
  auto& node = j["node"];
  node["published"] = node_st.published;
  node["directory_refused"] = node_st.directory_refused;
  node["undecodable"] = node_st.refusals.undecodable;
  node["unexpected"] = node_st.refusals.unexpected;
  node["ignored_exits"] = node_st.refusals.ignored_exits;
  node["forged_downs"] = node_st.refusals.forged_downs;
  // Counted by a hardened CAF (0 on Debian's; docs/caf-patches.md).
  node["caf_forged_downs"] = node_st.refusals.caf_forged_downs;
  node["caf_forged_senders"] = node_st.refusals.caf_forged_senders;
  return j;
}

/// Prints `j` as `name: value` lines, the node's as `node.name: value`.
void print_lines(const nlohmann::ordered_json& j, const std::string& prefix) {
  for (auto& [key, value] : j.items()) {
    if (value.is_object()) {
      print_lines(value, prefix + key + ".");
      continue;
    }
    std::cout << prefix << key << ": "
              << (value.is_string() ? value.get<std::string>()
                                    : value.dump())
              << '\n';
  }
}

int stats(caf::actor_system& sys, const stats_options& opts) {
  auto target = open_remote_channel(sys, opts.remote);
  if (!target)
    return exit_failure;
  auto st = target->channel.stats();
  if (!st) {
    std::cerr << "error: " << sssn::error_message(st.error()) << '\n';
    return exit_failure;
  }
  auto node_st = target->node.stats();
  if (!node_st) {
    std::cerr << "error: " << sssn::error_message(node_st.error()) << '\n';
    return exit_failure;
  }
  auto j = to_json(*st, *node_st);
  if (opts.json)
    std::cout << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace)
              << '\n';
  else
    print_lines(j, "");
  std::cout << std::flush;
  return exit_ok;
}

int run_stats(const common_options& common, const stats_options& opts) {
  sssn::config cfg;
  if (auto rc = configure(cfg, common, opts.remote.tls))
    return *rc;
  caf::actor_system sys{cfg};
  shutdown_deadline deadline;
  return deadline.exit_with(stats(sys, opts));
}

} // namespace

command add_stats_command(CLI::App& app, const common_options& common) {
  auto opts = std::make_shared<stats_options>();
  opts->remote.timeout = 10;
  auto cmd = app.add_subcommand(
    "stats", "connect to a node and print a channel's stats, then the "
             "node's (node.*: what it refused from peers), one 'name: "
             "value' per line, or one JSON object with --json");
  add_remote_options(cmd, opts->remote, "seconds to wait for the node",
                     false);
  cmd->add_flag("--json", opts->json,
                "print one JSON object (the node's counters under \"node\")");
  return {cmd, [&common, opts] { return run_stats(common, *opts); }};
}

} // namespace sssn::cli
