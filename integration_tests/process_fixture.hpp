// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#pragma once

// A fixture for tests that run real programs: `sssn serve` nodes on loopback
// (ephemeral ports) and other processes, each a `child_process` killed and
// reaped by the fixture, also when a check fails; a temporary directory for
// their files; test certificates made with the `openssl` command. Every wait
// is bounded.
//
// Needs SSSN_CLI (the `sssn` program) defined by
// integration_tests/CMakeLists.txt, and SSSN_OPENSSL (the openssl command,
// or "") for `make_certificates`.

#include <stdlib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <future>
#include <memory>
#include <regex>
#include <stdexcept>
#include <string>
#include <system_error>
#include <thread>
#include <utility>
#include <vector>

#include <boost/test/unit_test.hpp>

#include <caf/actor_system.hpp>
#include <caf/expected.hpp>

#include "child_process.hpp"
#include "sssn/all.hpp"

#ifndef SSSN_CLI
#  error "SSSN_CLI must name the sssn program (see integration_tests/)"
#endif
#ifndef SSSN_OPENSSL
#  define SSSN_OPENSSL ""
#endif

namespace sssn::test {

/// What a finished program did.
struct run_result {
  int code = -1; // -1: did not finish in time (then killed)
  std::string out;
  std::string err;
};

/// A running `sssn serve` and its port.
struct server_handle {
  child_process* proc = nullptr;
  uint16_t port = 0;
};

class process_fixture {
public:
  using steady = std::chrono::steady_clock;

