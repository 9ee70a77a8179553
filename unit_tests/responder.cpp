// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests for responders that users compose: a responder in an actor of the
// user's (untyped with `.or_else`, typed, stateful), handlers that take
// `self` and answer later, and `reply` for a subscriber that answers on its
// own. (spawn_responder's own behaviour is tested in request.cpp.)

#include "call_outcomes.hpp"
#include "compute_types.hpp"
#include "fixture.hpp"

#include "sssn/detail/responder_core.hpp"

#include <cctype>
#include <map>
#include <set>
#include <memory>
#include <stdexcept>
#include <string>

#include <caf/all.hpp>

using namespace sssn;
using namespace std::chrono_literals;

namespace {

using test::compute_request;
using test::compute_response;

using sum_atom = caf::atom_constant<caf::atom("tsum")>;
using handled_atom = caf::atom_constant<caf::atom("thandled")>;

using test::outcome_map;

/// A plain actor the responders below ask for sums: what a handler that
/// takes `self` may do before it answers.
caf::behavior summing_actor() {
  return {
    [](sum_atom, double a, double b) { return a + b; },
  };
}

/// The typed actor of a user that embeds a responder: the responder's
/// messages plus one of its own.
using typed_service = responder_interface::extend<
  caf::replies_to<handled_atom>::with<uint64_t>>;

/// The state of a stateful actor that embeds a responder.
struct counter_state {
  int calls = 0;
};

struct responder_fixture : test::deterministic_fixture {
  channel req_ch;
  channel resp_ch;
  std::shared_ptr<outcome_map> outcomes = std::make_shared<outcome_map>();

  responder_fixture() {
    req_ch = make_channel("compute-request");
    resp_ch = make_channel("compute-response");
  }

  /// Issues one call per entry of `calls` (call number → request) from an
  /// event-based actor that records each outcome; runs the scheduler.
  void issue(std::map<int, compute_request> calls,
             caf::timespan timeout = 10s) {
    test::spawn_caller(sys, req_ch, resp_ch, outcomes, std::move(calls),
                       timeout, "client");
    run();
  }

  /// The result of call `i`, or a failed check saying why there is none.
  std::optional<double> result_of(int i) {
    auto j = outcomes->find(i);
    BOOST_REQUIRE_MESSAGE(j != outcomes->end(), "call " << i << " is open");
    BOOST_REQUIRE_MESSAGE(j->second, "call " << i << " failed: "
                                             << test::why(j->second));
    auto resp = j->second->content().as<compute_response>();
    BOOST_REQUIRE_MESSAGE(resp, "call " << i << ": " << test::why(resp)
                                        << " in "
                                        << j->second->content().to_json());
    return resp->result;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(composed, responder_fixture)

BOOST_AUTO_TEST_CASE(responder_handlers_compose_with_or_else) {
  // The responder's handlers first, then the actor's own.
  auto first = sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return make_responder(self, req_ch,
                          [](const compute_request& x) {
                            return compute_response{x.a + x.b, {}};
                          })
      .handlers()
      .or_else([](caf::get_atom) { return std::string{"own handler"}; });
  });
  run();
  issue({{1, {7, 35}}, {2, {1, 2}}});
  BOOST_TEST(*result_of(1) == 42);
  BOOST_TEST(*result_of(2) == 3);
  // The actor's own messages still reach its own handlers.
  auto own = call<std::string>(first, caf::get_atom::value);
  BOOST_REQUIRE(own);
  BOOST_TEST(*own == "own handler");
}

BOOST_AUTO_TEST_CASE(a_responder_behaviour_follows_the_actors_own_handlers) {
  auto second = sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    return caf::message_handler{
      [](caf::get_atom) { return std::string{"own handler"}; },
    }
      .or_else(responder_behavior(self, req_ch, [](const compute_request& x) {
        return compute_response{x.a - x.b, {}};
      }));
  });
  run();
  issue({{1, {50, 8}}});
  BOOST_TEST(*result_of(1) == 42);
  auto own = call<std::string>(second, caf::get_atom::value);
  BOOST_REQUIRE(own);
  BOOST_TEST(*own == "own handler");
}

BOOST_AUTO_TEST_CASE(a_typed_actor_lists_the_responder_handlers) {
  auto service = sys.spawn(
    [=](typed_service::pointer self) -> typed_service::behavior_type {
      auto r = make_responder(self, req_ch, [](const compute_request& x) {
        return compute_response{x.a * x.b, {}};
      });
      return {
        r.on_push(),
        r.on_reply(),
        r.on_write_failed(),
        [r](handled_atom) { return r.stats().handled; },
      };
    });
  run();
  issue({{1, {6, 7}}, {2, {2, 3}}, {3, {4, 5}}});
  BOOST_TEST(*result_of(1) == 42);
  BOOST_TEST(*result_of(2) == 6);
  BOOST_TEST(*result_of(3) == 20);
  auto handled = call<uint64_t>(service, handled_atom::value);
  BOOST_REQUIRE(handled);
  BOOST_TEST(*handled == 3u);
}

