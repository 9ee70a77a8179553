// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/token.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <ctime>
#include <limits>
#include <optional>

#include <nlohmann/json.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <caf/none.hpp>

#include "sssn/detail/json_util.hpp"
#include "sssn/error.hpp"

namespace sssn {

namespace {

using json = nlohmann::json;

constexpr const char* b64url_chars
  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string b64url_encode(const std::string& in) {
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  size_t i = 0;
  auto byte = [&in](size_t k) { return static_cast<uint8_t>(in[k]); };
  for (; i + 2 < in.size(); i += 3) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += b64url_chars[(v >> 18) & 63];
    out += b64url_chars[(v >> 12) & 63];
    out += b64url_chars[(v >> 6) & 63];
    out += b64url_chars[v & 63];
  }
  if (in.size() - i == 1) {
    uint32_t v = byte(i) << 16;
    out += b64url_chars[(v >> 18) & 63];
    out += b64url_chars[(v >> 12) & 63];
  } else if (in.size() - i == 2) {
    uint32_t v = (byte(i) << 16) | (byte(i + 1) << 8);
    out += b64url_chars[(v >> 18) & 63];
    out += b64url_chars[(v >> 12) & 63];
    out += b64url_chars[(v >> 6) & 63];
  }
  return out;
}

int b64url_value(char c) {
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '-')
    return 62;
  if (c == '_')
    return 63;
  return -1;
}

/// Decodes unpadded base64url; false on any other character or on a length
/// that no encoding produces.
bool b64url_decode(const std::string& in, std::string& out) {
  if (in.size() % 4 == 1)
    return false;
  out.clear();
  uint32_t acc = 0;
  int bits = 0;
  for (auto c : in) {
    auto v = b64url_value(c);
    if (v < 0)
      return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xFF);
    }
  }
  // Leftover bits must be zero, so that each token has one encoding.
  return (acc & ((1u << bits) - 1)) == 0;
}

std::string hmac_sha256(const std::string& key, const std::string& data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> md;
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(data.data()), data.size(),
       md.data(), &len);
  return std::string(reinterpret_cast<const char*>(md.data()), len);
}

caf::error refuse(std::string what) {
  return make_error(ec::not_authorized, "not authorized: " + std::move(what));
}

std::optional<role> parse_role(const std::string& x) {
  if (x == "read")
    return role::read;
  if (x == "write")
    return role::write;
  if (x == "admin")
    return role::admin;
  return std::nullopt;
}

/// Latest NumericDate accepted: 9999-12-31T23:59:59Z (what `describe_time`
/// can still print with four digits).
constexpr int64_t max_numeric_date = 253'402'300'799;

/// How a fractional NumericDate becomes whole seconds: always towards the
/// stricter reading (an expiry earlier, a start later), by less than 1 s.
enum class round_to { down, up };

/// Reads the NumericDate `x` (RFC 7519, section 2: seconds since
/// 1970-01-01T00:00:00Z, an integer or not). Returns nothing and says why in
/// `why` for a value that is not a number or lies outside 0 to
/// `max_numeric_date`. (JSON has no NaN or infinity: such a payload is no
/// JSON at all and was refused before.)
std::optional<int64_t> numeric_date(const json& x, round_to rounding,
                                    std::string& why) {
  constexpr const char* range = "out of range (0 to 9999-12-31T23:59:59Z "
                                "in seconds since 1970)";
  if (x.is_number_unsigned()) {
    auto value = x.get<uint64_t>();
    if (value > static_cast<uint64_t>(max_numeric_date)) {
      why = range;
      return std::nullopt;
    }
    return static_cast<int64_t>(value);
  }
  if (x.is_number_integer()) {
    auto value = x.get<int64_t>();
    if (value < 0 || value > max_numeric_date) {
      why = range;
      return std::nullopt;
    }
    return value;
  }
  if (x.is_number_float()) {
    auto value = x.get<double>();
    if (!std::isfinite(value)) {
      why = "not a finite number";
      return std::nullopt;
    }
    auto whole = rounding == round_to::down ? std::floor(value)
                                            : std::ceil(value);
    if (whole < 0 || whole > static_cast<double>(max_numeric_date)) {
      why = range;
      return std::nullopt;
    }
    return static_cast<int64_t>(whole);
  }
  why = std::string{"not a number but "} + x.type_name()
        + " (a NumericDate is seconds since 1970)";
  return std::nullopt;
}

/// Renders an `alg` value from a token header for an error message: at most
/// 32 characters, anything but letters, digits and `-_.+` as '?', so that a
/// peer cannot put control characters or invalid UTF-8 into our logs.
std::string printable_alg(const std::string& alg) {
  std::string result;
  for (auto c : alg.substr(0, 32)) {
    auto u = static_cast<unsigned char>(c);
    result += std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '+'
                ? c
                : '?';
  }
  if (alg.size() > 32)
    result += "...";
  return result;
}

