// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/node.hpp"

#include "sssn/config.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <tuple>

#include <caf/actor_cast.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/io/middleman.hpp>
#include <caf/io/middleman_actor.hpp>
#include <caf/openssl/manager.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/send.hpp>
#include <caf/sec.hpp>

#include "detail/owner_secret.hpp"
#include "sssn/caf_build.hpp"
#include "sssn/channel_message.hpp"
#include "sssn/log.hpp"
#include "sssn/refusals.hpp"
#include "sssn/token.hpp"

#include "detail/blocking.hpp"
#include "detail/owner_secret.hpp"
#include "detail/directory_actor.hpp"

namespace sssn {

namespace {

/// Renders a duration as seconds for an error message, e.g. "2.5 s".
std::string seconds_text(caf::timespan x) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g s",
                std::chrono::duration<double>(x).count());
  return buf;
}

/// "all interfaces" or "'<host>'", for messages about where a node listens.
std::string where_text(const std::string& host) {
  return host.empty() ? std::string{"all interfaces"} : "'" + host + "'";
}

} // namespace

// -- node -------------------------------------------------------------------------------

struct node::impl {
  caf::actor_system* sys = nullptr;
  node_config cfg;
  directory_actor dir;
  detail::owner_secret secret;
  uint16_t port = 0;
  bool tls = false;
  /// Published channels (owning handles): alive while the node runs.
  std::shared_ptr<detail::published_channels> published
    = std::make_shared<detail::published_channels>();

  void stop() {
    if (!dir)
      return;
    if (sys->has_middleman())
      sys->middleman().unpublish(dir, port);
    detail::release_directory(dir, secret);
    dir = nullptr;
    std::lock_guard<std::mutex> guard{published->mtx};
    published->by_id.clear();
  }

  ~impl() {
    stop();
  }
};

caf::expected<node> node::start(caf::actor_system& sys, node_config cfg) {
  if (!sys.has_middleman())
    return make_error(ec::invalid_argument,
                      "a node needs CAF's middleman: load caf::io::middleman "
                      "in the actor system config (sssn::config does)");
  if (auto err = check_message_types(sys, "starting a node"))
    return err;
  auto tls = tls_configured(sys);
  if (!is_loopback(cfg.host) && !tls) {
    auto where = cfg.host.empty() ? std::string{"all interfaces"}
                                  : "'" + cfg.host + "'";
    if (!cfg.insecure)
      return make_error(ec::invalid_argument,
                        "refusing to publish on " + where
                          + " without TLS client authentication: any peer "
                            "that reaches the port could stop the node "
                            "through CAF's own message types; configure "
                            "openssl.certificate/key/cafile, or set the "
                            "insecure option to accept the risk");
    log(log_level::warning, "sssn.node",
        "INSECURE: publishing on " + where
          + " without TLS; any peer that reaches the port can stop this "
            "node");
  }
  if (tls) {
    if (auto err = check_tls(sys))
      return err;
    if (!sys.has_openssl_manager())
      return make_error(ec::invalid_argument,
                        "TLS is configured but caf::openssl::manager is not "
                        "loaded (sssn::config loads it)");
  }
  // A token secret that cannot be used would make every channel refuse
  // every remote operation: better to say so now.
  if (auto path = caf::get_or(sys.config(), auth_secret_file_option,
                              std::string{});
      !path.empty())
    if (auto secret = load_secret(path); !secret)
      return make_error(ec::invalid_argument,
                        "cannot start the node: "
                          + error_message(secret.error()) + " ("
                          + auth_secret_file_option + ")");
  auto ptr = std::make_shared<impl>();
  ptr->sys = &sys;
  ptr->cfg = cfg;
  ptr->tls = tls;
  ptr->secret = detail::random_bits();
  ptr->dir = detail::spawn_directory(sys, ptr->published, ptr->secret);
  const char* in = cfg.host.empty() ? nullptr : cfg.host.c_str();
  auto port = tls ? caf::openssl::publish(ptr->dir, cfg.port, in, true)
                  : sys.middleman().publish(ptr->dir, cfg.port, in, true);
  if (!port) {
    detail::release_directory(ptr->dir, ptr->secret);
    ptr->dir = nullptr;
    return make_error(ec::invalid_argument,
                      "cannot listen on " + cfg.host + ":"
                        + std::to_string(cfg.port) + ": "
                        + error_message(port.error()));
  }
  ptr->port = *port;
  // Which CAF decodes what peers send: Debian's crashes or allocates
  // without bound on some inputs before any of our code runs
  // (docs/caf-patches.md); the hardened build refuses them.
  auto caf = caf_build();
  log(log_level::info, "sssn.node",
      "listening on port " + std::to_string(*port) + "; runs on "
        + caf_build_description());
  if (!caf.hardened && !is_loopback(cfg.host))
    log(log_level::warning, "sssn.node",
        "running on Debian's CAF 0.17.6 on " + where_text(cfg.host)
          + ": every peer that gets through (with TLS: every holder of a "
            "certificate from the CA) is trusted not to send inputs that "
            "crash CAF itself or make it allocate without bound (bad "
            "config_value tags, deep nesting, huge lengths, stalled TLS "
            "handshakes, connection floods); build against the hardened "
            "CAF (.ci/hardened-caf, see README \"Distributed\") for nodes "
            "that untrusted peers can reach");
  node result;
  result.impl_ = std::move(ptr);
  return result;
}

