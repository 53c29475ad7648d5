#pragma once

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

// Owning handles for OpenSSL objects, and the one way OpenSSL failures become a Status.
namespace tug::pki {

template <auto FreeFn>
struct OpensslDeleter {
  template <typename T>
  void operator()(T* p) const {
    FreeFn(p);
  }
};

using KeyPtr = std::unique_ptr<EVP_PKEY, OpensslDeleter<EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, OpensslDeleter<X509_free>>;
using BioPtr = std::unique_ptr<BIO, OpensslDeleter<BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpensslDeleter<BN_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpensslDeleter<GENERAL_NAMES_free>>;
using ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpensslDeleter<X509_EXTENSION_free>>;

// Internal error "<what>: <OpenSSL's queued error strings>". Drains the thread's error queue so
// that a later failure does not report this one's causes.
Status opensslError(std::string_view what);

// Everything written to a memory BIO so far.
std::string bioContents(BIO* bio);

}  // namespace tug::pki
