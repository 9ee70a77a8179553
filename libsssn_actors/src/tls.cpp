// SPDX-FileCopyrightText: 2026 The sssn-actors developers
// SPDX-License-Identifier: BSD-3-Clause

#include "sssn/tls.hpp"

#include <algorithm>
#include <memory>
#include <string>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "sssn/error.hpp"

namespace sssn {

// -- free functions ---------------------------------------------------------------

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]"
         || host.compare(0, 4, "127.") == 0;
}

bool tls_configured(const caf::actor_system& sys) {
  return tls_configured(sys.config());
}

bool tls_configured(const caf::actor_system_config& cfg) {
  return !cfg.openssl_certificate.empty() || !cfg.openssl_key.empty()
         || !cfg.openssl_passphrase.empty() || !cfg.openssl_cafile.empty()
         || !cfg.openssl_capath.empty();
}

namespace {

std::string openssl_errors() {
  std::string result;
  while (auto code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof(buf));
    if (!result.empty())
      result += "; ";
    result += buf;
  }
  return result.empty() ? std::string{"unknown OpenSSL error"} : result;
}

int passphrase_cb(char* buf, int size, int, void* ptr) {
  auto& pass = *static_cast<const std::string*>(ptr);
  if (pass.size() >= static_cast<size_t>(size))
    return 0;
  std::copy(pass.begin(), pass.end(), buf);
  return static_cast<int>(pass.size());
}

caf::error tls_error(std::string what) {
  return make_error(ec::invalid_argument, "TLS settings: " + std::move(what));
}

} // namespace

caf::error check_tls(const caf::actor_system& sys) {
  return check_tls(sys.config());
}

caf::error check_tls(const caf::actor_system_config& cfg) {
  if (!tls_configured(cfg))
    return {};
  if (cfg.openssl_certificate.empty())
    return tls_error("openssl.certificate is required when any openssl "
                     "option is set");
  if (cfg.openssl_key.empty())
    return tls_error("openssl.key is required when any openssl option is "
                     "set");
  if (cfg.openssl_cafile.empty() && cfg.openssl_capath.empty())
    return tls_error("openssl.cafile (or openssl.capath) is required to "
                     "authenticate peers");
  ERR_clear_error();
  std::unique_ptr<SSL_CTX, decltype(&SSL_CTX_free)> ctx{SSL_CTX_new(
                                                          TLS_method()),
                                                        SSL_CTX_free};
  if (!ctx)
    return tls_error("cannot create an OpenSSL context: " + openssl_errors());
  auto pass = cfg.openssl_passphrase;
  SSL_CTX_set_default_passwd_cb(ctx.get(), passphrase_cb);
  SSL_CTX_set_default_passwd_cb_userdata(ctx.get(), &pass);
  if (SSL_CTX_use_certificate_chain_file(ctx.get(),
                                         cfg.openssl_certificate.c_str())
      != 1)
    return tls_error("cannot load certificate '" + cfg.openssl_certificate
                     + "': " + openssl_errors());
  if (SSL_CTX_use_PrivateKey_file(ctx.get(), cfg.openssl_key.c_str(),
                                  SSL_FILETYPE_PEM)
      != 1) {
    // OpenSSL checks the key against the certificate while loading it.
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      ERR_clear_error();
      return tls_error("private key '" + cfg.openssl_key
                       + "' does not match certificate '"
                       + cfg.openssl_certificate + "'");
    }
    return tls_error("cannot load private key '" + cfg.openssl_key
                     + "' (wrong passphrase?): " + openssl_errors());
  }
  if (SSL_CTX_check_private_key(ctx.get()) != 1)
    return tls_error("private key '" + cfg.openssl_key
                     + "' does not match certificate '"
                     + cfg.openssl_certificate + "'");
  auto cafile = cfg.openssl_cafile.empty() ? nullptr
                                           : cfg.openssl_cafile.c_str();
  auto capath = cfg.openssl_capath.empty() ? nullptr
                                           : cfg.openssl_capath.c_str();
  if (SSL_CTX_load_verify_locations(ctx.get(), cafile, capath) != 1)
    return tls_error("cannot load CA certificates from '"
                     + (cafile ? cfg.openssl_cafile : cfg.openssl_capath)
                     + "': " + openssl_errors());
  return {};
}

} // namespace sssn
