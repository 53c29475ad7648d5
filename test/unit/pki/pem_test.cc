#include "pki/pem.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include "pki/cert.h"
#include "pki/file_io.h"
#include "pki/key.h"
#include "support/temp_dir.h"

using namespace tug::pki;

TEST_CASE("keys and certificates survive a PEM round trip", "[pki][pem]") {
  auto key = generateEcKey();
  REQUIRE(key.ok());
  auto cert = createCaCert(key->get(), CaSpec{.commonName = "ca"});
  REQUIRE(cert.ok());

  auto keyPem = privateKeyToPem(key->get());
  REQUIRE(keyPem.ok());
  CHECK(keyPem->rfind("-----BEGIN PRIVATE KEY-----", 0) == 0);
  auto keyBack = privateKeyFromPem(*keyPem, "key");
  REQUIRE(keyBack.ok());
  CHECK(samePublicKey(keyBack->get(), key->get()));

  auto pubPem = publicKeyToPem(key->get());
  REQUIRE(pubPem.ok());
  CHECK(pubPem->rfind("-----BEGIN PUBLIC KEY-----", 0) == 0);
  auto pubBack = publicKeyFromPem(*pubPem, "pub");
  REQUIRE(pubBack.ok());
  CHECK(samePublicKey(pubBack->get(), key->get()));

  auto certPem = certToPem(cert->get());
  REQUIRE(certPem.ok());
  auto certBack = certFromPem(*certPem, "cert");
  REQUIRE(certBack.ok());
  CHECK(X509_cmp(certBack->get(), cert->get()) == 0);
}

TEST_CASE("damaged PEM gives an error naming its source", "[pki][pem]") {
  tug::testing::TempDir dir;
  std::string path = dir.file("broken.crt");
  REQUIRE(writeFileAtomic(path, "-----BEGIN CERTIFICATE-----\nnot base64\n", 0644).isOk());

  auto cert = readCertFile(path);
  REQUIRE_FALSE(cert.ok());
  CHECK(cert.status().code() == tug::Code::kInvalid);
  CHECK(cert.status().message().find(path) != std::string::npos);
  CHECK(cert.status().message().find("certificate") != std::string::npos);

  auto key = readPrivateKeyFile(path);
  REQUIRE_FALSE(key.ok());
  CHECK(key.status().message().find(path) != std::string::npos);

  auto missing = readCertFile(dir.file("nope.crt"));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().code() == tug::Code::kNotFound);
}

TEST_CASE("a certificate is not read as a key", "[pki][pem]") {
  auto key = generateEcKey();
  REQUIRE(key.ok());
  auto cert = createCaCert(key->get(), CaSpec{.commonName = "ca"});
  REQUIRE(cert.ok());
  auto certPem = certToPem(cert->get());
  REQUIRE(certPem.ok());
  CHECK_FALSE(privateKeyFromPem(*certPem, "x.key").ok());
}

TEST_CASE("atomic writes give the file exactly the asked mode", "[pki][file_io]") {
  tug::testing::TempDir dir;
  std::string path = dir.file("secret");
  REQUIRE(writeFileAtomic(path, "one", 0644).isOk());
  REQUIRE(writeFileAtomic(path, "two", 0600).isOk());
  auto text = readWholeFile(path);
  REQUIRE(text.ok());
  CHECK(*text == "two");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0600);
  CHECK_FALSE(writeFileAtomic(dir.file("no/such/dir/file"), "x", 0600).isOk());
}
