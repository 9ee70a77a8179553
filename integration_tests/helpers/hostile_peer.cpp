// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// A hostile peer for integration_tests/hostile.cpp: a second process that
// connects to a node over loopback and sends it what an honest peer never
// would.
//
//   hostile_peer attack  --port=N [--channel=ID] [--seed=N] [--random=N]
//                        [--kill=0]
//   hostile_peer builtin --port=N [--tls-cert=F --tls-key=F --tls-ca=F]
//
// `attack` registers types under our wire type names (`sssn::...`) whose
// serializers write arbitrary bytes, and sends them, in well-formed and in
// wrong shapes, to the node's directory, its channel and the channel's
// responder (whose handle it learns by asking for a reply to a channel of
// its own), plus exit messages, forged down messages, error messages and
// unexpected messages (the responder only if it learns its handle, which a
// responder of this version never gives a peer: it prints `responder
// unreachable` then). It prints what it sent, one `sent <kind> <count>`
// line per kind, and `expect <counter> <n>`: the least amount by which each
// of the node's refusal counters must have grown (messages that reach our
// code and that our code must refuse). It ends with `done`.
//
// `builtin` sends a `caf::config_value` with an invalid type tag (CAF's own
// type: our code never sees it) to the node's directory and prints
// `connected` and `sent builtin 1`, or `refused: <why>` when it cannot
// connect at all (TLS without a valid certificate).
//
// Exit codes: 0 done, 1 could not connect or set up, 2 usage error.

#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <future>
#include <iostream>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include <caf/all.hpp>
#include <caf/detail/stringification_inspector.hpp>
#include <caf/io/all.hpp>
#include <caf/openssl/all.hpp>

#include "sssn/all.hpp"

#include "peer_tools.hpp"

using namespace std::chrono_literals;

namespace {

// -- evil types -------------------------------------------------------------

/// Registered under the wire name of `T`. Saving writes `bytes` as they are
/// (no length, no framing) unless `honest` is set, then the honest form of
/// `value`. Loading reads the honest form (so that replies from the node
/// still decode here).
template <class T>
struct raw {
  std::string bytes;
  T value{};
  bool honest = false;
};

template <class T>
raw<T> junk(std::string bytes) {
  raw<T> result;
  result.bytes = std::move(bytes);
  return result;
}

template <class T>
raw<T> honest(T value) {
  raw<T> result;
  result.value = std::move(value);
  result.honest = true;
  return result;
}

template <class Inspector, class T>
typename Inspector::result_type inspect(Inspector& f, raw<T>& x) {
  if constexpr (std::is_same<Inspector,
                             caf::detail::stringification_inspector>::value) {
    return f(caf::meta::type_name("raw"), x.bytes);
  } else if constexpr (Inspector::reads_state) {
    if (x.honest)
      return f(x.value);
    if (x.bytes.empty())
      return caf::none;
    return f.apply_raw(x.bytes.size(), x.bytes.data());
  } else {
    x.honest = true;
    return f(x.value);
  }
}

/// A `caf::config_value` whose variant tag is out of range: CAF's own type,
/// decoded by CAF alone.
struct bad_config_value {};

template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, bad_config_value&) {
  if constexpr (std::is_same<Inspector,
                             caf::detail::stringification_inspector>::value) {
    return f(caf::meta::type_name("bad_config_value"));
  } else if constexpr (Inspector::reads_state) {
    uint8_t tag = 200;
    return f(tag);
  } else {
    return caf::sec::invalid_argument;
  }
}

// Every type of ours that crosses nodes (sssn::add_message_types), with
// the C++ type of its honest form.
template <class F>
void for_each_wire_type(F&& f) {
  f(sssn::channel_message{}, "sssn::channel_message");
  f(std::vector<sssn::channel_message>{},
    "std::vector<sssn::channel_message>");
  f(sssn::content{}, "sssn::content");
  f(sssn::write_options{}, "sssn::write_options");
  f(sssn::delivery{}, "sssn::delivery");
  f(sssn::subscription{}, "sssn::subscription");
  f(sssn::message_filter{}, "sssn::message_filter");
  f(sssn::evict_options{}, "sssn::evict_options");
  f(sssn::channel_stats{}, "sssn::channel_stats");
  f(sssn::access_policy{}, "sssn::access_policy");
  f(sssn::requester_stats{}, "sssn::requester_stats");
  f(sssn::responder_stats{}, "sssn::responder_stats");
  f(sssn::channel_actor{}, "sssn::channel_actor");
  f(sssn::subscriber_actor{}, "sssn::subscriber_actor");
  f(sssn::requester_actor{}, "sssn::requester_actor");
  f(sssn::responder_actor{}, "sssn::responder_actor");
  f(sssn::directory_actor{}, "sssn::directory_actor");
  f(sssn::node_stats{}, "sssn::node_stats");
}