BOOST_AUTO_TEST_CASE(pushes_of_another_channel_are_not_taken_for_requests) {
  auto other = make_channel("elsewhere");
  auto handled = std::make_shared<int>(0);
  auto service = sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    auto r = make_responder(self, req_ch, [=](const content&) {
      ++*handled;
      return json{{"ok", true}};
    });
    other.subscribe(self, "also-elsewhere",
                    caf::actor_cast<subscriber_actor>(self));
    return r.handlers().or_else(
      [r](caf::get_atom) { return r.stats().unroutable; });
  });
  run();
  auto msg = channel_message::builder{}
               .sender_id("w")
               .content(json{{"x", 1}})
               .reply_to("compute-response")
               .build();
  BOOST_REQUIRE(call<std::string>(other.actor(), write_atom::value,
                                  std::string{"w"}, msg, write_options{}));
  run();
  BOOST_TEST(*handled == 0);
  auto unroutable = call<uint64_t>(service, caf::get_atom::value);
  BOOST_REQUIRE(unroutable);
  BOOST_TEST(*unroutable == 1u);
}

BOOST_AUTO_TEST_CASE(a_stateful_actor_answers_from_its_state) {
  sys.spawn([=](caf::stateful_actor<counter_state>* self) {
    return responder_behavior(
      self, req_ch,
      [](caf::stateful_actor<counter_state>* self, const compute_request& x) {
        return compute_response{x.a + ++self->state.calls, {}};
      });
  });
  run();
  issue({{1, {10, 0}}, {2, {10, 0}}});
  BOOST_TEST(*result_of(1) + *result_of(2) == 23); // 11 and 12
}

BOOST_AUTO_TEST_CASE(a_handler_asks_another_actor_and_returns_its_promise) {
  auto summer = sys.spawn(summing_actor);
  sys.spawn([=](caf::event_based_actor* self) {
    return responder_behavior(
      self, req_ch,
      [summer](caf::event_based_actor* self, const compute_request& x) {
        auto rp = make_reply_promise(self);
        self->request(summer, 5s, sum_atom::value, x.a, x.b)
          .then([rp](double sum) { rp.deliver(compute_response{sum, {}}); },
                [rp](caf::error& err) { rp.deliver(err); });
        return rp;
      });
  });
  run();
  issue({{1, {7, 35}}, {2, {0.5, 0.25}}});
  BOOST_TEST(*result_of(1) == 42);
  BOOST_TEST(*result_of(2) == 0.75);
}

BOOST_AUTO_TEST_CASE(a_handler_takes_self_and_a_promise) {
  auto summer = sys.spawn(summing_actor);
  sys.spawn([=](caf::event_based_actor* self) {
    return responder_behavior(self, req_ch,
                              [summer](caf::event_based_actor* self,
                                       const compute_request& x,
                                       reply_promise rp) {
                                self
                                  ->request(summer, 5s, sum_atom::value, x.a,
                                            x.b)
                                  .then([rp](double sum) {
                                    rp.deliver(compute_response{sum, {}});
                                  });
                              });
  });
  run();
  issue({{1, {40, 2}}});
  BOOST_TEST(*result_of(1) == 42);
}

BOOST_AUTO_TEST_CASE(a_promise_that_nobody_keeps_answers_with_an_error) {
  // Takes self (so may return void) but neither answers nor keeps a
  // promise: the caller gets an error reply, not its deadline.
  sys.spawn([=](caf::event_based_actor* self) {
    return responder_behavior(
      self, req_ch, [](caf::event_based_actor*, const compute_request&) {});
  });
  run();
  issue({{1, {1, 2}}});
  BOOST_REQUIRE_EQUAL(outcomes->count(1), 1u);
  BOOST_REQUIRE(outcomes->at(1));
  BOOST_TEST(is(outcomes->at(1)->content().error(), ec::request_failed));
}

BOOST_AUTO_TEST_CASE(spawn_responder_handlers_may_take_self) {
  auto summer = sys.spawn(summing_actor);
  spawn_responder(sys, req_ch,
                  [summer](responder_actor::pointer self,
                           const compute_request& x) {
                    auto rp = make_reply_promise(self);
                    self->request(summer, 5s, sum_atom::value, x.a, x.b)
                      .then([rp](double sum) {
                        rp.deliver(compute_response{sum, {}});
                      });
                    return rp;
                  });
  run();
  issue({{1, {30, 12}}});
  BOOST_TEST(*result_of(1) == 42);
}

