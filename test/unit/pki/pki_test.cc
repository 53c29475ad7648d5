#include "pki/pki.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>

#include "pki/cert.h"
#include "pki/cert_info.h"
#include "pki/file_io.h"
#include "pki/key.h"
#include "pki_test_util.h"
#include "support/temp_dir.h"

using namespace tug::pki;
using tug::pki::testing::fileMode;
using tug::pki::testing::loadCert;
using tug::pki::testing::Verification;
using tug::pki::testing::verifyAgainst;

namespace {

PkiOptions optionsFor(const tug::testing::TempDir& dir) {
  return PkiOptions{.dataDir = dir.path().string(),
                    .hostname = "Node-1",
                    .nodeIps = {"192.168.50.10"},
                    .tlsSans = {"api.example.com", "203.0.113.7"}};
}

std::vector<std::string> allFiles(const PkiFiles& f) {
  return {f.serverCaCert, f.serverCaKey, f.clientCaCert, f.clientCaKey, f.servingCert,
          f.servingKey,   f.adminCert,   f.adminKey,     f.serviceKey,  f.servicePub};
}

std::map<std::string, std::string> snapshot(const PkiFiles& f) {
  std::map<std::string, std::string> out;
  for (const auto& path : allFiles(f)) {
    auto text = readWholeFile(path);
    out[path] = text.ok() ? *text : "<missing>";
  }
  return out;
}

PkiFiles ensure(const PkiOptions& options) {
  auto files = ensurePki(options);
  INFO(files.status().toString());
  REQUIRE(files.ok());
  return std::move(*files);
}

// Replaces a leaf with one signed by `caCert`/`caKey` under the same paths.
void replaceLeaf(const std::string& certPath, const std::string& keyPath, const LeafSpec& spec,
                 const std::string& caCertPath, const std::string& caKeyPath) {
  auto caCert = readCertFile(caCertPath);
  auto caKey = readPrivateKeyFile(caKeyPath);
  REQUIRE(caCert.ok());
  REQUIRE(caKey.ok());
  auto key = generateEcKey();
  REQUIRE(key.ok());
  auto cert = issueCert(key->get(), spec, caCert->get(), caKey->get());
  REQUIRE(cert.ok());
  REQUIRE(writeFileAtomic(keyPath, *privateKeyToPem(key->get()), 0600).isOk());
  REQUIRE(writeFileAtomic(certPath, *certToPem(cert->get()), 0644).isOk());
}

}  // namespace

TEST_CASE("first start creates both CAs, the serving and admin certificates and the SA keys",
          "[pki]") {
  tug::testing::TempDir dir;
  PkiFiles f = ensure(optionsFor(dir));

  CHECK(f.dir == dir.file("server/tls"));
  CHECK(fileMode(f.dir) == 0700);
  CHECK(f.written.size() == 10);
  for (const auto& path : allFiles(f)) {
    INFO(path);
    bool isKey = path.size() > 4 && path.substr(path.size() - 4) == ".key";
    CHECK(fileMode(path) == (isKey ? 0600 : 0644));
  }

  CertPtr serverCa = loadCert(f.serverCaCert);
  CertPtr clientCa = loadCert(f.clientCaCert);
  REQUIRE(serverCa);
  REQUIRE(clientCa);
  CHECK(commonName(serverCa.get()).rfind("tug-server-ca@", 0) == 0);
  CHECK(commonName(clientCa.get()).rfind("tug-client-ca@", 0) == 0);
  CHECK(isCa(serverCa.get()));
  CHECK(isCa(clientCa.get()));

  SECTION("the serving certificate verifies against the server CA for every wanted name") {
    CertPtr serving = loadCert(f.servingCert);
    REQUIRE(serving);
    for (const char* host :
         {"node-1", "localhost", "kubernetes", "kubernetes.default", "kubernetes.default.svc",
          "kubernetes.default.svc.cluster.local", "api.example.com"}) {
      INFO(host);
      CHECK(verifyAgainst(serving.get(), serverCa.get(), {.host = host}) == X509_V_OK);
    }
    for (const char* ip : {"127.0.0.1", "::1", "192.168.50.10", "10.43.0.1", "203.0.113.7"}) {
      INFO(ip);
      CHECK(verifyAgainst(serving.get(), serverCa.get(), {.ip = ip}) == X509_V_OK);
    }
    CHECK(verifyAgainst(serving.get(), serverCa.get(), {.host = "other.example.com"}) ==
          X509_V_ERR_HOSTNAME_MISMATCH);
    CHECK(verifyAgainst(serving.get(), clientCa.get()) != X509_V_OK);
    CHECK((X509_get_extended_key_usage(serving.get()) & XKU_SSL_SERVER) != 0);
    CHECK((X509_get_extended_key_usage(serving.get()) & XKU_SSL_CLIENT) == 0);
  }

  SECTION("the admin certificate is system:admin in system:masters, from the client CA") {
    CertPtr admin = loadCert(f.adminCert);
    REQUIRE(admin);
    CHECK(commonName(admin.get()) == "system:admin");
    CHECK(organizations(admin.get()) == std::vector<std::string>{"system:masters"});
    CHECK(verifyAgainst(admin.get(), clientCa.get(), {.purpose = X509_PURPOSE_SSL_CLIENT}) ==
          X509_V_OK);
    CHECK(verifyAgainst(admin.get(), serverCa.get(), {.purpose = X509_PURPOSE_SSL_CLIENT}) !=
          X509_V_OK);
    CHECK(verifyAgainst(admin.get(), clientCa.get(), {.purpose = X509_PURPOSE_SSL_SERVER}) ==
          X509_V_ERR_INVALID_PURPOSE);
  }

  SECTION("service.key is RSA 2048 and service.pub is its public half") {
    auto key = readPrivateKeyFile(f.serviceKey);
    auto pub = readPublicKeyFile(f.servicePub);
    REQUIRE(key.ok());
    REQUIRE(pub.ok());
    CHECK(EVP_PKEY_is_a(key->get(), "RSA") == 1);
    CHECK(EVP_PKEY_get_bits(key->get()) == 2048);
    CHECK(samePublicKey(key->get(), pub->get()));
  }
}

