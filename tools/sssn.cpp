// The `sssn` command: hosts channels on a port, sends one request, or prints
// a channel's stats, for trying sssn-actors from a shell.
//
//   sssn serve   [--host=127.0.0.1] [--port=0] [--insecure] [TLS options]
//                [--channel=compute-request] [--responder=compute|hold]
//                [--auth-secret-file=FILE]
//   sssn request --port=N [--host=...] [--channel=compute-request]
//                [--data='{"a":7,"b":35}'] [--sender=cli] [--timeout=5]
//                [--token=JWT | --token-file=FILE] [TLS options]
//   sssn token   --secret-file=FILE --subject=ID --channel=ID...
//                [--role=write] [--ttl=3600]
//   sssn stats   --port=N [--host=...] [--channel=compute-request]
//                [TLS options]
//
// The command line is parsed with CLI11, not with CAF's parser: CAF 0.17's
// parser has no subcommands and silently ignores unknown options (they land
// in `remainder`), and it accepts long options only as `--name=value`. CAF's
// own settings (scheduler, middleman, `openssl.*`) still come from
// `caf-application.ini` in the working directory, or from the file given
// with `--caf-config=FILE`; the `--tls-*` options override its `openssl.*`
// entries.
//
// Exit codes: 0 success, 1 runtime failure (cannot start, cannot connect,
// error reply, timeout), 2 usage error (unknown option, bad value, bad
// `--data`).

#include <signal.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/pec.hpp>

#include "sssn/all.hpp"
#include "sssn/caf_build.hpp"

#ifndef SSSN_VERSION
#  define SSSN_VERSION "unknown"
#endif

namespace {

/// Seconds between 1 ms and 1e6 s. `CLI::Range` alone lets NaN through
/// (every comparison with NaN is false), which then waited forever.
const CLI::Validator timeout_seconds
  = CLI::Validator(
      [](std::string& x) -> std::string {
        double value = 0;
        if (!CLI::detail::lexical_cast(x, value) || !std::isfinite(value))
          return "timeout must be a finite number of seconds, not '" + x + "'";
        return {};
      },
      "SECONDS")
    & CLI::Range(0.001, 1e6);

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

// -- options ------------------------------------------------------------------

constexpr int exit_ok = 0;
constexpr int exit_failure = 1;
constexpr int exit_usage = 2;

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

struct serve_options {
  std::string host = "127.0.0.1";
  int port = 0;
  bool insecure = false;
  std::string channel = "compute-request";
  std::string responder = "compute";
  std::string auth_secret_file;
  tls_options tls;
};

struct request_options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string channel = "compute-request";
  std::string data = R"({"a":7,"b":35})";
  std::string sender = "cli";
  double timeout = 5;
  std::string token;
  std::string token_file;
  tls_options tls;
};

struct token_options {
  std::string secret_file;
  std::string subject;
  std::vector<std::string> channels;
  std::string role = "write";
  int64_t ttl = 3600;
};

struct stats_options {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string channel = "compute-request";
  double timeout = 10;
  tls_options tls;
};

void add_tls_options(CLI::App* cmd, tls_options& tls) {
  const char* group = "TLS (all nodes need certificates from the same CA)";
  cmd->add_option("--tls-cert", tls.cert,
                  "certificate of this node, PEM (CAF's openssl.certificate)")
    ->type_name("FILE")
    ->group(group);
  cmd->add_option("--tls-key", tls.key,
                  "private key of this node, PEM (CAF's openssl.key)")
    ->type_name("FILE")
    ->group(group);
  cmd->add_option("--tls-ca", tls.ca,
                  "CA certificates that peers must be signed by "
                  "(CAF's openssl.cafile)")
    ->type_name("FILE")
    ->group(group);
  cmd->add_option("--tls-passphrase", tls.passphrase,
                  "passphrase of the private key (CAF's openssl.passphrase)")
    ->type_name("TEXT")
    ->envname("SSSN_TLS_PASSPHRASE")
    ->group(group);
}

void add_port_option(CLI::App* cmd, int& port, bool required) {
  auto opt = cmd->add_option("--port", port,
                             required ? "port of the node"
                                      : "port to listen on (0: a free one)")
               ->check(CLI::Range(0, 65535));
  if (required)
    opt->required();
  else
    opt->capture_default_str();
}

