#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pki/openssl_util.h"

// The two OpenID Connect discovery documents kube-apiserver serves for its service-account
// token issuer, so that other parties (cloud IAM, Vault, another cluster) can verify the tokens
// without credentials. Both are rendered once, from the issuer and the keys, and served as is.
namespace tug::pki {

inline constexpr std::string_view kOpenIdConfigurationPath = "/.well-known/openid-configuration";
inline constexpr std::string_view kJwksPath = "/openid/v1/jwks";
// How upstream serves them: the configuration as application/json, the key set as
// application/jwk-set+json (RFC 7517 §8.5.1), both with "Cache-Control: public, max-age=3600".
inline constexpr std::string_view kJwksContentType = "application/jwk-set+json";
inline constexpr std::string_view kDiscoveryCacheControl = "public, max-age=3600";

// {"issuer":...,"jwks_uri":...,"response_types_supported":["id_token"],
//  "subject_types_supported":["public"],"id_token_signing_alg_values_supported":["RS256"]}
// `jwksUri` empty means "<issuer>/openid/v1/jwks". Invalid, as upstream refuses to serve
// discovery then, when the issuer is not an https URL or has a query or fragment, or when the
// JWKS URI is not https.
Result<std::string> openIdConfigurationJson(std::string_view issuer, std::string_view jwksUri = {});

// {"keys":[{"use":"sig","kty":"RSA","kid":...,"alg":"RS256","n":...,"e":...}, ...]}: the public
// halves of `keys` (RSA, public or private), in order. Invalid when there is none or one is not
// RSA.
Result<std::string> jwksJson(const std::vector<const EVP_PKEY*>& keys);

}  // namespace tug::pki
