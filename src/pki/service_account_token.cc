#include "pki/service_account_token.h"

#include <openssl/rand.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "pki/jwk.h"
#include "pki/jwt.h"
#include "pki/service_account_claim_names.h"

namespace tug::pki {
namespace {

int64_t unixSeconds(TokenTime t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

// A version 4 (random) UUID, the "jti" upstream writes.
Result<std::string> randomUuid() {
  std::array<unsigned char, 16> b{};
  if (RAND_bytes(b.data(), static_cast<int>(b.size())) != 1) {
    return opensslError("generating a token id");
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);  // version 4
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);  // RFC 4122 variant
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return std::string(out, 36);
}

// Upstream omits empty members ("omitempty"); a node whose object was not found has no uid.
nlohmann::json refJson(const ObjectRef& ref) {
  nlohmann::json j = nlohmann::json::object();
  if (!ref.name.empty()) {
    j[claim::kName] = ref.name;
  }
  if (!ref.uid.empty()) {
    j[claim::kUid] = ref.uid;
  }
  return j;
}

Status checkRef(const std::optional<ObjectRef>& ref, std::string_view what, bool uidRequired) {
  if (ref && (ref->name.empty() || (uidRequired && ref->uid.empty()))) {
    return invalid("token binding to a " + std::string(what) + " needs its name" +
                   (uidRequired ? " and uid" : ""));
  }
  return Status::ok();
}

Status checkClaims(const ServiceAccountTokenClaims& c) {
  if (c.namespaceName.empty() || c.serviceAccount.name.empty() || c.serviceAccount.uid.empty()) {
    return invalid(
        "a service-account token needs the namespace and the service account's name "
        "and uid");
  }
  if (c.expiration.count() <= 0) {
    return invalid("a service-account token needs a positive expiration");
  }
  if (c.secret && (c.pod || c.node)) {
    return invalid("a service-account token is bound to a pod, a secret or a node, not several");
  }
  for (const auto& aud : c.audiences) {
    if (aud.empty()) {
      return invalid("a token audience must not be empty");
    }
  }
  if (Status s = checkRef(c.pod, "pod", true); !s.isOk()) {
    return s;
  }
  if (Status s = checkRef(c.secret, "secret", true); !s.isOk()) {
    return s;
  }
  return checkRef(c.node, "node", false);
}

}  // namespace

std::string serviceAccountUserName(std::string_view namespaceName, std::string_view name) {
  return "system:serviceaccount:" + std::string(namespaceName) + ":" + std::string(name);
}

Result<ServiceAccountTokenSigner> ServiceAccountTokenSigner::create(KeyPtr privateKey,
                                                                    std::string issuer) {
  if (!isRsaKey(privateKey.get())) {
    return invalid("the service-account signing key must be an RSA key");
  }
  if (issuer.empty()) {
    return invalid("the service-account token issuer must not be empty");
  }
  auto kid = pki::keyId(privateKey.get());  // the member keyId() hides it
  if (!kid.ok()) {
    return kid.status();
  }
  return ServiceAccountTokenSigner(std::move(privateKey), std::move(issuer), std::move(*kid));
}

Result<IssuedToken> ServiceAccountTokenSigner::issue(const ServiceAccountTokenClaims& c,
                                                     TokenTime now) const {
  if (Status s = checkClaims(c); !s.isOk()) {
    return s;
  }
  auto jti = randomUuid();
  if (!jti.ok()) {
    return jti.status();
  }
  // Whole seconds, as upstream: NumericDate has no fractions, and exp must match what the
  // TokenRequest status reports.
  TokenTime issuedAt = TokenTime(std::chrono::seconds(unixSeconds(now)));
  TokenTime expiry = issuedAt + c.expiration;

  nlohmann::json k8s = {
      {claim::kNamespace, c.namespaceName},
      {claim::kServiceAccount, refJson(c.serviceAccount)},
  };
  if (c.pod) {
    k8s[claim::kPod] = refJson(*c.pod);
  }
  if (c.secret) {
    k8s[claim::kSecret] = refJson(*c.secret);
  }
  if (c.node) {
    k8s[claim::kNode] = refJson(*c.node);
  }
  if (c.warnAfter) {
    k8s[claim::kWarnAfter] = unixSeconds(issuedAt + *c.warnAfter);
  }
  nlohmann::json claims = {
      {"iss", issuer_},
      {"sub", serviceAccountUserName(c.namespaceName, c.serviceAccount.name)},
      {"aud", c.audiences.empty() ? std::vector<std::string>{issuer_} : c.audiences},
      {"iat", unixSeconds(issuedAt)},
      {"nbf", unixSeconds(issuedAt)},
      {"exp", unixSeconds(expiry)},
      {"jti", *jti},
      {claim::kKubernetes, std::move(k8s)},
  };
  auto token = signJwt(claims, key_.get(), keyId_);
  if (!token.ok()) {
    return token.status();
  }
  return IssuedToken{std::move(*token), expiry, std::move(*jti)};
}

Result<std::string> ServiceAccountTokenSigner::issueLegacy(std::string_view namespaceName,
                                                           const ObjectRef& serviceAccount,
                                                           std::string_view secretName) const {
  if (namespaceName.empty() || serviceAccount.name.empty() || serviceAccount.uid.empty() ||
      secretName.empty()) {
    return invalid(
        "a legacy service-account token needs the namespace, the service account's "
        "name and uid, and the secret's name");
  }
  nlohmann::json claims = {
      {"iss", std::string(kLegacyServiceAccountIssuer)},
      {"sub", serviceAccountUserName(namespaceName, serviceAccount.name)},
      {claim::kLegacyNamespace, std::string(namespaceName)},
      {claim::kLegacySecretName, std::string(secretName)},
      {claim::kLegacyServiceAccountName, serviceAccount.name},
      {claim::kLegacyServiceAccountUid, serviceAccount.uid},
  };
  return signJwt(claims, key_.get(), keyId_);
}

}  // namespace tug::pki
