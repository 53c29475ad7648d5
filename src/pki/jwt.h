#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"
#include "pki/openssl_util.h"

// JSON Web Tokens (RFC 7519) in the compact JWS serialization (RFC 7515), signed with RS256 and
// nothing else. This layer knows the token's shape and its signature; what the claims mean is
// the caller's business (see service_account_token.h). Safe to call from several threads.
namespace tug::pki {

// Longer tokens are refused before any decoding, so a client cannot make the server parse
// megabytes of JSON; real service-account tokens are about 1 KiB.
inline constexpr size_t kMaxJwtBytes = 16 * 1024;

// A token split into its parts and decoded, NOT yet verified: nothing in it may be trusted
// until verifyJwtSignature accepted it.
struct ParsedJwt {
  nlohmann::json header;     // a JSON object whose "alg" is "RS256"
  nlohmann::json claims;     // a JSON object
  std::string signingInput;  // "<header>.<payload>" exactly as received: what the signature covers
  std::string signature;     // raw signature bytes
  std::string keyId;         // the header's "kid", empty when absent
};

// "<header>.<claims>.<signature>" with header {"alg":"RS256","kid":keyId} (no "kid" when keyId is
// empty), as kube-apiserver writes it. `claims` must be a JSON object; `key` an RSA private key.
Result<std::string> signJwt(const nlohmann::json& claims, const EVP_PKEY* key,
                            std::string_view keyId);

// Strict parsing; Invalid, naming the fault, unless the token
//  - is at most kMaxJwtBytes and has exactly three non-empty dot-separated parts,
//  - each in unpadded, canonical base64url,
//  - with a header that is a JSON object with "alg" "RS256" ("none", HS256 and every other
//    algorithm are refused), "typ" absent or "JWT", "kid" absent or a string, and no "crit"
//    (no extension is understood, so RFC 7515 §4.1.11 says to refuse any),
//  - and a payload that is a JSON object.
Result<ParsedJwt> parseJwt(std::string_view token);

// OK when `token`'s signature is a valid RS256 signature of its signing input by `key` (an RSA
// public or private key); Unauthorized otherwise.
Status verifyJwtSignature(const ParsedJwt& token, const EVP_PKEY* key);

}  // namespace tug::pki
