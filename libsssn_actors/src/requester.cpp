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
#include <caf/default_attachable.hpp>
#include <caf/mailbox_element.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/exit_reason.hpp>
#include <caf/message_view.hpp>
#include <caf/sec.hpp>
#include <caf/stateful_actor.hpp>
#include <caf/system_messages.hpp>
#include <caf/typed_event_based_actor.hpp>
#include <caf/typed_response_promise.hpp>

#include "sssn/detail/channel_actor.hpp"
#include "detail/system_registry.hpp"
#include "sssn/detail/exit_guard.hpp"
#include "sssn/detail/unix_clock.hpp"
#include "sssn/log.hpp"
#include "sssn/refusals.hpp"

namespace sssn {

namespace {

using time_point = caf::actor_clock::time_point;

struct pending_call {
  /// The caller's actor and the id of its request (event-based callers, and
  /// `call_atom` requests), or ...
  caf::strong_actor_ptr to;
  caf::message_id mid;
  /// ... the blocking caller's rendezvous.
  std::shared_ptr<detail::blocking_call> waiter;
  time_point deadline;
  caf::actor_addr channel;
  std::string channel_id;
  caf::timespan timeout;

  caf::actor_addr caller() const {
    return caf::actor_cast<caf::actor_addr>(to);
  }
};

/// A call waiting for the subscription to be confirmed.
struct queued_call {
  pending_call call;
  channel_actor req;
  std::string sender;
  content data;
  caf::timespan issued_at;
};

/// The requester's calls, shared with the threads that start calls (see
/// detail::start_call): every field below `mtx` is guarded by it.
struct call_table {
  requester_config cfg;
  channel response;
  std::optional<detail::unix_clock> clock;
  /// "<32 hex digits>." — random per requester, so ids are unique across
  /// nodes and cannot be guessed.
  std::string prefix;
  /// The requester (weak: the table must not keep it alive).
  caf::actor_addr self_addr;
  caf::weak_actor_ptr self_ptr;

  std::mutex mtx;
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
  /// Whether the subscription to the response channel is confirmed; until
  /// then, calls go through the requester's mailbox.
  bool subscribed = false;
  /// Set when the requester stops: no call may start any more.
  bool closed = false;
  /// Calls that arrived before the subscription was confirmed.
  std::vector<queued_call> queued;
  requester_stats stats;

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

using table_ptr = std::shared_ptr<call_table>;

struct requester_state {
  static inline const char* name = "sssn.requester";

