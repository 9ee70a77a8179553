// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Tests sssn::channel_message: the builder and its defaults, immutability
// and shared copies, the versioned wire form (`encode`/`decode`, and CAF's
// serializers through `inspect`) on good, foreign, truncated and corrupted
// input, and `to_string`.

#include "timeout_scale.hpp"
#include "sssn/channel_message.hpp"

#include <cctype>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <caf/binary_deserializer.hpp>
#include <caf/binary_serializer.hpp>

#include "sssn/content.hpp"
#include "sssn/error.hpp"

#include "detail/message_data.hpp"

using namespace sssn;

namespace tt = boost::unit_test;

// Every test body has a deadline: a hang becomes a failure.
const unsigned test_timeout = sssn::test::scaled_timeout(60);

namespace {

/// Returns whether `x` is a version 4, variant 1 UUID in lowercase text form.
bool is_uuid_v4(const std::string& x) {
  if (x.size() != 36)
    return false;
  for (size_t i = 0; i < x.size(); ++i) {
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (x[i] != '-')
        return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(x[i]))
               || std::isupper(static_cast<unsigned char>(x[i]))) {
      return false;
    }
  }
  auto variant = x[19];
  return x[14] == '4'
         && (variant == '8' || variant == '9' || variant == 'a'
             || variant == 'b');
}

/// A message with every field set, including nested metadata.
channel_message full_message() {
  return channel_message::builder{}
    .id("msg-1")
    .timestamp_ns(1'700'000'000'250'000'000)
    .sender_id("alice")
    .content(content{json{{"text", "hello"},
                          {"values", {1, -2, 3.5, true, nullptr}},
                          {"nested", {{"deep", {{"x", "y"}}}}}}})
    .metadata(json{{"trace", "abc"},
                   {"hops", 3},
                   {"big", std::numeric_limits<uint64_t>::max()},
                   {"ratio", 0.25},
                   {"tags", {"a", "b"}},
                   {"unicode", "gr\xc3\xbc\xc3\x9f dich \xe2\x9c\x93"}})
    .correlation_id("corr-7")
    .reply_to("replies")
    .recipient_id("bob")
    .deadline_ns(1'700'000'030'500'000'000)
    .build();
}

std::vector<char> encoded(const channel_message& msg) {
  std::vector<char> buf;
  auto err = msg.encode(buf);
  BOOST_REQUIRE_MESSAGE(!err, error_message(err));
  return buf;
}

channel_message decoded(const std::vector<char>& buf) {
  return channel_message::decode(buf.data(), buf.size());
}

} // namespace

BOOST_AUTO_TEST_SUITE(channel_message_builder)

BOOST_AUTO_TEST_CASE(defaults_give_a_fresh_uuid_and_no_timestamp,
                     *tt::timeout(test_timeout)) {
  auto msg = channel_message::builder{}
               .sender_id("alice")
               .content(content{json{{"n", 1}}})
               .build();
  BOOST_TEST(is_uuid_v4(msg.id()), "not a UUID v4: " << msg.id());
  BOOST_TEST(msg.sender_id() == "alice");
  BOOST_TEST((msg.content() == content{json{{"n", 1}}}));
  // No timestamp until a channel writes it.
  BOOST_TEST(!msg.has_timestamp());
  BOOST_TEST(msg.timestamp_ns() == 0);
  BOOST_TEST(msg.timestamp() == 0.0);
  BOOST_TEST(msg.metadata().is_object());
  BOOST_TEST(msg.metadata().empty());
  BOOST_TEST(!msg.correlation_id().has_value());
  BOOST_TEST(!msg.reply_to().has_value());
  BOOST_TEST(!msg.recipient_id().has_value());
  BOOST_TEST(!msg.deadline().has_value());
  BOOST_TEST(!msg.deadline_ns().has_value());
  BOOST_TEST(!msg.validate(), error_message(msg.validate()));
}

