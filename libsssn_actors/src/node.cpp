#include "sssn/node.hpp"

#include <map>
#include <mutex>

#include <caf/actor_cast.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/io/middleman.hpp>
#include <caf/message_view.hpp>
#include <caf/openssl/publish.hpp>
#include <caf/openssl/remote_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <caf/send.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/typed_event_based_actor.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "detail/owner_secret.hpp"
#include "sssn/channel_message.hpp"
#include "sssn/detail/exit_guard.hpp"
#include "sssn/log.hpp"
#include "sssn/refusals.hpp"
#include "sssn/token.hpp"

namespace sssn {

// -- free functions ---------------------------------------------------------------

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]"
         || host.compare(0, 4, "127.") == 0;
}

bool tls_configured(const caf::actor_system& sys) {
  return tls_configured(sys.config());
}

bool tls_configured(const caf::actor_system_config& cfg) {
  return !cfg.openssl_certificate.empty() || !cfg.openssl_key.empty()
         || !cfg.openssl_passphrase.empty() || !cfg.openssl_cafile.empty()
         || !cfg.openssl_capath.empty();
}

namespace {

std::string openssl_errors() {
  std::string result;
  while (auto code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    if (!result.empty())
      result += "; ";
    result += buf;
  }
  return result.empty() ? std::string{"unknown OpenSSL error"} : result;
}

int passphrase_cb(char* buf, int size, int, void* ptr) {
  auto& pass = *static_cast<const std::string*>(ptr);
  if (pass.size() >= static_cast<size_t>(size))
    return 0;
  std::copy(pass.begin(), pass.end(), buf);
  return static_cast<int>(pass.size());
}

caf::error tls_error(std::string what) {
  return make_error(ec::invalid_argument, "TLS settings: " + std::move(what));
}

} // namespace

caf::error check_tls(const caf::actor_system& sys) {
  return check_tls(sys.config());
}

caf::error check_tls(const caf::actor_system_config& cfg) {
  if (!tls_configured(cfg))
    return {};
  if (cfg.openssl_certificate.empty())
    return tls_error("openssl.certificate is required when any openssl "
                     "option is set");
  if (cfg.openssl_key.empty())
    return tls_error("openssl.key is required when any openssl option is "
                     "set");
  if (cfg.openssl_cafile.empty() && cfg.openssl_capath.empty())
    return tls_error("openssl.cafile (or openssl.capath) is required to "
                     "authenticate peers");
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx{SSL_CTX_new(
                                                          TLS_method()),
                                                        SSL_CTX_free};
  if (!ctx)
    return tls_error("cannot create an OpenSSL context: " + openssl_errors());
  auto pass = cfg.openssl_passphrase;
  SSL_CTX_set_default_passwd_cb(ctx.get(), passphrase_cb);
  SSL_CTX_set_default_passwd_cb_userdata(ctx.get(), &pass);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(),
                                         cfg.openssl_certificate.c_str())
      != 1)
    return tls_error("cannot load certificate '" + cfg.openssl_certificate
                     + "': " + openssl_errors());
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), cfg.openssl_key.c_str(),
                                  SSL_FILETYPE_PEM)
      != 1) {
    // OpenSSL checks the key against the certificate while loading it.
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      return tls_error("private key '" + cfg.openssl_key
                       + "' does not match certificate '"
                       + cfg.openssl_certificate + "'");
    }
    return tls_error("cannot load private key '" + cfg.openssl_key
                     + "' (wrong passphrase?): " + openssl_errors());
  }
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    return tls_error("private key '" + cfg.openssl_key
                     + "' does not match certificate '"
                     + cfg.openssl_certificate + "'");
  auto cafile = cfg.openssl_cafile.empty() ? nullptr
                                           : cfg.openssl_cafile.c_str();
  auto capath = cfg.openssl_capath.empty() ? nullptr
                                           : cfg.openssl_capath.c_str();
  if (SSL_CTX_load_verify_locations(ctx.get(), cafile, capath) != 1)
    return tls_error("cannot load CA certificates from '"
                     + (cafile ? cfg.openssl_cafile : cfg.openssl_capath)
                     + "': " + openssl_errors());
  return {};
}

