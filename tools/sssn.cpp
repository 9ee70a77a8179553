// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// The `sssn` command: hosts a channel on a port, sends requests, watches a
// channel's messages, benchmarks a served channel, prints a channel's stats
// and issues access tokens, for using sssn-actors from a shell (see
// `sssn --help` and the man page, docs/sssn.1).
//
//   sssn serve   [--host=127.0.0.1] [--port=0] [--insecure] [TLS options]
//                [--channel=compute-request] [--responder=compute|none|hold]
//                [--auth-secret-file=FILE]
//   sssn request --port=N [--host=...] [--channel=compute-request]
//                [--data=JSON|@FILE|-] [--sender=cli] [--timeout=5]
//                [--token=JWT | --token-file=FILE] [TLS options]
//   sssn sub     --port=N [--host=...] [--channel=compute-request]
//                [--correlation-prefix=P] [--sender=ID]... [--count=N]
//                [--json] [--id=ID] [--token...] [TLS options]
//   sssn bench   --port=N [--host=...] [--channel=compute-request]
//                [--requests=1000] [--concurrency=10] [--size=BYTES]
//                [--data=JSON|@FILE|-] [--json] [--token...] [TLS options]
//   sssn token   --secret-file=FILE --subject=ID --channel=ID...
//                [--role=write] [--ttl=3600]
//   sssn stats   --port=N [--host=...] [--channel=compute-request] [--json]
//                [TLS options]
//
// One file per subcommand (serve.cpp, request.cpp, sub.cpp, bench.cpp,
// stats.cpp, token.cpp); what they share is in cli.hpp/cli.cpp.
//
// The command line is parsed with CLI11, not with CAF's parser: CAF 0.17's
// parser has no subcommands and accepts long options only as
// `--name=value`. CAF's own settings (scheduler, middleman, `openssl.*`)
// still come from `caf-application.ini` in the working directory, or from
// the file given with `--caf-config=FILE`; the `--tls-*` options override
// its `openssl.*` entries.
//
// Exit codes: 0 success, 1 runtime failure (cannot start, cannot connect,
// error reply, timeout, a failed benchmark request, a subscription ended by
// the channel), 2 usage error (unknown option, bad value, bad or unreadable
// `--data`).

#include <iostream>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli.hpp"

#ifndef SSSN_VERSION
#  define SSSN_VERSION "unknown"
#endif

int main(int argc, char** argv) {
  using namespace sssn::cli;
  CLI::App app{"sssn: host sssn-actors channels, send requests, watch a "
               "channel's messages, benchmark a served channel and read "
               "channel stats.\nCAF's own settings come from "
               "caf-application.ini in the working directory (or "
               "--caf-config). Exit codes: 0 success, 1 failure, 2 usage "
               "error. See also: man sssn.",
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
  std::vector<command> commands{
    add_serve_command(app, common), add_request_command(app, common),
    add_sub_command(app, common),   add_bench_command(app, common),
    add_stats_command(app, common), add_token_command(app),
  };
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
  for (auto& cmd : commands)
    if (cmd.app->parsed())
      return cmd.run();
  std::cerr << "error: a subcommand is required: serve, request, sub, "
               "bench, stats or token\n"
               "Run with --help for more information.\n";
  return exit_usage;
}