  /// Makes a fresh directory `<tmp>/sssn-<name>-XXXXXX`.
  explicit process_fixture(const std::string& name) {
    std::string tmpl = (std::filesystem::temp_directory_path()
                        / ("sssn-" + name + "-XXXXXX"))
                         .string();
    if (mkdtemp(tmpl.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed for " + tmpl);
    dir = tmpl;
  }

  process_fixture(const process_fixture&) = delete;
  process_fixture& operator=(const process_fixture&) = delete;

  ~process_fixture() {
    // Kill and reap every child (their destructors do), then clean up.
    children.clear();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  /// The test's directory.
  std::string dir;

  /// Every process started, in order.
  std::vector<std::unique_ptr<child_process>> children;

  std::string path(const std::string& name) const {
    return dir + "/" + name;
  }

  /// Starts a program; its stderr goes to a file of the test's directory.
  child_process& spawn(std::vector<std::string> args, std::string cwd = {},
                       std::vector<std::string> env = {}) {
    child_process::options opts;
    opts.args = std::move(args);
    opts.stderr_path = path("stderr." + std::to_string(next_log_++));
    opts.cwd = std::move(cwd);
    opts.env = std::move(env);
    children.push_back(std::make_unique<child_process>(std::move(opts)));
    return *children.back();
  }

  /// Runs a program to its end (at most `timeout`, then kills it).
  run_result run(std::vector<std::string> args,
                 steady::duration timeout = std::chrono::seconds{20},
                 std::string cwd = {}, std::vector<std::string> env = {}) {
    auto& proc = spawn(std::move(args), std::move(cwd), std::move(env));
    run_result result;
    auto deadline = steady::now() + timeout;
    result.out = proc.read_all(timeout);
    auto left = std::max<steady::duration>(deadline - steady::now(),
                                           steady::duration::zero());
    if (auto code = proc.wait_exit(left))
      result.code = *code;
    else
      proc.kill(SIGKILL);
    result.err = proc.err();
    return result;
  }

  /// Runs `sssn ARGS...`.
  run_result sssn(std::vector<std::string> args,
                  steady::duration timeout = std::chrono::seconds{20},
                  std::string cwd = {}, std::vector<std::string> env = {}) {
    args.insert(args.begin(), SSSN_CLI);
    return run(std::move(args), timeout, std::move(cwd), std::move(env));
  }

  /// Starts `sssn serve ARGS...` and waits (at most 15 s) for its
  /// `listening on <host>:<port>` line.
  server_handle serve(std::vector<std::string> args = {},
                      std::string cwd = {}) {
    args.insert(args.begin(), {SSSN_CLI, "serve"});
    auto& proc = spawn(std::move(args), std::move(cwd));
    auto line = proc.read_line(std::chrono::seconds{15});
    BOOST_REQUIRE_MESSAGE(line, "no 'listening on' line from sssn serve "
                                "within 15 s; stderr: "
                                  << proc.err());
    static const std::regex re{R"(^listening on (\S+):(\d+)$)"};
    std::smatch m;
    BOOST_REQUIRE_MESSAGE(std::regex_match(*line, m, re),
                          "unexpected first line: " << *line);
    auto port = std::stoi(m[2].str());
    BOOST_REQUIRE(port > 0 && port < 65536);
    return {&proc, static_cast<uint16_t>(port)};
  }

  /// Connects `sys` to the node on loopback `port`, bounded: if the connect
  /// hangs for 10 s, the children are killed (which ends it) and the check
  /// fails.
  caf::expected<sssn::remote_node> connect(caf::actor_system& sys,
                                           uint16_t port) {
    std::promise<caf::expected<sssn::remote_node>> promise;
    auto fut = promise.get_future();
    std::thread worker{[&] {
      promise.set_value(
        sssn::connect(sys, "127.0.0.1", port, std::chrono::seconds{5}));
    }};
    auto ready = fut.wait_for(std::chrono::seconds{10})
                 == std::future_status::ready;
    if (!ready)
      for (auto& child : children)
        child->kill(SIGKILL);
    worker.join();
    BOOST_CHECK_MESSAGE(ready, "connect to port " << port
                                                  << " hung for 10 s");
    return fut.get();
  }

  /// Makes, in `dir`: ca.pem/.key (our CA); server.pem/.key and
  /// client.pem/.key signed by it (the client key encrypted with
  /// `client_passphrase` unless empty); rogue.pem/.key signed by an
  /// unrelated CA (ca2.pem); and a self-signed self.pem/.key.
  void make_certificates(const std::string& client_passphrase = {}) {
    BOOST_REQUIRE_MESSAGE(std::string{SSSN_OPENSSL} != "",
                          "the openssl command was not found at configure "
                          "time (Debian: apt-get install openssl)");
    auto openssl = [&](std::vector<std::string> args) {
      args.insert(args.begin(), SSSN_OPENSSL);
      auto cmd = args[1] + " " + args[2];
      auto r = run(std::move(args), std::chrono::seconds{30}, dir);
      BOOST_REQUIRE_MESSAGE(r.code == 0, "openssl " << cmd << " failed ("
                                                    << r.code
                                                    << "): " << r.err);
    };
    auto self_signed = [&](const std::string& name, const std::string& cn) {
      openssl({"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
               name + ".key", "-out", name + ".pem", "-days", "2", "-subj",
               "/CN=" + cn});
    };
    auto signed_by = [&](const std::string& name, const std::string& ca,
                         const std::string& passphrase) {
      if (passphrase.empty()) {
        openssl({"req", "-newkey", "rsa:2048", "-nodes", "-keyout",
                 name + ".key", "-out", name + ".csr", "-subj",
                 "/CN=" + name});
      } else {
        openssl({"genrsa", "-aes256", "-passout", "pass:" + passphrase,
                 "-out", name + ".key", "2048"});
        openssl({"req", "-new", "-key", name + ".key", "-passin",
                 "pass:" + passphrase, "-out", name + ".csr", "-subj",
                 "/CN=" + name});
      }
      openssl({"x509", "-req", "-in", name + ".csr", "-CA", ca + ".pem",
               "-CAkey", ca + ".key", "-CAcreateserial", "-out",
               name + ".pem", "-days", "2"});
    };
    self_signed("ca", "sssn test CA");
    signed_by("server", "ca", "");
    signed_by("client", "ca", client_passphrase);
    self_signed("ca2", "unrelated CA");
    signed_by("rogue", "ca2", "");
    self_signed("self", "self-signed peer");
  }

private:
  size_t next_log_ = 0;
};

} // namespace sssn::test