struct evil_config : caf::actor_system_config {
  evil_config() {
    for_each_wire_type([this](auto proto, const char* name) {
      using type = decltype(proto);
      add_message_type<raw<type>>(name);
    });
    // The honest types too, under the same names: CAF keeps the first
    // factory per name (so what arrives decodes as `raw`), but maps the C++
    // types to our names, so that `remote_actor<directory_actor>` computes
    // the node's interface (an untyped handle would be refused), and our
    // errors render.
    sssn::add_message_types(*this);
    load<caf::io::middleman>();
    load<caf::openssl::manager>();
    set("work-stealing.moderate-poll-attempts", 0);
  }
};

struct builtin_config : caf::actor_system_config {
  builtin_config() {
    add_message_type<bad_config_value>("@config_value");
    sssn::add_message_types(*this);
    load<caf::io::middleman>();
    load<caf::openssl::manager>();
  }
};

// -- bytes --------------------------------------------------------------------

std::string varint(uint64_t x) {
  std::string out;
  while (x >= 0x80) {
    out.push_back(static_cast<char>((x & 0x7F) | 0x80));
    x >>= 7;
  }
  out.push_back(static_cast<char>(x));
  return out;
}

std::string zigzag(int64_t x) {
  return varint((static_cast<uint64_t>(x) << 1)
                ^ static_cast<uint64_t>(x >> 63));
}

std::string f64(double x) {
  uint64_t bits = 0;
  std::memcpy(&bits, &x, sizeof(bits));
  std::string out;
  for (int i = 0; i < 8; ++i)
    out.push_back(static_cast<char>((bits >> (8 * i)) & 0xFF));
  return out;
}

std::string str(const std::string& x) {
  return varint(x.size()) + x;
}

/// CAF's framing of a `std::vector<char>` (what our blobs are).
std::string framed(const std::string& blob) {
  return varint(blob.size()) + blob;
}

/// CAF's binary form of `x`, made in `sys` (actor handles included).
template <class T>
std::string caf_bytes(caf::actor_system& sys, T x) {
  std::vector<char> buf;
  caf::binary_serializer sink{sys, buf};
  if (auto err = sink(x))
    throw std::runtime_error("cannot serialize: " + sys.render(err));
  return std::string{buf.begin(), buf.end()};
}

// Tags and kinds of our own encoding (sssn/detail/wire.hpp).
constexpr char v1 = 1;
constexpr char generic = 0;
constexpr char t_null = 0, t_int = 3, t_double = 5, t_string = 6,
               t_array = 7, t_object = 8;

/// Bodies of content (after the version byte) that our decoder must refuse.
std::vector<std::pair<std::string, std::string>> bad_content_bodies() {
  std::vector<std::pair<std::string, std::string>> xs;
  xs.emplace_back("empty", "");
  xs.emplace_back("bad kind", std::string{char(9)} + t_null);
  xs.emplace_back("bad tag", std::string{generic} + char(42));
  xs.emplace_back("truncated int", std::string{generic} + t_int + "\x80");
  xs.emplace_back("nan", std::string{generic} + t_double
                           + f64(std::numeric_limits<double>::quiet_NaN()));
  xs.emplace_back("+inf", std::string{generic} + t_double
                            + f64(std::numeric_limits<double>::infinity()));
  xs.emplace_back("-inf", std::string{generic} + t_double
                            + f64(-std::numeric_limits<double>::infinity()));
  xs.emplace_back("truncated double",
                  std::string{generic} + t_double + "\x01\x02");
  xs.emplace_back("huge string length",
                  std::string{generic} + t_string + varint(1ull << 40));
  xs.emplace_back("string longer than input",
                  std::string{generic} + t_string + varint(100) + "abc");
  xs.emplace_back("invalid utf-8", std::string{generic} + t_string
                                     + str("\xff\xfe\xc0\x80"));
  xs.emplace_back("huge array count",
                  std::string{generic} + t_array + varint(1ull << 60));
  xs.emplace_back("huge object count",
                  std::string{generic} + t_object + varint(1ull << 33));
  xs.emplace_back("object key invalid utf-8",
                  std::string{generic} + t_object + varint(1) + str("\xc3")
                    + t_null);
  {
    std::string deep{generic};
    for (int i = 0; i < 65; ++i)
      deep += std::string{t_array} + varint(1);
    deep += t_null;
    xs.emplace_back("nesting 65 deep", deep);
  }
  {
    // Deep enough to overflow a recursive decoder's stack.
    std::string deep{generic};
    for (int i = 0; i < 200000; ++i)
      deep += std::string{t_array} + varint(1);
    deep += t_null;
    xs.emplace_back("nesting 200000 deep", deep);
  }
  xs.emplace_back("trailing bytes", std::string{generic} + t_null + "junk");
  xs.emplace_back("typed without name",
                  std::string{char(1)} + varint(1ull << 50));
  xs.emplace_back("error kind truncated", std::string{char(2)} + char(3));
  return xs;
}