TEST_CASE("a second start keeps every file byte for byte", "[pki]") {
  tug::testing::TempDir dir;
  PkiFiles first = ensure(optionsFor(dir));
  auto before = snapshot(first);
  PkiFiles second = ensure(optionsFor(dir));
  CHECK(second.written.empty());
  CHECK(snapshot(second) == before);
}

TEST_CASE("a key file with a loose mode is tightened, not rewritten", "[pki]") {
  tug::testing::TempDir dir;
  PkiFiles f = ensure(optionsFor(dir));
  auto before = snapshot(f);
  REQUIRE(::chmod(f.adminKey.c_str(), 0644) == 0);
  REQUIRE(::chmod(f.serverCaKey.c_str(), 0666) == 0);
  PkiFiles again = ensure(optionsFor(dir));
  CHECK(again.written.empty());
  CHECK(fileMode(f.adminKey) == 0600);
  CHECK(fileMode(f.serverCaKey) == 0600);
  CHECK(snapshot(again) == before);
}

TEST_CASE("leaves are reissued when expiring or wrongly signed, while the CAs stay", "[pki]") {
  tug::testing::TempDir dir;
  PkiOptions options = optionsFor(dir);
  PkiFiles f = ensure(options);
  auto serving = servingAltNames(options);
  REQUIRE(serving.ok());

  std::vector<std::string> changed;
  SECTION("a serving certificate within 90 days of expiry") {
    replaceLeaf(f.servingCert, f.servingKey,
                LeafSpec{.commonName = "kube-apiserver",
                         .serverAuth = true,
                         .altNames = *serving,
                         .validity = Days(30)},
                f.serverCaCert, f.serverCaKey);
    changed = {f.servingCert, f.servingKey};
  }
  SECTION("an expired admin certificate") {
    replaceLeaf(f.adminCert, f.adminKey,
                LeafSpec{.commonName = "system:admin",
                         .organizations = {"system:masters"},
                         .clientAuth = true,
                         .validity = Days(-1)},
                f.clientCaCert, f.clientCaKey);
    changed = {f.adminCert, f.adminKey};
  }
  SECTION("an admin certificate signed by the server CA") {
    replaceLeaf(
        f.adminCert, f.adminKey,
        LeafSpec{
            .commonName = "system:admin", .organizations = {"system:masters"}, .clientAuth = true},
        f.serverCaCert, f.serverCaKey);
    changed = {f.adminCert, f.adminKey};
  }
  SECTION("an admin certificate with the wrong groups") {
    replaceLeaf(f.adminCert, f.adminKey,
                LeafSpec{.commonName = "system:admin",
                         .organizations = {"system:masters", "extra"},
                         .clientAuth = true},
                f.clientCaCert, f.clientCaKey);
    changed = {f.adminCert, f.adminKey};
  }
  SECTION("a serving key that does not match its certificate") {
    auto otherKey = generateEcKey();
    REQUIRE(otherKey.ok());
    REQUIRE(writeFileAtomic(f.servingKey, *privateKeyToPem(otherKey->get()), 0600).isOk());
    changed = {f.servingCert, f.servingKey};
  }
  SECTION("a missing serving certificate") {
    REQUIRE(::unlink(f.servingCert.c_str()) == 0);
    changed = {f.servingCert, f.servingKey};
  }

  auto before = snapshot(f);
  PkiFiles again = ensure(options);
  auto after = snapshot(again);
  std::sort(changed.begin(), changed.end());
  std::vector<std::string> written = again.written;
  std::sort(written.begin(), written.end());
  CHECK(written == changed);
  for (const auto& path : allFiles(f)) {
    INFO(path);
    bool shouldChange = std::find(changed.begin(), changed.end(), path) != changed.end();
    CHECK((after[path] != before[path]) == shouldChange);
  }
  CertPtr serverCa = loadCert(f.serverCaCert);
  CertPtr clientCa = loadCert(f.clientCaCert);
  CertPtr servingCert = loadCert(f.servingCert);
  CertPtr adminCert = loadCert(f.adminCert);
  CHECK(verifyAgainst(servingCert.get(), serverCa.get(), {.host = "kubernetes"}) == X509_V_OK);
  CHECK(verifyAgainst(adminCert.get(), clientCa.get(), {.purpose = X509_PURPOSE_SSL_CLIENT}) ==
        X509_V_OK);
  CHECK(notAfter(adminCert.get()) > std::chrono::system_clock::now() + Days(300));
  CHECK(notAfter(servingCert.get()) > std::chrono::system_clock::now() + Days(300));
}

