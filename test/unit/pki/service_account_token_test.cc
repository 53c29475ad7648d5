#include "pki/service_account_token.h"

#include <catch2/catch.hpp>
#include <regex>
#include <set>

#include "pki/jwk.h"
#include "pki/jwt.h"
#include "pki/pem.h"
#include "pki/pki.h"
#include "pki/service_account_validator.h"
#include "support/temp_dir.h"
#include "token_test_util.h"

using namespace tug::pki;
using namespace tug::pki::testing;
using namespace std::chrono_literals;
using tug::Code;

namespace {

const TokenTime kNow = TokenTime(1'700'000'000s);
const std::string kIssuer(kDefaultServiceAccountIssuer);

ServiceAccountTokenSigner makeSigner(const EVP_PKEY* key = signingKey(),
                                     std::string issuer = kIssuer) {
  auto signer = ServiceAccountTokenSigner::create(share(key), std::move(issuer));
  REQUIRE(signer.ok());
  return std::move(signer).value();
}

ServiceAccountTokenValidator makeValidator(std::vector<const EVP_PKEY*> keys = {signingKey()}) {
  std::vector<KeyPtr> owned;
  for (const EVP_PKEY* k : keys) {
    owned.push_back(share(k));
  }
  auto validator = ServiceAccountTokenValidator::create(std::move(owned));
  REQUIRE(validator.ok());
  return std::move(validator).value();
}

ServiceAccountTokenClaims podClaims() {
  return ServiceAccountTokenClaims{
      .namespaceName = "web",
      .serviceAccount = {"builder", "sa-uid-1"},
      .pod = ObjectRef{"builder-7d9f", "pod-uid-2"},
      .node = ObjectRef{"node-1", "node-uid-3"},
  };
}

std::string issue(const ServiceAccountTokenClaims& claims, TokenTime now = kNow) {
  auto token = makeSigner().issue(claims, now);
  REQUIRE(token.ok());
  return token->token;
}

// A token with exactly `claims`, signed by the real key, to test claim checks in isolation.
std::string signedClaims(const nlohmann::json& claims) {
  auto token = signJwt(claims, signingKey(), *keyId(signingKey()));
  REQUIRE(token.ok());
  return *token;
}

nlohmann::json payloadOf(const std::string& token) { return decodePart(split(token).payload); }

tug::Status validateStatus(const std::string& token, TokenTime now = kNow,
                           const TokenExpectations& expect = {}) {
  auto id = makeValidator().validate(token, now, expect);
  return id.ok() ? tug::Status::ok() : id.status();
}

void requireUnauthorized(const std::string& token, const std::string& messagePart,
                         TokenTime now = kNow, const TokenExpectations& expect = {}) {
  tug::Status s = validateStatus(token, now, expect);
  INFO(s.toString());
  CHECK(s.code() == Code::kUnauthorized);
  CHECK(s.message().find(messagePart) != std::string::npos);
}

}  // namespace

TEST_CASE("a bound token validates to the identity it names", "[pki][satoken]") {
  auto issued = makeSigner().issue(podClaims(), kNow);
  REQUIRE(issued.ok());
  CHECK(issued->expiry == kNow + 3600s);

  auto id = makeValidator().validate(issued->token, kNow + 10s, {});
  REQUIRE(id.ok());
  CHECK(id->namespaceName == "web");
  CHECK(id->serviceAccountName == "builder");
  CHECK(id->serviceAccountUid == "sa-uid-1");
  CHECK(id->podName == "builder-7d9f");
  CHECK(id->podUid == "pod-uid-2");
  CHECK(id->nodeName == "node-1");
  CHECK(id->nodeUid == "node-uid-3");
  CHECK(id->secretName.empty());
  CHECK(id->tokenId == issued->tokenId);
  CHECK(id->audiences == std::vector<std::string>{kIssuer});
  CHECK(id->expiry == std::optional<TokenTime>(kNow + 3600s));
  CHECK_FALSE(id->legacy);
  CHECK(id->userName == "system:serviceaccount:web:builder");
  CHECK(id->groups == std::vector<std::string>{"system:serviceaccounts",
                                               "system:serviceaccounts:web",
                                               "system:authenticated"});
  CHECK(id->extra == std::map<std::string, std::vector<std::string>>{
                         {"authentication.kubernetes.io/credential-id", {"JTI=" + issued->tokenId}},
                         {"authentication.kubernetes.io/node-name", {"node-1"}},
                         {"authentication.kubernetes.io/node-uid", {"node-uid-3"}},
                         {"authentication.kubernetes.io/pod-name", {"builder-7d9f"}},
                         {"authentication.kubernetes.io/pod-uid", {"pod-uid-2"}},
                     });
}

TEST_CASE("a bound token carries upstream's claims", "[pki][satoken]") {
  auto issued = makeSigner().issue(podClaims(), kNow);
  REQUIRE(issued.ok());
  auto parts = split(issued->token);
  CHECK(decodePart(parts.header) ==
        nlohmann::json({{"alg", "RS256"}, {"kid", *keyId(signingKey())}}));

  // Members in sorted order, as Go's encoder writes a map.
  std::string payloadText = *base64UrlDecode(parts.payload);
  CHECK(payloadText.rfind("{\"aud\":[\"" + kIssuer + "\"],\"exp\":1700003600,\"iat\":1700000000,",
                          0) == 0);

  nlohmann::json p = nlohmann::json::parse(payloadText);
  std::set<std::string> keys;
  for (const auto& item : p.items()) {
    keys.insert(item.key());
  }
  CHECK(keys ==
        std::set<std::string>{"aud", "exp", "iat", "iss", "jti", "kubernetes.io", "nbf", "sub"});
  CHECK(p["iss"] == kIssuer);
  CHECK(p["sub"] == "system:serviceaccount:web:builder");
  CHECK(p["aud"] == nlohmann::json::array({kIssuer}));
  CHECK(p["iat"] == 1'700'000'000);
  CHECK(p["nbf"] == 1'700'000'000);
  CHECK(p["exp"] == 1'700'003'600);
  CHECK(p["jti"] == issued->tokenId);
  CHECK(p["kubernetes.io"] == nlohmann::json::parse(R"({
    "namespace": "web",
    "serviceaccount": {"name": "builder", "uid": "sa-uid-1"},
    "pod": {"name": "builder-7d9f", "uid": "pod-uid-2"},
    "node": {"name": "node-1", "uid": "node-uid-3"}
  })"));

  SECTION("only the service account") {
    auto claims = podClaims();
    claims.pod.reset();
    claims.node.reset();
    CHECK(payloadOf(issue(claims))["kubernetes.io"] == nlohmann::json::parse(R"({
      "namespace": "web", "serviceaccount": {"name": "builder", "uid": "sa-uid-1"}})"));
  }
  SECTION("bound to a secret") {
    auto claims = podClaims();
    claims.pod.reset();
    claims.node.reset();
    claims.secret = ObjectRef{"builder-token", "secret-uid"};
    auto token = issue(claims);
    CHECK(payloadOf(token)["kubernetes.io"]["secret"] ==
          nlohmann::json({{"name", "builder-token"}, {"uid", "secret-uid"}}));
    auto id = makeValidator().validate(token, kNow, {});
    REQUIRE(id.ok());
    CHECK(id->secretName == "builder-token");
    CHECK(id->secretUid == "secret-uid");
    CHECK(id->extra.count("authentication.kubernetes.io/pod-name") == 0);
  }
  SECTION("a node whose object was not found has no uid") {
    auto claims = podClaims();
    claims.node->uid.clear();
    auto token = issue(claims);
    CHECK(payloadOf(token)["kubernetes.io"]["node"] == nlohmann::json({{"name", "node-1"}}));
    auto id = makeValidator().validate(token, kNow, {});
    REQUIRE(id.ok());
    CHECK(id->extra.count("authentication.kubernetes.io/node-name") == 1);
    CHECK(id->extra.count("authentication.kubernetes.io/node-uid") == 0);
  }
  SECTION("audiences, lifetime and warnafter as asked") {
    auto claims = podClaims();
    claims.audiences = {"vault", "https://sts.example"};
    claims.expiration = 600s;
    claims.warnAfter = 3607s;
    nlohmann::json q = payloadOf(issue(claims));
    CHECK(q["aud"] == nlohmann::json::array({"vault", "https://sts.example"}));
    CHECK(q["exp"] == 1'700'000'600);
    CHECK(q["kubernetes.io"]["warnafter"] == 1'700'003'607);
  }
  SECTION("times are whole seconds") {
    nlohmann::json q = payloadOf(issue(podClaims(), kNow + 999ms));
    CHECK(q["iat"] == 1'700'000'000);
    CHECK(q["exp"] == 1'700'003'600);
  }
}

TEST_CASE("every token gets a fresh random UUID as jti", "[pki][satoken]") {
  std::regex uuidV4("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
  std::set<std::string> seen;
  auto signer = makeSigner();
  for (int i = 0; i < 20; ++i) {
    auto issued = signer.issue(podClaims(), kNow);
    REQUIRE(issued.ok());
    CHECK(std::regex_match(issued->tokenId, uuidV4));
    seen.insert(issued->tokenId);
  }
  CHECK(seen.size() == 20);
}

TEST_CASE("the token must name an accepted audience", "[pki][satoken]") {
  auto claims = podClaims();
  claims.audiences = {"vault", "api"};
  std::string token = issue(claims);

  requireUnauthorized(token,
                      "token audiences [\"vault\", \"api\"] are invalid for the target "
                      "audiences [\"" +
                          kIssuer + "\"]");
  requireUnauthorized(token, "are invalid", kNow, {.audiences = {"other"}});

  auto id = makeValidator().validate(token, kNow, {.audiences = {"api", "other"}});
  REQUIRE(id.ok());
  CHECK(id->audiences == std::vector<std::string>{"api"});  // the intersection

  // Without explicit audiences the first issuer is the audience, as --api-audiences defaults.
  claims.audiences = {"https://second.example"};
  std::string second = issue(claims);
  CHECK(makeValidator()
            .validate(second, kNow, {.issuers = {"https://second.example", kIssuer}})
            .ok());
  requireUnauthorized(second, "are invalid", kNow,
                      {.issuers = {kIssuer, "https://second.example"}});

  SECTION("aud may be a single string") {
    nlohmann::json p = payloadOf(issue(podClaims()));
    p["aud"] = kIssuer;
    CHECK(validateStatus(signedClaims(p)).isOk());
  }
  SECTION("aud missing or malformed") {
    nlohmann::json p = payloadOf(issue(podClaims()));
    p.erase("aud");
    requireUnauthorized(signedClaims(p), "are invalid");
    p["aud"] = 7;
    requireUnauthorized(signedClaims(p), "aud is not a string or a list");
    p["aud"] = nlohmann::json::array({kIssuer, 7});
    requireUnauthorized(signedClaims(p), "aud is not a string or a list");
  }
}

TEST_CASE("validity period with upstream's 60 second leeway", "[pki][satoken]") {
  std::string token = issue(podClaims());  // iat = nbf = kNow, exp = kNow + 1h
  CHECK(validateStatus(token, kNow).isOk());
  CHECK(validateStatus(token, kNow + 3600s).isOk());
  CHECK(validateStatus(token, kNow + 3660s).isOk());
  requireUnauthorized(token, "service account token has expired", kNow + 3660s + 1ms);
  requireUnauthorized(token, "service account token has expired", kNow + 24h);

  CHECK(validateStatus(token, kNow - 60s).isOk());
  requireUnauthorized(token, "service account token is not valid yet", kNow - 61s);

  nlohmann::json p = payloadOf(token);
  SECTION("iat in the future") {
    p.erase("nbf");
    p["iat"] = 1'700'000'000 + 120;
    requireUnauthorized(signedClaims(p), "issued in the future");
  }
  SECTION("no exp") {
    p.erase("exp");
    requireUnauthorized(signedClaims(p), "has no expiry");
  }
  SECTION("dates that are not numbers, or absurd") {
    p["exp"] = "1700003600";
    requireUnauthorized(signedClaims(p), "exp is not a valid date");
    p["exp"] = 1e300;
    requireUnauthorized(signedClaims(p), "exp is not a valid date");
    p["exp"] = 1'700'003'600;
    p["nbf"] = nlohmann::json::object();
    requireUnauthorized(signedClaims(p), "nbf is not a valid date");
  }
  SECTION("fractional dates are accepted") {
    p["exp"] = 1'700'003'600.5;
    CHECK(validateStatus(signedClaims(p), kNow + 3660s).isOk());
  }
}

TEST_CASE("the issuer decides whose token it is", "[pki][satoken]") {
  std::string token = issue(podClaims());

  auto foreign = makeValidator().validate(token, kNow, {.issuers = {"https://elsewhere"}});
  REQUIRE_FALSE(foreign.ok());
  CHECK(foreign.status().code() == Code::kNotFound);
  CHECK(foreign.status().message().find(kIssuer) != std::string::npos);

  nlohmann::json p = payloadOf(token);
  p.erase("iss");
  CHECK(validateStatus(signedClaims(p)).code() == Code::kNotFound);
  p["iss"] = 42;
  CHECK(validateStatus(signedClaims(p)).code() == Code::kNotFound);

  SECTION("a configured issuer") {
    auto signer = makeSigner(signingKey(), "https://oidc.example/cluster");
    CHECK(signer.issuer() == "https://oidc.example/cluster");
    auto issued = signer.issue(podClaims(), kNow);
    REQUIRE(issued.ok());
    CHECK(payloadOf(issued->token)["aud"] ==
          nlohmann::json::array({"https://oidc.example/cluster"}));
    CHECK(validateStatus(issued->token).code() == Code::kNotFound);
    auto id = makeValidator().validate(issued->token, kNow,
                                       {.issuers = {"https://oidc.example/cluster"}});
    CHECK(id.ok());
  }
  SECTION("malformed tokens are Invalid") {
    CHECK(validateStatus("abc").code() == Code::kInvalid);
    CHECK(validateStatus(token + "x=").code() == Code::kInvalid);
  }
}

TEST_CASE("only the right key's signature is accepted", "[pki][satoken]") {
  std::string token = issue(podClaims());

  SECTION("signed by another key") {
    auto other = makeSigner(otherKey()).issue(podClaims(), kNow);
    REQUIRE(other.ok());
    requireUnauthorized(other->token, "no key has id \"" + *keyId(otherKey()) + "\"");
  }
  SECTION("another key under our key id") {
    nlohmann::json p = payloadOf(token);
    auto forged = signJwt(p, otherKey(), *keyId(signingKey()));
    REQUIRE(forged.ok());
    requireUnauthorized(*forged, "token signature is invalid");
  }
  SECTION("tampered payload") {
    auto parts = split(token);
    nlohmann::json p = decodePart(parts.payload);
    p["kubernetes.io"]["namespace"] = "kube-system";
    p["sub"] = "system:serviceaccount:kube-system:builder";
    parts.payload = encodePart(p);
    requireUnauthorized(parts.join(), "token signature is invalid");
  }
  SECTION("several keys while rotating; a token without kid tries each") {
    auto rotating = makeValidator({otherKey(), signingKey()});
    CHECK(rotating.validate(token, kNow, {}).ok());
    auto bare = signJwt(payloadOf(token), signingKey(), "");
    REQUIRE(bare.ok());
    CHECK(rotating.validate(*bare, kNow, {}).ok());
    auto otherOnly = makeValidator({otherKey()});
    auto s = otherOnly.validate(*bare, kNow, {});
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().message() == "token signature is invalid");
  }
}

TEST_CASE("claims must be complete and consistent", "[pki][satoken]") {
  nlohmann::json p = payloadOf(issue(podClaims()));

  SECTION("no kubernetes.io claim") {
    p.erase("kubernetes.io");
    requireUnauthorized(signedClaims(p), "no kubernetes.io claim");
  }
  SECTION("no namespace") {
    p["kubernetes.io"].erase("namespace");
    requireUnauthorized(signedClaims(p), "kubernetes.io.namespace is missing");
  }
  SECTION("service account without uid") {
    p["kubernetes.io"]["serviceaccount"].erase("uid");
    requireUnauthorized(signedClaims(p), "kubernetes.io.serviceaccount lacks");
  }
  SECTION("pod without uid") {
    p["kubernetes.io"]["pod"].erase("uid");
    requireUnauthorized(signedClaims(p), "kubernetes.io.pod lacks");
  }
  SECTION("a name that is not a string") {
    p["kubernetes.io"]["serviceaccount"]["name"] = 3;
    requireUnauthorized(signedClaims(p), "kubernetes.io.serviceaccount.name is not a string");
  }
  SECTION("sub naming someone else") {
    p["sub"] = "system:serviceaccount:kube-system:admin";
    requireUnauthorized(signedClaims(p), "sub does not name");
  }
  SECTION("a ':' would make the user name ambiguous") {
    p["kubernetes.io"]["namespace"] = "web:builder";
    p["kubernetes.io"]["serviceaccount"]["name"] = "x";
    p["sub"] = "system:serviceaccount:web:builder:x";
    requireUnauthorized(signedClaims(p), "kubernetes.io.namespace is missing or malformed");
  }
  SECTION("jti not a string") {
    p["jti"] = 5;
    requireUnauthorized(signedClaims(p), "jti is not a string");
  }
}

TEST_CASE("legacy tokens have their own claims and are accepted only when asked",
          "[pki][satoken]") {
  auto token = makeSigner().issueLegacy("web", {"builder", "sa-uid-1"}, "builder-token-x7k2p");
  REQUIRE(token.ok());
  CHECK(payloadOf(*token) == nlohmann::json::parse(R"({
    "iss": "kubernetes/serviceaccount",
    "sub": "system:serviceaccount:web:builder",
    "kubernetes.io/serviceaccount/namespace": "web",
    "kubernetes.io/serviceaccount/secret.name": "builder-token-x7k2p",
    "kubernetes.io/serviceaccount/service-account.name": "builder",
    "kubernetes.io/serviceaccount/service-account.uid": "sa-uid-1"
  })"));
  CHECK(decodePart(split(*token).header)["kid"] == *keyId(signingKey()));

  CHECK(validateStatus(*token).code() == Code::kNotFound);

  // No expiry: a legacy token lives as long as its Secret.
  auto id = makeValidator().validate(*token, kNow + 24h * 3650, {.acceptLegacy = true});
  REQUIRE(id.ok());
  CHECK(id->legacy);
  CHECK(id->namespaceName == "web");
  CHECK(id->serviceAccountName == "builder");
  CHECK(id->serviceAccountUid == "sa-uid-1");
  CHECK(id->secretName == "builder-token-x7k2p");
  CHECK_FALSE(id->expiry.has_value());
  CHECK(id->tokenId.empty());
  CHECK(id->audiences == std::vector<std::string>{kIssuer});
  CHECK(id->userName == "system:serviceaccount:web:builder");
  CHECK(id->groups.size() == 3);
  CHECK(id->extra.empty());

  SECTION("incomplete or inconsistent legacy claims") {
    nlohmann::json p = payloadOf(*token);
    p["sub"] = "system:serviceaccount:web:other";
    requireUnauthorized(signedClaims(p), "sub does not name", kNow, {.acceptLegacy = true});
    p = payloadOf(*token);
    p.erase("kubernetes.io/serviceaccount/secret.name");
    requireUnauthorized(signedClaims(p), "secret.name is missing", kNow, {.acceptLegacy = true});
  }
  SECTION("a legacy token that does carry an expiry has it checked") {
    nlohmann::json p = payloadOf(*token);
    p["exp"] = 1'700'000'000;
    std::string dated = signedClaims(p);
    auto ok = makeValidator().validate(dated, kNow, {.acceptLegacy = true});
    REQUIRE(ok.ok());
    CHECK(ok->expiry == std::optional<TokenTime>(kNow));
    requireUnauthorized(dated, "has expired", kNow + 61s, {.acceptLegacy = true});
  }
  SECTION("a legacy token by another key") {
    auto other = makeSigner(otherKey()).issueLegacy("web", {"builder", "sa-uid-1"}, "t");
    REQUIRE(other.ok());
    requireUnauthorized(*other, "no key has id", kNow, {.acceptLegacy = true});
  }
}

TEST_CASE("issuing refuses incomplete requests", "[pki][satoken]") {
  auto signer = makeSigner();
  auto refused = [&](ServiceAccountTokenClaims c, const std::string& part) {
    auto r = signer.issue(c, kNow);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kInvalid);
    INFO(r.status().message());
    CHECK(r.status().message().find(part) != std::string::npos);
  };
  auto c = podClaims();
  c.namespaceName.clear();
  refused(c, "namespace");
  c = podClaims();
  c.serviceAccount.uid.clear();
  refused(c, "uid");
  c = podClaims();
  c.expiration = 0s;
  refused(c, "positive expiration");
  c = podClaims();
  c.secret = ObjectRef{"s", "u"};
  refused(c, "not several");
  c = podClaims();
  c.pod->uid.clear();
  refused(c, "pod needs its name and uid");
  c = podClaims();
  c.node->name.clear();
  refused(c, "node needs its name");
  c = podClaims();
  c.audiences = {""};
  refused(c, "audience");

  CHECK(signer.issueLegacy("web", {"builder", ""}, "t").status().code() == Code::kInvalid);
  CHECK(signer.issueLegacy("web", {"builder", "u"}, "").status().code() == Code::kInvalid);
}

TEST_CASE("signers and validators need RSA keys", "[pki][satoken]") {
  auto ec = generateEcKey();
  REQUIRE(ec.ok());
  CHECK(ServiceAccountTokenSigner::create(share(ec->get())).status().code() == Code::kInvalid);
  CHECK(ServiceAccountTokenSigner::create(share(signingKey()), "").status().code() ==
        Code::kInvalid);
  CHECK(ServiceAccountTokenValidator::create({}).status().code() == Code::kInvalid);
  std::vector<KeyPtr> keys;
  keys.push_back(share(ec->get()));
  CHECK(ServiceAccountTokenValidator::create(std::move(keys)).status().code() == Code::kInvalid);
}

TEST_CASE("tokens signed with the PKI's service key verify with service.pub", "[pki][satoken]") {
  tug::testing::TempDir dir;
  auto files = ensurePki(PkiOptions{.dataDir = dir.path().string(), .hostname = "node-1"});
  REQUIRE(files.ok());
  auto privateKey = readPrivateKeyFile(files->serviceKey);
  auto publicKey = readPublicKeyFile(files->servicePub);
  REQUIRE(privateKey.ok());
  REQUIRE(publicKey.ok());

  auto signer = ServiceAccountTokenSigner::create(std::move(*privateKey));
  REQUIRE(signer.ok());
  CHECK(signer->keyId() == *keyId(publicKey->get()));
  std::vector<KeyPtr> keys;
  keys.push_back(std::move(*publicKey));
  auto validator = ServiceAccountTokenValidator::create(std::move(keys));
  REQUIRE(validator.ok());

  auto issued = signer->issue(podClaims(), kNow);
  REQUIRE(issued.ok());
  auto id = validator->validate(issued->token, kNow, {});
  REQUIRE(id.ok());
  CHECK(id->userName == "system:serviceaccount:web:builder");
}