// -- CAF's configuration ------------------------------------------------------

/// Renders errors of CAF's config parser (category "parser") by name; they
/// have no renderer before an actor system exists.
std::string config_error_message(const caf::error& err) {
  if (err.category() != caf::atom("parser"))
    return sssn::error_message(err);
  auto result = caf::to_string(static_cast<caf::pec>(err.code()));
  if (!err.context().empty())
    result += " " + caf::to_string(err.context());
  return result;
}

/// CAF's OpenSSL module throws from the actor system's constructor (and the
/// process aborts) when some `openssl.*` options are set but not the
/// certificate or the key: catch that before. Loading and matching the
/// files is checked later by `sssn::node::start` and `sssn::connect`
/// (`sssn::check_tls`).
std::optional<std::string> incomplete_tls(const caf::actor_system_config& cfg) {
  auto any = !cfg.openssl_certificate.empty() || !cfg.openssl_key.empty()
             || !cfg.openssl_passphrase.empty() || !cfg.openssl_cafile.empty()
             || !cfg.openssl_capath.empty();
  if (!any)
    return std::nullopt;
  if (cfg.openssl_certificate.empty())
    return "TLS settings: a certificate (--tls-cert, openssl.certificate) is "
           "required when any TLS option is set";
  if (cfg.openssl_key.empty())
    return "TLS settings: a private key (--tls-key, openssl.key) is required "
           "when any TLS option is set";
  if (cfg.openssl_cafile.empty() && cfg.openssl_capath.empty())
    return "TLS settings: a CA file (--tls-ca, openssl.cafile) is required to "
           "authenticate peers";
  return std::nullopt;
}

/// Reads CAF's settings (caf-application.ini, or `--caf-config`) into `cfg`
/// and applies the `--tls-*` options on top. Returns an exit code on error.
std::optional<int> configure(sssn::config& cfg, const common_options& common,
                             const tls_options& tls) {
  caf::error err;
  if (!common.caf_config.empty()) {
    // CAF reads the file named by its `--config-file` option; nothing else
    // goes through its parser.
    err = cfg.parse(caf::actor_system_config::string_list{
      "--config-file=" + common.caf_config});
  } else {
    // Reads caf-application.ini from the working directory, if present.
    err = cfg.parse(caf::actor_system_config::string_list{});
  }
  if (err) {
    std::cerr << "error: cannot read CAF settings"
              << (common.caf_config.empty() ? std::string{}
                                            : " from '" + common.caf_config
                                                + "'")
              << ": " << config_error_message(err) << '\n';
    return exit_usage;
  }
  if (!cfg.remainder.empty()) {
    std::cerr << "error: unexpected CAF argument '" << cfg.remainder.front()
              << "'\n";
    return exit_usage;
  }
  // The members are what CAF's OpenSSL module and sssn::node read.
  if (!tls.cert.empty())
    cfg.openssl_certificate = tls.cert;
  if (!tls.key.empty())
    cfg.openssl_key = tls.key;
  if (!tls.ca.empty())
    cfg.openssl_cafile = tls.ca;
  if (!tls.passphrase.empty())
    cfg.openssl_passphrase = tls.passphrase;
  if (auto what = incomplete_tls(cfg)) {
    std::cerr << "error: " << *what << '\n';
    return exit_failure;
  }
  return std::nullopt;
}

caf::timespan seconds(double x) {
  return std::chrono::duration_cast<caf::timespan>(
    std::chrono::duration<double>{x});
}

// -- sssn serve ---------------------------------------------------------------

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
  } else {
    sssn::spawn_responder(sys, request_ch, compute, rcfg);
  }
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
  // IPv6 addresses in brackets, so that the port stays unambiguous.
  auto host = opts.host.find(':') != std::string::npos && opts.host[0] != '['
                ? "[" + opts.host + "]"
                : opts.host;
  std::cout << "listening on " << host << ':' << node->port()
            << std::endl; // flushes: scripts wait for this line
  int sig = 0;
  while (sigwait(&stop_signals, &sig) != 0) {
    // EINTR cannot happen for sigwait per POSIX, but be safe.
  }
  std::cerr << "sssn serve: stopping (" << (sig == SIGINT ? "SIGINT" : "SIGTERM")
            << ")\n";
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
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  sssn::config cfg;
  if (auto rc = configure(cfg, common, opts.tls))
    return *rc;
  if (!opts.auth_secret_file.empty())
    cfg.set(sssn::auth_secret_file_option, opts.auth_secret_file);
  caf::actor_system sys{cfg};
  return serve(sys, opts, stop_signals);
}