TEST_CASE("a new tls-san reissues only the serving certificate", "[pki]") {
  tug::testing::TempDir dir;
  PkiOptions options = optionsFor(dir);
  PkiFiles f = ensure(options);
  auto before = snapshot(f);

  options.tlsSans.push_back("new.example.org");
  PkiFiles again = ensure(options);
  auto after = snapshot(again);
  std::vector<std::string> written = again.written;
  std::sort(written.begin(), written.end());
  CHECK(written == std::vector<std::string>{f.servingCert, f.servingKey});
  CHECK(after[f.serverCaCert] == before[f.serverCaCert]);
  CHECK(after[f.serverCaKey] == before[f.serverCaKey]);
  CHECK(after[f.adminCert] == before[f.adminCert]);
  CertPtr serving = loadCert(f.servingCert);
  CertPtr serverCa = loadCert(f.serverCaCert);
  CHECK(verifyAgainst(serving.get(), serverCa.get(), {.host = "new.example.org"}) == X509_V_OK);

  SECTION("and a new node IP does too") {
    options.nodeIps.push_back("fd00::10");
    PkiFiles third = ensure(options);
    CHECK(third.written.size() == 2);
    CertPtr reissued = loadCert(f.servingCert);
    CHECK(verifyAgainst(reissued.get(), serverCa.get(), {.ip = "fd00::10"}) == X509_V_OK);
  }
  SECTION("while dropping a name keeps the certificate") {
    options.tlsSans.pop_back();
    PkiFiles third = ensure(options);
    CHECK(third.written.empty());
  }
}

TEST_CASE("a CA certificate without its key is an error, not a new CA", "[pki]") {
  tug::testing::TempDir dir;
  PkiFiles f = ensure(optionsFor(dir));
  std::string key = GENERATE(as<std::string>(), "server-ca.key", "client-ca.key");
  std::string path = f.dir + "/" + key;
  REQUIRE(::unlink(path.c_str()) == 0);
  auto before = snapshot(f);

  auto again = ensurePki(optionsFor(dir));
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().message().find(path) != std::string::npos);
  CHECK_FALSE(fileExists(path));
  CHECK(snapshot(f) == before);
}

TEST_CASE("a CA key without its certificate gets a new certificate for the same key", "[pki]") {
  tug::testing::TempDir dir;
  PkiFiles f = ensure(optionsFor(dir));
  auto keyBefore = readWholeFile(f.serverCaKey);
  REQUIRE(::unlink(f.serverCaCert.c_str()) == 0);
  PkiFiles again = ensure(optionsFor(dir));
  CHECK(*readWholeFile(f.serverCaKey) == *keyBefore);
  CertPtr serverCa = loadCert(f.serverCaCert);
  CertPtr serving = loadCert(f.servingCert);
  REQUIRE(serverCa);
  // Whether or not the serving certificate was reissued (the new CA name has a new timestamp),
  // it must verify under the CA certificate now on disk.
  CHECK(verifyAgainst(serving.get(), serverCa.get(), {.host = "kubernetes"}) == X509_V_OK);
}

