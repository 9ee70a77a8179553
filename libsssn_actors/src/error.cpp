// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/error.hpp"

#include <caf/atom.hpp>
#include <caf/message.hpp>
#include <caf/sec.hpp>

namespace sssn {

std::string to_string(ec x) {
  switch (x) {
    case ec::none:
      return "none";
    case ec::not_accepting_writes:
      return "not_accepting_writes";
    case ec::not_authorized:
      return "not_authorized";
    case ec::unknown_message_id:
      return "unknown_message_id";
    case ec::duplicate_message_id:
      return "duplicate_message_id";
    case ec::sender_mismatch:
      return "sender_mismatch";
    case ec::invalid_content:
      return "invalid_content";
    case ec::no_responders:
      return "no_responders";
    case ec::overloaded:
      return "overloaded";
    case ec::channel_down:
      return "channel_down";
    case ec::incompatible_version:
      return "incompatible_version";
    case ec::not_claimed:
      return "not_claimed";
    case ec::invalid_argument:
      return "invalid_argument";
    case ec::request_failed:
      return "request_failed";
  }
  return "ec(" + std::to_string(static_cast<int>(x)) + ")";
}

caf::atom_value error_category() {
  return caf::atom("sssn");
}

caf::error make_error(ec code, std::string what) {
  return caf::error{static_cast<uint8_t>(code), error_category(),
                    caf::make_message(std::move(what))};
}

caf::error make_content_error(std::string field, std::string what) {
  return caf::error{static_cast<uint8_t>(ec::invalid_content),
                    error_category(),
                    caf::make_message(std::move(what), std::move(field))};
}

namespace {

std::string context_string(const caf::error& err, size_t pos) {
  const auto& ctx = err.context();
  if (ctx.size() > pos && ctx.match_element<std::string>(pos))
    return ctx.get_as<std::string>(pos);
  return {};
}

std::string describe(caf::sec x) {
  switch (x) {
    case caf::sec::request_timeout:
      return "request timed out";
    case caf::sec::request_receiver_down:
      return "request receiver is down";
    case caf::sec::unexpected_message:
      return "unexpected message";
    case caf::sec::unexpected_response:
      return "unexpected response";
    default:
      return to_string(x);
  }
}

} // namespace

std::string error_message(const caf::error& err) {
  if (!err)
    return {};
  if (err.category() == error_category()) {
    auto text = context_string(err, 0);
    if (!text.empty())
      return text;
    return to_string(static_cast<ec>(err.code()));
  }
  if (err.category() == caf::atom("system")) {
    auto text = describe(static_cast<caf::sec>(err.code()));
    auto ctx = context_string(err, 0);
    if (!ctx.empty())
      text += ": " + ctx;
    return text;
  }
  auto text = "error " + std::to_string(err.code()) + " in category "
              + caf::to_string(err.category());
  auto ctx = context_string(err, 0);
  if (!ctx.empty())
    text += ": " + ctx;
  return text;
}

std::string error_field(const caf::error& err) {
  // CAF 0.17's accessors dereference null on an empty error.
  if (!err)
    return {};
  if (err.category() != error_category()
      || err.code() != static_cast<uint8_t>(ec::invalid_content))
    return {};
  return context_string(err, 1);
}

bool is(const caf::error& err, ec code) {
  return err && err.category() == error_category()
         && err.code() == static_cast<uint8_t>(code);
}

} // namespace sssn
