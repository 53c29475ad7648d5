#include "pki/pem.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "pki/file_io.h"

namespace tug::pki {
namespace {

// Refuses encrypted keys instead of letting OpenSSL prompt on the terminal.
int noPassphrase(char*, int, int, void*) { return -1; }

BioPtr memoryBio() { return BioPtr(BIO_new(BIO_s_mem())); }

BioPtr readOnlyBio(std::string_view text) {
  return BioPtr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

Status damaged(std::string_view source, std::string_view what) {
  Status s = opensslError(std::string(source) + ": not a valid PEM " + std::string(what));
  return invalid(s.message());
}

template <typename Ptr, typename Fn>
Result<Ptr> readFile(const std::string& path, Fn parse) {
  auto text = readWholeFile(path);
  if (!text.ok()) {
    return text.status();
  }
  return parse(*text, path);
}

}  // namespace

Result<std::string> certToPem(const X509* cert) {
  BioPtr bio = memoryBio();
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
    return opensslError("encoding a certificate as PEM");
  }
  return bioContents(bio.get());
}

Result<std::string> privateKeyToPem(const EVP_PKEY* key) {
  BioPtr bio = memoryBio();
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    return opensslError("encoding a private key as PEM");
  }
  return bioContents(bio.get());
}

Result<std::string> publicKeyToPem(const EVP_PKEY* key) {
  BioPtr bio = memoryBio();
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), key) != 1) {
    return opensslError("encoding a public key as PEM");
  }
  return bioContents(bio.get());
}

Result<CertPtr> certFromPem(std::string_view pem, std::string_view source) {
  BioPtr bio = readOnlyBio(pem);
  CertPtr cert(bio ? PEM_read_bio_X509(bio.get(), nullptr, noPassphrase, nullptr) : nullptr);
  if (!cert) {
    return damaged(source, "certificate");
  }
  return cert;
}

Result<KeyPtr> privateKeyFromPem(std::string_view pem, std::string_view source) {
  BioPtr bio = readOnlyBio(pem);
  KeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, noPassphrase, nullptr) : nullptr);
  if (!key) {
    return damaged(source, "private key");
  }
  return key;
}

Result<KeyPtr> publicKeyFromPem(std::string_view pem, std::string_view source) {
  BioPtr bio = readOnlyBio(pem);
  KeyPtr key(bio ? PEM_read_bio_PUBKEY(bio.get(), nullptr, noPassphrase, nullptr) : nullptr);
  if (!key) {
    return damaged(source, "public key");
  }
  return key;
}

Result<CertPtr> readCertFile(const std::string& path) {
  return readFile<CertPtr>(path, certFromPem);
}

Result<KeyPtr> readPrivateKeyFile(const std::string& path) {
  return readFile<KeyPtr>(path, privateKeyFromPem);
}

Result<KeyPtr> readPublicKeyFile(const std::string& path) {
  return readFile<KeyPtr>(path, publicKeyFromPem);
}

}  // namespace tug::pki
