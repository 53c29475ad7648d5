#include "pki/jwk.h"

#include <openssl/core_names.h>
#include <openssl/param_build.h>

#include <array>

#include "pki/base64url.h"

namespace tug::pki {
namespace {

using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, OpensslDeleter<OSSL_PARAM_BLD_free>>;
using ParamsPtr = std::unique_ptr<OSSL_PARAM, OpensslDeleter<OSSL_PARAM_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpensslDeleter<EVP_PKEY_CTX_free>>;

// A big-endian magnitude without leading zero bytes, as JWA §6.3.1 requires for n and e.
Result<std::string> rsaParam(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &raw) != 1) {
    return opensslError(std::string("reading the RSA parameter ") + name);
  }
  BignumPtr bn(raw);
  std::string out(static_cast<size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

Result<BignumPtr> jwkParam(const nlohmann::json& jwk, const char* name) {
  auto it = jwk.find(name);
  if (it == jwk.end() || !it->is_string()) {
    return invalid(std::string("JWK has no \"") + name + "\" string");
  }
  auto bytes = base64UrlDecode(it->get_ref<const std::string&>());
  // A leading zero byte would make two encodings of one number; JWA forbids it.
  if (!bytes || bytes->empty() || (*bytes)[0] == '\0') {
    return invalid(std::string("JWK \"") + name + "\" is not an unpadded base64url number");
  }
  BignumPtr bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes->data()),
                         static_cast<int>(bytes->size()), nullptr));
  if (!bn) {
    return opensslError(std::string("decoding JWK \"") + name + "\"");
  }
  return bn;
}

}  // namespace

bool isRsaKey(const EVP_PKEY* key) { return key != nullptr && EVP_PKEY_is_a(key, "RSA") == 1; }

Result<std::string> keyId(const EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key, &der);
  if (len <= 0) {
    return opensslError("encoding a public key as DER");
  }
  std::array<unsigned char, 32> digest{};
  unsigned int digestLen = 0;
  int ok =
      EVP_Digest(der, static_cast<size_t>(len), digest.data(), &digestLen, EVP_sha256(), nullptr);
  OPENSSL_free(der);
  if (ok != 1) {
    return opensslError("hashing a public key");
  }
  return base64UrlEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), digestLen));
}

Result<nlohmann::ordered_json> rsaPublicJwk(const EVP_PKEY* key) {
  if (!isRsaKey(key)) {
    return invalid("a JWK for RS256 needs an RSA key");
  }
  auto kid = keyId(key);
  auto n = rsaParam(key, OSSL_PKEY_PARAM_RSA_N);
  auto e = rsaParam(key, OSSL_PKEY_PARAM_RSA_E);
  for (const Status* s : {&kid.status(), &n.status(), &e.status()}) {
    if (!s->isOk()) {
      return *s;
    }
  }
  nlohmann::ordered_json jwk;
  jwk["use"] = "sig";
  jwk["kty"] = "RSA";
  jwk["kid"] = *kid;
  jwk["alg"] = "RS256";
  jwk["n"] = base64UrlEncode(*n);
  jwk["e"] = base64UrlEncode(*e);
  return jwk;
}

Result<KeyPtr> rsaPublicKeyFromJwk(const nlohmann::json& jwk) {
  if (!jwk.is_object()) {
    return invalid("JWK is not a JSON object");
  }
  auto kty = jwk.find("kty");
  if (kty == jwk.end() || *kty != "RSA") {
    return invalid("JWK is not an RSA key (kty must be \"RSA\")");
  }
  auto n = jwkParam(jwk, "n");
  if (!n.ok()) {
    return n.status();
  }
  auto e = jwkParam(jwk, "e");
  if (!e.ok()) {
    return e.status();
  }
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  if (!bld || OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n->get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e->get()) != 1) {
    return opensslError("building RSA key parameters");
  }
  ParamsPtr params(OSSL_PARAM_BLD_to_param(bld.get()));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "RSA", nullptr));
  EVP_PKEY* raw = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return opensslError("building an RSA key from a JWK");
  }
  return KeyPtr(raw);
}

}  // namespace tug::pki
