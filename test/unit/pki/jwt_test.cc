#include "pki/jwt.h"

#include <openssl/hmac.h>

#include <catch2/catch.hpp>

#include "pki/base64url.h"
#include "pki/file_io.h"
#include "pki/jwk.h"
#include "pki/pem.h"
#include "pki_test_util.h"
#include "support/temp_dir.h"
#include "token_test_util.h"

using namespace tug::pki;
using namespace tug::pki::testing;
using tug::Code;
using tug::Status;

namespace {

const nlohmann::json kClaims = {{"iss", "https://issuer.example"}, {"sub", "someone"}, {"n", 7}};

std::string signedToken() {
  auto token = signJwt(kClaims, signingKey(), "key-1");
  REQUIRE(token.ok());
  return *token;
}

// `header` and `claims` re-encoded around the original signature.
std::string withParts(const nlohmann::json& header, const nlohmann::json& claims,
                      const std::string& signature) {
  return encodePart(header) + "." + encodePart(claims) + "." + signature;
}

void requireInvalid(const std::string& token, const std::string& messagePart) {
  auto parsed = parseJwt(token);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().code() == Code::kInvalid);
  INFO(parsed.status().message());
  CHECK(parsed.status().message().find(messagePart) != std::string::npos);
}

}  // namespace

TEST_CASE("base64url is unpadded and decoding is strict", "[pki][jwt]") {
  CHECK(base64UrlEncode("") == "");
  CHECK(base64UrlEncode("f") == "Zg");
  CHECK(base64UrlEncode("fo") == "Zm8");
  CHECK(base64UrlEncode("foo") == "Zm9v");
  CHECK(base64UrlEncode("\xfb\xff") == "-_8");
  CHECK(base64UrlDecode("-_8") == std::optional<std::string>("\xfb\xff"));
  CHECK(base64UrlDecode("Zg") == std::optional<std::string>("f"));

  CHECK_FALSE(base64UrlDecode("Zg==").has_value());   // padding
  CHECK_FALSE(base64UrlDecode("Zm9v+").has_value());  // standard alphabet
  CHECK_FALSE(base64UrlDecode("Zm 9v").has_value());
  CHECK_FALSE(base64UrlDecode("Z").has_value());   // cannot be a whole byte
  CHECK_FALSE(base64UrlDecode("Zh").has_value());  // "f" with stray low bits: not canonical
}

TEST_CASE("a signed JWT parses and verifies", "[pki][jwt]") {
  std::string token = signedToken();
  auto parts = split(token);
  // The header kube-apiserver writes: no "typ".
  CHECK(decodePart(parts.header) == nlohmann::json({{"alg", "RS256"}, {"kid", "key-1"}}));
  CHECK(decodePart(parts.payload) == kClaims);
  CHECK(base64UrlDecode(parts.signature)->size() == 256);  // RSA-2048

  auto parsed = parseJwt(token);
  REQUIRE(parsed.ok());
  CHECK(parsed->claims == kClaims);
  CHECK(parsed->keyId == "key-1");
  CHECK(parsed->signingInput == parts.header + "." + parts.payload);
  CHECK(verifyJwtSignature(*parsed, signingKey()).isOk());

  // The public half alone verifies.
  auto pub = publicKeyFromPem(publicKeyToPem(signingKey()).value(), "pub");
  REQUIRE(pub.ok());
  CHECK(verifyJwtSignature(*parsed, pub->get()).isOk());

  SECTION("without a key id the header has none") {
    auto bare = signJwt(kClaims, signingKey(), "");
    REQUIRE(bare.ok());
    CHECK(decodePart(split(*bare).header) == nlohmann::json({{"alg", "RS256"}}));
    CHECK(parseJwt(*bare)->keyId.empty());
  }
}

