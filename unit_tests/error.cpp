// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests for sssn/error.hpp and the fmt formatters of sssn/format.hpp.

#include <boost/test/unit_test.hpp>

#include <caf/sec.hpp>

#include "sssn/channel_message.hpp"
#include "sssn/error.hpp"
#include "sssn/format.hpp"
#include "sssn/format_caf_error.hpp"

using namespace sssn;

BOOST_AUTO_TEST_CASE(errors_carry_their_sentence_and_field) {
  auto err = make_error(ec::no_responders, "channel 'x' has no responders");
  BOOST_TEST(is(err, ec::no_responders));
  BOOST_TEST(!is(err, ec::overloaded));
  BOOST_TEST(error_message(err) == "channel 'x' has no responders");
  BOOST_TEST(error_field(err).empty());
  auto bad = make_content_error("items[2].name", "field 'items[2].name' is "
                                                 "missing");
  BOOST_TEST(is(bad, ec::invalid_content));
  BOOST_TEST(error_field(bad) == "items[2].name");
}

BOOST_AUTO_TEST_CASE(an_empty_error_is_no_error) {
  // CAF 0.17's accessors dereference null on an empty error.
  caf::error none;
  BOOST_TEST(!is(none, ec::invalid_content));
  BOOST_TEST(error_field(none).empty());
  BOOST_TEST(error_message(none).empty());
}

BOOST_AUTO_TEST_CASE(caf_errors_get_a_readable_sentence) {
  caf::error timeout = caf::sec::request_timeout;
  BOOST_TEST(error_message(timeout) == "request timed out");
  BOOST_TEST(!is(timeout, ec::channel_down));
}

BOOST_AUTO_TEST_CASE(fmt_formats_errors_codes_and_messages) {
  auto err = make_error(ec::overloaded, "channel 'x' is overloaded");
  BOOST_TEST(fmt::format("{}", err) == "channel 'x' is overloaded");
  BOOST_TEST(fmt::format("{}", ec::channel_down) == "channel_down");
  auto msg = channel_message::builder{}
               .id("m-1")
               .sender_id("alice")
               .content(json{{"a", 1}})
               .timestamp_ns(1'500'000'000)
               .build();
  auto text = fmt::format("{}", msg);
  BOOST_TEST(text == to_string(msg));
  BOOST_TEST(text.find("\"id\":\"m-1\"") != std::string::npos, text);
  BOOST_TEST(text.find("\"sender_id\":\"alice\"") != std::string::npos, text);
  BOOST_TEST(text.find("\"content\":{\"a\":1}") != std::string::npos, text);
}
