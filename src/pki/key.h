#pragma once

#include "common/status.h"
#include "pki/openssl_util.h"

namespace tug::pki {

// ECDSA on P-256: small and fast, for CAs and TLS leaf certificates.
Result<KeyPtr> generateEcKey();

// RSA, for the service-account signing key: Kubernetes tokens are RS256.
Result<KeyPtr> generateRsaKey(int bits = 2048);

// True when both hold the same public key (a private key matches its public half).
bool samePublicKey(const EVP_PKEY* a, const EVP_PKEY* b);

}  // namespace tug::pki
