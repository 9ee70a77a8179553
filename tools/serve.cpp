// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// `sssn serve`: hosts a channel on a port, with the built-in compute
// responder, a responder that never answers (a test aid), or none at all
// (a bare channel that user programs answer on), until SIGINT or SIGTERM.

#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cli.hpp"
#include "sssn/caf_build.hpp"

namespace sssn::cli {

namespace {

// -- the built-in compute service -------------------------------------------

struct compute_request {
  double a = 0;
  double b = 0;
  std::string operation = "add";
};
SSSN_CONTENT(compute_request, a, b, operation)
SSSN_CONTENT_DEFAULTS(compute_request, operation)

struct compute_response {
  double result = 0;
  std::optional<std::string> error;
};
SSSN_CONTENT(compute_response, result, error)

caf::expected<compute_response> compute(const compute_request& req) {
  if (req.operation == "add")
    return compute_response{req.a + req.b, std::nullopt};
  if (req.operation == "mul")
    return compute_response{req.a * req.b, std::nullopt};
  return sssn::fail("Unknown operation: " + req.operation);
}

struct serve_options {
  std::string host = "127.0.0.1";
  int port = 0;
  bool insecure = false;
  std::string channel = "compute-request";
  std::string responder = "compute";
  std::string auth_secret_file;
  tls_options tls;
};

int serve(caf::actor_system& sys, const serve_options& opts,
          const sigset_t& stop_signals) {
  auto request_ch = sssn::spawn_channel(sys, opts.channel);
  if (auto ok = request_ch.start(); !ok) {
    std::cerr << "error: cannot start channel '" << opts.channel
              << "': " << sssn::error_message(ok.error()) << '\n';
    return exit_failure;
  }
  // Promises of the `hold` responder: kept (never answered) until shutdown.
  struct held_promises {
    std::mutex mtx;
    std::vector<sssn::reply_promise> xs;
  };
  auto held = std::make_shared<held_promises>();
  sssn::responder_config rcfg;
  rcfg.sender_id = "sssn-serve";
  if (opts.responder == "hold") {
    sssn::spawn_responder(
      sys, request_ch,
      [held](const sssn::content&, const sssn::reply_promise& rp) {
        std::lock_guard<std::mutex> guard{held->mtx};
        held->xs.push_back(rp);
      },
      rcfg);
  } else if (opts.responder == "compute") {
    sssn::spawn_responder(sys, request_ch, compute, rcfg);
  }
  // `none`: the channel only stores and pushes; programs on other nodes
  // subscribe (as a responder group, or plainly) and answer themselves.
  sssn::node_config ncfg;
  ncfg.host = opts.host;
  ncfg.port = static_cast<uint16_t>(opts.port);
  ncfg.insecure = opts.insecure;
  auto node = sssn::node::start(sys, ncfg);
  if (!node) {
    std::cerr << "error: " << sssn::error_message(node.error()) << '\n';
    return exit_failure;
  }
  if (auto ok = node->publish(request_ch); !ok) {
    std::cerr << "error: " << sssn::error_message(ok.error()) << '\n';
    node->stop();
    return exit_failure;
  }
  // Which CAF this node runs on (hardened or Debian's, see README
  // "Distributed"): on stderr, so that stdout's first line stays the
  // `listening on` line that scripts wait for.
  std::cerr << "sssn serve: runs on " << sssn::caf_build_description()
            << std::endl;
  std::cerr << "sssn serve: channel '" << opts.channel << "', responder "
            << opts.responder << std::endl;
  std::cout << "listening on " << address(opts.host, node->port())
            << std::endl; // flushes: scripts wait for this line
  int sig = 0;
  while (sigwait(&stop_signals, &sig) != 0) {
    // EINTR cannot happen for sigwait per POSIX, but be safe.
  }
  std::cerr << "sssn serve: stopping (" << signal_name(sig) << ")\n";
  node->stop();
  {
    std::lock_guard<std::mutex> guard{held->mtx};
    held->xs.clear();
  }
  // Leaving drops the channel handle: the channel stops, its responder
  // follows, and the actor system shuts down.
  return exit_ok;
}

int run_serve(const common_options& common, const serve_options& opts) {
  // Block the stop signals before CAF starts any thread, so that every
  // thread inherits the mask and only `sigwait` below sees them.
  auto stop_signals = block_stop_signals();
  sssn::config cfg;
  if (auto rc = configure(cfg, common, opts.tls))
    return *rc;
  if (!opts.auth_secret_file.empty())
    cfg.set(sssn::auth_secret_file_option, opts.auth_secret_file);
  caf::actor_system sys{cfg};
  shutdown_deadline deadline;
  return deadline.exit_with(serve(sys, opts, stop_signals));
}

} // namespace

command add_serve_command(CLI::App& app, const common_options& common) {
  auto opts = std::make_shared<serve_options>();
  auto cmd = app.add_subcommand(
    "serve", "host a channel on a port, with a built-in compute responder "
             "(add, mul) or none; prints 'listening on HOST:PORT' once ready "
             "and serves until SIGINT or SIGTERM");
  cmd
    ->add_option("--host", opts->host,
                 "address to listen on; a non-loopback address needs TLS or "
                 "--insecure")
    ->capture_default_str();
  add_port_option(cmd, opts->port, false);
  cmd->add_flag("--insecure", opts->insecure,
                "allow a non-loopback address without TLS (any peer that "
                "reaches the port can stop the node)");
  cmd->add_option("--channel", opts->channel, "id of the channel to host")
    ->capture_default_str();
  cmd
    ->add_option("--responder", opts->responder,
                 "compute: answers {a, b, operation} with {result}; none: no "
                 "responder, a bare channel that your own programs answer on "
                 "(as a responder group); hold: never answers (a test aid)")
    ->check(CLI::IsMember({"compute", "none", "hold"}))
    ->capture_default_str();
  cmd
    ->add_option("--auth-secret-file", opts->auth_secret_file,
                 "file holding the HMAC secret of access tokens: every "
                 "operation from another node then needs a token (see "
                 "'sssn token'); same as sssn.auth-secret-file in CAF's "
                 "settings")
    ->check(CLI::ExistingFile);
  add_tls_options(cmd, opts->tls);
  return {cmd, [&common, opts] { return run_serve(common, *opts); }};
}

} // namespace sssn::cli
