#include "pki/jwk.h"

#include <catch2/catch.hpp>

#include "pki/base64url.h"
#include "pki/file_io.h"
#include "pki/pem.h"
#include "pki_test_util.h"
#include "support/temp_dir.h"
#include "token_test_util.h"

using namespace tug::pki;
using namespace tug::pki::testing;
using tug::Code;

TEST_CASE("the key id is stable and names the public key", "[pki][jwk]") {
  auto kid = keyId(signingKey());
  REQUIRE(kid.ok());
  CHECK(kid->size() == 43);  // 32 bytes, unpadded base64url
  CHECK(base64UrlDecode(*kid).has_value());
  CHECK(*keyId(signingKey()) == *kid);

  // The public half, and the key read back from its PEM files, have the same id.
  auto pub = publicKeyFromPem(*publicKeyToPem(signingKey()), "pub");
  auto priv = privateKeyFromPem(*privateKeyToPem(signingKey()), "key");
  REQUIRE(pub.ok());
  REQUIRE(priv.ok());
  CHECK(*keyId(pub->get()) == *kid);
  CHECK(*keyId(priv->get()) == *kid);

  CHECK(*keyId(otherKey()) != *kid);
}

TEST_CASE("the key id is the SHA-256 of the DER public key as openssl computes it", "[pki][jwk]") {
  if (!executableExists("/usr/bin/openssl")) {
    SUCCEED("no openssl command");
    return;
  }
  tug::testing::TempDir dir;
  REQUIRE(writeFileAtomic(dir.file("pub.pem"), *publicKeyToPem(signingKey()), 0644).isOk());
  auto r = runCommand("openssl pkey -pubin -in " + dir.file("pub.pem") +
                      " -outform DER | openssl dgst -sha256 -binary | base64 -w0 | "
                      "tr '+/' '-_' | tr -d '='");
  REQUIRE(r.exitCode == 0);
  CHECK(r.output == *keyId(signingKey()));
}

TEST_CASE("an RSA public JWK has upstream's fields and decodes to the same key", "[pki][jwk]") {
  auto jwk = rsaPublicJwk(signingKey());
  REQUIRE(jwk.ok());
  std::string kid = *keyId(signingKey());
  std::string text = jwk->dump();
  CHECK(text.rfind(
            "{\"use\":\"sig\",\"kty\":\"RSA\",\"kid\":\"" + kid + "\",\"alg\":\"RS256\",\"n\":\"",
            0) == 0);
  CHECK((*jwk)["e"] == "AQAB");  // 65537, big-endian, no leading zeros
  auto n = base64UrlDecode((*jwk)["n"].get<std::string>());
  REQUIRE(n.has_value());
  CHECK(n->size() == 256);
  CHECK((*n)[0] != '\0');
  CHECK(jwk->size() == 6);  // nothing private: no d, p, q...

  auto back = rsaPublicKeyFromJwk(nlohmann::json::parse(text));
  REQUIRE(back.ok());
  CHECK(samePublicKey(back->get(), signingKey()));
  CHECK(*keyId(back->get()) == kid);
}

TEST_CASE("malformed JWKs are refused", "[pki][jwk]") {
  nlohmann::json good = nlohmann::json::parse(rsaPublicJwk(signingKey())->dump());
  auto refused = [](const nlohmann::json& jwk, const std::string& part) {
    auto key = rsaPublicKeyFromJwk(jwk);
    REQUIRE_FALSE(key.ok());
    CHECK(key.status().code() == Code::kInvalid);
    INFO(key.status().message());
    CHECK(key.status().message().find(part) != std::string::npos);
  };
  refused(nlohmann::json::array(), "not a JSON object");
  nlohmann::json j = good;
  j["kty"] = "EC";
  refused(j, "not an RSA key");
  j = good;
  j.erase("n");
  refused(j, "\"n\"");
  j = good;
  j["e"] = "AQAB==";
  refused(j, "\"e\"");
  j = good;
  j["e"] = "AAEAAQ";  // 65537 with a leading zero byte
  refused(j, "\"e\"");
  j = good;
  j["n"] = 12345;
  refused(j, "\"n\"");
}

TEST_CASE("JWKs and key ids need RSA keys where RS256 needs them", "[pki][jwk]") {
  auto ec = generateEcKey();
  REQUIRE(ec.ok());
  CHECK_FALSE(isRsaKey(ec->get()));
  CHECK(isRsaKey(signingKey()));
  CHECK(rsaPublicJwk(ec->get()).status().code() == Code::kInvalid);
  CHECK(keyId(ec->get()).ok());  // upstream derives ids for EC keys the same way
}