// -- options -------------------------------------------------------------------

struct options {
  std::string mode;
  std::string host = "127.0.0.1";
  int port = 0;
  std::string channel = "compute-request";
  uint64_t seed = 1;
  int random = 200;
  bool kill = true;
  std::string tls_cert;
  std::string tls_key;
  std::string tls_ca;
};

std::optional<options> parse(int argc, char** argv) {
  options opts;
  auto ok = peer_tools::parse_args(
    argc, argv, opts.mode,
    [&](const std::string& key, const std::string& val) {
      if (key == "host")
        opts.host = val;
      else if (key == "port")
        opts.port = std::stoi(val);
      else if (key == "channel")
        opts.channel = val;
      else if (key == "seed")
        opts.seed = std::stoull(val);
      else if (key == "random")
        opts.random = std::stoi(val);
      else if (key == "kill")
        opts.kill = val != "0";
      else if (key == "tls-cert")
        opts.tls_cert = val;
      else if (key == "tls-key")
        opts.tls_key = val;
      else if (key == "tls-ca")
        opts.tls_ca = val;
      else
        return false;
      return true;
    });
  if (!ok || (opts.mode != "attack" && opts.mode != "builtin"))
    return std::nullopt;
  if (opts.port <= 0 || opts.port > 65535)
    return std::nullopt;
  return opts;
}

// -- the attack -----------------------------------------------------------------

/// Counts what was sent, by kind, and what the node must have refused.
struct tally {
  std::map<std::string, int> sent;
  std::map<std::string, int> expect;

  void add(const std::string& kind, const std::string& counter = {}) {
    ++sent[kind];
    if (!counter.empty())
      ++expect[counter];
  }
};

using namespace sssn;