// Connects to the node named by `opts` and looks up its channel
// `opts.channel`; prints the error and returns nothing on failure. Stores
// the node in `node_out` if given.
template <class Options>
std::optional<sssn::channel>
open_remote_channel(caf::actor_system& sys, const Options& opts,
                    caf::timespan timeout,
                    sssn::remote_node* node_out = nullptr) {
  auto remote = sssn::connect(sys, opts.host,
                              static_cast<uint16_t>(opts.port), timeout);
  if (!remote) {
    std::cerr << "error: " << sssn::error_message(remote.error()) << '\n';
    return std::nullopt;
  }
  if (node_out != nullptr)
    *node_out = *remote;
  auto ch = remote->channel(opts.channel);
  if (!ch) {
    std::cerr << "error: " << sssn::error_message(ch.error()) << '\n';
    return std::nullopt;
  }
  return std::move(*ch);
}

// -- sssn request -------------------------------------------------------------

int request(caf::actor_system& sys, const request_options& opts,
            sssn::content data) {
  auto timeout = seconds(opts.timeout);
  auto request_ch = open_remote_channel(sys, opts, timeout);
  if (!request_ch)
    return exit_failure;
  if (!opts.token.empty()) {
    request_ch->timeout(timeout);
    if (auto ok = request_ch->authenticate(opts.token); !ok) {
      std::cerr << "error: " << sssn::error_message(ok.error()) << '\n';
      return exit_failure;
    }
  }
  // The reply comes back over the same connection: the request carries the
  // handle of this local channel, so the client publishes nothing.
  auto response_ch = sssn::spawn_channel(sys, "sssn-cli.response");
  if (auto ok = response_ch.start(); !ok) {
    std::cerr << "error: " << sssn::error_message(ok.error()) << '\n';
    return exit_failure;
  }
  auto reply = sssn::request_via_channel(*request_ch, response_ch,
                                         opts.sender, std::move(data),
                                         timeout);
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
  if (!opts.token_file.empty()) {
    std::ifstream in{opts.token_file};
    if (!in || !std::getline(in, opts.token) || opts.token.empty()) {
      std::cerr << "error: cannot read a token from '" << opts.token_file
                << "'\n";
      return exit_usage;
    }
  }
  auto data = sssn::content::from_json(opts.data);
  if (!data) {
    std::cerr << "error: invalid --data: " << sssn::error_message(data.error())
              << '\n';
    return exit_usage;
  }
  if (auto err = data->check()) {
    std::cerr << "error: invalid --data: " << sssn::error_message(err) << '\n';
    return exit_usage;
  }
  sssn::config cfg;
  if (auto rc = configure(cfg, common, opts.tls))
    return *rc;
  caf::actor_system sys{cfg};
  return request(sys, opts, std::move(*data));
}

// -- sssn token ---------------------------------------------------------------

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

// -- sssn stats ---------------------------------------------------------------

