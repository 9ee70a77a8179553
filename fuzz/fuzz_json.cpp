// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Fuzz target for JSON text given to the CLI (`sssn request --data=...`):
// `content::from_json` with the default limits, then `check()`, as
// `tools/sssn.cpp` does, then what the CLI does with accepted content
// (prints it with `to_json()`, sends it in our wire form).
//
// Properties, beyond "no crash, no sanitizer report":
// - an error is `ec::invalid_content` with a sentence;
// - differential against nlohmann's own parser: we refuse everything it
//   refuses; what we accept is what it parses (strictly equal); what it
//   accepts and we refuse breaks a limit (depth, values, bytes);
// - limits are exact: with small limits the text is accepted iff its value
//   is within them;
// - `to_json()` never throws, equals nlohmann's `dump()`, and parses back to
//   strictly equal content with the same text (a fixpoint);
// - accepted text that passes `check()` survives our wire form; `check()`
//   refuses only non-finite numbers (all else is refused by the parser).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sssn/channel_message.hpp"
#include "sssn/content.hpp"
#include "sssn/error.hpp"

#include "fuzz_common.hpp"

namespace {

using namespace sssn_fuzz;
using sssn::content;
using sssn::content_limits;
using sssn::ec;
using sssn::error_message;

bool starts_with(const std::string& x, std::string_view prefix) {
  return x.compare(0, prefix.size(), prefix) == 0;
}

bool is_limit_error(const std::string& text) {
  return starts_with(text, "JSON nesting deeper than ")
         || starts_with(text, "JSON text has more than ")
         || starts_with(text, "JSON text of ");
}

void check_limits(std::string_view text, const content* accepted) {
  content_limits small;
  small.max_depth = 4;
  small.max_elements = 32;
  small.max_bytes = 1024;
  auto res = content::from_json(text, small);
  if (accepted == nullptr) {
    FUZZ_CHECK_MSG(!res, "small limits accept what the default refuses");
    return;
  }
  auto depth = depth_of(accepted->data());
  auto count = count_of(accepted->data());
  if (res) {
    FUZZ_CHECK(same_content(*res, *accepted));
    FUZZ_CHECK(depth <= small.max_depth);
    FUZZ_CHECK(text.size() <= small.max_bytes);
    // Duplicate keys make the value smaller than the text's value count.
    FUZZ_CHECK(count <= small.max_elements);
    return;
  }
  auto msg = error_message(res.error());
  FUZZ_CHECK_MSG(is_limit_error(msg), msg);
  if (starts_with(msg, "JSON nesting deeper than "))
    FUZZ_CHECK_MSG(depth > small.max_depth, msg);
  else if (starts_with(msg, "JSON text of "))
    FUZZ_CHECK(text.size() > small.max_bytes);
  // A value beyond the limits is refused (the converse does not hold for
  // the value count: `{"a":1,"a":2}` counts 3 values but keeps 2).
  if (depth > small.max_depth || count > small.max_elements
      || text.size() > small.max_bytes)
    return;
  FUZZ_CHECK_MSG(starts_with(msg, "JSON text has more than "), msg);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* bytes, size_t size) {
  std::string_view text{reinterpret_cast<const char*>(bytes), size};
  // nlohmann's verdict, for the differential checks.
  bool accepted_by_nlohmann = sssn::json::accept(text);
  auto res = content::from_json(text);
  if (!res) {
    auto err = res.error();
    FUZZ_CHECK_MSG(sssn::is(err, ec::invalid_content), describe(err));
    auto msg = error_message(err);
    FUZZ_CHECK(!msg.empty());
    // Text that nlohmann accepts breaks a limit; other text may break one
    // before its syntax error is reached.
    if (accepted_by_nlohmann)
      FUZZ_CHECK_MSG(is_limit_error(msg), msg);
    else
      FUZZ_CHECK_MSG(starts_with(msg, "invalid JSON") || is_limit_error(msg),
                     msg);
    check_limits(text, nullptr);
    return 0;
  }
  FUZZ_CHECK(accepted_by_nlohmann);
  const content& c = *res;
  FUZZ_CHECK(c.kind() == sssn::content_kind::generic);
  FUZZ_CHECK(c.type_name().empty());
  // Our SAX-built value is nlohmann's DOM value (nesting is at most 64 here,
  // so nlohmann's recursive parse and dump are safe).
  auto reference = sssn::json::parse(text);
  FUZZ_CHECK(same_json(reference, c.data()));
  check_limits(text, &c);
  auto out = c.to_json();
  static_cast<void>(sssn::to_string(c));
  FUZZ_CHECK_MSG(out == reference.dump(-1, ' ', false,
                                       sssn::json::error_handler_t::replace),
                 out);
  auto err = c.check();
  if (err) {
    // Parsed text has valid UTF-8, depth within the limit and no binary
    // values: only numbers beyond double's range (1e999) remain.
    FUZZ_CHECK_MSG(sssn::is(err, ec::invalid_content), describe(err));
    FUZZ_CHECK_MSG(error_message(err).find("non-finite") != std::string::npos,
                   describe(err));
    return 0;
  }
  // Printing and reading back is a fixpoint. (Loosely equal the first time:
  // the text `-0` parses as a signed 0 but prints as `0`, an unsigned 0.)
  auto again = content::from_json(out);
  FUZZ_CHECK_MSG(again, describe(again.error()) + " for " + out);
  FUZZ_CHECK_MSG(*again == c, out);
  FUZZ_CHECK(again->to_json() == out);
  // What the CLI sends crosses the wire unchanged.
  std::vector<char> buf;
  auto enc = sssn::detail::encode_content(c, buf);
  FUZZ_CHECK_MSG(!enc, describe(enc));
  auto decoded = sssn::detail::decode_content(buf.data(), buf.size());
  FUZZ_CHECK_MSG(same_content(decoded, c), hex(buf));
  return 0;
}