BOOST_AUTO_TEST_CASE(a_responder_without_an_id_answers_as_a_fresh_one) {
  // Two members of the default group, neither given an id: each gets its
  // own, and replies carry it as their sender.
  for (int i = 0; i < 2; ++i)
    spawn_responder(sys, req_ch, [](const compute_request& x) {
      return compute_response{x.a + x.b, {}};
    });
  run();
  issue({{1, {1, 1}}, {2, {2, 2}}, {3, {3, 3}}, {4, {4, 4}}});
  std::set<std::string> senders;
  for (int i = 1; i <= 4; ++i) {
    BOOST_TEST(*result_of(i) == 2 * i);
    senders.insert(outcomes->at(i)->sender_id());
  }
  BOOST_TEST(senders.size() == 2u);
  for (auto& id : senders) {
    BOOST_TEST(id.size() == 15u, id);
    BOOST_TEST(id.compare(0, 4, "rsp.") == 0, id);
  }
}

BOOST_AUTO_TEST_CASE(fresh_responder_ids_are_fifteen_base62_characters) {
  std::set<std::string> seen;
  std::set<char> chars;
  for (int i = 0; i < 10'000; ++i) {
    auto id = detail::responder_core::fresh_id();
    BOOST_REQUIRE_EQUAL(id.size(), 15u);
    BOOST_REQUIRE_EQUAL(id.substr(0, 4), "rsp.");
    for (auto c : id.substr(4)) {
      BOOST_REQUIRE_MESSAGE(std::isalnum(static_cast<unsigned char>(c)), id);
      chars.insert(c);
    }
    BOOST_REQUIRE_MESSAGE(seen.insert(id).second, "repeated id " << id);
  }
  // 110,000 random digits: every one of the 62 shows up.
  BOOST_TEST(chars.size() == 62u);
}

BOOST_AUTO_TEST_CASE(a_handler_that_neither_answers_nor_keeps_a_promise_fails) {
  // Takes self, returns nothing, asks for no promise: nobody can answer.
  spawn_responder(sys, req_ch,
                  [](responder_actor::pointer, const compute_request&) {});
  run();
  issue({{1, {1, 2}}});
  BOOST_REQUIRE(outcomes->at(1));
  auto& reply = outcomes->at(1)->content();
  BOOST_REQUIRE(reply.is_error());
  BOOST_TEST(is(reply.error(), ec::request_failed));
  BOOST_TEST(error_message(reply.error()).find("dropped the request without "
                                               "replying")
               != std::string::npos,
             error_message(reply.error()));
}

BOOST_AUTO_TEST_CASE(make_reply_promise_twice_gives_the_same_promise) {
  spawn_responder(sys, req_ch,
                  [](responder_actor::pointer self, const compute_request& x) {
                    auto first = make_reply_promise(self);
                    auto second = make_reply_promise(self);
                    BOOST_CHECK(first.pending());
                    first.deliver(compute_response{x.a + x.b, {}});
                    // One promise: the second sees the answer, and its own
                    // answer does not count.
                    BOOST_CHECK(!second.pending());
                    second.deliver(compute_response{-1, {}});
                    return second;
                  });
  run();
  issue({{1, {40, 2}}});
  BOOST_TEST(*result_of(1) == 42);
}

BOOST_AUTO_TEST_CASE(make_reply_promise_outside_a_handler_throws) {
  auto threw = std::make_shared<std::string>();
  sys.spawn([=](caf::event_based_actor* self) {
    try {
      make_reply_promise(self);
    } catch (std::logic_error& ex) {
      *threw = ex.what();
    }
  });
  run();
  BOOST_TEST(threw->find("outside a responder handler") != std::string::npos,
             "what(): '" << *threw << "'");
}

BOOST_AUTO_TEST_CASE(a_promise_of_another_actor_is_refused) {
  // make_reply_promise names the actor whose handler runs: another actor's
  // self does not get that request's promise.
  auto other = std::make_shared<caf::event_based_actor*>(nullptr);
  // Alive while the test runs, so that no other actor reuses its address.
  auto alive = sys.spawn([=](caf::event_based_actor* self) -> caf::behavior {
    *other = self;
    return {[](caf::get_atom) {}};
  });
  run();
  sys.spawn([=](caf::event_based_actor* self) {
    return responder_behavior(self, req_ch,
                              [=](const compute_request&) -> compute_response {
                                make_reply_promise(*other);
                                return {};
                              });
  });
  run();
  issue({{1, {1, 2}}});
  BOOST_REQUIRE(outcomes->at(1));
  auto& reply = outcomes->at(1)->content();
  BOOST_REQUIRE(reply.is_error());
  BOOST_TEST(error_message(reply.error()).find("outside a responder handler")
               != std::string::npos,
             error_message(reply.error()));
}

BOOST_AUTO_TEST_SUITE_END()