int stats(caf::actor_system& sys, const stats_options& opts) {
  auto timeout = seconds(opts.timeout);
  sssn::remote_node remote;
  auto ch = open_remote_channel(sys, opts, timeout, &remote);
  if (!ch)
    return exit_failure;
  ch->timeout(timeout);
  auto st = ch->stats();
  if (!st) {
    std::cerr << "error: " << sssn::error_message(st.error()) << '\n';
    return exit_failure;
  }
  auto node_st = remote.stats();
  if (!node_st) {
    std::cerr << "error: " << sssn::error_message(node_st.error()) << '\n';
    return exit_failure;
  }
  std::cout << "id: " << st->id << '\n'
            << "name: " << st->name << '\n'
            << "accepting: " << (st->accepting ? "true" : "false") << '\n'
            << "writes: " << st->writes << '\n'
            << "reads: " << st->reads << '\n'
            << "pushes: " << st->pushes << '\n'
            << "refused: " << st->refused << '\n'
            << "unauthorized: " << st->unauthorized << '\n'
            << "evicted: " << st->evicted << '\n'
            << "expired_claims: " << st->expired_claims << '\n'
            << "stored: " << st->stored << '\n'
            << "claimed: " << st->claimed << '\n'
            << "subscribers: " << st->subscribers << '\n'
            << "group_members: " << st->group_members << '\n'
            << "readers: " << st->readers << '\n'
            << "authentications: " << st->authentications << '\n'
            << "token_refusals: " << st->token_refusals << '\n'
            << "expired_subscriptions: " << st->expired_subscriptions << '\n'
            << "token_bound: " << st->token_bound << '\n'
            << "overloaded: " << st->overloaded << '\n'
            << "in_flight: " << st->in_flight << '\n'
            << "waiting: " << st->waiting << '\n'
            << "dropped_subscribers: " << st->dropped_subscribers << '\n'
            << "stalled_subscribers: " << st->stalled_subscribers << '\n'
            << "skipped: " << st->skipped << '\n'
            << "remote_downs: " << st->remote_downs << '\n'
            << "abandoned_calls: " << st->abandoned_calls << '\n'
            // The node's, process-wide (see sssn/refusals.hpp).
            << "node.published: " << node_st->published << '\n'
            << "node.directory_refused: " << node_st->directory_refused
            << '\n'
            << "node.undecodable: " << node_st->refusals.undecodable << '\n'
            << "node.unexpected: " << node_st->refusals.unexpected << '\n'
            << "node.ignored_exits: " << node_st->refusals.ignored_exits
            << '\n'
            << "node.forged_downs: " << node_st->refusals.forged_downs
            << '\n'
            // Counted by a hardened CAF (0 on Debian's; docs/caf-patches.md).
            << "node.caf_forged_downs: " << node_st->refusals.caf_forged_downs
            << '\n'
            << "node.caf_forged_senders: "
            << node_st->refusals.caf_forged_senders << std::endl;
  return exit_ok;
}