caf::expected<void> node::publish(const channel& ch) const {
  if (!impl_ || !impl_->dir)
    return make_error(ec::invalid_argument, "node is not running");
  if (!ch)
    return make_error(ec::channel_down,
                      "cannot publish channel '" + ch.id()
                        + "': invalid handle");
  std::lock_guard<std::mutex> guard{impl_->published->mtx};
  auto& by_id = impl_->published->by_id;
  if (auto i = by_id.find(ch.id()); i != by_id.end() && i->second != ch)
    return make_error(ec::invalid_argument,
                      "another channel with id '" + ch.id()
                        + "' is already published on this node");
  by_id[ch.id()] = ch;
  return caf::unit;
}

uint16_t node::port() const noexcept {
  return impl_ ? impl_->port : 0;
}

const std::string& node::host() const noexcept {
  static const std::string none;
  return impl_ ? impl_->cfg.host : none;
}

bool node::tls() const noexcept {
  return impl_ && impl_->tls;
}

directory_actor node::directory() const {
  return impl_ ? impl_->dir : directory_actor{};
}

caf::expected<node_stats> node::stats(caf::timespan timeout) const {
  if (!impl_ || !impl_->dir)
    return make_error(ec::invalid_argument, "node is not running");
  return detail::blocking_request<node_stats>(*impl_->sys, impl_->dir, timeout,
                                             stats_atom::value);
}

void node::stop() {
  if (impl_)
    impl_->stop();
}

caf::expected<remote_node> node::connect(const std::string& host,
                                         uint16_t port,
                                         caf::timespan timeout) const {
  if (!impl_)
    return make_error(ec::invalid_argument, "node is not running");
  return sssn::connect(*impl_->sys, host, port, timeout);
}

