#pragma once

#include <string>
#include <string_view>

#include "common/status.h"
#include "pki/openssl_util.h"

// PEM encoding. Private keys are written as unencrypted PKCS#8 ("PRIVATE KEY"), public keys as
// SubjectPublicKeyInfo ("PUBLIC KEY"): both are what Go's crypto/x509 and kube-apiserver read.
namespace tug::pki {

Result<std::string> certToPem(const X509* cert);
Result<std::string> privateKeyToPem(const EVP_PKEY* key);
Result<std::string> publicKeyToPem(const EVP_PKEY* key);

// Each reads the first object of its kind in `pem`. `source` names where the text came from
// (usually a file path) and leads the error message, so a damaged file is easy to find.
// Encrypted keys are refused rather than prompting for a passphrase.
Result<CertPtr> certFromPem(std::string_view pem, std::string_view source);
Result<KeyPtr> privateKeyFromPem(std::string_view pem, std::string_view source);
Result<KeyPtr> publicKeyFromPem(std::string_view pem, std::string_view source);

// The same, reading a file; NotFound when it does not exist.
Result<CertPtr> readCertFile(const std::string& path);
Result<KeyPtr> readPrivateKeyFile(const std::string& path);
Result<KeyPtr> readPublicKeyFile(const std::string& path);

}  // namespace tug::pki