int attack(const options& opts) {
  evil_config cfg;
  caf::actor_system sys{cfg};
  auto typed_dir = sys.middleman().remote_actor<directory_actor>(
    opts.host, static_cast<uint16_t>(opts.port));
  if (!typed_dir) {
    std::cout << "refused: " << sys.render(typed_dir.error()) << std::endl;
    return 1;
  }
  std::optional<caf::actor> dir = caf::actor_cast<caf::actor>(*typed_dir);
  std::cout << "connected" << std::endl;
  caf::scoped_actor self{sys};
  // The channel's handle, from an honest lookup.
  caf::actor ch;
  self->request(*dir, 10s, lookup_atom::value, opts.channel)
    .receive(
      [&](raw<channel_actor>& x) {
        ch = caf::actor_cast<caf::actor>(x.value);
      },
      [&](caf::error& err) {
        std::cout << "lookup failed: " << sys.render(err) << std::endl;
      });
  if (!ch)
    return 1;
  // A reply channel of our own: the responder writes its reply there, which
  // tells us its handle; we answer with nonsense.
  std::promise<caf::actor> responder_promise;
  auto responder_future = responder_promise.get_future();
  auto fake_reply_channel = sys.spawn(
    [&responder_promise](caf::event_based_actor* fake) -> caf::behavior {
      auto found = std::make_shared<bool>(false);
      fake->set_default_handler(caf::drop);
      return {
        [fake, found,
         &responder_promise](write_atom, const std::string&,
                             const raw<channel_message>&,
                             const raw<write_options>&) -> caf::message {
          if (!*found) {
            *found = true;
            responder_promise.set_value(
              caf::actor_cast<caf::actor>(fake->current_sender()));
          }
          // Not the std::string id the responder waits for.
          return caf::make_message(int32_t{42}, 3.5);
        },
        // The one-way form (responders write replies this way): the answer
        // is a stray message the responder never asked for.
        [fake, found,
         &responder_promise](write_atom, const std::string&,
                             const raw<channel_message>&,
                             const raw<write_options>&,
                             uint64_t) -> caf::message {
          if (!*found) {
            *found = true;
            responder_promise.set_value(
              caf::actor_cast<caf::actor>(fake->current_sender()));
          }
          return caf::make_message(int32_t{42}, 3.5);
        },
      };
    });
  {
    write_options wo;
    wo.reply_channel = caf::actor_cast<channel_actor>(fake_reply_channel);
    auto msg = channel_message::builder{}
                 .sender_id("hostile")
                 .content(json{{"a", 1}, {"b", 2}})
                 .correlation_id("hostile-1")
                 .reply_to("hostile-reply")
                 .build();
    self->request(ch, 10s, write_atom::value, std::string{"hostile"},
                  honest(msg), honest(wo))
      .receive([](const std::string&) {},
               [&](caf::error& err) {
                 std::cout << "honest write failed: " << sys.render(err)
                           << std::endl;
               });
  }
  caf::actor responder;
  if (responder_future.wait_for(10s) == std::future_status::ready)
    responder = responder_future.get();
  // A responder answers a peer anonymously: its handle never reaches a
  // peer (peers could forge it as a sender). Then it cannot be attacked.
  if (responder)
    std::cout << "responder found" << std::endl;
  else
    std::cout << "responder unreachable" << std::endl;
  tally t;
  // Every message goes out as a request from `self`: the node answers
  // refusals with an error, which we drop. Sends are asynchronous; the
  // final stats request to the directory comes after all of them on the
  // same connection.
  auto send = [&](const caf::actor& dest, caf::message msg) {
    self->send(dest, std::move(msg));
  };
  std::vector<std::pair<std::string, caf::actor>> targets{
    {"directory", *dir}, {"channel", ch}};
  if (responder)
    targets.emplace_back("responder", responder);
  auto subscriber = caf::actor_cast<subscriber_actor>(fake_reply_channel);
  auto honest_msg = channel_message::builder{}
                      .sender_id("hostile")
                      .content(json{{"a", 1}, {"b", 2}})
                      .build();
  std::string sender = "hostile";

  // 1. Values of our types that our load path must refuse, each the last
  //    element of its message.
  auto undecodable = [&](const caf::actor& dest, caf::message msg) {
    send(dest, std::move(msg));
    t.add("undecodable", "undecodable");
  };
  // 1a. channel_message: frames our blob reader refuses...
  for (auto& frame : {std::string{}, varint(1ull << 40), varint(1ull << 26),
                      varint(100) + "short", std::string{"\xff\xff\xff"}})
    undecodable(ch, caf::make_message(write_atom::value, sender,
                                      junk<channel_message>(frame)));
  // ... and well-framed blobs our decoder refuses, in the right shape.
  {
    // Our message form: version, id, flags, timestamp, sender, content
    // (kind and value), metadata (a value), then the optional fields.
    auto head = std::string{v1} + str("id") + char(0) + zigzag(1)
                + str("hostile");
    std::vector<std::string> bodies{
      "",
      std::string{char(9)},                                // wire version 9
      std::string{v1},                                     // no id
      std::string{v1} + varint(1ull << 50),                // huge id
      std::string{v1} + str("id") + char(0) + zigzag(1) + str("\xff"),
      std::string{v1} + str("id") + char(0x1F) + zigzag(1) + str("s")
        + generic + t_null + t_null,                        // fields missing
      head + generic + t_null + t_double
        + f64(std::numeric_limits<double>::quiet_NaN()),   // NaN metadata
      head + generic + t_null + t_null + "trailing",
    };
    for (auto& [what, body] : bad_content_bodies())
      bodies.push_back(std::string{v1} + str("id-" + what) + char(0)
                       + zigzag(1) + str("hostile") + body);
    for (auto& body : bodies)
      undecodable(ch, caf::make_message(write_atom::value, sender,
                                        junk<channel_message>(framed(body)),
                                        write_options{}));
  }
  // 1b. content, in the right shape (write(sender, content)).
  for (auto& [what, body] : bad_content_bodies())
    undecodable(ch, caf::make_message(
                      write_atom::value, sender,
                      junk<content>(framed(std::string{v1} + body))));
  for (auto& frame : {std::string{}, varint(1ull << 40), varint(10) + "ab",
                      framed(std::string{char(7)} + generic + t_null)})
    undecodable(ch, caf::make_message(write_atom::value, sender,
                                      junk<content>(frame)));
  // 1c. A vector of messages whose first element lies about its length.
  undecodable(ch, caf::make_message(
                    read_atom::value,
                    junk<std::vector<channel_message>>(varint(3)
                                                       + varint(1ull << 40))));
  // 1d. Types that CAF decodes field by field inside our inspect: empty,
  //     truncated, and with a string length beyond the input.
  auto field_attacks = [&](const std::string& honest_bytes,
                           auto make_msg) {
    undecodable(ch, make_msg(std::string{}));
    undecodable(ch, make_msg(honest_bytes.substr(0, honest_bytes.size() - 1)));
    undecodable(ch, make_msg(varint(1ull << 62)));
  };
  {
    subscription sub;
    sub.correlation_prefix = "x";
    field_attacks(caf_bytes(sys, sub), [&](std::string b) {
      return caf::make_message(subscribe_atom::value, sender, subscriber,
                               junk<subscription>(std::move(b)));
    });
    message_filter mf;
    mf.sender_id = "nobody-at-all";
    field_attacks(caf_bytes(sys, mf), [&](std::string b) {
      return caf::make_message(clear_atom::value, sender,
                               junk<message_filter>(std::move(b)));
    });
    evict_options eo;
    eo.max_count = 1000000;
    field_attacks(caf_bytes(sys, eo), [&](std::string b) {
      // Starts with bools: a huge "length" is a truncated int there.
      return caf::make_message(evict_atom::value, sender,
                               junk<evict_options>(std::move(b)));
    });
    auto pol = access_policy::acl({{"hostile", role::admin}});
    field_attacks(caf_bytes(sys, pol), [&](std::string b) {
      return caf::make_message(policy_atom::value, sender,
                               junk<access_policy>(std::move(b)));
    });
    write_options wo;
    wo.require_responders = true;
    field_attacks(caf_bytes(sys, wo), [&](std::string b) {
      return caf::make_message(write_atom::value, sender, honest(honest_msg),
                               junk<write_options>(std::move(b)));
    });
    channel_stats cs;
    cs.id = "x";
    field_attacks(caf_bytes(sys, cs), [&](std::string b) {
      return caf::make_message(stats_atom::value,
                               junk<channel_stats>(std::move(b)));
    });
    requester_stats rs;
    rs.prefix = "x";
    field_attacks(caf_bytes(sys, rs), [&](std::string b) {
      return caf::make_message(stats_atom::value,
                               junk<requester_stats>(std::move(b)));
    });
    responder_stats ps;
    field_attacks(caf_bytes(sys, ps), [&](std::string b) {
      return caf::make_message(stats_atom::value,
                               junk<responder_stats>(std::move(b)));
    });
    node_stats ns;
    field_attacks(caf_bytes(sys, ns), [&](std::string b) {
      return caf::make_message(stats_atom::value,
                               junk<node_stats>(std::move(b)));
    });
  }
  // 1e. A delivery pushed to the responder: truncated and with a bad
  //     message inside.
  if (responder) {
    delivery d;
    d.channel_id = "x";
    d.message = honest_msg;
    auto bytes = caf_bytes(sys, d);
    for (auto& b : {std::string{}, bytes.substr(0, bytes.size() - 1),
                    varint(1ull << 62),
                    str("x") + varint(1ull << 40)})
      undecodable(responder,
                  caf::make_message(push_atom::value, junk<delivery>(b)));
  }

  // 2. Actor handles of ours with garbage inside: CAF decodes them (not our
  //    code), so nothing of ours can count them; sent in shapes that no
  //    handler accepts.
  for (auto& b : {std::string{}, std::string(8, '\xff'),
                  std::string(40, '\x01'), std::string{"\x01\x02"}}) {
    send(ch, caf::make_message(caf::atom("hx"), junk<channel_actor>(b)));
    send(ch, caf::make_message(caf::atom("hx"), junk<subscriber_actor>(b)));
    send(*dir, caf::make_message(caf::atom("hx"), junk<directory_actor>(b)));
    t.sent["caf-decoded handle"] += 3;
    if (responder) {
      send(responder,
           caf::make_message(caf::atom("hx"), junk<responder_actor>(b)));
      send(responder,
           caf::make_message(caf::atom("hx"), junk<requester_actor>(b)));
      t.sent["caf-decoded handle"] += 2;
    }
  }

  // 3. Unexpected messages: decode fine, match no handler.
  for (auto& [name, dest] : targets) {
    std::vector<caf::message> xs{
      caf::message{},
      caf::make_message(caf::atom("nonsense")),
      caf::make_message(caf::atom("sssn_zzz"), std::string{"x"}),
      caf::make_message(int32_t{42}, std::string{"wrong types"}),
      caf::make_message(write_atom::value),
      caf::make_message(write_atom::value, int64_t{7}, int64_t{8}),
      caf::make_message(lookup_atom::value, int32_t{5}),
      caf::make_message(hello_atom::value, std::string{"v1"}),
      caf::make_message(read_atom::value, sender),
      caf::make_message(claim_atom::value, uint32_t{1}, sender),
      caf::make_message(push_atom::value),
      caf::make_message(stats_atom::value, int32_t{1}),
      caf::make_message(honest(subscription{})),
      caf::make_message(honest(node_stats{})),
      caf::make_message(honest(honest_msg)),
      caf::make_message(std::vector<std::string>{"a", "b"}),
    };
    for (auto& x : xs) {
      send(dest, x);
      t.add("unexpected", "unexpected");
    }
    // Internal messages with a wrong secret.
    if (name != "responder") {
      send(dest, caf::make_message(release_atom::value, uint64_t{1},
                                   uint64_t{2}));
      t.add("wrong secret", "unexpected");
    }
  }
  // Replies for calls the responder never made.
  for (uint64_t token : {uint64_t{0}, uint64_t{12345},
                         std::numeric_limits<uint64_t>::max()}) {
    if (!responder)
      break;
    send(responder, caf::make_message(reply_atom::value, token,
                                      honest(content{json{{"r", 1}}})));
    t.add("forged reply", "unexpected");
  }

  // 4. Exit messages with every reason but kill (see docs/caf-0.17-notes.md).
  std::vector<caf::error> reasons{
    caf::exit_reason::normal,
    caf::exit_reason::user_shutdown,
    caf::exit_reason::unhandled_exception,
    caf::exit_reason::unknown,
    caf::exit_reason::out_of_workers,
    caf::exit_reason::remote_link_unreachable,
    caf::make_error(caf::sec::runtime_error, "hostile"),
  };
  for (auto& [name, dest] : targets)
    for (auto& reason : reasons) {
      self->send_exit(dest, reason);
      caf::anon_send(dest, caf::exit_msg{caf::actor_addr{}, reason});
      t.add("exit", "ignored_exits");
      t.add("exit", "ignored_exits");
    }

  // 4b. `exit_reason::kill` bypasses every exit handler in CAF 0.17; our
  //     actors drop it before their mailbox (detail::exit_guard).
  if (opts.kill)
    for (auto& [name, dest] : targets) {
      // From an actor, and anonymously (as `caf::anon_send_exit` does:
      // the source is the target itself).
      self->send_exit(dest, caf::exit_reason::kill);
      caf::anon_send_exit(dest, caf::exit_reason::kill);
      t.add("exit kill", "ignored_exits");
      t.add("exit kill", "ignored_exits");
    }

  // 5. Down messages naming actors that are alive: the channel is told its
  //    responder died, the responder that its channel died.
  auto forge_down = [&](const caf::actor& dest, const caf::actor& about) {
    send(dest, caf::make_message(
                 caf::down_msg{about.address(),
                               caf::exit_reason::user_shutdown}));
    caf::anon_send(dest, caf::down_msg{about.address(),
                                       caf::exit_reason::unknown});
    t.add("forged down", "forged_downs");
    t.add("forged down", "forged_downs");
  };
  if (responder) {
    forge_down(ch, responder);
    forge_down(responder, ch);
  }
  forge_down(*dir, ch);
  forge_down(ch, caf::actor_cast<caf::actor>(*dir));

  // 6. Error messages that nobody asked for.
  for (auto& [name, dest] : targets) {
    send(dest, caf::make_message(caf::make_error(caf::sec::runtime_error,
                                                 "hostile error")));
    caf::anon_send(dest, caf::make_error(caf::sec::request_timeout));
    t.add("stray error", "unexpected");
    t.add("stray error", "unexpected");
  }

  // 7. Random garbage under our type names, in shapes no handler accepts:
  //    whatever decodes is unexpected, the rest undecodable or dropped by
  //    CAF; no exact expectation.
  {
    std::mt19937_64 gen{opts.seed};
    auto bytes = [&](size_t n) {
      std::string out(n, '\0');
      for (auto& c : out)
        c = static_cast<char>(gen() & 0xFF);
      return out;
    };
    for (int i = 0; i < opts.random; ++i) {
      auto b = bytes(gen() % 64);
      auto& dest = targets[gen() % targets.size()].second;
      caf::message m;
      switch (gen() % 8) {
        case 0:
          m = caf::make_message(caf::atom("junk"), junk<channel_message>(b));
          break;
        case 1:
          m = caf::make_message(caf::atom("junk"), junk<content>(b));
          break;
        case 2:
          m = caf::make_message(caf::atom("junk"), junk<subscription>(b));
          break;
        case 3:
          m = caf::make_message(caf::atom("junk"), junk<access_policy>(b));
          break;
        case 4:
          m = caf::make_message(caf::atom("junk"), junk<delivery>(b));
          break;
        case 5:
          m = caf::make_message(caf::atom("junk"), junk<evict_options>(b));
          break;
        case 6:
          m = caf::make_message(caf::atom("junk"), junk<channel_stats>(b));
          break;
        default:
          m = caf::make_message(caf::atom("junk"),
                                junk<std::vector<channel_message>>(b));
      }
      send(dest, std::move(m));
      t.add("random");
    }
  }

  // The directory still answers us, after everything above (one
  // connection, in order).
  bool answered = false;
  self->request(*dir, 30s, list_atom::value)
    .receive([&](const std::vector<std::string>&) { answered = true; },
             [&](caf::error& err) {
               std::cout << "list failed: " << sys.render(err) << std::endl;
             });
  int total = 0;
  for (auto& [kind, n] : t.sent) {
    std::cout << "sent " << kind << ' ' << n << '\n';
    total += n;
  }
  std::cout << "sent total " << total << '\n';
  for (auto& [counter, n] : t.expect)
    std::cout << "expect " << counter << ' ' << n << '\n';
  std::cout << (answered ? "done" : "directory silent") << std::endl;
  caf::anon_send_exit(fake_reply_channel, caf::exit_reason::user_shutdown);
  return answered ? 0 : 1;
}