// -- reply: a subscriber that answers on its own -----------------------------

BOOST_FIXTURE_TEST_SUITE(by_hand, responder_fixture)

BOOST_AUTO_TEST_CASE(a_plain_subscriber_answers_with_reply) {
  auto errors = std::make_shared<std::vector<std::string>>();
  sys.spawn([=](caf::event_based_actor* self) {
    req_ch.subscribe(self, "by-hand", caf::actor_cast<subscriber_actor>(self))
      .then([] {}, [=](caf::error& err) {
        errors->push_back(error_message(err));
      });
    return caf::behavior{
      [=](push_atom, const delivery& d) {
        auto x = d.message.content().as<compute_request>();
        if (auto err = reply(self, d, content{compute_response{x->a - x->b,
                                                               {}}}))
          errors->push_back(error_message(err));
        return_credit(self, d);
      },
    };
  });
  run();
  issue({{1, {50, 8}}});
  BOOST_TEST(*result_of(1) == 42);
  BOOST_TEST(errors->empty());
  // The reply's default sender: the request channel's id + ".reply".
  BOOST_TEST(outcomes->at(1)->sender_id() == "compute-request.reply");
}

BOOST_AUTO_TEST_CASE(reply_names_its_sender_when_asked) {
  sys.spawn([=](caf::event_based_actor* self) {
    req_ch.subscribe(self, "by-hand", caf::actor_cast<subscriber_actor>(self));
    return caf::behavior{
      [=](push_atom, const delivery& d) {
        reply(self, d, content{compute_response{1, {}}}, "calculator");
        return_credit(self, d);
      },
    };
  });
  run();
  issue({{1, {0, 0}}});
  BOOST_REQUIRE(outcomes->at(1));
  BOOST_TEST(outcomes->at(1)->sender_id() == "calculator");
}

BOOST_AUTO_TEST_CASE(reply_refuses_what_it_cannot_route_and_says_why) {
  auto errors = std::make_shared<std::vector<caf::error>>();
  sys.spawn([=](caf::event_based_actor* self) {
    req_ch.subscribe(self, "by-hand", caf::actor_cast<subscriber_actor>(self));
    return caf::behavior{
      [=](push_atom, const delivery& d) {
        errors->push_back(reply(self, d, content{json{{"ok", true}}}));
        return_credit(self, d);
      },
    };
  });
  run();
  // No reply_to: nobody to answer.
  auto plain = channel_message::builder{}
                 .sender_id("w")
                 .content(json{{"x", 1}})
                 .build();
  BOOST_REQUIRE(call<std::string>(req_ch.actor(), write_atom::value,
                                  std::string{"w"}, plain, write_options{}));
  // A reply_to that names no channel of this node.
  auto lost = channel_message::builder{}
                .sender_id("w")
                .content(json{{"x", 2}})
                .reply_to("no-such-channel")
                .correlation_id("c-2")
                .build();
  BOOST_REQUIRE(call<std::string>(req_ch.actor(), write_atom::value,
                                  std::string{"w"}, lost, write_options{}));
  run();
  BOOST_REQUIRE_EQUAL(errors->size(), 2u);
  BOOST_TEST(is((*errors)[0], ec::invalid_argument));
  BOOST_TEST(error_message((*errors)[0]).find(plain.id()) != std::string::npos,
             error_message((*errors)[0]));
  BOOST_TEST(error_message((*errors)[0]).find("no reply_to")
               != std::string::npos);
  BOOST_TEST(is((*errors)[1], ec::invalid_argument));
  BOOST_TEST(error_message((*errors)[1]).find("'no-such-channel'")
               != std::string::npos,
             error_message((*errors)[1]));
}

BOOST_AUTO_TEST_CASE(reply_refuses_invalid_content_and_writes_nothing) {
  auto errors = std::make_shared<std::vector<caf::error>>();
  sys.spawn([=](caf::event_based_actor* self) {
    req_ch.subscribe(self, "by-hand", caf::actor_cast<subscriber_actor>(self));
    return caf::behavior{
      [=](push_atom, const delivery& d) {
        // Not valid UTF-8: content refuses it.
        errors->push_back(
          reply(self, d, content{json{{"bad", std::string{"\xff\xfe"}}}}));
        return_credit(self, d);
      },
    };
  });
  run();
  issue({{1, {1, 1}}}, 1s);
  BOOST_REQUIRE_EQUAL(errors->size(), 1u);
  BOOST_TEST(is(errors->front(), ec::invalid_content),
             error_message(errors->front()));
  // Nothing was written: the call is still open until its deadline.
  BOOST_TEST(outcomes->empty());
  advance(2s);
  BOOST_REQUIRE_EQUAL(outcomes->size(), 1u);
  BOOST_TEST(!outcomes->at(1));
}

BOOST_AUTO_TEST_SUITE_END()
