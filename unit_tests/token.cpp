// Access tokens: HS256 JSON Web Tokens, issued and checked by sssn/token.hpp.

#include "fixture.hpp"

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

BOOST_AUTO_TEST_SUITE_END()