/// Returns the `alg` of `header_text` when it names another algorithm than
/// HS256. Used only to say why a signature did not match: a token from a
/// tool that signed with HS512 is not forged, it uses an algorithm we do
/// not take. Only small headers are parsed (a JWT header is a few dozen
/// bytes), and nothing here grants anything.
std::optional<std::string> foreign_alg(const std::string& header_text) {
  if (header_text.size() > 1024)
    return std::nullopt;
  auto header = json::parse(header_text, nullptr, false);
  if (!header.is_object())
    return std::nullopt;
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string() || *alg == "HS256")
    return std::nullopt;
  return printable_alg(alg->get<std::string>());
}

caf::error unsupported_alg(const std::string& alg) {
  return refuse("unsupported algorithm '" + alg + "' (only HS256)");
}

std::string describe_time(int64_t unix_seconds) {
  // ISO 8601 in UTC, without depending on the locale.
  auto t = static_cast<time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

} // namespace

bool token_claims::covers(const std::string& channel_id) const {
  return std::any_of(channels.begin(), channels.end(),
                     [&](const std::string& x) {
                       return x == "*" || x == channel_id;
                     });
}

int64_t unix_now() {
  using namespace std::chrono;
  return duration_cast<seconds>(system_clock::now().time_since_epoch())
    .count();
}

caf::expected<std::string> load_secret(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return make_error(ec::invalid_argument,
                      "cannot read the auth secret file '" + path + "'");
  std::string secret{std::istreambuf_iterator<char>{in},
                     std::istreambuf_iterator<char>{}};
  if (in.bad())
    return make_error(ec::invalid_argument,
                      "cannot read the auth secret file '" + path + "'");
  if (!secret.empty() && secret.back() == '\n')
    secret.pop_back();
  if (!secret.empty() && secret.back() == '\r')
    secret.pop_back();
  if (secret.size() < min_secret_size)
    return make_error(ec::invalid_argument,
                      "the auth secret in '" + path + "' has "
                        + std::to_string(secret.size())
                        + " bytes; at least "
                        + std::to_string(min_secret_size) + " are needed");
  return secret;
}

caf::expected<std::string> issue_token(const std::string& secret,
                                       const token_claims& claims) {
  if (secret.size() < min_secret_size)
    return make_error(ec::invalid_argument,
                      "a token secret needs at least "
                        + std::to_string(min_secret_size) + " bytes");
  if (claims.subject.empty() || !detail::valid_utf8(claims.subject))
    return make_error(ec::invalid_argument,
                      "a token needs a subject in UTF-8");
  if (claims.channels.empty())
    return make_error(ec::invalid_argument,
                      "a token for '" + claims.subject
                        + "' needs at least one channel (or \"*\")");
  for (auto& ch : claims.channels)
    if (ch.empty() || !detail::valid_utf8(ch))
      return make_error(ec::invalid_argument,
                        "a token for '" + claims.subject
                          + "' names an empty or non-UTF-8 channel id");
  if (checked_role(claims.granted) == role::none)
    return make_error(ec::invalid_argument,
                      "a token for '" + claims.subject
                        + "' must grant read, write or admin");
  json header = {{"alg", "HS256"}, {"typ", "JWT"}};
  json payload = {{"sub", claims.subject},
                  {"channels", claims.channels},
                  {"role", to_string(claims.granted)},
                  {"exp", claims.expires_at},
                  {"iat", claims.issued_at}};
  auto signing_input = b64url_encode(header.dump()) + "."
                       + b64url_encode(payload.dump());
  auto token = signing_input + "." + b64url_encode(hmac_sha256(secret,
                                                               signing_input));
  if (token.size() > max_token_size)
    return make_error(ec::invalid_argument,
                      "a token for '" + claims.subject + "' would have "
                        + std::to_string(token.size())
                        + " bytes; at most "
                        + std::to_string(max_token_size) + " are accepted");
  return token;
}

