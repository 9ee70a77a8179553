#include "sssn/requester.hpp"

#include <cinttypes>
#include <cstdio>
#include <functional>
#include <map>
#include <mutex>
#include <queue>
#include <unordered_map>
#include <unordered_set>

#include <caf/actor_cast.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/message_view.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "sssn/detail/channel_actor.hpp"
#include "sssn/detail/exit_guard.hpp"
#include "sssn/detail/unix_clock.hpp"
#include "sssn/log.hpp"
#include "sssn/refusals.hpp"

namespace sssn {

namespace {

using time_point = caf::actor_clock::time_point;

struct pending_call {
  caf::typed_response_promise<channel_message> rp;
  time_point deadline;
  caf::actor_addr caller;
  caf::actor_addr channel;
  std::string channel_id;
  caf::timespan timeout;
};

struct requester_state {
  static inline const char* name = "sssn.requester";

  requester_config cfg;
  channel response;
  std::optional<detail::unix_clock> clock;
  /// "<32 hex digits>." — random per requester, so ids are unique across
  /// nodes and cannot be guessed.
  std::string prefix;
  uint64_t next_id = 1;
  std::unordered_map<uint64_t, pending_call> pending;
  using deadline_item = std::pair<time_point, uint64_t>;
  std::priority_queue<deadline_item, std::vector<deadline_item>,
                      std::greater<deadline_item>>
    deadlines;
  bool tick_scheduled = false;
  time_point tick_at;
  /// Pending calls per live caller (monitored while it has any).
  std::unordered_map<caf::actor_addr, size_t> callers;
  /// Request channels we watch for DOWN.
  std::unordered_set<caf::actor_addr> channels;
  /// Calls that arrived before the subscription was confirmed.
  std::vector<std::function<void()>> before_subscribed;
  bool subscribed = false;
  caf::error subscription_error;
  requester_stats stats;
  /// Push credit of the response channel subscription, returned in batches.
  credit_returner credit;