BOOST_AUTO_TEST_CASE(every_build_gets_its_own_id, *tt::timeout(test_timeout)) {
  std::set<std::string> ids;
  for (int i = 0; i < 10'000; ++i) {
    auto msg = channel_message::builder{}.sender_id("a").build();
    BOOST_REQUIRE(is_uuid_v4(msg.id()));
    ids.insert(msg.id());
  }
  BOOST_TEST(ids.size() == 10'000u);
  BOOST_TEST(is_uuid_v4(make_uuid()));
  BOOST_TEST(make_uuid() != make_uuid());
}

BOOST_AUTO_TEST_CASE(uuid_text_spells_the_bits_as_snprintf_does) {
  // make_uuid formats its two random words a word at a time: every digit
  // value in every position, against the plain formatting.
  auto expected = [](uint64_t hi, uint64_t lo) {
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%08llx-%04llx-%04llx-%04llx-%012llx",
                  static_cast<unsigned long long>(hi >> 32),
                  static_cast<unsigned long long>((hi >> 16) & 0xFFFF),
                  static_cast<unsigned long long>(hi & 0xFFFF),
                  static_cast<unsigned long long>(lo >> 48),
                  static_cast<unsigned long long>(lo & 0xFFFFFFFFFFFFull));
    return std::string{buf};
  };
  BOOST_TEST(sssn::detail::uuid_text(0x0123456789abcdefull,
                                     0xfedcba9876543210ull)
             == "01234567-89ab-cdef-fedc-ba9876543210");
  BOOST_TEST(sssn::detail::uuid_text(0, 0) == expected(0, 0));
  BOOST_TEST(sssn::detail::uuid_text(~uint64_t{0}, ~uint64_t{0})
             == expected(~uint64_t{0}, ~uint64_t{0}));
  std::mt19937_64 rng{7};
  for (int i = 0; i < 10'000; ++i) {
    auto hi = rng();
    auto lo = rng();
    BOOST_REQUIRE_EQUAL(sssn::detail::uuid_text(hi, lo), expected(hi, lo));
  }
}

BOOST_AUTO_TEST_CASE(a_forked_child_draws_other_ids_than_its_parent,
                     *tt::timeout(test_timeout)) {
  // Ids came from a per-thread std::mt19937_64: a forked child carried on
  // the parent's sequence, so both wrote messages with the same ids. They
  // come from OpenSSL's CSPRNG now, drawn in batches that a fork renews.
  static_cast<void>(make_uuid()); // the batch of this thread is drawn
  int fds[2];
  BOOST_REQUIRE(pipe(fds) == 0);
  auto pid = fork();
  BOOST_REQUIRE(pid >= 0);
  if (pid == 0) {
    auto id = make_uuid();
    auto n = write(fds[1], id.data(), id.size());
    _exit(n == static_cast<ssize_t>(id.size()) ? 0 : 1);
  }
  close(fds[1]);
  auto mine = make_uuid();
  std::string theirs(36, '\0');
  auto n = read(fds[0], theirs.data(), theirs.size());
  close(fds[0]);
  int status = 0;
  BOOST_REQUIRE(waitpid(pid, &status, 0) == pid);
  BOOST_REQUIRE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  BOOST_REQUIRE(n == 36);
  BOOST_TEST(is_uuid_v4(theirs));
  BOOST_TEST(theirs != mine);
}

