#include "pki/key.h"

namespace tug::pki {

Result<KeyPtr> generateEcKey() {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  if (!key) {
    return opensslError("generating an ECDSA P-256 key");
  }
  return key;
}

Result<KeyPtr> generateRsaKey(int bits) {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(bits)));
  if (!key) {
    return opensslError("generating an RSA " + std::to_string(bits) + " key");
  }
  return key;
}

bool samePublicKey(const EVP_PKEY* a, const EVP_PKEY* b) { return EVP_PKEY_eq(a, b) == 1; }

}  // namespace tug::pki
