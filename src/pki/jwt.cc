#include "pki/jwt.h"

#include <openssl/err.h>
#include <strings.h>

#include <memory>

#include "pki/base64url.h"
#include "pki/jwk.h"

namespace tug::pki {
namespace {

using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpensslDeleter<EVP_MD_CTX_free>>;

constexpr std::string_view kAlgorithm = "RS256";

Status unauthorized(std::string message) { return Status(Code::kUnauthorized, std::move(message)); }

// Compact JSON. Invalid instead of nlohmann's exception when a string is not UTF-8.
Result<std::string> toJson(const nlohmann::json& value, std::string_view what) {
  try {
    return value.dump();
  } catch (const nlohmann::json::exception& e) {
    return invalid(std::string(what) + " cannot be written as JSON: " + e.what());
  }
}

Result<nlohmann::json> decodeObject(std::string_view part, std::string_view what) {
  auto bytes = base64UrlDecode(part);
  if (!bytes) {
    return invalid("token " + std::string(what) + " is not unpadded base64url");
  }
  auto value = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (!value.is_object()) {
    return invalid("token " + std::string(what) + " is not a JSON object");
  }
  return value;
}

Status checkHeader(const nlohmann::json& header) {
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) {
    return invalid("token header has no \"alg\"");
  }
  if (alg->get_ref<const std::string&>() != kAlgorithm) {
    return invalid("token algorithm \"" + alg->get<std::string>() + "\" is not accepted (only " +
                   std::string(kAlgorithm) + ")");
  }
  // RFC 7519 §5.1 recommends "JWT" in upper case but compares media types without case.
  auto typ = header.find("typ");
  if (typ != header.end() &&
      (!typ->is_string() || ::strcasecmp(typ->get_ref<const std::string&>().c_str(), "JWT") != 0)) {
    return invalid("token type is not \"JWT\"");
  }
  auto kid = header.find("kid");
  if (kid != header.end() && !kid->is_string()) {
    return invalid("token header \"kid\" is not a string");
  }
  if (header.contains("crit")) {
    return invalid("token header has critical extensions, none of which are supported");
  }
  return Status::ok();
}

}  // namespace

Result<std::string> signJwt(const nlohmann::json& claims, const EVP_PKEY* key,
                            std::string_view keyId) {
  if (!claims.is_object()) {
    return invalid("JWT claims must be a JSON object");
  }
  if (!isRsaKey(key)) {
    return invalid("RS256 signing needs an RSA private key");
  }
  nlohmann::json header = {{"alg", std::string(kAlgorithm)}};
  if (!keyId.empty()) {
    header["kid"] = std::string(keyId);
  }
  auto headerJson = toJson(header, "JWT header");
  auto claimsJson = toJson(claims, "JWT claims");
  if (!headerJson.ok()) {
    return headerJson.status();
  }
  if (!claimsJson.ok()) {
    return claimsJson.status();
  }
  std::string input = base64UrlEncode(*headerJson) + "." + base64UrlEncode(*claimsJson);

  MdCtxPtr ctx(EVP_MD_CTX_new());
  size_t len = 0;
  // EVP_DigestSignInit takes a non-const key but does not change it; it only gains a reference.
  if (!ctx ||
      EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, const_cast<EVP_PKEY*>(key)) !=
          1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1) {
    return opensslError("signing a JWT");
  }
  std::string signature(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    return opensslError("signing a JWT");
  }
  signature.resize(len);
  return input + "." + base64UrlEncode(signature);
}

Result<ParsedJwt> parseJwt(std::string_view token) {
  if (token.size() > kMaxJwtBytes) {
    return invalid("token is longer than " + std::to_string(kMaxJwtBytes) + " bytes");
  }
  size_t first = token.find('.');
  size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return invalid("token is not a JWT: it must have three parts separated by dots");
  }
  std::string_view headerPart = token.substr(0, first);
  std::string_view payloadPart = token.substr(first + 1, second - first - 1);
  std::string_view signaturePart = token.substr(second + 1);
  if (headerPart.empty() || payloadPart.empty() || signaturePart.empty()) {
    return invalid("token is not a JWT: a part is empty");
  }

  ParsedJwt jwt;
  auto header = decodeObject(headerPart, "header");
  if (!header.ok()) {
    return header.status();
  }
  if (Status s = checkHeader(*header); !s.isOk()) {
    return s;
  }
  auto claims = decodeObject(payloadPart, "payload");
  if (!claims.ok()) {
    return claims.status();
  }
  auto signature = base64UrlDecode(signaturePart);
  if (!signature) {
    return invalid("token signature is not unpadded base64url");
  }
  jwt.header = std::move(*header);
  jwt.claims = std::move(*claims);
  jwt.signingInput = std::string(token.substr(0, second));
  jwt.signature = std::move(*signature);
  if (auto kid = jwt.header.find("kid"); kid != jwt.header.end()) {
    jwt.keyId = kid->get<std::string>();
  }
  return jwt;
}

Status verifyJwtSignature(const ParsedJwt& token, const EVP_PKEY* key) {
  if (!isRsaKey(key)) {
    return invalid("RS256 verification needs an RSA key");
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr,
                                   const_cast<EVP_PKEY*>(key)) != 1) {
    return opensslError("preparing JWT verification");
  }
  int rc = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(token.signature.data()),
      token.signature.size(), reinterpret_cast<const unsigned char*>(token.signingInput.data()),
      token.signingInput.size());
  if (rc != 1) {
    // A bad signature leaves reasons on the error queue; they must not leak into a later error.
    ERR_clear_error();
    return unauthorized("token signature is invalid");
  }
  return Status::ok();
}

}  // namespace tug::pki
