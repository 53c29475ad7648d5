#include "pki/oidc_discovery.h"

#include <catch2/catch.hpp>

#include "pki/jwk.h"
#include "pki/service_account_token.h"
#include "pki/service_account_validator.h"
#include "token_test_util.h"

using namespace tug::pki;
using namespace tug::pki::testing;
using namespace std::chrono_literals;
using tug::Code;

TEST_CASE("the OpenID configuration matches upstream's document", "[pki][oidc]") {
  auto doc = openIdConfigurationJson(kDefaultServiceAccountIssuer);
  REQUIRE(doc.ok());
  CHECK(*doc == R"({"issuer":"https://kubernetes.default.svc.cluster.local",)"
                R"("jwks_uri":"https://kubernetes.default.svc.cluster.local/openid/v1/jwks",)"
                R"("response_types_supported":["id_token"],"subject_types_supported":["public"],)"
                R"("id_token_signing_alg_values_supported":["RS256"]})");

  auto slash = openIdConfigurationJson("https://oidc.example/cluster/");
  REQUIRE(slash.ok());
  CHECK(nlohmann::json::parse(*slash)["jwks_uri"] == "https://oidc.example/cluster/openid/v1/jwks");
  CHECK(nlohmann::json::parse(*slash)["issuer"] == "https://oidc.example/cluster/");

  auto explicitUri = openIdConfigurationJson(kDefaultServiceAccountIssuer,
                                             "https://203.0.113.7:6443/openid/v1/jwks");
  REQUIRE(explicitUri.ok());
  CHECK(nlohmann::json::parse(*explicitUri)["jwks_uri"] ==
        "https://203.0.113.7:6443/openid/v1/jwks");
}

TEST_CASE("discovery needs an https issuer without query or fragment", "[pki][oidc]") {
  for (const char* issuer : {"kubernetes/serviceaccount", "http://kubernetes.default.svc",
                             "https://", "https://a.example/?x=1", "https://a.example/#f", ""}) {
    INFO(issuer);
    CHECK(openIdConfigurationJson(issuer).status().code() == Code::kInvalid);
  }
  CHECK(openIdConfigurationJson(kDefaultServiceAccountIssuer, "http://x/openid/v1/jwks")
            .status()
            .code() == Code::kInvalid);
}

TEST_CASE("the JWKS lists the public keys in upstream's shape", "[pki][oidc]") {
  auto doc = jwksJson({signingKey(), otherKey()});
  REQUIRE(doc.ok());
  nlohmann::json j = nlohmann::json::parse(*doc);
  REQUIRE(j.size() == 1);
  REQUIRE(j["keys"].size() == 2);
  CHECK(j["keys"][0]["kid"] == *keyId(signingKey()));
  CHECK(j["keys"][1]["kid"] == *keyId(otherKey()));
  CHECK(doc->rfind(R"({"keys":[{"use":"sig","kty":"RSA","kid":")", 0) == 0);
  for (const auto& key : j["keys"]) {
    CHECK(key.size() == 6);
    CHECK(key["alg"] == "RS256");
    CHECK(key["e"] == "AQAB");
  }

  CHECK(jwksJson({}).status().code() == Code::kInvalid);
  auto ec = generateEcKey();
  REQUIRE(ec.ok());
  CHECK(jwksJson({ec->get()}).status().code() == Code::kInvalid);
}

TEST_CASE("a token verifies with nothing but the published JWKS", "[pki][oidc]") {
  // What an outside party does: fetch the JWKS, rebuild the key from n and e, check the token.
  auto doc = jwksJson({signingKey()});
  REQUIRE(doc.ok());
  auto published = rsaPublicKeyFromJwk(nlohmann::json::parse(*doc)["keys"][0]);
  REQUIRE(published.ok());
  CHECK(samePublicKey(published->get(), signingKey()));
  std::vector<KeyPtr> keys;
  keys.push_back(std::move(*published));
  auto validator = ServiceAccountTokenValidator::create(std::move(keys));
  REQUIRE(validator.ok());

  auto signer = ServiceAccountTokenSigner::create(share(signingKey()));
  REQUIRE(signer.ok());
  TokenTime now = TokenClock::now();
  auto issued =
      signer->issue({.namespaceName = "web", .serviceAccount = {"builder", "uid-1"}}, now);
  REQUIRE(issued.ok());
  auto id = validator->validate(issued->token, now, {});
  REQUIRE(id.ok());
  CHECK(id->serviceAccountName == "builder");

  auto foreign = ServiceAccountTokenSigner::create(share(otherKey()));
  REQUIRE(foreign.ok());
  auto forged =
      foreign->issue({.namespaceName = "web", .serviceAccount = {"builder", "uid-1"}}, now);
  REQUIRE(forged.ok());
  CHECK(validator->validate(forged->token, now, {}).status().code() == Code::kUnauthorized);
}