BOOST_AUTO_TEST_CASE(builder_sets_every_field, *tt::timeout(test_timeout)) {
  auto msg = full_message();
  BOOST_TEST(msg.id() == "msg-1");
  BOOST_TEST(msg.has_timestamp());
  BOOST_TEST(msg.timestamp_ns() == 1'700'000'000'250'000'000);
  BOOST_TEST(msg.timestamp() == 1'700'000'000.25);
  BOOST_TEST(msg.sender_id() == "alice");
  BOOST_TEST(msg.content().data()["text"] == "hello");
  BOOST_TEST(msg.metadata()["hops"] == 3);
  BOOST_TEST(msg.metadata()["trace"] == "abc");
  BOOST_TEST(msg.correlation_id().value_or("") == "corr-7");
  BOOST_TEST(msg.reply_to().value_or("") == "replies");
  BOOST_TEST(msg.recipient_id().value_or("") == "bob");
  BOOST_TEST(msg.deadline_ns().value_or(0) == 1'700'000'030'500'000'000);
  BOOST_TEST(msg.deadline().value_or(0) == 1'700'000'030.5);
  BOOST_TEST(!msg.validate(), error_message(msg.validate()));
}

BOOST_AUTO_TEST_CASE(seconds_and_nanoseconds_setters_agree,
                     *tt::timeout(test_timeout)) {
  auto msg = channel_message::builder{}
               .sender_id("a")
               .timestamp(1'700'000'000.5)
               .deadline(1'700'000'010.125)
               .build();
  BOOST_TEST(msg.has_timestamp());
  BOOST_TEST(msg.timestamp_ns() == 1'700'000'000'500'000'000);
  BOOST_TEST(msg.deadline_ns().value_or(0) == 1'700'000'010'125'000'000);
  // A zero timestamp set on purpose still counts as set.
  auto zero = channel_message::builder{}.sender_id("a").timestamp(0.0).build();
  BOOST_TEST(zero.has_timestamp());
  BOOST_TEST(zero.timestamp_ns() == 0);
}

BOOST_AUTO_TEST_CASE(validate_names_what_is_missing_or_malformed,
                     *tt::timeout(test_timeout)) {
  auto empty = channel_message{};
  BOOST_TEST(empty.id().empty());
  BOOST_TEST(is(empty.validate(), ec::invalid_content));
  BOOST_TEST(error_message(empty.validate()).find("no id")
             != std::string::npos);
  auto no_sender = channel_message::builder{}.id("m-ns").build();
  BOOST_TEST(is(no_sender.validate(), ec::invalid_content));
  BOOST_TEST(error_message(no_sender.validate()).find("'m-ns'")
             != std::string::npos);
  BOOST_TEST(error_message(no_sender.validate()).find("sender_id")
             != std::string::npos);
  auto bad_meta = channel_message::builder{}
                    .id("m-bm")
                    .sender_id("a")
                    .metadata(json{1, 2})
                    .build();
  BOOST_TEST(is(bad_meta.validate(), ec::invalid_content));
  BOOST_TEST(error_message(bad_meta.validate()).find("metadata")
             != std::string::npos);
  // Null is not an object either, given directly or through the wire; an
  // empty object is the same as none.
  auto null_meta = channel_message::builder{}
                     .id("m-null")
                     .sender_id("a")
                     .metadata(json{})
                     .build();
  BOOST_TEST(is(null_meta.validate(), ec::invalid_content));
  BOOST_TEST(error_message(null_meta.validate()).find("not an object")
             != std::string::npos);
  std::vector<char> null_bytes;
  BOOST_TEST(!null_meta.encode(null_bytes));
  auto null_again
    = channel_message::decode(null_bytes.data(), null_bytes.size());
  BOOST_TEST(null_again.id() == "m-null");
  BOOST_TEST(is(null_again.validate(), ec::invalid_content));
  BOOST_TEST(error_message(null_again.validate()).find("not an object")
             != std::string::npos);
  auto empty_meta = channel_message::builder{}
                      .id("m-empty")
                      .sender_id("a")
                      .metadata(json::object())
                      .build();
  BOOST_TEST(!empty_meta.validate());
  BOOST_TEST(empty_meta.metadata().is_object());
  BOOST_TEST(empty_meta.metadata().empty());
  BOOST_TEST((empty_meta
              == channel_message::builder{}.id("m-empty").sender_id("a").build()));
  auto nan
    = channel_message::builder{}
        .id("m-nan")
        .sender_id("a")
        .content(content{json{{"x", std::numeric_limits<double>::quiet_NaN()}}})
        .build();
  BOOST_TEST(is(nan.validate(), ec::invalid_content));
  BOOST_TEST(error_message(nan.validate()).find("'m-nan'")
             != std::string::npos);
  auto inf_meta
    = channel_message::builder{}
        .id("m-inf")
        .sender_id("a")
        .metadata(json{{"x", std::numeric_limits<double>::infinity()}})
        .build();
  BOOST_TEST(is(inf_meta.validate(), ec::invalid_content));
  // Such messages cannot be encoded either, and encoding says so.
  std::vector<char> buf;
  BOOST_TEST(is(nan.encode(buf), ec::invalid_content));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(channel_message_values)

BOOST_AUTO_TEST_CASE(built_messages_are_immutable, *tt::timeout(test_timeout)) {
  channel_message::builder b;
  b.id("m-1").sender_id("alice").content(content{json{{"n", 1}}});
  auto first = b.build();
  // Using the builder again does not touch the message it built.
  b.id("m-2").sender_id("bob").correlation_id("c");
  auto second = b.build();
  BOOST_TEST(first.id() == "m-1");
  BOOST_TEST(first.sender_id() == "alice");
  BOOST_TEST(!first.correlation_id().has_value());
  BOOST_TEST(second.id() == "m-2");
  BOOST_TEST(second.sender_id() == "bob");
  // Stamping returns a new message and leaves the original as it was.
  auto stamped = first.with_timestamp(42);
  BOOST_TEST(stamped.has_timestamp());
  BOOST_TEST(stamped.timestamp_ns() == 42);
  BOOST_TEST(stamped.id() == first.id());
  BOOST_TEST(!first.has_timestamp());
  BOOST_TEST(first.timestamp_ns() == 0);
  BOOST_TEST((stamped != first));
}

BOOST_AUTO_TEST_CASE(stamping_a_message_given_up_stamps_it_in_place,
                     *tt::timeout(test_timeout)) {
  auto make = [] {
    return channel_message::builder{}
      .id("m-1")
      .sender_id("alice")
      .content(content{json{{"n", 1}}})
      .build();
  };
  // The only handle: its representation is stamped, not copied.
  auto sole = make();
  auto* fields = &sole.id();
  auto stamped = std::move(sole).with_timestamp(42);
  BOOST_TEST(&stamped.id() == fields);
  BOOST_TEST(stamped.has_timestamp());
  BOOST_TEST(stamped.timestamp_ns() == 42);
  // A shared one: the other handle keeps seeing the message unstamped.
  auto shared = make();
  auto other = shared;
  auto copy = std::move(shared).with_timestamp(43);
  BOOST_TEST(&copy.id() != &other.id());
  BOOST_TEST(copy.timestamp_ns() == 43);
  BOOST_TEST(!other.has_timestamp());
  BOOST_TEST(other.timestamp_ns() == 0);
  BOOST_TEST((copy.content() == other.content()));
}

BOOST_AUTO_TEST_CASE(copies_share_one_representation,
                     *tt::timeout(test_timeout)) {
  auto msg = full_message();
  auto copy = msg;
  BOOST_TEST((copy == msg));
  // No deep copy: the fields of both are the very same objects.
  BOOST_TEST(&copy.id() == &msg.id());
  BOOST_TEST(&copy.metadata() == &msg.metadata());
  BOOST_TEST(&copy.content().data() == &msg.content().data());
  // Equal values built separately compare equal too.
  auto other = full_message();
  BOOST_TEST((other == msg));
  auto changed
    = channel_message::builder{}.id("msg-1").sender_id("alice").build();
  BOOST_TEST((changed != msg));
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(channel_message_wire)

BOOST_AUTO_TEST_CASE(round_trip_keeps_every_field, *tt::timeout(test_timeout)) {
  auto msg = full_message();
  auto copy = decoded(encoded(msg));
  BOOST_TEST(!copy.validate(), error_message(copy.validate()));
  BOOST_TEST((copy == msg));
  BOOST_TEST(copy.id() == "msg-1");
  BOOST_TEST(copy.has_timestamp());
  BOOST_TEST(copy.timestamp_ns() == msg.timestamp_ns());
  BOOST_TEST(copy.sender_id() == "alice");
  BOOST_TEST((copy.content() == msg.content()));
  BOOST_TEST(copy.metadata() == msg.metadata());
  BOOST_TEST(copy.metadata()["big"].get<uint64_t>()
             == std::numeric_limits<uint64_t>::max());
  BOOST_TEST(copy.metadata()["unicode"] == msg.metadata()["unicode"]);
  BOOST_TEST((copy.correlation_id() == msg.correlation_id()));
  BOOST_TEST((copy.reply_to() == msg.reply_to()));
  BOOST_TEST((copy.recipient_id() == msg.recipient_id()));
  BOOST_TEST((copy.deadline_ns() == msg.deadline_ns()));
}

BOOST_AUTO_TEST_CASE(round_trip_keeps_absent_fields_absent,
                     *tt::timeout(test_timeout)) {
  auto msg = channel_message::builder{}.id("m-min").sender_id("a").build();
  auto copy = decoded(encoded(msg));
  BOOST_TEST(!copy.validate(), error_message(copy.validate()));
  BOOST_TEST((copy == msg));
  BOOST_TEST(!copy.has_timestamp());
  BOOST_TEST(!copy.correlation_id().has_value());
  BOOST_TEST(!copy.reply_to().has_value());
  BOOST_TEST(!copy.recipient_id().has_value());
  BOOST_TEST(!copy.deadline_ns().has_value());
  BOOST_TEST(copy.metadata().is_object());
  BOOST_TEST(copy.metadata().empty());
  BOOST_TEST(copy.content().data().is_null());
}

BOOST_AUTO_TEST_CASE(round_trip_tells_empty_from_absent,
                     *tt::timeout(test_timeout)) {
  // Present-but-empty strings and zero times are not the same as absent.
  auto msg = channel_message::builder{}
               .id("m-empty")
               .sender_id("a")
               .timestamp_ns(0)
               .correlation_id("")
               .reply_to("")
               .recipient_id("")
               .deadline_ns(0)
               .build();
  auto copy = decoded(encoded(msg));
  BOOST_TEST(!copy.validate(), error_message(copy.validate()));
  BOOST_TEST((copy == msg));
  BOOST_TEST(copy.has_timestamp());
  BOOST_TEST(copy.correlation_id().has_value());
  BOOST_TEST(copy.correlation_id().value_or("x").empty());
  BOOST_TEST(copy.reply_to().has_value());
  BOOST_TEST(copy.recipient_id().has_value());
  BOOST_TEST(copy.deadline_ns().has_value());
  BOOST_TEST(copy.deadline_ns().value_or(1) == 0);
  // Only some optional fields set: each keeps its own presence.
  auto some = channel_message::builder{}
                .id("m-some")
                .sender_id("a")
                .reply_to("back")
                .deadline_ns(-5)
                .build();
  auto some_copy = decoded(encoded(some));
  BOOST_TEST((some_copy == some));
  BOOST_TEST(!some_copy.correlation_id().has_value());
  BOOST_TEST(some_copy.reply_to().value_or("") == "back");
  BOOST_TEST(!some_copy.recipient_id().has_value());
  BOOST_TEST(some_copy.deadline_ns().value_or(0) == -5);
}

BOOST_AUTO_TEST_CASE(round_trip_keeps_typed_and_error_content,
                     *tt::timeout(test_timeout)) {
  auto typed
    = channel_message::builder{}
        .id("m-typed")
        .sender_id("a")
        .content(content::from_typed("demo.Point", json{{"x", 1}, {"y", 2.5}}))
        .build();
  auto typed_copy = decoded(encoded(typed));
  BOOST_TEST((typed_copy == typed));
  BOOST_TEST((typed_copy.content().kind() == content_kind::typed));
  BOOST_TEST(typed_copy.content().type_name() == "demo.Point");
  auto failure = make_error(ec::request_failed, "service 'x' failed: boom");
  auto error = channel_message::builder{}
                 .id("m-error")
                 .sender_id("a")
                 .content(content::from_error(failure))
                 .build();
  auto error_copy = decoded(encoded(error));
  BOOST_TEST(!error_copy.validate(), error_message(error_copy.validate()));
  BOOST_TEST(error_copy.content().is_error());
  BOOST_TEST(is(error_copy.content().error(), ec::request_failed));
  BOOST_TEST(error_message(error_copy.content().error())
             == "service 'x' failed: boom");
}

BOOST_AUTO_TEST_CASE(round_trip_through_caf_serializers,
                     *tt::timeout(test_timeout)) {
  auto msg = full_message();
  std::vector<char> buf;
  caf::binary_serializer sink{nullptr, buf};
  auto err = sink(msg);
  BOOST_REQUIRE_MESSAGE(!err, caf::to_string(err));
  channel_message copy;
  caf::binary_deserializer source{nullptr, buf};
  err = source(copy);
  BOOST_REQUIRE_MESSAGE(!err, caf::to_string(err));
  BOOST_TEST((copy == msg));
  // A truncated CAF frame is an error of the deserializer, never a crash.
  for (size_t n = 0; n < buf.size(); n += 7) {
    channel_message partial;
    caf::binary_deserializer cut{nullptr, buf.data(), n};
    BOOST_TEST(static_cast<bool>(cut(partial)), "prefix " << n);
  }
}

BOOST_AUTO_TEST_CASE(another_wire_version_is_incompatible,
                     *tt::timeout(test_timeout)) {
  auto buf = encoded(full_message());
  BOOST_REQUIRE(!buf.empty());
  BOOST_REQUIRE(static_cast<uint8_t>(buf[0]) == wire_version);
  for (int version : {0, 2, 255}) {
    auto copy = buf;
    copy[0] = static_cast<char>(version);
    auto msg = decoded(copy);
    auto err = msg.validate();
    BOOST_TEST(is(err, ec::incompatible_version), "version " << version);
    BOOST_TEST(error_message(err).find("version " + std::to_string(version))
                 != std::string::npos,
               error_message(err));
    // A refused message can still be rendered.
    BOOST_TEST(to_string(msg).find("invalid") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(truncated_input_gives_an_error,
                     *tt::timeout(test_timeout)) {
  auto buf = encoded(full_message());
  for (size_t n = 0; n < buf.size(); ++n) {
    auto msg = channel_message::decode(buf.data(), n);
    auto err = msg.validate();
    BOOST_TEST(static_cast<bool>(err), "prefix of " << n << " bytes accepted");
    BOOST_TEST((is(err, ec::invalid_content)
                || is(err, ec::incompatible_version)),
               "prefix " << n << ": " << error_message(err));
  }
  BOOST_TEST(static_cast<bool>(channel_message::decode(nullptr, 0).validate()));
}

BOOST_AUTO_TEST_CASE(trailing_bytes_give_an_error, *tt::timeout(test_timeout)) {
  auto buf = encoded(full_message());
  buf.push_back('\0');
  auto err = decoded(buf).validate();
  BOOST_TEST(is(err, ec::invalid_content), error_message(err));
}

BOOST_AUTO_TEST_CASE(corrupted_input_never_crashes,
                     *tt::timeout(test_timeout)) {
  auto original = full_message();
  auto buf = encoded(original);
  size_t refused = 0;
  size_t total = 0;
  for (size_t i = 0; i < buf.size(); ++i) {
    for (int x : {0x00, 0xFF, 0x7F, 0x80}) {
      auto copy = buf;
      copy[i] = static_cast<char>(static_cast<uint8_t>(copy[i]) ^ x);
      auto msg = decoded(copy);
      ++total;
      if (auto err = msg.validate()) {
        ++refused;
        BOOST_TEST(
          (is(err, ec::invalid_content) || is(err, ec::incompatible_version)));
        BOOST_TEST(!error_message(err).empty());
      } else {
        // Whatever decodes fine is a message that encodes again.
        std::vector<char> again;
        BOOST_TEST(!msg.encode(again));
      }
      BOOST_TEST(!to_string(msg).empty());
    }
  }
  BOOST_TEST(refused > 0u);
  BOOST_TEST_MESSAGE(refused << " of " << total << " corruptions refused");
  // Random bytes, seeded for reproducibility.
  std::mt19937 gen{4711};
  std::uniform_int_distribution<int> byte{0, 255};
  std::uniform_int_distribution<size_t> len{0, 200};
  for (int round = 0; round < 2000; ++round) {
    std::vector<char> junk(len(gen));
    for (auto& c : junk)
      c = static_cast<char>(byte(gen));
    if (!junk.empty() && round % 2 == 0)
      junk[0] = static_cast<char>(wire_version); // get past the version
    auto msg = decoded(junk);
    (void)msg.validate();
    (void)to_string(msg);
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(channel_message_text)

BOOST_AUTO_TEST_CASE(to_string_renders_one_line_of_json,
                     *tt::timeout(test_timeout)) {
  auto text = to_string(full_message());
  BOOST_TEST(text.find('\n') == std::string::npos);
  auto parsed = json::parse(text, nullptr, false);
  BOOST_REQUIRE(!parsed.is_discarded());
  BOOST_TEST(parsed["id"] == "msg-1");
  BOOST_TEST(parsed["timestamp"].get<double>() == 1'700'000'000.25);
  BOOST_TEST(parsed["sender_id"] == "alice");
  BOOST_TEST(parsed["content"]["text"] == "hello");
  BOOST_TEST(parsed["metadata"]["trace"] == "abc");
  BOOST_TEST(parsed["correlation_id"] == "corr-7");
  BOOST_TEST(parsed["reply_to"] == "replies");
  BOOST_TEST(parsed["recipient_id"] == "bob");
  BOOST_TEST(parsed["deadline"].get<double>() == 1'700'000'030.5);
  BOOST_TEST(!parsed.contains("invalid"));
}

BOOST_AUTO_TEST_CASE(to_string_leaves_out_absent_fields,
                     *tt::timeout(test_timeout)) {
  auto msg = channel_message::builder{}
               .id("m-min")
               .sender_id("a")
               .content(content{json{{"n", 1}}})
               .build();
  auto parsed = json::parse(to_string(msg), nullptr, false);
  BOOST_REQUIRE(!parsed.is_discarded());
  BOOST_TEST(parsed["id"] == "m-min");
  BOOST_TEST(parsed["content"]["n"] == 1);
  for (auto key : {"metadata", "correlation_id", "reply_to", "recipient_id",
                   "deadline", "invalid"})
    BOOST_TEST(!parsed.contains(key), key);
}

BOOST_AUTO_TEST_CASE(to_string_renders_errors_and_invalid_messages,
                     *tt::timeout(test_timeout)) {
  auto failure = make_error(ec::request_failed, "handler said no");
  auto msg = channel_message::builder{}
               .id("m-err")
               .sender_id("a")
               .content(content::from_error(failure))
               .build();
  auto parsed = json::parse(to_string(msg), nullptr, false);
  BOOST_REQUIRE(!parsed.is_discarded());
  BOOST_REQUIRE(parsed["content"].is_string());
  auto rendered = parsed["content"].get<std::string>();
  BOOST_TEST(rendered.find("error(") == 0u, rendered);
  BOOST_TEST(rendered.find("handler said no") != std::string::npos, rendered);
  // A message that failed to decode says why.
  auto buf = encoded(full_message());
  auto broken = channel_message::decode(buf.data(), buf.size() / 2);
  auto broken_parsed = json::parse(to_string(broken), nullptr, false);
  BOOST_REQUIRE(!broken_parsed.is_discarded());
  BOOST_TEST(broken_parsed["invalid"].get<std::string>()
             == error_message(broken.validate()));
  // Invalid UTF-8 never breaks the rendering.
  auto bad_utf8
    = channel_message::builder{}.id("m-\xff").sender_id("a").build();
  BOOST_TEST(json::parse(to_string(bad_utf8), nullptr, false).is_object());
}

BOOST_AUTO_TEST_SUITE_END()
