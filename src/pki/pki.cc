#include "pki/pki.h"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "common/log.h"
#include "pki/cert.h"
#include "pki/cert_info.h"
#include "pki/file_io.h"
#include "pki/key.h"
#include "pki/pem.h"

namespace tug::pki {
namespace {

constexpr mode_t kDirMode = 0700;
constexpr mode_t kKeyMode = 0600;
constexpr mode_t kCertMode = 0644;
constexpr int kServiceKeyBits = 2048;

struct Authority {
  CertPtr cert;
  KeyPtr key;
};

struct Leaf {
  std::string certPath;
  std::string keyPath;
  LeafSpec spec;
};

std::string fileName(const std::string& path) { return path.substr(path.find_last_of('/') + 1); }

Status writePem(PkiFiles& files, const std::string& path, const Result<std::string>& pem,
                mode_t mode) {
  if (!pem.ok()) {
    return pem.status().wrap("writing " + path);
  }
  Status s = writeFileAtomic(path, *pem, mode);
  if (s.isOk()) {
    files.written.push_back(path);
  }
  return s;
}

std::string thisHostname() {
  char buf[256] = {};
  if (::gethostname(buf, sizeof buf - 1) != 0 || buf[0] == '\0') {
    return "localhost";
  }
  return buf;
}

// Loads a CA, or creates it on first start. The key is written before the certificate, so a
// crash in between leaves a key without a certificate, which gets a fresh certificate.
Result<Authority> ensureCa(PkiFiles& files, const std::string& certPath, const std::string& keyPath,
                           const std::string& namePrefix) {
  bool haveCert = fileExists(certPath);
  bool haveKey = fileExists(keyPath);
  if (haveCert && !haveKey) {
    return invalid(certPath + " exists but its key " + keyPath +
                   " is missing; restore the key (regenerating the CA would invalidate every "
                   "certificate and kubeconfig it signed)");
  }
  Authority ca;
  if (haveKey) {
    auto key = readPrivateKeyFile(keyPath);
    if (!key.ok()) {
      return key.status();
    }
    ca.key = std::move(*key);
    if (Status s = setMode(keyPath, kKeyMode); !s.isOk()) {
      return s;
    }
  } else {
    auto key = generateEcKey();
    if (!key.ok()) {
      return key.status();
    }
    ca.key = std::move(*key);
    if (Status s = writePem(files, keyPath, privateKeyToPem(ca.key.get()), kKeyMode); !s.isOk()) {
      return s;
    }
  }
  if (haveCert) {
    auto cert = readCertFile(certPath);
    if (!cert.ok()) {
      return cert.status();
    }
    if (!certMatchesKey(cert->get(), ca.key.get())) {
      return invalid(certPath + " does not belong to the key " + keyPath);
    }
    if (!isCa(cert->get())) {
      return invalid(certPath + " is not a CA certificate");
    }
    if (notAfter(cert->get()) < std::chrono::system_clock::now()) {
      TUG_LOG(kWarn, "pki") << certPath << " has expired; clients will reject what it signed";
    }
    ca.cert = std::move(*cert);
    return ca;
  }
  std::string cn = namePrefix + "@" + std::to_string(std::time(nullptr));
  auto cert = createCaCert(ca.key.get(), CaSpec{.commonName = cn});
  if (!cert.ok()) {
    return cert.status();
  }
  ca.cert = std::move(*cert);
  if (Status s = writePem(files, certPath, certToPem(ca.cert.get()), kCertMode); !s.isOk()) {
    return s;
  }
  TUG_LOG(kInfo, "pki") << "created CA " << cn << " in " << certPath;
  return ca;
}

bool sameSet(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// Why `leaf` must be reissued, or "" when the files on disk can be kept. Errors only for files
// that exist but cannot be parsed.
Result<std::string> reissueReason(const Leaf& leaf, const Authority& ca) {
  if (!fileExists(leaf.certPath)) {
    return std::string("it does not exist");
  }
  if (!fileExists(leaf.keyPath)) {
    return "its key " + leaf.keyPath + " does not exist";
  }
  auto cert = readCertFile(leaf.certPath);
  if (!cert.ok()) {
    return cert.status();
  }
  auto key = readPrivateKeyFile(leaf.keyPath);
  if (!key.ok()) {
    return key.status();
  }
  X509* c = cert->get();
  if (!certMatchesKey(c, key->get())) {
    return "it does not belong to the key " + leaf.keyPath;
  }
  if (!isIssuedBy(c, ca.cert.get())) {
    return std::string("it is not signed by the current CA");
  }
  auto renewAt = std::chrono::system_clock::now() + Days(kRenewBeforeDays);
  if (notAfter(c) < renewAt) {
    return "it expires within " + std::to_string(kRenewBeforeDays) + " days";
  }
  if (commonName(c) != leaf.spec.commonName ||
      !sameSet(organizations(c), leaf.spec.organizations)) {
    return std::string("its subject changed");
  }
  std::string missing;
  if (!subjectAltNames(c).covers(leaf.spec.altNames, &missing)) {
    return "it lacks the name " + missing;
  }
  return std::string();
}

Status ensureLeaf(PkiFiles& files, const Leaf& leaf, const Authority& ca) {
  auto reason = reissueReason(leaf, ca);
  if (!reason.ok()) {
    return reason.status();
  }
  if (reason->empty()) {
    Status s = setMode(leaf.keyPath, kKeyMode);
    return s.isOk() ? setMode(leaf.certPath, kCertMode) : s;
  }
  TUG_LOG(kInfo, "pki") << "issuing " << fileName(leaf.certPath) << ": " << *reason;
  auto key = generateEcKey();
  if (!key.ok()) {
    return key.status();
  }
  auto cert = issueCert(key->get(), leaf.spec, ca.cert.get(), ca.key.get());
  if (!cert.ok()) {
    return cert.status();
  }
  // Key first: a crash in between leaves a certificate that does not match its key, which the
  // next start reissues.
  Status s = writePem(files, leaf.keyPath, privateKeyToPem(key->get()), kKeyMode);
  return s.isOk() ? writePem(files, leaf.certPath, certToPem(cert->get()), kCertMode) : s;
}

// The service-account signing pair. service.pub is derived from service.key whenever it is
// missing or does not match.
Status ensureServiceKey(PkiFiles& files) {
  KeyPtr key;
  if (fileExists(files.serviceKey)) {
    auto loaded = readPrivateKeyFile(files.serviceKey);
    if (!loaded.ok()) {
      return loaded.status();
    }
    key = std::move(*loaded);
    if (Status s = setMode(files.serviceKey, kKeyMode); !s.isOk()) {
      return s;
    }
  } else if (fileExists(files.servicePub)) {
    return invalid(files.servicePub + " exists but " + files.serviceKey +
                   " is missing; restore it, or remove " + files.servicePub +
                   " to make a new pair (existing service account tokens stop working)");
  } else {
    auto made = generateRsaKey(kServiceKeyBits);
    if (!made.ok()) {
      return made.status();
    }
    key = std::move(*made);
    Status s = writePem(files, files.serviceKey, privateKeyToPem(key.get()), kKeyMode);
    if (!s.isOk()) {
      return s;
    }
  }
  if (fileExists(files.servicePub)) {
    auto pub = readPublicKeyFile(files.servicePub);
    if (!pub.ok()) {
      return pub.status();
    }
    if (samePublicKey(pub->get(), key.get())) {
      return setMode(files.servicePub, kCertMode);
    }
    TUG_LOG(kWarn, "pki") << files.servicePub << " does not match " << files.serviceKey
                          << "; rewriting it";
  }
  return writePem(files, files.servicePub, publicKeyToPem(key.get()), kCertMode);
}

Leaf servingLeaf(const PkiFiles& files, SubjectAltNames altNames) {
  return Leaf{
      .certPath = files.servingCert,
      .keyPath = files.servingKey,
      .spec = LeafSpec{
          .commonName = "kube-apiserver", .serverAuth = true, .altNames = std::move(altNames)}};
}

Leaf adminLeaf(const PkiFiles& files) {
  return Leaf{
      .certPath = files.adminCert,
      .keyPath = files.adminKey,
      .spec = LeafSpec{
          .commonName = "system:admin", .organizations = {"system:masters"}, .clientAuth = true}};
}

}  // namespace

PkiFiles pkiPaths(const std::string& dataDir) {
  PkiFiles f;
  f.dir = dataDir + "/server/tls";
  auto at = [&f](const char* name) { return f.dir + "/" + name; };
  f.serverCaCert = at("server-ca.crt");
  f.serverCaKey = at("server-ca.key");
  f.clientCaCert = at("client-ca.crt");
  f.clientCaKey = at("client-ca.key");
  f.servingCert = at("serving-kube-apiserver.crt");
  f.servingKey = at("serving-kube-apiserver.key");
  f.adminCert = at("client-admin.crt");
  f.adminKey = at("client-admin.key");
  f.serviceKey = at("service.key");
  f.servicePub = at("service.pub");
  return f;
}

Result<SubjectAltNames> servingAltNames(const PkiOptions& options) {
  SubjectAltNames names;
  names.addDns(options.hostname.empty() ? thisHostname() : options.hostname);
  names.addDns("localhost");
  (void)names.addIp("127.0.0.1");
  (void)names.addIp("::1");
  for (const auto& ip : options.nodeIps) {
    if (Status s = names.addIp(ip); !s.isOk()) {
      return s.wrap("node IP");
    }
  }
  std::string domain = options.clusterDomain.empty() ? "cluster.local" : options.clusterDomain;
  for (const char* dns : {"kubernetes", "kubernetes.default", "kubernetes.default.svc"}) {
    names.addDns(dns);
  }
  names.addDns("kubernetes.default.svc." + domain);
  auto serviceIps = firstServiceIps(options.serviceCidr);
  if (!serviceIps.ok()) {
    return serviceIps.status();
  }
  for (const auto& ip : *serviceIps) {
    (void)names.addIp(ip);
  }
  for (const auto& san : options.tlsSans) {
    names.add(san);
  }
  return names;
}

Result<PkiFiles> ensurePki(const PkiOptions& options) {
  PkiFiles files = pkiPaths(options.dataDir);
  auto altNames = servingAltNames(options);
  if (!altNames.ok()) {
    return altNames.status();
  }
  if (Status s = makeDirWithMode(files.dir, kDirMode, kDirMode); !s.isOk()) {
    return s;
  }
  auto serverCa = ensureCa(files, files.serverCaCert, files.serverCaKey, "tug-server-ca");
  if (!serverCa.ok()) {
    return serverCa.status();
  }
  auto clientCa = ensureCa(files, files.clientCaCert, files.clientCaKey, "tug-client-ca");
  if (!clientCa.ok()) {
    return clientCa.status();
  }
  if (Status s = ensureLeaf(files, servingLeaf(files, std::move(*altNames)), *serverCa);
      !s.isOk()) {
    return s;
  }
  if (Status s = ensureLeaf(files, adminLeaf(files), *clientCa); !s.isOk()) {
    return s;
  }
  if (Status s = ensureServiceKey(files); !s.isOk()) {
    return s;
  }
  return files;
}

}  // namespace tug::pki
