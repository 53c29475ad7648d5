#include "pki/service_account_validator.h"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "pki/jwk.h"
#include "pki/jwt.h"
#include "pki/service_account_claim_names.h"

namespace tug::pki {
namespace {

Status unauthorized(std::string message) { return Status(Code::kUnauthorized, std::move(message)); }

std::string joined(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) {
    out += (i ? ", \"" : "\"") + v[i] + "\"";
  }
  return out + "]";
}

// A string member: nullopt when absent, Unauthorized when present but not a string.
Result<std::optional<std::string>> optionalString(const nlohmann::json& obj, std::string_view key,
                                                  std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end()) {
    return std::optional<std::string>();
  }
  if (!it->is_string()) {
    return unauthorized("token claim " + std::string(where) + std::string(key) +
                        " is not a string");
  }
  return std::optional<std::string>(it->get<std::string>());
}

// A required string that names a user or group part: non-empty and without ':', which would make
// "system:serviceaccount:<namespace>:<name>" ambiguous.
Result<std::string> requiredName(const nlohmann::json& obj, std::string_view key,
                                 std::string_view where) {
  auto s = optionalString(obj, key, where);
  if (!s.ok()) {
    return s.status();
  }
  if (!s->has_value() || (*s)->empty() || (*s)->find(':') != std::string::npos) {
    return unauthorized("token claim " + std::string(where) + std::string(key) +
                        " is missing or malformed");
  }
  return std::move(**s);
}

// A NumericDate (RFC 7519 §2): seconds since the epoch, fractions dropped as go-jose does.
Result<std::optional<TokenTime>> numericDate(const nlohmann::json& claims, std::string_view key) {
  auto it = claims.find(key);
  if (it == claims.end()) {
    return std::optional<TokenTime>();
  }
  // TokenTime counts nanoseconds in 64 bits (until 2262); a year of margin leaves room for the
  // clock-skew arithmetic without overflow.
  constexpr int64_t kLimit =
      std::chrono::duration_cast<std::chrono::seconds>(TokenTime::duration::max()).count() -
      365 * 24 * 3600;
  if (!it->is_number() || !std::isfinite(it->get<double>()) ||
      std::fabs(it->get<double>()) > static_cast<double>(kLimit)) {
    return unauthorized("token claim " + std::string(key) + " is not a valid date");
  }
  auto seconds =
      it->is_number_float() ? static_cast<int64_t>(it->get<double>()) : it->get<int64_t>();
  return std::optional<TokenTime>(TokenTime(std::chrono::seconds(seconds)));
}

// "aud" is a string or an array of strings (RFC 7519 §4.1.3).
Result<std::vector<std::string>> audiences(const nlohmann::json& claims) {
  auto it = claims.find("aud");
  if (it == claims.end()) {
    return std::vector<std::string>();
  }
  if (it->is_string()) {
    return std::vector<std::string>{it->get<std::string>()};
  }
  std::vector<std::string> out;
  if (it->is_array()) {
    for (const auto& a : *it) {
      if (!a.is_string()) {
        break;
      }
      out.push_back(a.get<std::string>());
    }
    if (out.size() == it->size()) {
      return out;
    }
  }
  return unauthorized("token claim aud is not a string or a list of strings");
}

// An object reference inside "kubernetes.io"; nullopt when absent.
Result<std::optional<ObjectRef>> objectRef(const nlohmann::json& k8s, std::string_view key,
                                           bool uidRequired) {
  auto it = k8s.find(key);
  if (it == k8s.end()) {
    return std::optional<ObjectRef>();
  }
  std::string where = "kubernetes.io." + std::string(key) + ".";
  if (!it->is_object()) {
    return unauthorized("token claim " + where.substr(0, where.size() - 1) + " is not an object");
  }
  auto name = optionalString(*it, claim::kName, where);
  auto uid = optionalString(*it, claim::kUid, where);
  if (!name.ok()) {
    return name.status();
  }
  if (!uid.ok()) {
    return uid.status();
  }
  if (!name->has_value() || (*name)->empty() ||
      (uidRequired && (!uid->has_value() || (*uid)->empty()))) {
    return unauthorized("token claim " + where.substr(0, where.size() - 1) + " lacks its name" +
                        (uidRequired ? " or uid" : ""));
  }
  return std::optional<ObjectRef>(ObjectRef{std::move(**name), uid->value_or("")});
}