int run_stats(const common_options& common, const stats_options& opts) {
  sssn::config cfg;
  if (auto rc = configure(cfg, common, opts.tls))
    return *rc;
  caf::actor_system sys{cfg};
  return stats(sys, opts);
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"sssn: host sssn-actors channels, send requests and read "
               "channel stats.\nCAF's own settings come from "
               "caf-application.ini in the working directory (or "
               "--caf-config).",
               "sssn"};
  bool version = false;
  app.add_flag("--version", version, "print the version and exit");
  // At most one subcommand; a missing one is reported after parsing, so
  // that an unknown argument is named first.
  app.require_subcommand(0, 1);
  // Options of the program are accepted after the subcommand too.
  app.fallthrough();
  common_options common;
  app.add_option("--caf-config", common.caf_config,
                 "read CAF's settings from FILE instead of "
                 "caf-application.ini")
    ->check(CLI::ExistingFile);

  serve_options serve_opts;
  auto serve_cmd = app.add_subcommand(
    "serve", "host channels on a port, with a built-in compute responder "
             "(add, mul); prints 'listening on HOST:PORT' once ready and "
             "serves until SIGINT or SIGTERM");
  serve_cmd
    ->add_option("--host", serve_opts.host,
                 "address to listen on; a non-loopback address needs TLS or "
                 "--insecure")
    ->capture_default_str();
  add_port_option(serve_cmd, serve_opts.port, false);
  serve_cmd->add_flag("--insecure", serve_opts.insecure,
                      "allow a non-loopback address without TLS (any peer "
                      "that reaches the port can stop the node)");
  serve_cmd->add_option("--channel", serve_opts.channel,
                        "id of the request channel")
    ->capture_default_str();
  serve_cmd
    ->add_option("--responder", serve_opts.responder,
                 "compute: answers {a, b, operation} with {result}; hold: "
                 "never answers (a test aid)")
    ->check(CLI::IsMember({"compute", "hold"}))
    ->capture_default_str();
  serve_cmd
    ->add_option("--auth-secret-file", serve_opts.auth_secret_file,
                 "file holding the HMAC secret of access tokens: every "
                 "operation from another node then needs a token (see "
                 "'sssn token'); same as sssn.auth-secret-file in CAF's "
                 "settings")
    ->check(CLI::ExistingFile);
  add_tls_options(serve_cmd, serve_opts.tls);

  request_options req_opts;
  auto request_cmd = app.add_subcommand(
    "request", "connect to a node, send one request and print the reply as "
               "JSON (an error reply or failure: 'error: ...' on stderr, exit "
               "code 1)");
  request_cmd->add_option("--host", req_opts.host, "address of the node")
    ->capture_default_str();
  add_port_option(request_cmd, req_opts.port, true);
  request_cmd->add_option("--channel", req_opts.channel,
                          "id of the request channel")
    ->capture_default_str();
  request_cmd->add_option("--data", req_opts.data, "request content, JSON")
    ->type_name("JSON")
    ->capture_default_str();
  request_cmd->add_option("--sender", req_opts.sender, "sender id")
    ->capture_default_str();
  request_cmd
    ->add_option("--timeout", req_opts.timeout,
                 "seconds to wait for the reply (and for the node)")
    ->check(timeout_seconds)
    ->capture_default_str();
  auto token_opt = request_cmd->add_option(
    "--token", req_opts.token,
    "access token for a node that requires one; its subject must be the "
    "--sender");
  request_cmd
    ->add_option("--token-file", req_opts.token_file,
                 "read the access token from the first line of FILE")
    ->check(CLI::ExistingFile)
    ->excludes(token_opt);
  add_tls_options(request_cmd, req_opts.tls);

  token_options token_opts;
  auto token_cmd = app.add_subcommand(
    "token", "issue an access token (a JWT signed with HMAC-SHA256) and "
             "print it");
  token_cmd
    ->add_option("--secret-file", token_opts.secret_file,
                 "file holding the node's secret (at least 32 bytes)")
    ->check(CLI::ExistingFile)
    ->required();
  token_cmd
    ->add_option("--subject", token_opts.subject,
                 "the sender, reader or system id the token is for")
    ->required();
  token_cmd
    ->add_option("--channel", token_opts.channels,
                 "a channel id the token is good for; repeat for more, '*' "
                 "for all")
    ->required();
  token_cmd
    ->add_option("--role", token_opts.role,
                 "the most the subject may do: read, write or admin")
    ->check(CLI::IsMember({"read", "write", "admin"}))
    ->capture_default_str();
  token_cmd
    ->add_option("--ttl", token_opts.ttl, "seconds until the token expires")
    ->check(CLI::Range(int64_t{1}, int64_t{10} * 365 * 24 * 3600))
    ->capture_default_str();

  stats_options stats_opts;
  auto stats_cmd = app.add_subcommand(
    "stats", "connect to a node and print a channel's stats, then the "
             "node's (node.*: what it refused from peers), one 'name: "
             "value' per line");
  stats_cmd->add_option("--host", stats_opts.host, "address of the node")
    ->capture_default_str();
  add_port_option(stats_cmd, stats_opts.port, true);
  stats_cmd->add_option("--channel", stats_opts.channel, "id of the channel")
    ->capture_default_str();
  stats_cmd
    ->add_option("--timeout", stats_opts.timeout,
                 "seconds to wait for the node")
    ->check(timeout_seconds)
    ->capture_default_str();
  add_tls_options(stats_cmd, stats_opts.tls);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // Prints the help text (exit code 0) or the error naming the bad
    // argument; every usage error exits with 2.
    auto rc = app.exit(e);
    return rc == 0 ? exit_ok : exit_usage;
  }
  if (version) {
    std::cout << "sssn-actors " << SSSN_VERSION << '\n';
    return exit_ok;
  }
  if (serve_cmd->parsed())
    return run_serve(common, serve_opts);
  if (request_cmd->parsed())
    return run_request(common, req_opts);
  if (stats_cmd->parsed())
    return run_stats(common, stats_opts);
  if (token_cmd->parsed())
    return run_token(token_opts);
  std::cerr << "error: a subcommand is required: serve, request, stats or "
               "token\n"
               "Run with --help for more information.\n";
  return exit_usage;
}
