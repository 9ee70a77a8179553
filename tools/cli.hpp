// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// What the subcommands of the `sssn` command share: exit codes, the options
// every client or server takes (TLS, the node's address, tokens), reading
// CAF's settings, `--data` (inline, @file or - for stdin), the stop signals
// and the connection to a remote channel. One file per subcommand
// (serve.cpp, request.cpp, sub.cpp, bench.cpp, stats.cpp, token.cpp) adds
// its options with `add_<name>_command`; sssn.cpp puts them together.

#include <signal.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <CLI/CLI.hpp>

#include <caf/actor_system.hpp>
#include <caf/timespan.hpp>

#include "sssn/all.hpp"

namespace sssn::cli {

// -- exit codes -----------------------------------------------------------------

/// Success.
constexpr int exit_ok = 0;

/// Runtime failure: cannot start, cannot connect, error reply, timeout.
constexpr int exit_failure = 1;

/// Usage error: unknown option, bad value, bad or unreadable `--data`.
constexpr int exit_usage = 2;

// -- options ----------------------------------------------------------------------

/// Options of the program, before or after the subcommand.
struct common_options {
  /// CAF settings file; empty: caf-application.ini if present.
  std::string caf_config;
};

struct tls_options {
  std::string cert;
  std::string key;
  std::string ca;
  std::string passphrase;
};

/// Where a client finds its channel, and how it proves itself.
struct remote_options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string channel = "compute-request";
  /// Seconds to wait for the node (and, for `request` and `bench`, for each
  /// reply).
  double timeout = 5;
  /// Access token (or the file holding it) for a node that requires one.
  std::string token;
  std::string token_file;
  tls_options tls;
};

/// One subcommand: its CLI11 app and what runs it once parsed.
struct command {
  CLI::App* app = nullptr;
  std::function<int()> run;
};

/// Seconds between 1 ms and 1e6 s, and finite (`CLI::Range` alone lets NaN
/// through, which then waited forever).
const CLI::Validator& timeout_seconds();

/// Adds `--tls-cert`, `--tls-key`, `--tls-ca` and `--tls-passphrase`.
void add_tls_options(CLI::App* cmd, tls_options& tls);

/// Adds `--port`: required for clients, 0 (a free one) by default for
/// `serve`.
void add_port_option(CLI::App* cmd, int& port, bool required);

/// Adds `--host`, `--port`, `--channel`, `--timeout` and the TLS options,
/// and with `with_token` also `--token` and `--token-file` (whose subject
/// `token_subject` says).
void add_remote_options(CLI::App* cmd, remote_options& opts,
                        const std::string& timeout_help, bool with_token,
                        const std::string& token_subject = {});

/// Adds `--data` (JSON inline, `@FILE` or `-` for stdin) storing into
/// `data`.
void add_data_option(CLI::App* cmd, std::string& data);

// -- start-up ---------------------------------------------------------------------

/// Reads CAF's settings (caf-application.ini, or `--caf-config`) into `cfg`
/// and applies the `--tls-*` options on top. Prints the error and returns
/// an exit code on failure.
std::optional<int> configure(sssn::config& cfg, const common_options& common,
                             const tls_options& tls);

/// Turns the value of `--data` into content: JSON text as given, `@FILE`
/// read from FILE, `-` read from stdin (at most the content size limit).
/// Prints the error (naming the file) and returns nothing on failure.
std::optional<sssn::content> load_data(const std::string& arg);

/// Reads the token of `opts.token_file` into `opts.token`, if given. Prints
/// the error and returns false on failure.
bool load_token(remote_options& opts);

/// Converts seconds to a CAF timespan.
caf::timespan seconds(double x);

/// Blocks SIGINT and SIGTERM in this thread (and in every thread started
/// after, so call it before the actor system exists) and returns the set,
/// for `wait_for_signal`.
sigset_t block_stop_signals();

/// Waits at most `timeout` for one of `signals`; returns it, or 0.
int wait_for_signal(const sigset_t& signals, std::chrono::milliseconds timeout);

/// Returns "SIGINT", "SIGTERM" or "signal N".
std::string signal_name(int sig);

// -- shutting down ----------------------------------------------------------------------

/// Bounds the shutdown of the actor system once a command is done. Declare
/// it right after the `caf::actor_system`: its destructor runs first and
/// gives the system's destructor `grace` to return; if it has not by then,
/// says so on stderr and ends the process with the command's exit code.
/// Debian's CAF 0.17.6 can keep a TLS connection in its handshake (a
/// listener that never answers) and then never finishes its shutdown: the
/// command would hang after printing its error (docs/caf-0.17-notes.md).
class shutdown_deadline {
public:
  explicit shutdown_deadline(std::chrono::seconds grace
                             = std::chrono::seconds{5})
    : grace_(grace) {
    // nop
  }

  shutdown_deadline(const shutdown_deadline&) = delete;
  shutdown_deadline& operator=(const shutdown_deadline&) = delete;

  ~shutdown_deadline();

  /// Records the command's exit code (the process ends with it if the
  /// shutdown overruns; exit_failure until recorded) and returns it.
  int exit_with(int rc) {
    rc_ = rc;
    return rc;
  }

private:
  std::chrono::seconds grace_;
  int rc_ = exit_failure;
};

// -- remote channels ------------------------------------------------------------------

/// A channel on another node and that node.
struct remote_channel {
  sssn::remote_node node;
  sssn::channel channel;
};

/// Connects to the node of `opts`, looks up `opts.channel` and, with a
/// token, authenticates on it. Prints the error and returns nothing on
/// failure.
std::optional<remote_channel> open_remote_channel(caf::actor_system& sys,
                                                  const remote_options& opts);

/// Returns "host:port" with IPv6 addresses in brackets.
std::string address(const std::string& host, int port);

// -- the subcommands ----------------------------------------------------------------

command add_serve_command(CLI::App& app, const common_options& common);
command add_request_command(CLI::App& app, const common_options& common);
command add_sub_command(CLI::App& app, const common_options& common);
command add_bench_command(CLI::App& app, const common_options& common);
command add_stats_command(CLI::App& app, const common_options& common);
command add_token_command(CLI::App& app);

} // namespace sssn::cli
