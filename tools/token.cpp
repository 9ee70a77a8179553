// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// `sssn token`: issues an access token and prints it.

#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include "cli.hpp"

namespace sssn::cli {

namespace {

struct token_options {
  std::string secret_file;
  std::string subject;
  std::vector<std::string> channels;
  std::string role = "write";
  int64_t ttl = 3600;
};

int run_token(const token_options& opts) {
  auto secret = sssn::load_secret(opts.secret_file);
  if (!secret) {
    std::cerr << "error: " << sssn::error_message(secret.error()) << '\n';
    return exit_failure;
  }
  sssn::token_claims claims;
  claims.subject = opts.subject;
  claims.channels = opts.channels;
  claims.granted = opts.role == "admin"  ? sssn::role::admin
                   : opts.role == "read" ? sssn::role::read
                                         : sssn::role::write;
  claims.issued_at = sssn::unix_now();
  claims.expires_at = claims.issued_at + opts.ttl;
  auto token = sssn::issue_token(*secret, claims);
  if (!token) {
    std::cerr << "error: " << sssn::error_message(token.error()) << '\n';
    return exit_usage;
  }
  std::cout << *token << std::endl;
  return exit_ok;
}

} // namespace

command add_token_command(CLI::App& app) {
  auto opts = std::make_shared<token_options>();
  auto cmd = app.add_subcommand(
    "token", "issue an access token (a JWT signed with HMAC-SHA256) and "
             "print it");
  cmd
    ->add_option("--secret-file", opts->secret_file,
                 "file holding the node's secret (at least 32 bytes)")
    ->check(CLI::ExistingFile)
    ->required();
  cmd
    ->add_option("--subject", opts->subject,
                 "the sender, reader or system id the token is for")
    ->required();
  cmd
    ->add_option("--channel", opts->channels,
                 "a channel id the token is good for; repeat for more, '*' "
                 "for all")
    ->required();
  cmd
    ->add_option("--role", opts->role,
                 "the most the subject may do: read, write or admin")
    ->check(CLI::IsMember({"read", "write", "admin"}))
    ->capture_default_str();
  cmd->add_option("--ttl", opts->ttl, "seconds until the token expires")
    ->check(CLI::Range(int64_t{1}, int64_t{10} * 365 * 24 * 3600))
    ->capture_default_str();
  return {cmd, [opts] { return run_token(*opts); }};
}

} // namespace sssn::cli
