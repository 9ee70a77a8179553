// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// `sssn request`: connects to a node, sends one request and prints the reply
// as JSON.

#include <iostream>
#include <memory>
#include <string>

#include "cli.hpp"

namespace sssn::cli {

namespace {

struct request_options {
  remote_options remote;
  std::string data = R"({"a":7,"b":35})";
  std::string sender = "cli";
};

int request(caf::actor_system& sys, const request_options& opts,
            sssn::content data) {
  auto target = open_remote_channel(sys, opts.remote);
  if (!target)
    return exit_failure;
  // The reply comes back over the same connection: the request carries the
  // handle of this local channel, so the client publishes nothing.
  auto response_ch = sssn::spawn_channel(sys, "sssn-cli.response");
  if (auto ok = response_ch.start(); !ok) {
    std::cerr << "error: " << sssn::error_message(ok.error()) << '\n';
    return exit_failure;
  }
  auto reply = sssn::request_via_channel(target->channel, response_ch,
                                         opts.sender, std::move(data),
                                         seconds(opts.remote.timeout));
  if (!reply) {
    std::cerr << "error: " << sssn::error_message(reply.error()) << '\n';
    return exit_failure;
  }
  auto& content = reply->content();
  if (content.is_error()) {
    std::cerr << "error: " << sssn::error_message(content.error()) << '\n';
    return exit_failure;
  }
  std::cout << content.to_json() << std::endl;
  return exit_ok;
}

int run_request(const common_options& common, request_options opts) {
  if (!load_token(opts.remote))
    return exit_usage;
  auto data = load_data(opts.data);
  if (!data)
    return exit_usage;
  sssn::config cfg;
  if (auto rc = configure(cfg, common, opts.remote.tls))
    return *rc;
  caf::actor_system sys{cfg};
  shutdown_deadline deadline;
  return deadline.exit_with(request(sys, opts, std::move(*data)));
}

} // namespace

command add_request_command(CLI::App& app, const common_options& common) {
  auto opts = std::make_shared<request_options>();
  auto cmd = app.add_subcommand(
    "request", "connect to a node, send one request and print the reply as "
               "JSON (an error reply or failure: 'error: ...' on stderr, exit "
               "code 1)");
  add_remote_options(cmd, opts->remote,
                     "seconds to wait for the reply (and for the node)", true,
                     "--sender");
  add_data_option(cmd, opts->data);
  cmd->add_option("--sender", opts->sender, "sender id")
    ->capture_default_str();
  return {cmd, [&common, opts] { return run_request(common, *opts); }};
}

} // namespace sssn::cli