TEST_CASE("the signature is plain RS256 that openssl verifies", "[pki][jwt]") {
  if (!executableExists("/usr/bin/openssl")) {
    SUCCEED("no openssl command");
    return;
  }
  tug::testing::TempDir dir;
  auto parts = split(signedToken());
  REQUIRE(writeFileAtomic(dir.file("input"), parts.header + "." + parts.payload, 0644).isOk());
  REQUIRE(writeFileAtomic(dir.file("sig"), *base64UrlDecode(parts.signature), 0644).isOk());
  REQUIRE(writeFileAtomic(dir.file("pub.pem"), *publicKeyToPem(signingKey()), 0644).isOk());
  auto r = runCommand("openssl dgst -sha256 -verify " + dir.file("pub.pem") + " -signature " +
                      dir.file("sig") + " " + dir.file("input"));
  INFO(r.output);
  CHECK(r.exitCode == 0);
  CHECK(r.output.find("Verified OK") != std::string::npos);
}

TEST_CASE("malformed tokens are refused before the signature", "[pki][jwt]") {
  std::string token = signedToken();
  auto parts = split(token);
  nlohmann::json header = decodePart(parts.header);

  SECTION("wrong number of parts") {
    requireInvalid(parts.header + "." + parts.payload, "three parts");
    requireInvalid(token + ".x", "three parts");
    requireInvalid("", "three parts");
    requireInvalid("not a token", "three parts");
  }
  SECTION("an empty part") {
    requireInvalid(parts.header + "." + parts.payload + ".", "empty");
    requireInvalid("." + parts.payload + "." + parts.signature, "empty");
  }
  SECTION("too long") {
    nlohmann::json big = kClaims;
    big["pad"] = std::string(kMaxJwtBytes, 'x');
    auto longToken = signJwt(big, signingKey(), "key-1");
    REQUIRE(longToken.ok());
    requireInvalid(*longToken, "longer than 16384");
  }
  SECTION("bad base64url") {
    requireInvalid(parts.header + "=." + parts.payload + "." + parts.signature, "base64url");
    requireInvalid(parts.header + "." + parts.payload + "!." + parts.signature, "base64url");
    requireInvalid(parts.header + "." + parts.payload + "." + parts.signature + "==", "base64url");
    std::string stdAlphabet = parts.signature;
    for (char& c : stdAlphabet) {
      c = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    if (stdAlphabet != parts.signature) {
      requireInvalid(parts.header + "." + parts.payload + "." + stdAlphabet, "base64url");
    }
  }
  SECTION("header or payload not a JSON object") {
    requireInvalid(base64UrlEncode("{\"alg\":") + "." + parts.payload + "." + parts.signature,
                   "header is not a JSON object");
    requireInvalid(base64UrlEncode("[\"RS256\"]") + "." + parts.payload + "." + parts.signature,
                   "header is not a JSON object");
    requireInvalid(parts.header + "." + base64UrlEncode("not json") + "." + parts.signature,
                   "payload is not a JSON object");
    requireInvalid(parts.header + "." + base64UrlEncode("\"a string\"") + "." + parts.signature,
                   "payload is not a JSON object");
  }
  SECTION("header fields") {
    nlohmann::json h = header;
    h.erase("alg");
    requireInvalid(withParts(h, kClaims, parts.signature), "no \"alg\"");
    h = header;
    h["typ"] = "JOSE+JSON";
    requireInvalid(withParts(h, kClaims, parts.signature), "type");
    h["typ"] = 1;
    requireInvalid(withParts(h, kClaims, parts.signature), "type");
    h = header;
    h["kid"] = 5;
    requireInvalid(withParts(h, kClaims, parts.signature), "kid");
    h = header;
    h["crit"] = {"exp"};
    requireInvalid(withParts(h, kClaims, parts.signature), "critical");
  }
  SECTION("typ JWT in any case is fine") {
    for (const char* typ : {"JWT", "jwt"}) {
      nlohmann::json h = header;
      h["typ"] = typ;
      CHECK(parseJwt(withParts(h, kClaims, parts.signature)).ok());
    }
  }
}

TEST_CASE("algorithms other than RS256 are refused", "[pki][jwt]") {
  auto parts = split(signedToken());

  SECTION("none, with and without a signature") {
    nlohmann::json none = {{"alg", "none"}, {"typ", "JWT"}};
    requireInvalid(encodePart(none) + "." + parts.payload + ".", "empty");
    requireInvalid(withParts(none, kClaims, parts.signature), "\"none\" is not accepted");
    nlohmann::json noneCase = {{"alg", "None"}};
    requireInvalid(withParts(noneCase, kClaims, parts.signature), "is not accepted");
  }
  SECTION("HS256 keyed with the public key, the classic confusion attack") {
    nlohmann::json hs = {{"alg", "HS256"}, {"kid", "key-1"}};
    std::string input = encodePart(hs) + "." + parts.payload;
    std::string pem = *publicKeyToPem(signingKey());
    unsigned char mac[32];
    unsigned int macLen = 0;
    HMAC(EVP_sha256(), pem.data(), static_cast<int>(pem.size()),
         reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &macLen);
    std::string forged =
        input + "." + base64UrlEncode(std::string(reinterpret_cast<char*>(mac), macLen));
    requireInvalid(forged, "\"HS256\" is not accepted");
  }
  SECTION("other asymmetric algorithms") {
    for (const char* alg : {"RS384", "RS512", "PS256", "ES256", "EdDSA", "rs256"}) {
      requireInvalid(withParts({{"alg", alg}}, kClaims, parts.signature), "is not accepted");
    }
  }
}

TEST_CASE("a changed token or another key fails verification", "[pki][jwt]") {
  std::string token = signedToken();
  auto parts = split(token);

  SECTION("signed by another key") {
    auto other = signJwt(kClaims, otherKey(), "key-1");
    REQUIRE(other.ok());
    auto parsed = parseJwt(*other);
    REQUIRE(parsed.ok());
    Status s = verifyJwtSignature(*parsed, signingKey());
    CHECK(s.code() == Code::kUnauthorized);
    CHECK(s.message() == "token signature is invalid");
  }
  SECTION("tampered payload") {
    nlohmann::json claims = kClaims;
    claims["sub"] = "someone-else";
    auto parsed = parseJwt(withParts(decodePart(parts.header), claims, parts.signature));
    REQUIRE(parsed.ok());
    CHECK(verifyJwtSignature(*parsed, signingKey()).code() == Code::kUnauthorized);
  }
  SECTION("tampered header") {
    auto parsed =
        parseJwt(withParts({{"alg", "RS256"}, {"kid", "key-2"}}, kClaims, parts.signature));
    REQUIRE(parsed.ok());
    CHECK(verifyJwtSignature(*parsed, signingKey()).code() == Code::kUnauthorized);
  }
  SECTION("truncated or flipped signature") {
    std::string sig = *base64UrlDecode(parts.signature);
    std::string shorter = sig.substr(0, sig.size() - 1);
    std::string flipped = sig;
    flipped[10] = static_cast<char>(flipped[10] ^ 1);
    for (const std::string& bad : {shorter, flipped, std::string(256, '\0')}) {
      auto parsed = parseJwt(parts.header + "." + parts.payload + "." + base64UrlEncode(bad));
      REQUIRE(parsed.ok());
      CHECK(verifyJwtSignature(*parsed, signingKey()).code() == Code::kUnauthorized);
    }
  }
}

TEST_CASE("signing and verifying need RSA keys and object claims", "[pki][jwt]") {
  auto ec = generateEcKey();
  REQUIRE(ec.ok());
  CHECK(signJwt(kClaims, ec->get(), "").status().code() == Code::kInvalid);
  CHECK(signJwt(nlohmann::json::array(), signingKey(), "").status().code() == Code::kInvalid);
  auto parsed = parseJwt(signedToken());
  REQUIRE(parsed.ok());
  CHECK(verifyJwtSignature(*parsed, ec->get()).code() == Code::kInvalid);
  // A claim that is not UTF-8 cannot be JSON: an error, not an exception.
  CHECK(signJwt({{"sub", "\xff"}}, signingKey(), "").status().code() == Code::kInvalid);
}
