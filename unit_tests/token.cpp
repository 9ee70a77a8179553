// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

// Access tokens: HS256 JSON Web Tokens, issued and checked by sssn/token.hpp,
// and tokens made by other tools (signed here with OpenSSL's HMAC).

#include "fixture.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <cstdio>
#include <fstream>

using namespace sssn;

namespace {

const std::string secret = "0123456789abcdef0123456789abcdef-test-secret";

token_claims claims_for(std::string subject, int64_t ttl = 3600) {
  token_claims c;
  c.subject = std::move(subject);
  c.channels = {"requests"};
  c.granted = role::write;
  c.issued_at = unix_now();
  c.expires_at = c.issued_at + ttl;
  return c;
}

std::string message_of(const caf::expected<token_claims>& x) {
  return x ? std::string{} : error_message(x.error());
}

/// Splits a token into its three dot-separated parts.
std::vector<std::string> parts(const std::string& token) {
  std::vector<std::string> result(1);
  for (auto c : token)
    if (c == '.')
      result.emplace_back();
    else
      result.back() += c;
  return result;
}

std::string b64url(const std::string& in) {
  static const char* chars
    = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (unsigned char c : in) {
    acc = (acc << 8) | c;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += chars[(acc >> bits) & 63];
    }
  }
  if (bits > 0)
    out += chars[(acc << (6 - bits)) & 63];
  return out;
}

/// Signs `header` and `payload` (JSON texts) as another tool (PyJWT, jose,
/// ...) would: base64url of each, and the HMAC with `md` of both.
std::string make_token(const std::string& header, const std::string& payload,
                       const EVP_MD* md = EVP_sha256(),
                       const std::string& key = secret) {
  auto input = b64url(header) + "." + b64url(payload);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac;
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(),
       mac.data(), &len);
  return input + "."
         + b64url(std::string(reinterpret_cast<const char*>(mac.data()), len));
}

const std::string hs256 = R"({"alg":"HS256","typ":"JWT"})";

/// A payload with every claim we need and `dates` (e.g. `"exp":1.5`).
std::string payload_with(const std::string& dates) {
  return R"({"sub":"alice","channels":["requests"],"role":"write",)" + dates
         + "}";
}

std::string write_file(const std::string& name, const std::string& text) {
  auto path = "/tmp/sssn-token-test-" + std::to_string(::getpid()) + "-"
              + name;
  std::ofstream out{path, std::ios::binary};
  out << text;
  return path;
}

} // namespace

BOOST_AUTO_TEST_SUITE(token_tests)

BOOST_AUTO_TEST_CASE(an_issued_token_verifies_with_its_claims) {
  auto c = claims_for("alice");
  c.channels = {"requests", "replies"};
  c.granted = role::admin;
  auto token = issue_token(secret, c);
  BOOST_REQUIRE(token);
  BOOST_TEST(parts(*token).size() == 3u);
  auto back = verify_token(secret, *token, unix_now());
  BOOST_REQUIRE_MESSAGE(back, message_of(back));
  BOOST_TEST(back->subject == "alice");
  BOOST_TEST(back->channels == c.channels);
  BOOST_TEST((back->granted == role::admin));
  BOOST_TEST(back->expires_at == c.expires_at);
  BOOST_TEST(back->issued_at == c.issued_at);
  BOOST_TEST(back->covers("replies"));
  BOOST_TEST(!back->covers("other"));
}

BOOST_AUTO_TEST_CASE(a_wildcard_token_covers_every_channel) {
  auto c = claims_for("alice");
  c.channels = {"*"};
  auto back = verify_token(secret, *issue_token(secret, c), unix_now());
  BOOST_REQUIRE(back);
  BOOST_TEST(back->covers("anything"));
}