  table_ptr tab;
  /// Push credit of the response channel subscription, returned in batches
  /// (only the requester's own handlers touch it).
  credit_returner credit;
};

// Drops `exit_reason::kill` from peers (see detail::exit_guard).
using requester_pointer = detail::exit_guard<
  caf::stateful_actor<requester_state, requester_actor::base>>*;

/// Sends the outcome of a call to whoever waits for it. `self` may be null
/// (the requester has stopped). Never called with the table's lock held.
void resolve(requester_pointer self, pending_call& call,
             caf::expected<channel_message> x) {
  if (call.waiter) {
    call.waiter->deliver(std::move(x));
    return;
  }
  if (!call.to)
    return;
  auto msg = x ? caf::make_message(std::move(*x))
               : caf::make_message(std::move(x.error()));
  if (self != nullptr)
    call.to->enqueue(self->ctrl(), call.mid.response_id(), std::move(msg),
                     self->context());
  else
    call.to->enqueue(nullptr, call.mid.response_id(), std::move(msg),
                     nullptr);
}

/// Stops watching a caller once it has no pending call. Lock held.
void forget_caller(call_table& tab, const caf::actor_addr& caller) {
  if (!caller)
    return;
  auto i = tab.callers.find(caller);
  if (i == tab.callers.end())
    return;
  if (--i->second == 0) {
    if (auto ptr = caf::actor_cast<caf::strong_actor_ptr>(caller))
      ptr->get()->detach(caf::default_attachable::observe_token{
        tab.self_addr, caf::default_attachable::monitor});
    tab.callers.erase(i);
  }
}

/// Removes a pending call and hands back its entry. Lock held.
std::optional<pending_call> take(call_table& tab, uint64_t n) {
  auto i = tab.pending.find(n);
  if (i == tab.pending.end())
    return std::nullopt;
  auto result = std::move(i->second);
  tab.pending.erase(i);
  forget_caller(tab, result.caller());
  return result;
}

/// Makes sure a tick comes at the earliest deadline. Lock held.
void schedule_tick(caf::actor_system& sys, call_table& tab) {
  // Drop resolved calls from the top, so that the timer only ever wakes up
  // for a call that is still waiting.
  while (!tab.deadlines.empty()) {
    auto [t, n] = tab.deadlines.top();
    auto i = tab.pending.find(n);
    if (i != tab.pending.end() && i->second.deadline == t)
      break;
    tab.deadlines.pop();
  }
  // Rebuild the heap when resolved calls make up most of it.
  if (tab.deadlines.size() > 1024
      && tab.deadlines.size() > 2 * tab.pending.size()) {
    decltype(tab.deadlines) fresh;
    for (auto& [n, call] : tab.pending)
      fresh.emplace(call.deadline, n);
    tab.deadlines.swap(fresh);
  }
  if (tab.deadlines.empty())
    return;
  auto t = tab.deadlines.top().first;
  if (tab.tick_scheduled && tab.tick_at <= t)
    return;
  auto self = tab.self_ptr.lock();
  if (!self)
    return;
  tab.tick_scheduled = true;
  tab.tick_at = t;
  sys.clock().schedule_message(
    t, std::move(self),
    caf::make_mailbox_element(nullptr, caf::make_message_id(), {},
                              tick_atom::value));
}

void on_tick(requester_pointer self) {
  auto& tab = *self->state.tab;
  std::vector<std::pair<pending_call, caf::error>> expired;
  {
    std::lock_guard<std::mutex> guard{tab.mtx};
    tab.tick_scheduled = false;
    auto now = self->clock().now();
    while (!tab.deadlines.empty() && tab.deadlines.top().first <= now) {
      auto [t, n] = tab.deadlines.top();
      tab.deadlines.pop();
      auto i = tab.pending.find(n);
      if (i == tab.pending.end() || i->second.deadline != t)
        continue;
      auto call = take(tab, n);
      ++tab.stats.timed_out;
      auto secs = std::chrono::duration<double>(call->timeout).count();
      char buf[32];
      std::snprintf(buf, sizeof(buf), "%g", secs);
      auto err = caf::make_error(caf::sec::request_timeout,
                                 "request '" + tab.correlation_id(n)
                                   + "' to channel '" + call->channel_id
                                   + "' got no reply within " + buf + " s");
      expired.emplace_back(std::move(*call), std::move(err));
    }
    schedule_tick(self->system(), tab);
  }
  for (auto& [call, err] : expired)
    resolve(self, call, std::move(err));
}

void on_push(requester_pointer self, delivery& d) {
  self->state.credit.handled(self, d);
  auto& tab = *self->state.tab;
  auto& corr = d.message.correlation_id();
  auto& prefix = tab.prefix;
  std::unique_lock<std::mutex> guard{tab.mtx};
  if (!corr || corr->compare(0, prefix.size(), prefix) != 0) {
    ++tab.stats.unknown_replies;
    return;
  }
  uint64_t n = 0;
  auto digits = corr->size() - prefix.size();
  bool ok = digits > 0 && digits <= 16;
  for (size_t i = prefix.size(); ok && i < corr->size(); ++i) {
    auto c = (*corr)[i];
    if (c >= '0' && c <= '9')
      n = n * 16 + static_cast<uint64_t>(c - '0');
    else if (c >= 'a' && c <= 'f')
      n = n * 16 + static_cast<uint64_t>(c - 'a' + 10);
    else
      ok = false;
  }
  if (!ok || n == 0 || n >= tab.next_id) {
    ++tab.stats.unknown_replies;
    return;
  }
  auto call = take(tab, n);
  if (!call) {
    ++tab.stats.late_replies;
    guard.unlock();
    if (log_enabled(log_level::debug))
      log(log_level::debug, requester_state::name,
          "dropped a late or repeated reply for request '" + *corr + "'");
    return;
  }
  ++tab.stats.replied;
  guard.unlock();
  resolve(self, *call, std::move(d.message));
}

/// Fails every pending call for which `pred` holds with the error `make`
/// returns for it, counting it as failed.
template <class Pred, class Make>
void fail_where(requester_pointer self, call_table& tab, Pred pred,
                Make make) {
  std::vector<std::pair<pending_call, caf::error>> failed;
  {
    std::lock_guard<std::mutex> guard{tab.mtx};
    std::vector<uint64_t> ids;
    for (auto& [n, call] : tab.pending)
      if (pred(call))
        ids.push_back(n);
    for (auto n : ids) {
      auto call = take(tab, n);
      ++tab.stats.failed;
      auto err = make(n, *call);
      failed.emplace_back(std::move(*call), std::move(err));
    }
  }
  for (auto& [call, err] : failed)
    resolve(self, call, std::move(err));
}

void on_down(requester_pointer self, const caf::down_msg& msg) {
  auto& tab = *self->state.tab;
  if (msg.source == tab.response.actor().address()) {
    // Without its response channel, no call can be answered.
    {
      std::lock_guard<std::mutex> guard{tab.mtx};
      tab.closed = true;
    }
    fail_where(
      self, tab, [](const pending_call&) { return true; },
      [&tab](uint64_t n, const pending_call&) {
        return make_error(ec::channel_down,
                          "response channel '" + tab.response.id()
                            + "' is down; request '" + tab.correlation_id(n)
                            + "' cannot be answered");
      });
    self->quit(caf::exit_reason::normal);
    return;
  }
  std::unique_lock<std::mutex> guard{tab.mtx};
  if (tab.channels.erase(msg.source) > 0) {
    guard.unlock();
    fail_where(
      self, tab,
      [&msg](const pending_call& call) { return call.channel == msg.source; },
      [&tab](uint64_t n, const pending_call& call) {
        return make_error(ec::channel_down,
                          "request channel '" + call.channel_id
                            + "' is down; request '" + tab.correlation_id(n)
                            + "' cannot be answered");
      });
    return;
  }
  auto i = tab.callers.find(msg.source);
  if (i != tab.callers.end()) {
    tab.callers.erase(i);
    std::vector<uint64_t> ids;
    for (auto& [n, call] : tab.pending)
      if (call.caller() == msg.source)
        ids.push_back(n);
    for (auto n : ids) {
      tab.pending.erase(n);
      ++tab.stats.dropped;
    }
  }
}

/// Registers a call and writes its request, from the requester or from the
/// calling thread (`self` is then null). Returns the error to resolve the
/// call with if it cannot start.
caf::error start_call_impl(caf::actor_system& sys, call_table& tab,
                           pending_call& call, channel_actor req,
                           std::string sender, content data,
                           caf::timespan issued_at, caf::execution_unit* host) {
  auto& req_id = call.channel_id;
  std::unique_lock<std::mutex> guard{tab.mtx};
  if (tab.closed) {
    ++tab.stats.failed;
    return make_error(ec::channel_down, "response channel '"
                                          + tab.response.id()
                                          + "' is down; call to channel '"
                                          + req_id + "' refused");
  }
  if (tab.pending.size() >= tab.cfg.max_pending) {
    ++tab.stats.overloaded;
    return make_error(ec::overloaded,
                      "requester for response channel '" + tab.response.id()
                        + "' already has " + std::to_string(tab.pending.size())
                        + " pending calls; call to channel '" + req_id
                        + "' refused");
  }
  if (!req) {
    ++tab.stats.failed;
    return make_error(ec::channel_down,
                      "request channel '" + req_id + "' is an invalid handle");
  }
  if (call.timeout <= caf::timespan{0}) {
    ++tab.stats.failed;
    return make_error(ec::invalid_argument, "call to channel '" + req_id
                                              + "' needs a timeout above 0");
  }
  if (!tab.subscribed) {
    // Started once the subscription is confirmed, so that no reply can
    // arrive before we listen for it. The deadline counts from now.
    if (issued_at.count() <= 0)
      issued_at = std::chrono::duration_cast<caf::timespan>(
        sys.clock().now().time_since_epoch());
    tab.queued.push_back(queued_call{std::move(call), std::move(req),
                                     std::move(sender), std::move(data),
                                     issued_at});
    return caf::none;
  }
  auto self_ptr = tab.self_ptr.lock();
  if (!self_ptr) {
    ++tab.stats.failed;
    return make_error(ec::channel_down, "requester for response channel '"
                                          + tab.response.id()
                                          + "' has stopped");
  }
  auto n = tab.next_id++;
  auto now = sys.clock().now();
  // The deadline counts from when the caller called, not from when the
  // requester got to the call (it may have a backlog).
  auto issued = issued_at.count() > 0
                  ? std::min(now, time_point{std::chrono::duration_cast<
                                    time_point::duration>(issued_at)})
                  : now;
  auto deadline = issued + call.timeout;
  auto corr = tab.correlation_id(n);
  auto msg = channel_message::builder{}
               .sender_id(sender)
               .content(std::move(data))
               .correlation_id(std::move(corr))
               .reply_to(tab.response.id())
               .deadline_ns(tab.clock->to_unix_ns(deadline))
               // Stamped here, so the channel need not copy it to stamp it.
               .timestamp_ns(tab.clock->to_unix_ns(now))
               .build();
  auto caller = call.caller();
  if (caller && tab.callers[caller]++ == 0)
    call.to->get()->attach(
      caf::default_attachable::make_monitor(caller, tab.self_addr));
  auto chan_addr = req.address();
  if (tab.channels.insert(chan_addr).second)
    caf::actor_cast<caf::abstract_actor*>(req)->attach(
      caf::default_attachable::make_monitor(chan_addr, tab.self_addr));
  call.deadline = deadline;
  call.channel = chan_addr;
  tab.pending.emplace(n, std::move(call));
  ++tab.stats.issued;
  tab.deadlines.emplace(deadline, n);
  schedule_tick(sys, tab);
  guard.unlock();
  write_options opts;
  opts.reply_channel = tab.response.actor();
  opts.require_responders = true;
  // A one-way write on the requester's behalf: no response handler per call
  // (CAF 0.17 keeps those in a flat map searched linearly, which made a
  // burst of N calls cost N^2); the channel answers only a refusal, with
  // `write_failed_atom`, to the requester.
  caf::actor_cast<caf::abstract_actor*>(req)->enqueue(
    std::move(self_ptr), caf::make_message_id(),
    caf::make_message(write_atom::value, std::move(sender), std::move(msg),
                      std::move(opts), n),
    host);
  return caf::none;
}

/// Starts a call and resolves it at once if it cannot start.
void start_or_fail(requester_pointer self, caf::actor_system& sys,
                   call_table& tab, pending_call call, channel_actor req,
                   std::string sender, content data, caf::timespan issued_at,
                   caf::execution_unit* host) {
  if (auto err = start_call_impl(sys, tab, call, std::move(req),
                                 std::move(sender), std::move(data),
                                 issued_at, host))
    resolve(self, call, std::move(err));
}

/// Resolves every call still in the table, and refuses new ones: the
/// requester stops.
void close_table(requester_pointer self, call_table& tab, caf::error reason) {
  std::vector<pending_call> calls;
  {
    std::lock_guard<std::mutex> guard{tab.mtx};
    tab.closed = true;
    for (auto& [n, call] : tab.pending)
      calls.emplace_back(std::move(call));
    for (auto& q : tab.queued)
      calls.emplace_back(std::move(q.call));
    tab.stats.failed += calls.size();
    tab.pending.clear();
    tab.queued.clear();
    tab.callers.clear();
  }
  for (auto& call : calls)
    resolve(self, call, reason);
}

requester_actor::behavior_type requester_impl(requester_pointer self,
                                              table_ptr tab_ptr) {
  auto& tab = *tab_ptr;
  self->state.tab = tab_ptr;
  tab.clock.emplace(self->clock().now());
  tab.self_addr = self->address();
  tab.self_ptr = caf::actor_cast<caf::weak_actor_ptr>(self);
  auto bits = detail::random_bits();
  char buf[34];
  std::snprintf(buf, sizeof(buf), "%016" PRIx64 "%016" PRIx64 ".", bits.first,
                bits.second);
  tab.prefix = buf;
  tab.stats.prefix = tab.prefix;
  // Whatever stops the requester, no call waits for it in vain.
  self->attach_functor([tab_ptr] {
    close_table(nullptr, *tab_ptr,
                make_error(ec::channel_down,
                           "requester for response channel '"
                             + tab_ptr->response.id()
                             + "' has stopped; the call cannot be answered"));
  });
  self->set_exit_handler([self](caf::exit_msg& msg) {
    detail::count_ignored_exit();
    log(log_level::warning, requester_state::name,
        "requester '" + self->state.tab->prefix
          + "' ignored an exit message (" + caf::to_string(msg.reason)
          + ") from an actor it is not linked to");
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
        "requester '" + self->state.tab->prefix
          + "' ignored an error message nobody asked for: "
          + error_message(err));
  });
  self->set_default_handler(
    [self](caf::scheduled_actor*,
           caf::message_view& view) -> caf::result<caf::message> {
      detail::count_unexpected();
      log(log_level::warning, requester_state::name,
          "requester '" + self->state.tab->prefix
            + "' refused an unexpected message "
            + caf::to_string(view.content()));
      return caf::make_error(caf::sec::unexpected_message,
                             "requester does not understand this message");
    });
  self->monitor(tab.response.actor());
  subscription sub;
  sub.correlation_prefix = tab.prefix;
  self
    ->request(tab.response.actor(), caf::infinite, subscribe_atom::value,
              "sssn.requester." + tab.prefix,
              caf::actor_cast<subscriber_actor>(self), std::move(sub))
    .then(
      [self] {
        auto& tab = *self->state.tab;
        std::vector<queued_call> waiting;
        {
          std::lock_guard<std::mutex> guard{tab.mtx};
          tab.subscribed = true;
          waiting.swap(tab.queued);
        }
        for (auto& q : waiting)
          start_or_fail(self, self->system(), tab, std::move(q.call),
                        std::move(q.req), std::move(q.sender),
                        std::move(q.data), q.issued_at, self->context());
      },
      [self](caf::error& err) {
        auto& tab = *self->state.tab;
        auto reason = detail::normalize_channel_error(err, tab.response.id());
        log(log_level::error, requester_state::name,
            "requester cannot subscribe to response channel '"
              + tab.response.id() + "': " + error_message(reason));
        // Fail everything that waits, then stop: no reply could ever arrive.
        close_table(self, tab, reason);
        self->quit(caf::exit_reason::normal);
      });
  return {
    [self](call_atom, channel_actor& req, std::string& req_id,
           std::string& sender, content& data, caf::timespan timeout,
           caf::timespan issued_at) -> caf::result<channel_message> {
      // Answered later, by `resolve`, to the sender and id of this request.
      pending_call call;
      call.to = self->current_sender();
      call.mid = self->current_message_id();
      call.channel_id = std::move(req_id);
      call.timeout = timeout;
      start_or_fail(self, self->system(), *self->state.tab, std::move(call),
                    std::move(req), std::move(sender), std::move(data),
                    issued_at, self->context());
      return caf::delegated<channel_message>{};
    },
    [self](push_atom, delivery& d) { on_push(self, d); },
    [self](write_failed_atom, uint64_t n, caf::error& err) {
      auto& tab = *self->state.tab;
      std::unique_lock<std::mutex> guard{tab.mtx};
      auto i = tab.pending.find(n);
      // Only the channel the call went to may fail it.
      if (i == tab.pending.end()
          || i->second.channel
               != caf::actor_cast<caf::actor_addr>(self->current_sender()))
        return;
      auto call = take(tab, n);
      ++tab.stats.failed;
      guard.unlock();
      auto reason = detail::normalize_channel_error(std::move(err),
                                                    call->channel_id);
      resolve(self, *call, std::move(reason));
    },
    [self](stats_atom) {
      auto& tab = *self->state.tab;
      std::lock_guard<std::mutex> guard{tab.mtx};
      auto result = tab.stats;
      result.pending = tab.pending.size();
      return result;
    },
    [self](tick_atom) { on_tick(self); },
  };
}

/// The requester of each actor system for each response channel.
detail::system_registry<caf::actor_addr, table_ptr>& requesters() {
  static detail::system_registry<caf::actor_addr, table_ptr> instance;
  return instance;
}

/// Finds or spawns the requester of `sys` for `response_channel`.
std::pair<requester_actor, table_ptr>
find_or_spawn(caf::actor_system& sys, const channel& response_channel,
              const requester_config& cfg) {
  using entry = detail::system_registry<caf::actor_addr, table_ptr>::entry;
  auto found = requesters().find_or_add(
    sys, response_channel.actor().address(), [&] {
      auto tab = std::make_shared<call_table>();
      tab->cfg = cfg;
      // The requester holds a non-owning handle: it must not keep its
      // response channel alive.
      tab->response = channel{response_channel.actor(), response_channel.id()};
      auto hdl = sys.spawn(requester_impl, tab);
      return entry{caf::actor_cast<caf::strong_actor_ptr>(hdl),
                   std::move(tab)};
    }).first;
  return {caf::actor_cast<requester_actor>(found.actor),
          std::move(found.value)};
}

} // namespace

requester_actor requester_for(caf::actor_system& sys,
                              const channel& response_channel,
                              const requester_config& cfg) {
  return find_or_spawn(sys, response_channel, cfg).first;
}

namespace detail {

void start_call(caf::actor_system& sys, const channel& request_channel,
                const channel& response_channel, caf::strong_actor_ptr caller,
                caf::message_id mid, std::shared_ptr<blocking_call> waiter,
                const std::string& sender_id, content data,
                caf::timespan timeout, caf::execution_unit* host) {
  pending_call call;
  call.to = std::move(caller);
  call.mid = mid;
  call.waiter = std::move(waiter);
  call.channel_id = request_channel.id();
  call.timeout = timeout;
  if (!response_channel) {
    resolve(nullptr, call,
            make_error(ec::channel_down, "response channel '"
                                           + response_channel.id()
                                           + "' is an invalid handle"));
    return;
  }
  auto tab = find_or_spawn(sys, response_channel, requester_config{}).second;
  start_or_fail(nullptr, sys, *tab, std::move(call), request_channel.actor(),
                sender_id, std::move(data), caf::timespan{0}, host);
}

} // namespace detail

} // namespace sssn