// `expiryRequired` is false only for legacy tokens, which never had one; should one carry dates
// anyway they are honoured.
Status checkTimes(const nlohmann::json& claims, TokenTime now, bool expiryRequired,
                  std::optional<TokenTime>* expiry) {
  auto exp = numericDate(claims, "exp");
  auto nbf = numericDate(claims, "nbf");
  auto iat = numericDate(claims, "iat");
  for (const Status* s : {&exp.status(), &nbf.status(), &iat.status()}) {
    if (!s->isOk()) {
      return *s;
    }
  }
  // Upstream would accept a token without "exp" forever; every token it issues has one, so a
  // token without one did not come from a TokenRequest.
  if (!exp->has_value() && expiryRequired) {
    return unauthorized("service account token has no expiry");
  }
  if (exp->has_value() && now - kTokenClockSkew > **exp) {
    return unauthorized("service account token has expired");
  }
  if (nbf->has_value() && now + kTokenClockSkew < **nbf) {
    return unauthorized("service account token is not valid yet");
  }
  if (iat->has_value() && now + kTokenClockSkew < **iat) {
    return unauthorized("service account token was issued in the future");
  }
  *expiry = *exp;
  return Status::ok();
}

Status checkSubject(const nlohmann::json& claims, const TokenIdentity& id) {
  auto sub = claims.find("sub");
  if (sub == claims.end() || !sub->is_string() ||
      sub->get_ref<const std::string&>() !=
          serviceAccountUserName(id.namespaceName, id.serviceAccountName)) {
    return unauthorized("token claim sub does not name the token's service account");
  }
  return Status::ok();
}

// The private claims of a bound token.
Status readBoundClaims(const nlohmann::json& claims, TokenIdentity* id) {
  auto k8s = claims.find(claim::kKubernetes);
  if (k8s == claims.end() || !k8s->is_object()) {
    return unauthorized("token has no kubernetes.io claim");
  }
  auto ns = requiredName(*k8s, claim::kNamespace, "kubernetes.io.");
  if (!ns.ok()) {
    return ns.status();
  }
  auto sa = objectRef(*k8s, claim::kServiceAccount, true);
  auto pod = objectRef(*k8s, claim::kPod, true);
  auto secret = objectRef(*k8s, claim::kSecret, true);
  auto node = objectRef(*k8s, claim::kNode, false);
  auto jti = optionalString(claims, "jti", "");
  for (const Status* s :
       {&sa.status(), &pod.status(), &secret.status(), &node.status(), &jti.status()}) {
    if (!s->isOk()) {
      return *s;
    }
  }
  if (!sa->has_value() || (*sa)->name.find(':') != std::string::npos) {
    return unauthorized("token claim kubernetes.io.serviceaccount is missing or malformed");
  }
  id->namespaceName = std::move(*ns);
  id->serviceAccountName = (*sa)->name;
  id->serviceAccountUid = (*sa)->uid;
  if (pod->has_value()) {
    id->podName = (*pod)->name;
    id->podUid = (*pod)->uid;
  }
  if (secret->has_value()) {
    id->secretName = (*secret)->name;
    id->secretUid = (*secret)->uid;
  }
  if (node->has_value()) {
    id->nodeName = (*node)->name;
    id->nodeUid = (*node)->uid;
  }
  id->tokenId = jti->value_or("");
  return Status::ok();
}

Status readLegacyClaims(const nlohmann::json& claims, TokenIdentity* id) {
  auto ns = requiredName(claims, claim::kLegacyNamespace, "");
  auto name = requiredName(claims, claim::kLegacyServiceAccountName, "");
  auto uid = requiredName(claims, claim::kLegacyServiceAccountUid, "");
  auto secret = requiredName(claims, claim::kLegacySecretName, "");
  for (const Status* s : {&ns.status(), &name.status(), &uid.status(), &secret.status()}) {
    if (!s->isOk()) {
      return *s;
    }
  }
  id->namespaceName = std::move(*ns);
  id->serviceAccountName = std::move(*name);
  id->serviceAccountUid = std::move(*uid);
  id->secretName = std::move(*secret);
  id->legacy = true;
  return Status::ok();
}

Status readBoundToken(const nlohmann::json& claims, TokenTime now,
                      const std::vector<std::string>& accepted, TokenIdentity* id) {
  auto tokenAudiences = audiences(claims);
  if (!tokenAudiences.ok()) {
    return tokenAudiences.status();
  }
  for (const auto& a : *tokenAudiences) {
    if (std::find(accepted.begin(), accepted.end(), a) != accepted.end()) {
      id->audiences.push_back(a);
    }
  }
  if (id->audiences.empty()) {
    return unauthorized("token audiences " + joined(*tokenAudiences) +
                        " are invalid for the target audiences " + joined(accepted));
  }
  if (Status s = checkTimes(claims, now, true, &id->expiry); !s.isOk()) {
    return s;
  }
  return readBoundClaims(claims, id);
}