BOOST_AUTO_TEST_CASE(a_token_signed_with_another_secret_is_forged) {
  auto token = issue_token(secret + "-other", claims_for("alice"));
  BOOST_REQUIRE(token);
  auto back = verify_token(secret, *token, unix_now());
  BOOST_REQUIRE(!back);
  BOOST_TEST(is(back.error(), ec::not_authorized));
  BOOST_TEST(message_of(back).find("signature") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_changed_payload_breaks_the_signature) {
  auto token = *issue_token(secret, claims_for("alice"));
  auto p = parts(token);
  // Same header and signature, payload claiming another subject and role.
  auto forged_payload = b64url(R"({"sub":"admin","channels":["*"],)"
                               R"("role":"admin","exp":9999999999})");
  auto forged = p[0] + "." + forged_payload + "." + p[2];
  auto back = verify_token(secret, forged, unix_now());
  BOOST_REQUIRE(!back);
  BOOST_TEST(message_of(back).find("signature") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(alg_none_and_unsigned_tokens_are_refused) {
  auto payload = b64url(R"({"sub":"alice","channels":["*"],)"
                        R"("role":"admin","exp":9999999999})");
  auto none = b64url(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".";
  auto back = verify_token(secret, none, unix_now());
  BOOST_REQUIRE(!back);
  BOOST_TEST(is(back.error(), ec::not_authorized));
}

BOOST_AUTO_TEST_CASE(an_expired_token_is_refused_with_its_expiry) {
  auto c = claims_for("alice");
  c.expires_at = 1'000'000'000; // 2001-09-09T01:46:40Z
  auto back = verify_token(secret, *issue_token(secret, c), unix_now());
  BOOST_REQUIRE(!back);
  BOOST_TEST(message_of(back).find("expired at 2001-09-09T01:46:40Z")
             != std::string::npos);
  // The same token was good before it expired.
  BOOST_TEST(static_cast<bool>(
    verify_token(secret, *issue_token(secret, c), 999'999'999)));
}

BOOST_AUTO_TEST_CASE(malformed_tokens_get_clear_errors) {
  auto token = *issue_token(secret, claims_for("alice"));
  auto p = parts(token);
  struct bad {
    std::string token;
    std::string says;
  };
  std::vector<bad> cases{
    {"", "empty token"},
    {"abc", "three parts"},
    {"a.b", "three parts"},
    {token + ".x", "three parts"},
    {p[0] + ".*." + p[2], "base64url"},
    {p[0] + "." + p[1] + "=" + "." + p[2], "base64url"},
    {std::string(max_token_size + 1, 'a'), "bytes"},
  };
  for (auto& x : cases) {
    auto back = verify_token(secret, x.token, unix_now());
    BOOST_REQUIRE(!back);
    BOOST_TEST(is(back.error(), ec::not_authorized));
    BOOST_TEST(message_of(back).find(x.says) != std::string::npos,
               "'" << message_of(back) << "' should mention '" << x.says
                   << "'");
  }
}

BOOST_AUTO_TEST_CASE(issuing_checks_its_inputs) {
  BOOST_TEST(!issue_token("short", claims_for("alice")));
  BOOST_TEST(!issue_token(secret, claims_for("")));
  auto c = claims_for("alice");
  c.channels.clear();
  BOOST_TEST(!issue_token(secret, c));
  c = claims_for("alice");
  c.granted = role::none;
  BOOST_TEST(!issue_token(secret, c));
  c = claims_for("alice");
  c.channels = {""};
  BOOST_TEST(!issue_token(secret, c));
}

BOOST_AUTO_TEST_CASE(secrets_load_from_files) {
  auto good = write_file("good", secret + "\n");
  auto loaded = load_secret(good);
  BOOST_REQUIRE(loaded);
  BOOST_TEST(*loaded == secret); // without the trailing newline
  auto short_one = write_file("short", "tiny\n");
  auto refused = load_secret(short_one);
  BOOST_REQUIRE(!refused);
  BOOST_TEST(error_message(refused.error()).find("at least 32")
             != std::string::npos);
  auto missing = load_secret("/nonexistent/secret");
  BOOST_REQUIRE(!missing);
  BOOST_TEST(error_message(missing.error()).find("/nonexistent/secret")
             != std::string::npos);
  std::remove(good.c_str());
  std::remove(short_one.c_str());
}

// -- tokens from other tools (PyJWT and the like) ------------------------------

BOOST_AUTO_TEST_CASE(a_token_made_by_another_tool_verifies) {
  // What PyJWT's jwt.encode(..., algorithm="HS256") makes: compact JSON.
  auto token = make_token(hs256, payload_with(R"("exp":4102444800,"iat":1)"));
  auto back = verify_token(secret, token, unix_now());
  BOOST_REQUIRE_MESSAGE(back, message_of(back));
  BOOST_TEST(back->subject == "alice");
  BOOST_TEST(back->expires_at == 4102444800);
  BOOST_TEST(back->issued_at == 1);
}

BOOST_AUTO_TEST_CASE(fractional_numeric_dates_are_accepted) {
  // RFC 7519: a NumericDate "can represent non-integer values"; PyJWT
  // writes time.time() + ttl as it is.
  auto token = make_token(
    hs256, payload_with(R"("exp":4102444800.75,"iat":1700000000.5,)"
                        R"("nbf":1700000000.25)"));
  auto back = verify_token(secret, token, unix_now());
  BOOST_REQUIRE_MESSAGE(back, message_of(back));
  BOOST_TEST(back->expires_at == 4102444800); // rounded down
  BOOST_TEST(back->issued_at == 1700000000);
}

BOOST_AUTO_TEST_CASE(a_fractional_expiry_counts_as_the_second_before) {
  auto token = make_token(hs256, payload_with(R"("exp":1000000000.5)"));
  // Before: good.
  auto back = verify_token(secret, token, 999'999'999);
  BOOST_REQUIRE_MESSAGE(back, message_of(back));
  BOOST_TEST(back->expires_at == 1'000'000'000);
  // In the second it expires in: refused (never late, at most 1 s early).
  back = verify_token(secret, token, 1'000'000'000);
  BOOST_REQUIRE(!back);
  BOOST_TEST(message_of(back).find("expired at 2001-09-09T01:46:40Z")
               != std::string::npos,
             message_of(back));
}

BOOST_AUTO_TEST_CASE(a_fractional_not_before_counts_as_the_second_after) {
  auto token = make_token(
    hs256, payload_with(R"("exp":4102444800,"nbf":1000000000.5)"));
  auto back = verify_token(secret, token, 1'000'000'000);
  BOOST_REQUIRE(!back);
  BOOST_TEST(is(back.error(), ec::not_authorized));
  BOOST_TEST(message_of(back).find("not valid before 2001-09-09T01:46:41Z")
               != std::string::npos,
             message_of(back));
  back = verify_token(secret, token, 1'000'000'001);
  BOOST_TEST(static_cast<bool>(back), message_of(back));
}

BOOST_AUTO_TEST_CASE(dates_that_are_not_numeric_dates_are_refused) {
  struct bad {
    std::string dates;
    std::string says;
  };
  std::vector<bad> cases{
    {R"("exp":"4102444800")", R"(invalid "exp": not a number but string)"},
    {R"("exp":true)", R"(invalid "exp": not a number but boolean)"},
    {R"("exp":null)", R"(invalid "exp": not a number but null)"},
    {R"("exp":[4102444800])", R"(invalid "exp": not a number but array)"},
    {R"("exp":{"s":1})", R"(invalid "exp": not a number but object)"},
    // Out of range: negative, beyond 9999-12-31, beyond int64.
    {R"("exp":-1)", R"(invalid "exp": out of range)"},
    {R"("exp":-0.5)", R"(invalid "exp": out of range)"},
    {R"("exp":253402300800)", R"(invalid "exp": out of range)"},
    {R"("exp":1e300)", R"(invalid "exp": out of range)"},
    {R"("exp":18446744073709551615)", R"(invalid "exp": out of range)"},
    {R"("exp":9223372036854775807)", R"(invalid "exp": out of range)"},
    {R"("exp":4102444800,"nbf":"soon")", R"(invalid "nbf": not a number)"},
    {R"("exp":4102444800,"nbf":-5.5)", R"(invalid "nbf": out of range)"},
    {R"("exp":4102444800,"iat":1e20)", R"(invalid "iat": out of range)"},
    {R"("exp":4102444800,"iat":"x")", R"(invalid "iat": not a number)"},
    // NaN and Infinity are no JSON numbers: the payload is no JSON.
    {R"("exp":NaN)", "payload is not valid JSON"},
    {R"("exp":Infinity)", "payload is not valid JSON"},
    {R"("exp":1e400)", "payload is not valid JSON"},
    // And no expiry at all.
    {R"("iat":1)", R"(no expiry ("exp"))"},
  };
  for (auto& x : cases) {
    auto back = verify_token(secret, make_token(hs256, payload_with(x.dates)),
                             unix_now());
    BOOST_REQUIRE_MESSAGE(!back, x.dates << " was accepted");
    BOOST_TEST(is(back.error(), ec::not_authorized));
    BOOST_TEST(message_of(back).find(x.says) != std::string::npos,
               x.dates << ": '" << message_of(back) << "' should say '"
                       << x.says << "'");
  }
}

BOOST_AUTO_TEST_CASE(other_algorithms_are_reported_as_unsupported) {
  auto payload = payload_with(R"("exp":4102444800)");
  struct alg_case {
    std::string header;
    const EVP_MD* md;
    std::string says;
  };
  std::vector<alg_case> cases{
    // Signed correctly with our secret, by another HMAC: not forged.
    {R"({"alg":"HS512","typ":"JWT"})", EVP_sha512(),
     "unsupported algorithm 'HS512' (only HS256)"},
    {R"({"alg":"HS384","typ":"JWT"})", EVP_sha384(),
     "unsupported algorithm 'HS384' (only HS256)"},
    // Signed with HS256 but saying otherwise: refused all the same.
    {R"({"alg":"HS512","typ":"JWT"})", EVP_sha256(),
     "unsupported algorithm 'HS512' (only HS256)"},
    // A public-key algorithm (the "signature" is an HMAC here, which is
    // what an algorithm-confusion attack would send).
    {R"({"alg":"RS256","typ":"JWT"})", EVP_sha256(),
     "unsupported algorithm 'RS256' (only HS256)"},
    // Control characters are not echoed.
    {"{\"alg\":\"X\\u0001\\nY\"}", EVP_sha512(),
     "unsupported algorithm 'X??Y' (only HS256)"},
  };
  for (auto& x : cases) {
    auto back = verify_token(secret, make_token(x.header, payload, x.md),
                             unix_now());
    BOOST_REQUIRE_MESSAGE(!back, x.header << " was accepted");
    BOOST_TEST(is(back.error(), ec::not_authorized));
    BOOST_TEST(message_of(back).find(x.says) != std::string::npos,
               x.header << ": '" << message_of(back) << "' should say '"
                        << x.says << "'");
  }
  // alg none, unsigned.
  auto none = b64url(R"({"alg":"none","typ":"JWT"})") + "." + b64url(payload)
              + ".";
  auto back = verify_token(secret, none, unix_now());
  BOOST_REQUIRE(!back);
  BOOST_TEST(message_of(back).find("unsupported algorithm 'none'")
               != std::string::npos,
             message_of(back));
  // HS512 with another secret is still reported by its algorithm (we cannot
  // tell it from forged without HS512), HS256 with another secret as forged.
  back = verify_token(secret,
                      make_token(hs256, payload, EVP_sha256(), secret + "x"),
                      unix_now());
  BOOST_REQUIRE(!back);
  BOOST_TEST(message_of(back).find("signature does not match")
               != std::string::npos,
             message_of(back));
}

BOOST_AUTO_TEST_SUITE_END()
