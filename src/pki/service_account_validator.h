#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "pki/openssl_util.h"
#include "pki/service_account_token.h"

// Checking service-account tokens: the signature, the issuer, the audience, the validity period
// and the shape of the claims. What only the API server can check is left to it: that the
// service account (and the pod, secret or node a token is bound to) still exists with the UID
// the token names and is not being deleted, and, for a legacy token, that its Secret still
// holds exactly this token. Upstream does those lookups right after these checks.
namespace tug::pki {

struct ParsedJwt;

// Clock skew tolerated on "exp", "nbf" and "iat", as upstream (go-jose's DefaultLeeway).
inline constexpr std::chrono::seconds kTokenClockSkew{60};

struct TokenExpectations {
  // Accepted "iss" values; the first is the one this server issues (--service-account-issuer
  // may be repeated upstream so that tokens of an old issuer keep working during a change).
  std::vector<std::string> issuers = {std::string(kDefaultServiceAccountIssuer)};
  // The token must name at least one. Empty means {issuers.front()}, as --api-audiences
  // defaults upstream.
  std::vector<std::string> audiences;
  // Accept legacy tokens (iss kLegacyServiceAccountIssuer). They name no audience, so only set
  // this when validating for the API server itself, never for a TokenReview that asks for other
  // audiences.
  bool acceptLegacy = false;
};

// Who a valid token speaks for, with the fields kube-apiserver turns into the user.
struct TokenIdentity {
  std::string namespaceName;
  std::string serviceAccountName;
  std::string serviceAccountUid;       // also the user's UID
  std::string podName, podUid;         // set when the token is bound to a pod
  std::string secretName, secretUid;   // bound secret; a legacy token's secret (name only)
  std::string nodeName, nodeUid;       // the pod's node, or the node the token is bound to
  std::string tokenId;                 // "jti"; empty for legacy tokens
  std::vector<std::string> audiences;  // the token's audiences that were accepted
  std::optional<TokenTime> expiry;     // none for legacy tokens
  bool legacy = false;

  std::string userName;             // system:serviceaccount:<namespace>:<name>
  std::vector<std::string> groups;  // system:serviceaccounts, system:serviceaccounts:<namespace>,
                                    // system:authenticated
  // The user's extra fields as upstream reports them (authentication.kubernetes.io/pod-name,
  // pod-uid, node-name, node-uid, and credential-id "JTI=<jti>").
  std::map<std::string, std::vector<std::string>> extra;
};

// Holds the public keys tokens may be signed with. Immutable once made; safe to share between
// threads.
class ServiceAccountTokenValidator {
 public:
  // RSA keys, public (PkiFiles::servicePub) or private; several while a key is being rotated.
  // Invalid when there is none or one is not RSA.
  static Result<ServiceAccountTokenValidator> create(std::vector<KeyPtr> keys);

  // The identity `token` carries at time `now`. The status code says whose problem a failure is:
  //  - Invalid: not a well-formed RS256 JWT (see parseJwt);
  //  - NotFound: a JWT, but from an issuer not in `expect` (a legacy token when legacy is not
  //    accepted): not a service-account token of ours, so another authenticator may try it;
  //  - Unauthorized: it claims to be ours and is not valid: no key matches its "kid", bad
  //    signature, no accepted audience, expired (more than kTokenClockSkew past "exp"), not valid
  //    yet ("nbf"), issued in the future ("iat"), or claims missing or malformed (including a
  //    "sub" that does not match the service account).
  Result<TokenIdentity> validate(std::string_view token, TokenTime now,
                                 const TokenExpectations& expect) const;

 private:
  struct Key {
    KeyPtr key;
    std::string id;
  };
  explicit ServiceAccountTokenValidator(std::vector<Key> keys) : keys_(std::move(keys)) {}

  Status verifySignature(const ParsedJwt& token) const;

  std::vector<Key> keys_;
};

}  // namespace tug::pki
