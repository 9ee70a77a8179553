// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/content.hpp"

#include <exception>
#include <utility>
#include <vector>

#include <caf/message.hpp>
#include <caf/sec.hpp>

#include "detail/check_memo.hpp"
#include "detail/format_size.hpp"

namespace sssn {

// -- content::impl ------------------------------------------------------------

struct content::impl {
  content_kind kind = content_kind::generic;
  std::string type_name;
  json data;
  // Only for error content.
  uint8_t code = 0;
  caf::atom_value category = caf::atom("");
  std::string message;
  std::string field;
  /// Set once `check` passed (see check_memo).
  detail::check_memo valid;
};

namespace {

const json& null_json() {
  static const json instance;
  return instance;
}

const std::string& empty_string() {
  static const std::string instance;
  return instance;
}

// Builds a DOM from nlohmann's SAX events within `content_limits`.
class limited_sax {
public:
  explicit limited_sax(const content_limits& limits) : limits_(limits) {
    // nop
  }

  bool null() {
    return put(json{}) != nullptr;
  }

  bool boolean(bool x) {
    return put(json(x)) != nullptr;
  }

  bool number_integer(json::number_integer_t x) {
    return put(json(x)) != nullptr;
  }

  bool number_unsigned(json::number_unsigned_t x) {
    return put(json(x)) != nullptr;
  }

  bool number_float(json::number_float_t x, const std::string&) {
    return put(json(x)) != nullptr;
  }

  bool string(std::string& x) {
    return put(json(std::move(x))) != nullptr;
  }

  bool binary(json::binary_t&) {
    return fail("invalid JSON: binary values are not supported");
  }

  bool start_object(size_t) {
    return open(json::object());
  }

  bool key(std::string& x) {
    key_slot_ = &stack_.back()->get_ref<json::object_t&>()[std::move(x)];
    return true;
  }

  bool end_object() {
    stack_.pop_back();
    return true;
  }

  bool start_array(size_t) {
    return open(json::array());
  }

  bool end_array() {
    stack_.pop_back();
    return true;
  }

  bool parse_error(size_t position, const std::string&,
                   const json::exception& ex) {
    // nlohmann's text reads "[json.exception.parse_error.101] parse error at
    // line 1, column 7: ..."; keep everything after the bracket.
    std::string text = ex.what();
    if (auto pos = text.find("] ");
        !text.empty() && text.front() == '[' && pos != text.npos)
      text.erase(0, pos + 2);
    constexpr std::string_view prefix = "parse error at ";
    if (text.compare(0, prefix.size(), prefix) == 0)
      return fail("invalid JSON at " + text.substr(prefix.size()));
    return fail("invalid JSON at byte " + std::to_string(position) + ": "
                + text);
  }

  json root;
  caf::error err;

private:
  bool fail(std::string what) {
    if (!err)
      err = make_error(ec::invalid_content, std::move(what));
    return false;
  }

  json* put(json&& x) {
    if (++elements_ > limits_.max_elements) {
      fail("JSON text has more than " + std::to_string(limits_.max_elements)
           + " values");
      return nullptr;
    }
    if (stack_.empty()) {
      root = std::move(x);
      return &root;
    }
    if (auto arr = stack_.back()->get_ptr<json::array_t*>()) {
      arr->push_back(std::move(x));
      return &arr->back();
    }
    *key_slot_ = std::move(x);
    return key_slot_;
  }

  bool open(json&& x) {
    if (stack_.size() >= limits_.max_depth)
      return fail("JSON nesting deeper than "
                  + std::to_string(limits_.max_depth) + " levels");
    auto ptr = put(std::move(x));
    if (ptr == nullptr)
      return false;
    stack_.push_back(ptr);
    return true;
  }

