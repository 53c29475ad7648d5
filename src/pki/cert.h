#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "common/status.h"
#include "pki/openssl_util.h"
#include "pki/san.h"

// Creating X.509 certificates: self-signed CAs and leaves signed by a CA. Every certificate is
// v3, SHA-256 signed, with a random 128-bit serial and a subject key identifier.
namespace tug::pki {

using Days = std::chrono::days;

struct CaSpec {
  std::string commonName;
  Days validity{3650};
};

struct LeafSpec {
  std::string commonName;
  // One O entry each; for client certificates Kubernetes reads them as the user's groups.
  std::vector<std::string> organizations;
  bool serverAuth = false;  // extKeyUsage serverAuth
  bool clientAuth = false;  // extKeyUsage clientAuth
  SubjectAltNames altNames;
  Days validity{365};
};

// Certificates start an hour in the past so that a peer whose clock runs a little behind does
// not reject a certificate issued a moment ago.
inline constexpr std::chrono::hours kBackdate{1};

// A positive random 128-bit serial number.
Result<BignumPtr> randomSerial();

// A self-signed CA for `key`: CA:TRUE (critical), keyUsage certSign and crlSign.
Result<CertPtr> createCaCert(EVP_PKEY* key, const CaSpec& spec);

// A leaf for `subjectKey`'s public half, signed by `caKey`, naming `caCert` as its issuer.
// Invalid when the spec asks for no extended key usage at all.
Result<CertPtr> issueCert(const EVP_PKEY* subjectKey, const LeafSpec& spec, X509* caCert,
                          EVP_PKEY* caKey);

}  // namespace tug::pki