TEST_CASE("a damaged PEM file is an error naming it and is left alone", "[pki]") {
  tug::testing::TempDir dir;
  PkiFiles f = ensure(optionsFor(dir));
  std::string name =
      GENERATE(as<std::string>(), "server-ca.crt", "client-ca.key", "serving-kube-apiserver.crt",
               "client-admin.key", "service.key", "service.pub");
  std::string path = f.dir + "/" + name;
  REQUIRE(writeFileAtomic(path, "garbage\n", 0600).isOk());

  auto again = ensurePki(optionsFor(dir));
  REQUIRE_FALSE(again.ok());
  INFO(again.status().message());
  CHECK(again.status().message().find(path) != std::string::npos);
  CHECK(*readWholeFile(path) == "garbage\n");
}

TEST_CASE("service.pub is rederived from service.key; a lone service.pub is an error", "[pki]") {
  tug::testing::TempDir dir;
  PkiFiles f = ensure(optionsFor(dir));
  auto pubBefore = readWholeFile(f.servicePub);
  REQUIRE(::unlink(f.servicePub.c_str()) == 0);
  PkiFiles again = ensure(optionsFor(dir));
  CHECK(again.written == std::vector<std::string>{f.servicePub});
  CHECK(*readWholeFile(f.servicePub) == *pubBefore);

  REQUIRE(::unlink(f.serviceKey.c_str()) == 0);
  auto third = ensurePki(optionsFor(dir));
  REQUIRE_FALSE(third.ok());
  CHECK(third.status().message().find(f.serviceKey) != std::string::npos);
}

TEST_CASE("bad options are Invalid and create nothing", "[pki]") {
  tug::testing::TempDir dir;
  PkiOptions options = optionsFor(dir);
  SECTION("node IP") { options.nodeIps = {"not-an-ip"}; }
  SECTION("service CIDR") { options.serviceCidr = "10.43.0.0"; }
  auto files = ensurePki(options);
  REQUIRE_FALSE(files.ok());
  CHECK(files.status().code() == tug::Code::kInvalid);
  CHECK_FALSE(fileExists(dir.file("server/tls")));
}

TEST_CASE("the serving names follow the cluster domain and service CIDR", "[pki]") {
  PkiOptions options{.hostname = "h", .serviceCidr = "10.96.0.0/12", .clusterDomain = "corp.lan"};
  auto names = servingAltNames(options);
  REQUIRE(names.ok());
  SubjectAltNames want;
  want.add("kubernetes.default.svc.corp.lan");
  want.add("10.96.0.1");
  want.add("h");
  CHECK(names->covers(want));
  CHECK(std::find(names->dnsNames.begin(), names->dnsNames.end(),
                  "kubernetes.default.svc.cluster.local") == names->dnsNames.end());
}

TEST_CASE("the openssl command line tool accepts the chain", "[pki][interop]") {
  if (!tug::pki::testing::executableExists("/usr/bin/openssl")) {
    WARN("no /usr/bin/openssl; skipped");
    return;
  }
  tug::testing::TempDir dir;
  PkiFiles f = ensure(optionsFor(dir));
  using tug::pki::testing::runCommand;
  auto serving = runCommand("/usr/bin/openssl verify -purpose sslserver -CAfile " + f.serverCaCert +
                            " " + f.servingCert);
  INFO(serving.output);
  CHECK(serving.exitCode == 0);
  auto admin = runCommand("/usr/bin/openssl verify -purpose sslclient -CAfile " + f.clientCaCert +
                          " " + f.adminCert);
  INFO(admin.output);
  CHECK(admin.exitCode == 0);
  auto wrong =
      runCommand("/usr/bin/openssl verify -CAfile " + f.clientCaCert + " " + f.servingCert);
  CHECK(wrong.exitCode != 0);
  auto rsa = runCommand("/usr/bin/openssl rsa -check -noout -in " + f.serviceKey);
  INFO(rsa.output);
  CHECK(rsa.exitCode == 0);
  auto pub = runCommand("/usr/bin/openssl pkey -pubin -noout -in " + f.servicePub);
  CHECK(pub.exitCode == 0);
}
