// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// What the subcommands of `sssn` share (see cli.hpp).

#include "cli.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>
#include <utility>

#include <caf/actor_system_config.hpp>
#include <caf/atom.hpp>
#include <caf/pec.hpp>

namespace sssn::cli {

// -- options ----------------------------------------------------------------------

const CLI::Validator& timeout_seconds() {
  static const CLI::Validator result
    = CLI::Validator(
        [](std::string& x) -> std::string {
          double value = 0;
          if (!CLI::detail::lexical_cast(x, value) || !std::isfinite(value))
            return "timeout must be a finite number of seconds, not '" + x
                   + "'";
          return {};
        },
        "SECONDS")
      & CLI::Range(0.001, 1e6);
  return result;
}

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

void add_remote_options(CLI::App* cmd, remote_options& opts,
                        const std::string& timeout_help, bool with_token,
                        const std::string& token_subject) {
  cmd->add_option("--host", opts.host, "address of the node")
    ->capture_default_str();
  add_port_option(cmd, opts.port, true);
  cmd->add_option("--channel", opts.channel, "id of the channel")
    ->capture_default_str();
  cmd->add_option("--timeout", opts.timeout, timeout_help)
    ->check(timeout_seconds())
    ->capture_default_str();
  if (with_token) {
    auto token_opt = cmd->add_option(
      "--token", opts.token,
      "access token for a node that requires one; its subject must be the "
        + token_subject);
    cmd
      ->add_option("--token-file", opts.token_file,
                   "read the access token from the first line of FILE")
      ->check(CLI::ExistingFile)
      ->excludes(token_opt);
  }
  add_tls_options(cmd, opts.tls);
}

void add_data_option(CLI::App* cmd, std::string& data) {
  cmd
    ->add_option("--data", data,
                 "request content: JSON text, @FILE to read it from FILE, or "
                 "- to read it from stdin (for payloads too large for the "
                 "command line)")
    ->type_name("JSON|@FILE|-")
    ->capture_default_str();
}

// -- CAF's configuration ------------------------------------------------------

namespace {

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

} // namespace

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

// -- --data and tokens ----------------------------------------------------------

namespace {

/// Reads at most `limit` + 1 bytes of `in` into `out`.
void read_bounded(std::istream& in, std::string& out, size_t limit) {
  char buf[65536];
  while (out.size() <= limit
         && in.read(buf, static_cast<std::streamsize>(sizeof(buf))).gcount()
              > 0)
    out.append(buf, static_cast<size_t>(in.gcount()));
}

} // namespace

std::optional<sssn::content> load_data(const std::string& arg) {
  const auto limit = sssn::content_limits{}.max_bytes;
  std::string text;
  std::string source; // what the errors name
  if (arg == "-") {
    source = "stdin";
    read_bounded(std::cin, text, limit);
    if (std::cin.bad()) {
      std::cerr << "error: cannot read --data from stdin\n";
      return std::nullopt;
    }
  } else if (!arg.empty() && arg[0] == '@') {
    auto path = arg.substr(1);
    source = "file '" + path + "'";
    if (path.empty()) {
      std::cerr << "error: --data=@ needs a file name (--data=@FILE)\n";
      return std::nullopt;
    }
    errno = 0;
    std::ifstream in{path, std::ios::binary};
    if (!in) {
      std::cerr << "error: cannot read --data file '" << path << "'"
                << (errno != 0 ? std::string{": "} + std::strerror(errno)
                               : std::string{})
                << '\n';
      return std::nullopt;
    }
    read_bounded(in, text, limit);
    if (in.bad()) {
      std::cerr << "error: cannot read --data file '" << path << "'\n";
      return std::nullopt;
    }
  } else {
    text = arg;
  }
  if (text.size() > limit) {
    std::cerr << "error: --data from " << source << " is larger than "
              << limit << " bytes\n";
    return std::nullopt;
  }
  auto what = source.empty() ? std::string{"--data"}
                             : "--data from " + source;
  auto data = sssn::content::from_json(text);
  if (!data) {
    std::cerr << "error: invalid " << what << ": "
              << sssn::error_message(data.error()) << '\n';
    return std::nullopt;
  }
  if (auto err = data->check()) {
    std::cerr << "error: invalid " << what << ": "
              << sssn::error_message(err) << '\n';
    return std::nullopt;
  }
  return std::move(*data);
}

bool load_token(remote_options& opts) {
  if (opts.token_file.empty())
    return true;
  std::ifstream in{opts.token_file};
  if (!in || !std::getline(in, opts.token) || opts.token.empty()) {
    std::cerr << "error: cannot read a token from '" << opts.token_file
              << "'\n";
    return false;
  }
  return true;
}

caf::timespan seconds(double x) {
  return std::chrono::duration_cast<caf::timespan>(
    std::chrono::duration<double>{x});
}

// -- signals ------------------------------------------------------------------------

sigset_t block_stop_signals() {
  sigset_t result;
  sigemptyset(&result);
  sigaddset(&result, SIGINT);
  sigaddset(&result, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &result, nullptr);
  return result;
}

int wait_for_signal(const sigset_t& signals,
                    std::chrono::milliseconds timeout) {
  timespec ts;
  ts.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  ts.tv_nsec = static_cast<long>(timeout.count() % 1000) * 1'000'000;
  auto sig = sigtimedwait(&signals, nullptr, &ts);
  return sig > 0 ? sig : 0;
}

std::string signal_name(int sig) {
  if (sig == SIGINT)
    return "SIGINT";
  if (sig == SIGTERM)
    return "SIGTERM";
  return "signal " + std::to_string(sig);
}

// -- shutting down ----------------------------------------------------------------------

shutdown_deadline::~shutdown_deadline() {
  auto grace = grace_;
  auto rc = rc_;
  std::thread{[grace, rc] {
    std::this_thread::sleep_for(grace);
    // The rest of the process may be stuck inside CAF: no lock of ours.
    std::fprintf(stderr,
                 "sssn: CAF did not shut down within %lld s after the "
                 "command ended (a connection stuck in its handshake?); "
                 "exiting with %d\n",
                 static_cast<long long>(grace.count()), rc);
    std::fflush(nullptr); // std::cout is synced with stdout
    std::_Exit(rc);
  }}.detach();
}

// -- remote channels ------------------------------------------------------------------

std::optional<remote_channel> open_remote_channel(caf::actor_system& sys,
                                                  const remote_options& opts) {
  auto timeout = seconds(opts.timeout);
  auto remote = sssn::connect(sys, opts.host,
                              static_cast<uint16_t>(opts.port), timeout);
  if (!remote) {
    std::cerr << "error: " << sssn::error_message(remote.error()) << '\n';
    return std::nullopt;
  }
  auto ch = remote->channel(opts.channel);
  if (!ch) {
    std::cerr << "error: " << sssn::error_message(ch.error()) << '\n';
    return std::nullopt;
  }
  ch->timeout(timeout);
  if (!opts.token.empty()) {
    if (auto ok = ch->authenticate(opts.token); !ok) {
      std::cerr << "error: " << sssn::error_message(ok.error()) << '\n';
      return std::nullopt;
    }
  }
  return remote_channel{std::move(*remote), std::move(*ch)};
}

std::string address(const std::string& host, int port) {
  auto h = host.find(':') != std::string::npos && !host.empty()
               && host[0] != '['
             ? "[" + host + "]"
             : host;
  return h + ":" + std::to_string(port);
}

} // namespace sssn::cli
