#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "common/status.h"
#include "pki/openssl_util.h"

// RSA public keys as JSON Web Keys (RFC 7517), and the key id that names them in token headers.
namespace tug::pki {

// True for an RSA key (public or private); RS256 signs and verifies only with those.
bool isRsaKey(const EVP_PKEY* key);

// The key id kube-apiserver gives a signing key: base64url (unpadded) of the SHA-256 of the
// DER SubjectPublicKeyInfo. Derived, not random, so every server holding the same key names it
// the same way, and it reveals nothing that would let anyone rebuild the key.
Result<std::string> keyId(const EVP_PKEY* key);

// {"use":"sig","kty":"RSA","kid":...,"alg":"RS256","n":...,"e":...}: the public half of `key`
// in the field order kube-apiserver writes, n and e big-endian and base64url unpadded.
// Invalid for a key that is not RSA.
Result<nlohmann::ordered_json> rsaPublicJwk(const EVP_PKEY* key);

// The RSA public key a JWK describes (kty "RSA" with n and e; other members are not checked).
// Invalid when it is not one.
Result<KeyPtr> rsaPublicKeyFromJwk(const nlohmann::json& jwk);

}  // namespace tug::pki