int builtin(const options& opts) {
  builtin_config cfg;
  cfg.openssl_certificate = opts.tls_cert;
  cfg.openssl_key = opts.tls_key;
  cfg.openssl_cafile = opts.tls_ca;
  bool tls = !opts.tls_cert.empty() || !opts.tls_ca.empty();
  caf::actor_system sys{cfg};
  auto port = static_cast<uint16_t>(opts.port);
  auto dir
    = tls ? caf::openssl::remote_actor<directory_actor>(sys, opts.host, port)
          : sys.middleman().remote_actor<directory_actor>(opts.host, port);
  if (!dir) {
    std::cout << "refused: " << sys.render(dir.error()) << std::endl;
    return 1;
  }
  std::cout << "connected" << std::endl;
  caf::anon_send(caf::actor_cast<caf::actor>(*dir), bad_config_value{});
  std::cout << "sent builtin 1" << std::endl;
  // Give the bytes time to leave before the connection closes.
  std::this_thread::sleep_for(500ms);
  return 0;
}

} // namespace

int main(int argc, char** argv) {
  auto opts = parse(argc, argv);
  if (!opts) {
    std::cerr << "usage: hostile_peer attack|builtin --port=N [--host=H] "
                 "[--channel=ID] [--seed=N] [--random=N] [--tls-cert=F "
                 "--tls-key=F --tls-ca=F]\n";
    return 2;
  }
  try {
    return opts->mode == "attack" ? attack(*opts) : builtin(*opts);
  } catch (std::exception& ex) {
    std::cout << "failed: " << ex.what() << std::endl;
    return 1;
  }
}
