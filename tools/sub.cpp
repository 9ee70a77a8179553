// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// `sssn sub`: subscribes to a channel on a node and prints every message as
// it arrives (optionally only those with a correlation-id prefix, from
// given senders), returning credit as it goes, until SIGINT or SIGTERM,
// `--count` messages, or the end of the subscription by the channel.

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "cli.hpp"

namespace sssn::cli {

namespace {

struct sub_options {
  remote_options remote;
  std::string system_id;
  std::string correlation_prefix;
  std::vector<std::string> senders;
  uint64_t count = 0;
  bool json = false;
};

/// What the subscriber tells the main thread: set once, when it is done.
struct sub_outcome {
  std::mutex mtx;
  std::optional<int> code;
  std::string why;
  std::atomic<uint64_t> printed{0};

  void finish(int rc, std::string text) {
    std::lock_guard<std::mutex> guard{mtx};
    if (!code) {
      code = rc;
      why = std::move(text);
    }
  }

  std::optional<int> done() {
    std::lock_guard<std::mutex> guard{mtx};
    return code;
  }
};

/// ISO 8601 in UTC with milliseconds.
std::string iso_time(int64_t unix_ns) {
  auto secs = static_cast<time_t>(unix_ns / 1'000'000'000);
  auto ms = static_cast<int>((unix_ns / 1'000'000) % 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  auto n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof(buf) - n, ".%03dZ", ms);
  return buf;
}

/// Text from a peer for a terminal: control characters become '?'.
std::string printable(const std::string& x) {
  std::string result = x;
  for (auto& c : result)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f)
      c = '?';
  return result;
}

/// One line per message: time, sender, the set routing fields, content.
std::string format_text(const sssn::channel_message& m) {
  std::string line = iso_time(m.timestamp_ns()) + " "
                     + printable(m.sender_id());
  if (m.correlation_id())
    line += " correlation_id=" + printable(*m.correlation_id());
  if (m.reply_to())
    line += " reply_to=" + printable(*m.reply_to());
  if (m.recipient_id())
    line += " recipient_id=" + printable(*m.recipient_id());
  line += " " + m.content().to_json();
  return line;
}

/// One JSON object per message, every field.
std::string format_json(const std::string& channel_id,
                        const sssn::channel_message& m) {
  nlohmann::ordered_json j;
  j["channel"] = channel_id;
  j["id"] = m.id();
  j["timestamp"] = m.timestamp();
  j["sender_id"] = m.sender_id();
  auto opt = [](const std::optional<std::string>& x) {
    return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
  };
  j["correlation_id"] = opt(m.correlation_id());
  j["reply_to"] = opt(m.reply_to());
  j["recipient_id"] = opt(m.recipient_id());
  if (auto d = m.deadline())
    j["deadline"] = *d;
  else
    j["deadline"] = nullptr;
  j["metadata"] = m.metadata();
  if (!m.content().type_name().empty())
    j["type"] = m.content().type_name();
  j["content"] = m.content().data();
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// The subscribing actor: prints, returns credit, watches the channel.
sssn::subscriber_actor::behavior_type
subscriber(sssn::subscriber_actor::pointer self, sssn::channel_actor source,
           std::shared_ptr<const sub_options> opts,
           std::shared_ptr<sub_outcome> outcome) {
  self->monitor(source);
  self->set_down_handler([self, outcome, opts](caf::down_msg& msg) {
    // CAF reports a lost connection as remote_link_unreachable.
    auto lost = msg.reason == caf::exit_reason::remote_link_unreachable;
    outcome->finish(exit_failure,
                    "channel '" + opts->remote.channel + "' is gone ("
                      + (lost ? std::string{"the connection to the node was "
                                            "lost"}
                              : "it stopped: " + caf::to_string(msg.reason))
                      + "): the subscription ended");
    self->quit();
  });
  auto credit = std::make_shared<sssn::credit_returner>();
  return {
    [self, opts, outcome, credit](sssn::push_atom, const sssn::delivery& d) {
      if (d.ended) {
        // The channel ended the subscription (out of credit); nothing more
        // follows.
        outcome->finish(exit_failure,
                        "the channel ended the subscription: "
                          + (d.message.content().is_error()
                               ? sssn::error_message(
                                 d.message.content().error())
                               : std::string{"no reason given"}));
        self->quit();
        return;
      }
      auto& m = d.message;
      auto wanted = opts->senders.empty()
                    || std::find(opts->senders.begin(), opts->senders.end(),
                                 m.sender_id())
                         != opts->senders.end();
      if (wanted && !outcome->done()) {
        std::cout << (opts->json ? format_json(d.channel_id, m)
                                 : format_text(m))
                  << std::endl; // flushed: a pipe sees each message at once
        auto n = ++outcome->printed;
        if (opts->count > 0 && n >= opts->count)
          outcome->finish(exit_ok, {});
      }
      credit->handled(self, d);
    },
  };
}

int run_sub(const common_options& common, sub_options opts_in) {
  auto stop_signals = block_stop_signals();
  if (!load_token(opts_in.remote))
    return exit_usage;
  if (opts_in.system_id.empty())
    opts_in.system_id = "sssn-sub-" + std::to_string(::getpid());
  auto opts = std::make_shared<const sub_options>(std::move(opts_in));
  sssn::config cfg;
  if (auto rc = configure(cfg, common, opts->remote.tls))
    return *rc;
  caf::actor_system sys{cfg};
  shutdown_deadline deadline;
  auto target = open_remote_channel(sys, opts->remote);
  if (!target)
    return exit_failure;
  auto outcome = std::make_shared<sub_outcome>();
  auto hdl = sys.spawn(subscriber, target->channel.actor(), opts, outcome);
  sssn::subscription sub;
  sub.correlation_prefix = opts->correlation_prefix;
  if (auto ok = target->channel.subscribe(opts->system_id, hdl, sub); !ok) {
    std::cerr << "error: " << sssn::error_message(ok.error()) << '\n';
    caf::anon_send_exit(hdl, caf::exit_reason::user_shutdown);
    return exit_failure;
  }
  std::cerr << "sssn sub: subscribed to '" << opts->remote.channel << "' on "
            << address(opts->remote.host, opts->remote.port) << " as '"
            << opts->system_id << "'"
            << (opts->correlation_prefix.empty()
                  ? std::string{}
                  : ", correlation ids starting with '"
                      + opts->correlation_prefix + "'")
            << "; Ctrl-C stops" << std::endl;
  int sig = 0;
  std::optional<int> rc;
  while (!(rc = outcome->done())) {
    if ((sig = wait_for_signal(stop_signals, std::chrono::milliseconds{100})))
      break;
  }
  auto printed = outcome->printed.load();
  auto plural = printed == 1 ? " message" : " messages";
  if (sig != 0) {
    std::cerr << "sssn sub: stopping (" << signal_name(sig) << ") after "
              << printed << plural << std::endl;
    rc = exit_ok;
  } else if (*rc == exit_ok) {
    std::cerr << "sssn sub: " << printed << plural << " received" << std::endl;
  } else {
    std::lock_guard<std::mutex> guard{outcome->mtx};
    std::cerr << "sssn sub: " << outcome->why << " (after " << printed
              << plural << ")" << std::endl;
  }
  if (*rc == exit_ok) {
    // Best effort: the channel also ends it when this process goes.
    if (auto ok = target->channel.unsubscribe(opts->system_id); !ok)
      std::cerr << "sssn sub: unsubscribing failed: "
                << sssn::error_message(ok.error()) << std::endl;
  }
  caf::anon_send_exit(hdl, caf::exit_reason::user_shutdown);
  return deadline.exit_with(*rc);
}

} // namespace

command add_sub_command(CLI::App& app, const common_options& common) {
  auto opts = std::make_shared<sub_options>();
  auto cmd = app.add_subcommand(
    "sub", "subscribe to a channel and print each message as it arrives, "
           "one line each (time, sender, correlation_id, reply_to, "
           "recipient_id, content), until SIGINT or SIGTERM (exit code 0) "
           "or until the channel ends the subscription or goes (exit code "
           "1, saying why)");
  add_remote_options(cmd, opts->remote, "seconds to wait for the node", true,
                     "--id");
  cmd->add_option("--id", opts->system_id,
                  "system id of the subscription (default: sssn-sub-PID)");
  cmd->add_option("--correlation-prefix", opts->correlation_prefix,
                  "only messages whose correlation id starts with this "
                  "(filtered by the channel)");
  cmd->add_option("--sender", opts->senders,
                  "only messages from this sender id; repeat for more");
  cmd->add_option("--count", opts->count,
                  "exit (code 0) after printing this many messages (0: never)")
    ->check(CLI::NonNegativeNumber)
    ->capture_default_str();
  cmd->add_flag("--json", opts->json,
                "print each message as one JSON object per line, every "
                "field");
  return {cmd, [&common, opts] { return run_sub(common, *opts); }};
}

} // namespace sssn::cli