caf::expected<remote_node> connect(caf::actor_system& sys,
                                   const std::string& host, uint16_t port,
                                   caf::timespan timeout) {
  if (!sys.has_middleman())
    return make_error(ec::invalid_argument,
                      "connecting needs CAF's middleman: load "
                      "caf::io::middleman (sssn::config does)");
  if (auto err = check_message_types(sys, "connecting to a node"))
    return err;
  auto where = host + ":" + std::to_string(port);
  auto tls = tls_configured(sys);
  if (tls)
    if (auto err = check_tls(sys))
      return err;
  // Ask the middleman actor (or its TLS twin) to connect, with a deadline:
  // `remote_actor` waits without one, forever when a listener accepts TCP
  // but never completes the handshake.
  auto mm = tls ? sys.openssl_manager().actor_handle()
                : sys.middleman().actor_handle();
  auto started = std::chrono::steady_clock::now();
  using connected = std::tuple<caf::node_id, caf::strong_actor_ptr,
                               std::set<std::string>>;
  auto conn = detail::blocking_request<connected>(sys, mm, timeout,
                                                  caf::connect_atom::value,
                                                  host, port);
  if (!conn) {
    auto why = conn.error() == caf::sec::request_timeout
                 ? "no handshake within " + seconds_text(timeout)
                 : error_message(conn.error());
    return make_error(ec::channel_down,
                      "cannot connect to node " + where + ": " + why);
  }
  auto& [nid, ptr, ifs] = *conn;
  if (!ptr)
    return make_error(ec::channel_down, "cannot connect to node " + where
                                          + ": no actor is published there");
  if (!sys.assignable<directory_actor>(ifs))
    return make_error(ec::channel_down,
                      "cannot connect to node " + where
                        + ": what is published there is not an sssn node");
  auto dir = caf::actor_cast<directory_actor>(std::move(ptr));
  // The greeting gets what is left of the deadline.
  auto left = timeout - std::chrono::duration_cast<caf::timespan>(
                          std::chrono::steady_clock::now() - started);
  auto hello = detail::blocking_request<uint8_t>(
    sys, dir, std::max(left, caf::timespan{std::chrono::milliseconds{1}}),
    hello_atom::value, wire_version);
  if (!hello) {
    if (is(hello.error(), ec::incompatible_version))
      return make_error(ec::incompatible_version,
                        "node " + where + " refused us: "
                          + error_message(hello.error()));
    return make_error(ec::channel_down, "node " + where
                                          + " did not answer: "
                                          + error_message(hello.error()));
  }
  return remote_node{std::move(dir), host, port, timeout};
}

// -- remote_node ----------------------------------------------------------------------

remote_node::remote_node(directory_actor dir, std::string host, uint16_t port,
                         caf::timespan timeout)
  : dir_(std::move(dir)), host_(std::move(host)), port_(port),
    timeout_(timeout) {
  // nop
}

std::string remote_node::address() const {
  return host_ + ":" + std::to_string(port_);
}

caf::expected<sssn::channel> remote_node::channel(const std::string& id) const {
  if (!dir_)
    return make_error(ec::channel_down, "not connected");
  auto hdl = detail::blocking_request<channel_actor>(dir_.home_system(), dir_,
                                                    timeout_, lookup_atom::value,
                                                    id);
  if (!hdl)
    return detail::normalize_channel_error(std::move(hdl.error()), id);
  if (!*hdl)
    return make_error(ec::channel_down, "node " + address()
                                          + " returned no handle for channel '"
                                          + id + "'");
  return sssn::channel{std::move(*hdl), id};
}

caf::expected<node_stats> remote_node::stats() const {
  if (!dir_)
    return make_error(ec::channel_down, "not connected");
  auto result = detail::blocking_request<node_stats>(dir_.home_system(), dir_,
                                                     timeout_,
                                                     stats_atom::value);
  if (!result)
    return make_error(ec::channel_down, "node " + address()
                                          + " did not send its stats: "
                                          + error_message(result.error()));
  return result;
}

caf::expected<std::vector<std::string>> remote_node::channels() const {
  if (!dir_)
    return make_error(ec::channel_down, "not connected");
  auto ids = detail::blocking_request<std::vector<std::string>>(
    dir_.home_system(), dir_, timeout_, list_atom::value);
  if (!ids)
    return make_error(ec::channel_down, "node " + address()
                                          + " did not list its channels: "
                                          + error_message(ids.error()));
  return ids;
}

} // namespace sssn
