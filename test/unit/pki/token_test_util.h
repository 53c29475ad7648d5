#pragma once

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "pki/base64url.h"
#include "pki/key.h"
#include "pki/openssl_util.h"

// Keys and token surgery shared by the JWT and service-account token tests. RSA keys take a
// while to generate, so each test binary makes two and shares them.
namespace tug::pki::testing {

inline const EVP_PKEY* rsaKey(int which) {
  static KeyPtr keys[2] = {std::move(generateRsaKey().value()),
                           std::move(generateRsaKey().value())};
  return keys[which].get();
}

// The key the tests sign with, and an unrelated one.
inline const EVP_PKEY* signingKey() { return rsaKey(0); }
inline const EVP_PKEY* otherKey() { return rsaKey(1); }

// A new owning handle on the same key.
inline KeyPtr share(const EVP_PKEY* key) {
  EVP_PKEY_up_ref(const_cast<EVP_PKEY*>(key));
  return KeyPtr(const_cast<EVP_PKEY*>(key));
}

// The three dot-separated parts of a compact token.
struct TokenParts {
  std::string header, payload, signature;
  std::string join() const { return header + "." + payload + "." + signature; }
};

inline TokenParts split(const std::string& token) {
  size_t a = token.find('.');
  size_t b = token.find('.', a + 1);
  REQUIRE(a != std::string::npos);
  REQUIRE(b != std::string::npos);
  return {token.substr(0, a), token.substr(a + 1, b - a - 1), token.substr(b + 1)};
}

inline nlohmann::json decodePart(const std::string& part) {
  auto bytes = base64UrlDecode(part);
  REQUIRE(bytes.has_value());
  return nlohmann::json::parse(*bytes);
}

inline std::string encodePart(const nlohmann::json& j) { return base64UrlEncode(j.dump()); }

}  // namespace tug::pki::testing