caf::expected<token_claims> verify_token(const std::string& secret,
                                         const std::string& token,
                                         int64_t now) {
  if (secret.empty())
    return refuse("this node has no token secret");
  if (token.empty())
    return refuse("empty token");
  if (token.size() > max_token_size)
    return refuse("token of " + std::to_string(token.size())
                  + " bytes (at most " + std::to_string(max_token_size)
                  + ")");
  auto dot1 = token.find('.');
  auto dot2 = dot1 == std::string::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string::npos || token.find('.', dot2 + 1)
                                     != std::string::npos)
    return refuse("malformed token (a JWT has three parts separated by "
                  "dots)");
  std::string header_text, payload_text, signature;
  if (!b64url_decode(token.substr(0, dot1), header_text)
      || !b64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1), payload_text)
      || !b64url_decode(token.substr(dot2 + 1), signature))
    return refuse("malformed token (not base64url)");
  // The signature first: nothing unauthenticated reaches the JSON parser.
  auto expected_sig = hmac_sha256(secret, token.substr(0, dot2));
  if (signature.size() != expected_sig.size()
      || CRYPTO_memcmp(signature.data(), expected_sig.data(),
                       expected_sig.size())
           != 0)
  {
    if (auto alg = foreign_alg(header_text))
      return unsupported_alg(*alg);
    return refuse("token signature does not match (forged, or signed with "
                  "another secret)");
  }
  auto header = json::parse(header_text, nullptr, false);
  if (!header.is_object() || !header.contains("alg")
      || !header["alg"].is_string())
    return refuse("token header must say \"alg\": \"HS256\"");
  if (header["alg"] != "HS256")
    return unsupported_alg(printable_alg(header["alg"].get<std::string>()));
  auto payload = json::parse(payload_text, nullptr, false);
  if (payload.is_discarded())
    return refuse("token payload is not valid JSON");
  if (!payload.is_object())
    return refuse("token payload is not a JSON object");
  token_claims result;
  auto sub = payload.find("sub");
  if (sub == payload.end() || !sub->is_string() || sub->empty())
    return refuse("token has no subject (\"sub\")");
  result.subject = sub->get<std::string>();
  // NumericDates (RFC 7519): integers or not; a fractional one counts in
  // whole seconds, rounded towards the stricter reading.
  auto date = [&](const char* name, round_to rounding,
                  int64_t& out) -> caf::error {
    std::string why;
    auto value = numeric_date(payload.at(name), rounding, why);
    if (!value)
      return refuse("token for '" + result.subject + "' has an invalid \""
                    + name + "\": " + why);
    out = *value;
    return caf::none;
  };
  if (!payload.contains("exp"))
    return refuse("token for '" + result.subject
                  + "' has no expiry (\"exp\")");
  // An expiry of 100.5 s ends the token at 100 s.
  if (auto err = date("exp", round_to::down, result.expires_at))
    return err;
  if (payload.contains("iat"))
    if (auto err = date("iat", round_to::down, result.issued_at))
      return err;
  if (payload.contains("nbf")) {
    // A start of 100.5 s lets the token in from 101 s.
    int64_t not_before = 0;
    if (auto err = date("nbf", round_to::up, not_before))
      return err;
    if (not_before > now)
      return refuse("token for '" + result.subject + "' is not valid before "
                    + describe_time(not_before));
  }
  auto r = payload.find("role");
  std::optional<role> granted;
  if (r != payload.end() && r->is_string())
    granted = parse_role(r->get<std::string>());
  if (!granted)
    return refuse("token for '" + result.subject
                  + "' has no valid role (\"read\", \"write\" or "
                    "\"admin\")");
  result.granted = *granted;
  auto chs = payload.find("channels");
  if (chs == payload.end() || !chs->is_array() || chs->empty())
    return refuse("token for '" + result.subject
                  + "' names no channels (\"channels\")");
  for (auto& ch : *chs) {
    if (!ch.is_string() || ch.empty())
      return refuse("token for '" + result.subject
                    + "' has a channel that is not a non-empty string");
    result.channels.push_back(ch.get<std::string>());
  }
  if (result.expires_at <= now)
    return refuse("token for '" + result.subject + "' expired at "
                  + describe_time(result.expires_at));
  return result;
}

caf::expected<token_label> peek_token(const std::string& token) {
  if (token.empty() || token.size() > max_token_size)
    return refuse("token of " + std::to_string(token.size())
                  + " bytes (1 to " + std::to_string(max_token_size) + ")");
  auto dot1 = token.find('.');
  auto dot2 = dot1 == std::string::npos ? dot1 : token.find('.', dot1 + 1);
  std::string payload_text;
  if (dot2 == std::string::npos
      || !b64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1),
                        payload_text))
    return refuse("malformed token (no base64url payload between two dots)");
  auto payload = json::parse(payload_text, nullptr, false);
  if (!payload.is_object())
    return refuse("token payload is not a JSON object");
  auto sub = payload.find("sub");
  auto exp = payload.find("exp");
  if (sub == payload.end() || !sub->is_string() || sub->empty()
      || exp == payload.end() || !exp->is_number())
    return refuse("token names no subject (\"sub\") or no expiry "
                  "(\"exp\")");
  token_label result;
  result.subject = sub->get<std::string>();
  // A fractional or huge `exp` only needs to order against now here.
  auto e = exp->get<double>();
  if (e != e)
    return refuse("token for '" + result.subject + "' has no valid expiry");
  result.expires_at
    = e >= 9.0e18 ? std::numeric_limits<int64_t>::max()
                  : (e <= -9.0e18 ? std::numeric_limits<int64_t>::min()
                                  : static_cast<int64_t>(e));
  return result;
}

} // namespace sssn