  std::string correlation_id(uint64_t n) const {
    static constexpr char digits[] = "0123456789abcdef";
    char buf[16];
    size_t len = 0;
    do {
      buf[len++] = digits[n & 0xF];
      n >>= 4;
    } while (n != 0);
    std::string result;
    result.reserve(prefix.size() + len);
    result += prefix;
    while (len > 0)
      result += buf[--len];
    return result;
  }
};

// Drops `exit_reason::kill` from peers (see detail::exit_guard).
using requester_pointer = detail::exit_guard<
  caf::stateful_actor<requester_state, requester_actor::base>>*;

void forget_caller(requester_pointer self, const caf::actor_addr& caller) {
  auto& st = self->state;
  if (!caller)
    return;
  auto i = st.callers.find(caller);
  if (i == st.callers.end())
    return;
  if (--i->second == 0) {
    self->demonitor(caller);
    st.callers.erase(i);
  }
}

/// Removes a pending call and hands back its entry.
std::optional<pending_call> take(requester_pointer self, uint64_t n) {
  auto& st = self->state;
  auto i = st.pending.find(n);
  if (i == st.pending.end())
    return std::nullopt;
  auto result = std::move(i->second);
  st.pending.erase(i);
  forget_caller(self, result.caller);
  return result;
}

void fail(requester_pointer self, uint64_t n, caf::error err) {
  if (auto call = take(self, n)) {
    ++self->state.stats.failed;
    call->rp.deliver(std::move(err));
  }
}

void schedule_tick(requester_pointer self) {
  auto& st = self->state;
  // Drop resolved calls from the top, so that the timer only ever wakes up
  // for a call that is still waiting.
  while (!st.deadlines.empty()) {
    auto [t, n] = st.deadlines.top();
    auto i = st.pending.find(n);
    if (i != st.pending.end() && i->second.deadline == t)
      break;
    st.deadlines.pop();
  }
  // Rebuild the heap when resolved calls make up most of it.
  if (st.deadlines.size() > 1024 && st.deadlines.size() > 2 * st.pending.size()) {
    decltype(st.deadlines) fresh;
    for (auto& [n, call] : st.pending)
      fresh.emplace(call.deadline, n);
    st.deadlines.swap(fresh);
  }
  if (st.deadlines.empty())
    return;
  auto t = st.deadlines.top().first;
  if (st.tick_scheduled && st.tick_at <= t)
    return;
  st.tick_scheduled = true;
  st.tick_at = t;
  self->scheduled_send(caf::actor_cast<requester_actor>(self), t,
                       tick_atom::value);
}

void on_tick(requester_pointer self) {
  auto& st = self->state;
  st.tick_scheduled = false;
  auto now = self->clock().now();
  while (!st.deadlines.empty() && st.deadlines.top().first <= now) {
    auto [t, n] = st.deadlines.top();
    st.deadlines.pop();
    auto i = st.pending.find(n);
    if (i == st.pending.end() || i->second.deadline != t)
      continue;
    auto call = take(self, n);
    ++st.stats.timed_out;
    auto secs = std::chrono::duration<double>(call->timeout).count();
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", secs);
    call->rp.deliver(caf::make_error(
      caf::sec::request_timeout, "request '" + st.correlation_id(n)
                                   + "' to channel '" + call->channel_id
                                   + "' got no reply within " + buf + " s"));
  }
  schedule_tick(self);
}

void on_push(requester_pointer self, delivery& d) {
  auto& st = self->state;
  st.credit.handled(self, d);
  auto& corr = d.message.correlation_id();
  if (!corr || corr->compare(0, st.prefix.size(), st.prefix) != 0) {
    ++st.stats.unknown_replies;
    return;
  }
  uint64_t n = 0;
  auto digits = corr->size() - st.prefix.size();
  bool ok = digits > 0 && digits <= 16;
  for (size_t i = st.prefix.size(); ok && i < corr->size(); ++i) {
    auto c = (*corr)[i];
    if (c >= '0' && c <= '9')
      n = n * 16 + static_cast<uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      n = n * 16 + static_cast<uint64_t>(c - 'a' + 10);
    else
      ok = false;
  }
  if (!ok || n == 0 || n >= st.next_id) {
    ++st.stats.unknown_replies;
    return;
  }
  auto call = take(self, n);
  if (!call) {
    ++st.stats.late_replies;
    if (log_enabled(log_level::debug))
      log(log_level::debug, requester_state::name,
          "dropped a late or repeated reply for request '" + *corr + "'");
    return;
  }
  ++st.stats.replied;
  call->rp.deliver(std::move(d.message));
}

void on_down(requester_pointer self, const caf::down_msg& msg) {
  auto& st = self->state;
  if (msg.source == st.response.actor().address()) {
    // Without its response channel, no call can be answered.
    std::vector<uint64_t> ids;
    for (auto& [n, call] : st.pending)
      ids.push_back(n);
    for (auto n : ids)
      fail(self, n,
           make_error(ec::channel_down, "response channel '" + st.response.id()
                                          + "' is down; request '"
                                          + st.correlation_id(n)
                                          + "' cannot be answered"));
    self->quit(caf::exit_reason::normal);
    return;
  }
  if (st.channels.erase(msg.source) > 0) {
    std::vector<uint64_t> ids;
    for (auto& [n, call] : st.pending)
      if (call.channel == msg.source)
        ids.push_back(n);
    for (auto n : ids) {
      auto& call = st.pending.at(n);
      fail(self, n,
           make_error(ec::channel_down, "request channel '" + call.channel_id
                                          + "' is down; request '"
                                          + st.correlation_id(n)
                                          + "' cannot be answered"));
    }
    return;
  }
  auto i = st.callers.find(msg.source);
  if (i != st.callers.end()) {
    st.callers.erase(i);
    std::vector<uint64_t> ids;
    for (auto& [n, call] : st.pending)
      if (call.caller == msg.source)
        ids.push_back(n);
    for (auto n : ids) {
      st.pending.erase(n);
      ++st.stats.dropped;
    }
  }
}

void start_call(requester_pointer self,
                caf::typed_response_promise<channel_message> rp,
                caf::actor_addr caller, channel_actor req, std::string req_id,
                std::string sender, content data, caf::timespan timeout,
                caf::timespan issued_at) {
  auto& st = self->state;
  if (st.pending.size() >= st.cfg.max_pending) {
    ++st.stats.overloaded;
    rp.deliver(make_error(ec::overloaded,
                      "requester for response channel '" + st.response.id()
                        + "' already has " + std::to_string(st.pending.size())
                        + " pending calls; call to channel '" + req_id
                        + "' refused"));
    return;
  }
  if (!req) {
    ++st.stats.failed;
    rp.deliver(make_error(ec::channel_down, "request channel '" + req_id
                                              + "' is an invalid handle"));
    return;
  }
  if (timeout <= caf::timespan{0}) {
    ++st.stats.failed;
    rp.deliver(make_error(ec::invalid_argument,
                          "call to channel '" + req_id
                            + "' needs a timeout above 0"));
    return;
  }
  auto n = st.next_id++;
  auto now = self->clock().now();
  // The deadline counts from when the caller called, not from when this
  // requester got to the call (it may have a backlog).
  auto issued = issued_at.count() > 0
                  ? std::min(now, time_point{std::chrono::duration_cast<
                                    time_point::duration>(issued_at)})
                  : now;
  auto deadline = issued + timeout;
  auto corr = st.correlation_id(n);
  auto msg = channel_message::builder{}
               .sender_id(sender)
               .content(std::move(data))
               .correlation_id(corr)
               .reply_to(st.response.id())
               .deadline_ns(st.clock->to_unix_ns(deadline))
               // Stamped here, so the channel need not copy it to stamp it.
               .timestamp_ns(st.clock->to_unix_ns(now))
               .build();
  if (caller && st.callers[caller]++ == 0)
    self->monitor(caller);
  auto chan_addr = req.address();
  if (st.channels.insert(chan_addr).second)
    self->monitor(req);
  st.pending.emplace(n, pending_call{rp, deadline, caller, chan_addr, req_id,
                                     timeout});
  ++st.stats.issued;
  st.deadlines.emplace(deadline, n);
  schedule_tick(self);
  write_options opts;
  opts.reply_channel = st.response.actor();
  opts.require_responders = true;
  // A one-way write: no response handler per call (CAF 0.17 keeps those in
  // a flat map searched linearly, which made a burst of N calls cost N^2);
  // the channel answers only a refusal, with `write_failed_atom`.
  self->send(req, write_atom::value, std::move(sender), std::move(msg),
             std::move(opts), n);
}

requester_actor::behavior_type requester_impl(requester_pointer self,
                                              channel response,
                                              requester_config cfg) {
  auto& st = self->state;
  st.cfg = cfg;
  st.response = std::move(response);
  st.clock.emplace(self->clock().now());
  auto bits = detail::random_bits();
  char buf[34];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64 "%016" PRIx64 ".", bits.first,
                bits.second);
  st.prefix = buf;
  st.stats.prefix = st.prefix;
  self->set_exit_handler([self](caf::exit_msg& msg) {
    detail::count_ignored_exit();
    log(log_level::warning, requester_state::name,
        "requester '" + self->state.prefix + "' ignored an exit message ("
          + caf::to_string(msg.reason) + ") from an actor it is not linked to");
  });
  self->set_down_handler([self](caf::down_msg& msg) {
    if (detail::genuine_down(msg))
      on_down(self, msg);
  });
  // CAF's default error handler stops the actor; an error nobody asked for
  // comes only from a peer.
  self->set_error_handler([self](caf::error& err) {
    detail::count_unexpected();
    log(log_level::warning, requester_state::name,
        "requester '" + self->state.prefix
          + "' ignored an error message nobody asked for: "
          + error_message(err));
  });
  self->set_default_handler(
    [self](caf::scheduled_actor*,
           caf::message_view& view) -> caf::result<caf::message> {
      detail::count_unexpected();
      log(log_level::warning, requester_state::name,
          "requester '" + self->state.prefix
            + "' refused an unexpected message "
            + caf::to_string(view.content()));
      return caf::make_error(caf::sec::unexpected_message,
                             "requester does not understand this message");
    });
  self->monitor(st.response.actor());
  subscription sub;
  sub.correlation_prefix = st.prefix;
  self
    ->request(st.response.actor(), caf::infinite, subscribe_atom::value,
              "sssn.requester." + st.prefix,
              caf::actor_cast<subscriber_actor>(self), std::move(sub))
    .then(
      [self] {
        auto& st = self->state;
        st.subscribed = true;
        auto waiting = std::move(st.before_subscribed);
        for (auto& f : waiting)
          f();
      },
      [self](caf::error& err) {
        auto& st = self->state;
        auto reason = detail::normalize_channel_error(err, st.response.id());
        log(log_level::error, requester_state::name,
            "requester cannot subscribe to response channel '"
              + st.response.id() + "': " + error_message(reason));
        // Fail everything that waits, then stop: no reply could ever arrive.
        st.subscribed = true;
        st.subscription_error = reason;
        auto waiting = std::move(st.before_subscribed);
        for (auto& f : waiting)
          f();
        self->quit(caf::exit_reason::normal);
      });
  return {
    [self](call_atom, channel_actor& req, std::string& req_id,
           std::string& sender, content& data, caf::timespan timeout,
           caf::timespan issued_at) -> caf::result<channel_message> {
      auto& st = self->state;
      // Before making the promise: it takes the sender out of the message.
      auto caller = caf::actor_cast<caf::actor_addr>(self->current_sender());
      auto rp = self->make_response_promise<channel_message>();
      if (st.subscribed) {
        start_call(self, rp, std::move(caller), std::move(req),
                   std::move(req_id), std::move(sender), std::move(data),
                   timeout, issued_at);
        return rp;
      }
      // Start the call once the subscription is confirmed, so that no reply
      // can arrive before we listen for it.
      st.before_subscribed.emplace_back(
        [self, rp, caller{std::move(caller)}, req{std::move(req)},
         req_id{std::move(req_id)}, sender{std::move(sender)},
         data{std::move(data)}, timeout, issued_at]() mutable {
          if (!self->state.subscription_error)
            start_call(self, rp, std::move(caller), std::move(req),
                       std::move(req_id), std::move(sender), std::move(data),
                       timeout, issued_at);
          else
            rp.deliver(self->state.subscription_error);
        });
      return rp;
    },
    [self](push_atom, delivery& d) { on_push(self, d); },
    [self](write_failed_atom, uint64_t n, caf::error& err) {
      auto& st = self->state;
      auto i = st.pending.find(n);
      // Only the channel the call went to may fail it.
      if (i == st.pending.end()
          || i->second.channel
               != caf::actor_cast<caf::actor_addr>(self->current_sender()))
        return;
      auto id = i->second.channel_id;
      fail(self, n, detail::normalize_channel_error(std::move(err), id));
    },
    [self](stats_atom) {
      auto result = self->state.stats;
      result.pending = self->state.pending.size();
      return result;
    },
    [self](tick_atom) { on_tick(self); },
  };
}

std::mutex registry_mtx;

std::map<std::pair<caf::actor_system*, caf::actor_addr>, caf::weak_actor_ptr>&
registry() {
  static std::map<std::pair<caf::actor_system*, caf::actor_addr>,
                  caf::weak_actor_ptr>
    instance;
  return instance;
}

} // namespace

requester_actor requester_for(caf::actor_system& sys,
                              const channel& response_channel,
                              const requester_config& cfg) {
  auto key = std::make_pair(&sys, response_channel.actor().address());
  std::lock_guard<std::mutex> guard{registry_mtx};
  auto& reg = registry();
  if (auto i = reg.find(key); i != reg.end()) {
    if (auto strong = i->second.lock())
      return caf::actor_cast<requester_actor>(strong);
    reg.erase(i);
  }
  // The requester holds a non-owning handle: it must not keep its response
  // channel alive.
  channel response{response_channel.actor(), response_channel.id()};
  auto hdl = sys.spawn(requester_impl, std::move(response), cfg);
  reg.emplace(key, caf::actor_cast<caf::weak_actor_ptr>(hdl));
  auto addr = hdl.address();
  caf::actor_cast<caf::abstract_actor*>(hdl)->attach_functor([key, addr] {
    std::lock_guard<std::mutex> guard{registry_mtx};
    auto i = registry().find(key);
    if (i == registry().end())
      return;
    auto strong = i->second.lock();
    if (!strong || strong->address() == addr)
      registry().erase(i);
  });
  return hdl;
}

} // namespace sssn