Status readLegacyToken(const nlohmann::json& claims, TokenTime now,
                       const std::vector<std::string>& accepted, TokenIdentity* id) {
  if (Status s = readLegacyClaims(claims, id); !s.isOk()) {
    return s;
  }
  // Upstream gives audience-less legacy tokens the API server's own audiences.
  id->audiences = accepted;
  return checkTimes(claims, now, false, &id->expiry);
}

// The user kube-apiserver makes of a service account (ServiceAccountInfo.UserInfo upstream,
// plus the group every authenticated user gets).
void fillUser(TokenIdentity* id) {
  id->userName = serviceAccountUserName(id->namespaceName, id->serviceAccountName);
  id->groups = {"system:serviceaccounts", "system:serviceaccounts:" + id->namespaceName,
                "system:authenticated"};
  if (!id->podName.empty() && !id->podUid.empty()) {
    id->extra["authentication.kubernetes.io/pod-name"] = {id->podName};
    id->extra["authentication.kubernetes.io/pod-uid"] = {id->podUid};
  }
  if (!id->tokenId.empty()) {
    id->extra["authentication.kubernetes.io/credential-id"] = {"JTI=" + id->tokenId};
  }
  if (!id->nodeName.empty()) {
    id->extra["authentication.kubernetes.io/node-name"] = {id->nodeName};
    if (!id->nodeUid.empty()) {
      id->extra["authentication.kubernetes.io/node-uid"] = {id->nodeUid};
    }
  }
}

}  // namespace

Result<ServiceAccountTokenValidator> ServiceAccountTokenValidator::create(
    std::vector<KeyPtr> keys) {
  if (keys.empty()) {
    return invalid("validating service-account tokens needs at least one public key");
  }
  std::vector<Key> out;
  for (auto& key : keys) {
    if (!isRsaKey(key.get())) {
      return invalid("service-account token keys must be RSA keys");
    }
    auto id = keyId(key.get());
    if (!id.ok()) {
      return id.status();
    }
    out.push_back(Key{std::move(key), std::move(*id)});
  }
  return ServiceAccountTokenValidator(std::move(out));
}

Status ServiceAccountTokenValidator::verifySignature(const ParsedJwt& token) const {
  // As upstream: a "kid" picks the keys that carry it; without one, every key is tried.
  bool anyKey = false;
  for (const Key& k : keys_) {
    if (!token.keyId.empty() && token.keyId != k.id) {
      continue;
    }
    anyKey = true;
    if (verifyJwtSignature(token, k.key.get()).isOk()) {
      return Status::ok();
    }
  }
  return unauthorized(anyKey ? "token signature is invalid"
                             : "token signature is invalid: no key has id \"" + token.keyId + "\"");
}

Result<TokenIdentity> ServiceAccountTokenValidator::validate(
    std::string_view token, TokenTime now, const TokenExpectations& expect) const {
  auto jwt = parseJwt(token);
  if (!jwt.ok()) {
    return jwt.status();
  }
  // The issuer is read before the signature is checked only to tell whose token this is, as
  // upstream does; nothing else is believed until the signature holds.
  auto iss = jwt->claims.find("iss");
  std::string issuer = iss != jwt->claims.end() && iss->is_string() ? iss->get<std::string>() : "";
  bool legacy = expect.acceptLegacy && issuer == kLegacyServiceAccountIssuer;
  bool bound =
      std::find(expect.issuers.begin(), expect.issuers.end(), issuer) != expect.issuers.end();
  if (issuer.empty() || (!legacy && !bound)) {
    return notFound("token issuer \"" + issuer + "\" is not a service-account token issuer here");
  }
  if (Status s = verifySignature(*jwt); !s.isOk()) {
    return s;
  }

  std::vector<std::string> accepted = expect.audiences;
  if (accepted.empty() && !expect.issuers.empty()) {
    accepted.push_back(expect.issuers.front());
  }
  TokenIdentity id;
  Status s = legacy ? readLegacyToken(jwt->claims, now, accepted, &id)
                    : readBoundToken(jwt->claims, now, accepted, &id);
  if (s.isOk()) {
    s = checkSubject(jwt->claims, id);
  }
  if (!s.isOk()) {
    return s;
  }
  fillUser(&id);
  return id;
}

}  // namespace tug::pki
