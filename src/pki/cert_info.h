#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "pki/openssl_util.h"
#include "pki/san.h"

// Reading back what a certificate says, to decide whether it can be kept.
namespace tug::pki {

std::string commonName(const X509* cert);
std::vector<std::string> organizations(const X509* cert);
SubjectAltNames subjectAltNames(const X509* cert);
std::chrono::system_clock::time_point notAfter(const X509* cert);

// True when `ca`'s subject is `cert`'s issuer and `ca`'s key verifies `cert`'s signature.
bool isIssuedBy(X509* cert, X509* ca);

// True when `key` is the private key for `cert`.
bool certMatchesKey(const X509* cert, const EVP_PKEY* key);

bool isCa(X509* cert);

}  // namespace tug::pki