// -- the directory actor ------------------------------------------------------------

namespace {

/// The channels a node publishes: written by `node::publish` on the caller's
/// thread, read by the directory actor.
struct published_channels {
  std::mutex mtx;
  std::map<std::string, channel> by_id;
};

struct directory_state {
  static inline const char* name = "sssn.directory";
  std::shared_ptr<published_channels> channels;
  detail::owner_secret secret;
  uint64_t refused = 0;
};

// Drops `exit_reason::kill` from peers (see detail::exit_guard).
using directory_pointer = detail::exit_guard<
  caf::stateful_actor<directory_state, directory_actor::base>>*;

directory_actor::behavior_type
directory_impl(directory_pointer self,
               std::shared_ptr<published_channels> channels,
               detail::owner_secret secret) {
  self->state.channels = std::move(channels);
  self->state.secret = secret;
  // A peer must not stop a published actor with one exit message.
  self->set_exit_handler([self](caf::exit_msg& msg) {
    ++self->state.refused;
    detail::count_ignored_exit();
    log(log_level::warning, directory_state::name,
        "ignored an exit message (" + caf::to_string(msg.reason)
          + ") from an actor it is not linked to");
  });
  // The directory monitors nothing and asks nothing: down and error
  // messages come only from peers (CAF's default error handler would stop
  // it).
  self->set_down_handler([self](caf::down_msg& msg) {
    if (detail::genuine_down(msg)) {
      ++self->state.refused;
      detail::count_unexpected();
    }
  });
  self->set_error_handler([self](caf::error& err) {
    ++self->state.refused;
    detail::count_unexpected();
    log(log_level::warning, directory_state::name,
        "ignored an error message nobody asked for: " + error_message(err));
  });
  self->set_default_handler(
    [self](caf::scheduled_actor*,
           caf::message_view& view) -> caf::result<caf::message> {
      ++self->state.refused;
      detail::count_unexpected();
      log(log_level::warning, directory_state::name,
          "refused an unexpected message " + caf::to_string(view.content()));
      return caf::make_error(caf::sec::unexpected_message,
                             "node directory does not understand this "
                             "message");
    });
  return {
    [](hello_atom, uint8_t version) -> caf::result<uint8_t> {
      if (version != wire_version)
        return make_error(ec::incompatible_version,
                          "peer speaks wire version " + std::to_string(version)
                            + ", this node speaks version "
                            + std::to_string(wire_version));
      return wire_version;
    },
    [self](lookup_atom,
           const std::string& id) -> caf::result<channel_actor> {
      auto& chans = *self->state.channels;
      std::lock_guard<std::mutex> guard{chans.mtx};
      auto i = chans.by_id.find(id);
      if (i == chans.by_id.end())
        return make_error(ec::channel_down,
                          "channel '" + id + "' is not published on this "
                                             "node");
      return i->second.actor();
    },
    [self](list_atom) {
      auto& chans = *self->state.channels;
      std::lock_guard<std::mutex> guard{chans.mtx};
      std::vector<std::string> ids;
      for (auto& [id, ch] : chans.by_id)
        ids.push_back(id);
      return ids;
    },
    [self](stats_atom) {
      node_stats result;
      {
        auto& chans = *self->state.channels;
        std::lock_guard<std::mutex> guard{chans.mtx};
        result.published = chans.by_id.size();
      }
      result.directory_refused = self->state.refused;
      result.refusals = refusals();
      return result;
    },
    [self](release_atom, uint64_t hi, uint64_t lo) {
      auto& st = self->state;
      if (hi == st.secret.first && lo == st.secret.second) {
        self->quit(caf::exit_reason::user_shutdown);
      } else {
        ++st.refused;
        detail::count_unexpected();
        log(log_level::warning, directory_state::name,
            "refused a release with a wrong secret");
      }
    },
  };
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
  std::shared_ptr<published_channels> published
    = std::make_shared<published_channels>();

  void stop() {
    if (!dir)
      return;
    if (sys->has_middleman())
      sys->middleman().unpublish(dir, port);
    caf::anon_send(dir, release_atom::value, secret.first, secret.second);
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
  ptr->dir = sys.spawn(directory_impl, ptr->published, ptr->secret);
  const char* in = cfg.host.empty() ? nullptr : cfg.host.c_str();
  auto port = tls ? caf::openssl::publish(ptr->dir, cfg.port, in, true)
                  : sys.middleman().publish(ptr->dir, cfg.port, in, true);
  if (!port) {
    caf::anon_send(ptr->dir, release_atom::value, ptr->secret.first,
                   ptr->secret.second);
    ptr->dir = nullptr;
    return make_error(ec::invalid_argument,
                      "cannot listen on " + cfg.host + ":"
                        + std::to_string(cfg.port) + ": "
                        + error_message(port.error()));
  }
  ptr->port = *port;
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
  caf::scoped_actor self{*impl_->sys};
  caf::error failure;
  node_stats result;
  self->request(impl_->dir, timeout, stats_atom::value)
    .receive([&](node_stats& x) { result = std::move(x); },
             [&](caf::error& err) { failure = std::move(err); });
  if (failure)
    return failure;
  return result;
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
  auto where = host + ":" + std::to_string(port);
  caf::expected<directory_actor> dir = caf::error{};
  if (tls_configured(sys)) {
    if (auto err = check_tls(sys))
      return err;
    dir = caf::openssl::remote_actor<directory_actor>(sys, host, port);
  } else {
    dir = sys.middleman().remote_actor<directory_actor>(host, port);
  }
  if (!dir)
    return make_error(ec::channel_down, "cannot connect to node " + where
                                          + ": "
                                          + error_message(dir.error()));
  caf::scoped_actor self{sys};
  caf::error failure;
  self->request(*dir, timeout, hello_atom::value, wire_version)
    .receive([](uint8_t) {}, [&](caf::error& err) { failure = std::move(err); });
  if (failure) {
    if (is(failure, ec::incompatible_version))
      return make_error(ec::incompatible_version,
                        "node " + where + " refused us: "
                          + error_message(failure));
    return make_error(ec::channel_down, "node " + where
                                          + " did not answer: "
                                          + error_message(failure));
  }
  return remote_node{std::move(*dir), host, port, timeout};
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
  caf::scoped_actor self{dir_.home_system()};
  caf::error failure;
  channel_actor hdl;
  self->request(dir_, timeout_, lookup_atom::value, id)
    .receive([&](channel_actor& x) { hdl = std::move(x); },
             [&](caf::error& err) { failure = std::move(err); });
  if (failure)
    return detail::normalize_channel_error(std::move(failure), id);
  if (!hdl)
    return make_error(ec::channel_down, "node " + address()
                                          + " returned no handle for channel '"
                                          + id + "'");
  return sssn::channel{std::move(hdl), id};
}

caf::expected<node_stats> remote_node::stats() const {
  if (!dir_)
    return make_error(ec::channel_down, "not connected");
  caf::scoped_actor self{dir_.home_system()};
  caf::error failure;
  node_stats result;
  self->request(dir_, timeout_, stats_atom::value)
    .receive([&](node_stats& x) { result = std::move(x); },
             [&](caf::error& err) { failure = std::move(err); });
  if (failure)
    return make_error(ec::channel_down, "node " + address()
                                          + " did not send its stats: "
                                          + error_message(failure));
  return result;
}

caf::expected<std::vector<std::string>> remote_node::channels() const {
  if (!dir_)
    return make_error(ec::channel_down, "not connected");
  caf::scoped_actor self{dir_.home_system()};
  caf::error failure;
  std::vector<std::string> ids;
  self->request(dir_, timeout_, list_atom::value)
    .receive([&](std::vector<std::string>& x) { ids = std::move(x); },
             [&](caf::error& err) { failure = std::move(err); });
  if (failure)
    return make_error(ec::channel_down, "node " + address()
                                          + " did not list its channels: "
                                          + error_message(failure));
  return ids;
}

} // namespace sssn
