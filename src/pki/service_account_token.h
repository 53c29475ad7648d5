#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pki/openssl_util.h"

// Issuing service-account tokens: RS256 JWTs with the claims kube-apiserver puts in the tokens
// of the TokenRequest API (bound tokens), and, for Secrets of type
// kubernetes.io/service-account-token, the legacy claim format. Checking them is in
// service_account_validator.h; docs/design/serviceaccount-tokens.md has the whole picture.
namespace tug::pki {

using TokenClock = std::chrono::system_clock;
using TokenTime = TokenClock::time_point;

// kube-apiserver's usual --service-account-issuer, and what k3s uses.
inline constexpr std::string_view kDefaultServiceAccountIssuer =
    "https://kubernetes.default.svc.cluster.local";
// The "iss" of legacy (Secret-based) tokens, fixed by upstream.
inline constexpr std::string_view kLegacyServiceAccountIssuer = "kubernetes/serviceaccount";

// "system:serviceaccount:<namespace>:<name>": the user name, and the "sub" claim.
std::string serviceAccountUserName(std::string_view namespaceName, std::string_view name);

// A reference to an API object as the token records it: the UID pins one incarnation, so a
// token dies with its object even if another of the same name is created later.
struct ObjectRef {
  std::string name;
  std::string uid;
};

// What a TokenRequest asks for, after the API server has looked up the objects. At most one of
// pod, secret, node-without-pod binds the token (as upstream: a token is bound to a Pod, a Secret
// or a Node); node alongside pod is the pod's node, recorded for the reader's benefit.
struct ServiceAccountTokenClaims {
  std::string namespaceName;
  ObjectRef serviceAccount;            // name and uid required
  std::vector<std::string> audiences;  // empty: the signer's issuer
  std::chrono::seconds expiration{3600};
  std::optional<ObjectRef> pod;     // name and uid required
  std::optional<ObjectRef> secret;  // name and uid required
  std::optional<ObjectRef> node;    // name required; uid when the Node object was found
  // Upstream's "warnafter": kubelet tokens whose lifetime the server extended carry the time
  // after which using them is reported as stale. Written when set; not checked when validating.
  std::optional<std::chrono::seconds> warnAfter;
};

struct IssuedToken {
  std::string token;
  TokenTime expiry;     // "exp", for TokenRequest's status.expirationTimestamp
  std::string tokenId;  // "jti", a random UUID: audit logs name the token by it
};

// Signs tokens with the service-account private key (PkiFiles::serviceKey). Immutable once
// made, so one signer may serve several threads.
class ServiceAccountTokenSigner {
 public:
  // `privateKey` must be an RSA private key. `issuer` goes into every bound token's "iss".
  static Result<ServiceAccountTokenSigner> create(
      KeyPtr privateKey, std::string issuer = std::string(kDefaultServiceAccountIssuer));

  const std::string& issuer() const { return issuer_; }
  const std::string& keyId() const { return keyId_; }

  // A bound token valid from `now` for claims.expiration:
  //   {"aud":[...],"exp":N,"iat":N,"iss":issuer,"jti":uuid,
  //    "kubernetes.io":{"namespace":ns,"node":{...},"pod":{...},"secret":{...},
  //                     "serviceaccount":{"name":...,"uid":...},"warnafter":N},
  //    "nbf":N,"sub":"system:serviceaccount:<ns>:<name>"}
  // with header {"alg":"RS256","kid":keyId()}. Invalid when a required field is empty, the
  // expiration is not positive, or the bindings conflict.
  Result<IssuedToken> issue(const ServiceAccountTokenClaims& claims, TokenTime now) const;

  // A legacy token for the Secret `secretName`: issuer kLegacyServiceAccountIssuer, no audience
  // and no expiry; it lives as long as the Secret holds it. Upstream still writes these into
  // Secrets of type kubernetes.io/service-account-token created by hand.
  Result<std::string> issueLegacy(std::string_view namespaceName, const ObjectRef& serviceAccount,
                                  std::string_view secretName) const;

 private:
  ServiceAccountTokenSigner(KeyPtr key, std::string issuer, std::string keyId)
      : key_(std::move(key)), issuer_(std::move(issuer)), keyId_(std::move(keyId)) {}

  KeyPtr key_;
  std::string issuer_;
  std::string keyId_;
};

}  // namespace tug::pki
