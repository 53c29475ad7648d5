#include "pki/cert.h"

#include <catch2/catch.hpp>

#include "pki/cert_info.h"
#include "pki/key.h"
#include "pki_test_util.h"

using namespace tug::pki;
using tug::pki::testing::Verification;
using tug::pki::testing::verifyAgainst;

namespace {

struct TestCa {
  KeyPtr key;
  CertPtr cert;
};

TestCa makeCa(const std::string& cn) {
  auto key = generateEcKey();
  REQUIRE(key.ok());
  auto cert = createCaCert(key->get(), CaSpec{.commonName = cn});
  REQUIRE(cert.ok());
  return TestCa{std::move(*key), std::move(*cert)};
}

int daysValid(X509* cert) {
  int days = 0, secs = 0;
  ASN1_TIME_diff(&days, &secs, X509_get0_notBefore(cert), X509_get0_notAfter(cert));
  return days;
}

bool hasKeyUsage(X509* cert, uint32_t bit) { return (X509_get_key_usage(cert) & bit) != 0; }
bool hasExtKeyUsage(X509* cert, uint32_t bit) {
  return (X509_get_extended_key_usage(cert) & bit) != 0;
}

}  // namespace

TEST_CASE("a CA is self-signed, marked CA, may sign certificates and lasts ten years",
          "[pki][cert]") {
  TestCa ca = makeCa("test-ca");
  X509* c = ca.cert.get();
  CHECK(commonName(c) == "test-ca");
  CHECK(isCa(c));
  CHECK(isIssuedBy(c, c));
  CHECK(hasKeyUsage(c, KU_KEY_CERT_SIGN));
  CHECK(hasKeyUsage(c, KU_CRL_SIGN));
  CHECK(X509_get0_subject_key_id(c) != nullptr);
  CHECK(X509_get_version(c) == X509_VERSION_3);
  int days = daysValid(c);
  CHECK(days >= 3650);
  CHECK(days <= 3651);
  CHECK(verifyAgainst(c, c, {.purpose = X509_PURPOSE_ANY}) == X509_V_OK);
}

TEST_CASE("a serving certificate verifies for its names and only for them", "[pki][cert]") {
  TestCa ca = makeCa("server-ca");
  auto key = generateEcKey();
  REQUIRE(key.ok());
  LeafSpec spec{.commonName = "kube-apiserver", .serverAuth = true};
  spec.altNames.add("kubernetes.default.svc");
  spec.altNames.add("10.43.0.1");
  spec.altNames.add("::1");
  auto cert = issueCert(key->get(), spec, ca.cert.get(), ca.key.get());
  REQUIRE(cert.ok());
  X509* c = cert->get();

  CHECK(verifyAgainst(c, ca.cert.get(), {.host = "kubernetes.default.svc"}) == X509_V_OK);
  CHECK(verifyAgainst(c, ca.cert.get(), {.ip = "10.43.0.1"}) == X509_V_OK);
  CHECK(verifyAgainst(c, ca.cert.get(), {.ip = "::1"}) == X509_V_OK);
  CHECK(verifyAgainst(c, ca.cert.get(), {.host = "evil.example"}) == X509_V_ERR_HOSTNAME_MISMATCH);
  CHECK(verifyAgainst(c, ca.cert.get(), {.purpose = X509_PURPOSE_SSL_CLIENT}) ==
        X509_V_ERR_INVALID_PURPOSE);

  CHECK_FALSE(isCa(c));
  CHECK(hasKeyUsage(c, KU_DIGITAL_SIGNATURE));
  CHECK_FALSE(hasKeyUsage(c, KU_KEY_CERT_SIGN));
  CHECK(hasExtKeyUsage(c, XKU_SSL_SERVER));
  CHECK_FALSE(hasExtKeyUsage(c, XKU_SSL_CLIENT));
  CHECK(subjectAltNames(c).covers(spec.altNames));
  CHECK(certMatchesKey(c, key->get()));
  CHECK(X509_get0_authority_key_id(c) != nullptr);
  int days = daysValid(c);
  CHECK(days >= 365);
  CHECK(days <= 366);
}

TEST_CASE("a client certificate carries the user as CN and each group as an O", "[pki][cert]") {
  TestCa ca = makeCa("client-ca");
  auto key = generateEcKey();
  REQUIRE(key.ok());
  LeafSpec spec{.commonName = "jane", .organizations = {"dev", "ops"}, .clientAuth = true};
  auto cert = issueCert(key->get(), spec, ca.cert.get(), ca.key.get());
  REQUIRE(cert.ok());
  CHECK(commonName(cert->get()) == "jane");
  CHECK(organizations(cert->get()) == std::vector<std::string>{"dev", "ops"});
  CHECK(hasExtKeyUsage(cert->get(), XKU_SSL_CLIENT));
  CHECK_FALSE(hasExtKeyUsage(cert->get(), XKU_SSL_SERVER));
  CHECK(verifyAgainst(cert->get(), ca.cert.get(), {.purpose = X509_PURPOSE_SSL_CLIENT}) ==
        X509_V_OK);
}

TEST_CASE("a certificate signed by another CA does not verify", "[pki][cert]") {
  TestCa ca = makeCa("ca");
  TestCa other = makeCa("ca");  // same name, different key
  auto key = generateEcKey();
  REQUIRE(key.ok());
  auto cert = issueCert(key->get(), LeafSpec{.commonName = "x", .clientAuth = true},
                        other.cert.get(), other.key.get());
  REQUIRE(cert.ok());
  CHECK_FALSE(isIssuedBy(cert->get(), ca.cert.get()));
  CHECK(isIssuedBy(cert->get(), other.cert.get()));
  CHECK(verifyAgainst(cert->get(), ca.cert.get(), {.purpose = X509_PURPOSE_SSL_CLIENT}) !=
        X509_V_OK);
}

TEST_CASE("an RSA leaf may also encipher keys", "[pki][cert]") {
  TestCa ca = makeCa("ca");
  auto key = generateRsaKey(2048);
  REQUIRE(key.ok());
  CHECK(EVP_PKEY_get_bits(key->get()) == 2048);
  auto cert = issueCert(key->get(), LeafSpec{.commonName = "rsa", .serverAuth = true},
                        ca.cert.get(), ca.key.get());
  REQUIRE(cert.ok());
  CHECK(hasKeyUsage(cert->get(), KU_KEY_ENCIPHERMENT));
}

TEST_CASE("a leaf for no purpose is refused", "[pki][cert]") {
  TestCa ca = makeCa("ca");
  auto cert = issueCert(ca.key.get(), LeafSpec{.commonName = "x"}, ca.cert.get(), ca.key.get());
  CHECK_FALSE(cert.ok());
  CHECK(cert.status().code() == tug::Code::kInvalid);
}

TEST_CASE("serial numbers are positive, 128 bits at most and differ", "[pki][cert]") {
  auto a = randomSerial();
  auto b = randomSerial();
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK_FALSE(BN_is_negative(a->get()));
  CHECK(BN_num_bits(a->get()) <= 128);
  CHECK(BN_cmp(a->get(), b->get()) != 0);

  TestCa one = makeCa("ca");
  TestCa two = makeCa("ca");
  CHECK(ASN1_INTEGER_cmp(X509_get0_serialNumber(one.cert.get()),
                         X509_get0_serialNumber(two.cert.get())) != 0);
}