  const content_limits& limits_;
  size_t elements_ = 0;
  std::vector<json*> stack_;
  json* key_slot_ = nullptr;
};

std::string code_name(uint8_t code, caf::atom_value category) {
  if (category == error_category())
    return to_string(static_cast<ec>(code));
  if (category == caf::atom("system"))
    return caf::to_string(static_cast<caf::sec>(code));
  return caf::to_string(category) + ":" + std::to_string(code);
}

} // namespace

// -- detail -------------------------------------------------------------------

namespace detail {

caf::error rebuild_error(uint8_t code, caf::atom_value category,
                         const std::string& message,
                         const std::string& field) {
  if (code == 0)
    return {};
  if (category == error_category()) {
    if (!field.empty())
      return make_content_error(field, message);
    return make_error(static_cast<ec>(code), message);
  }
  // error_message() renders other categories as a fixed text, followed by
  // ": <context>" if the error had a string context: restore that context.
  auto base = error_message(caf::error{code, category});
  if (message == base)
    return caf::error{code, category};
  if (message.size() > base.size() + 2
      && message.compare(0, base.size(), base) == 0
      && message.compare(base.size(), 2, ": ") == 0)
    return caf::error{code, category,
                      caf::make_message(message.substr(base.size() + 2))};
  return caf::error{code, category, caf::make_message(message)};
}

} // namespace detail

// -- content ------------------------------------------------------------------

std::string to_string(content_kind x) {
  switch (x) {
    case content_kind::generic:
      return "generic";
    case content_kind::typed:
      return "typed";
    case content_kind::error:
      return "error";
  }
  return "content_kind(" + std::to_string(static_cast<int>(x)) + ")";
}

content::content(std::shared_ptr<const impl> ptr) noexcept
  : ptr_(std::move(ptr)) {
  // nop
}

content::content(const json& value) : content(detail::copy_json(value)) {
  // nop
}

content::content(json&& value) {
  if (value.is_null())
    return;
  auto ptr = std::make_shared<impl>();
  ptr->data = std::move(value);
  ptr_ = std::move(ptr);
}

content content::from_typed(std::string type_name, const json& data) {
  return from_typed(std::move(type_name), detail::copy_json(data));
}

content content::from_typed(std::string type_name, json&& data) {
  if (type_name.empty())
    return content{std::move(data)};
  auto ptr = std::make_shared<impl>();
  ptr->kind = content_kind::typed;
  ptr->type_name = std::move(type_name);
  ptr->data = std::move(data);
  return content{std::shared_ptr<const impl>{std::move(ptr)}};
}

content content::from_error(const caf::error& err) {
  if (!err)
    return from_error(make_error(ec::invalid_argument,
                                 "content::from_error called with no error"));
  auto ptr = std::make_shared<impl>();
  ptr->kind = content_kind::error;
  ptr->code = err.code();
  ptr->category = err.category();
  ptr->message = detail::sanitize_utf8(error_message(err));
  ptr->field = detail::sanitize_utf8(error_field(err));
  ptr->data = json::object();
  auto& obj = ptr->data["error"];
  obj["code"] = ptr->code;
  obj["category"] = caf::to_string(ptr->category);
  obj["message"] = ptr->message;
  obj["field"] = ptr->field;
  return content{std::shared_ptr<const impl>{std::move(ptr)}};
}

caf::expected<content> content::from_json(std::string_view text,
                                           const content_limits& limits) {
  if (text.size() > limits.max_bytes)
    return make_error(ec::invalid_content,
                      "JSON text of " + std::to_string(text.size())
                        + " bytes exceeds the "
                        + detail::format_size(limits.max_bytes)
                        + " limit");
  limited_sax sax{limits};
  bool ok = false;
  try {
    ok = json::sax_parse(text.data(), text.data() + text.size(), &sax);
  } catch (const std::exception& ex) {
    return make_error(ec::invalid_content,
                      std::string{"invalid JSON: "} + ex.what());
  }
  if (!ok || sax.err) {
    if (sax.err)
      return std::move(sax.err);
    return make_error(ec::invalid_content, "invalid JSON");
  }
  return content{std::move(sax.root)};
}

content_kind content::kind() const noexcept {
  return ptr_ ? ptr_->kind : content_kind::generic;
}

const json& content::data() const noexcept {
  return ptr_ ? ptr_->data : null_json();
}

const std::string& content::type_name() const noexcept {
  return ptr_ ? ptr_->type_name : empty_string();
}

caf::error content::error() const {
  if (!is_error())
    return {};
  return detail::rebuild_error(ptr_->code, ptr_->category, ptr_->message,
                               ptr_->field);
}

caf::error content::check() const {
  if (ptr_ && ptr_->valid.passed())
    return {};
  if (!detail::valid_utf8(type_name()))
    return make_content_error({}, "content has invalid UTF-8 in its type "
                                  "name");
  if (auto err = detail::check_json(data()))
    return err;
  if (ptr_)
    ptr_->valid.mark_passed();
  return {};
}

std::string content::to_json() const {
  std::string result;
  detail::dump_json(data(), result);
  return result;
}

bool operator==(const content& x, const content& y) {
  if (x.ptr_ == y.ptr_)
    return true;
  return x.kind() == y.kind() && x.type_name() == y.type_name()
         && detail::equal_json(x.data(), y.data());
}

std::string to_string(const content& x) {
  if (x.is_error()) {
    auto err = x.error();
    return "error(" + code_name(err.code(), err.category())
           + "): " + error_message(err);
  }
  return x.to_json();
}

} // namespace sssn
