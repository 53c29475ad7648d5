#pragma once

#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <string>

#include "pki/openssl_util.h"
#include "pki/pem.h"

// Helpers shared by the PKI tests: chain verification the way a TLS peer does it, and running
// the real command line tools.
namespace tug::pki::testing {

struct Verification {
  std::string host;  // DNS name the certificate must match, if any
  std::string ip;    // IP address the certificate must match, if any
  int purpose = X509_PURPOSE_SSL_SERVER;
};

// X509_V_OK when `cert` chains to `ca` for `v`; else the verification error code.
inline int verifyAgainst(X509* cert, X509* ca, const Verification& v = {}) {
  std::unique_ptr<X509_STORE, OpensslDeleter<X509_STORE_free>> store(X509_STORE_new());
  std::unique_ptr<X509_STORE_CTX, OpensslDeleter<X509_STORE_CTX_free>> ctx(X509_STORE_CTX_new());
  X509_STORE_add_cert(store.get(), ca);
  X509_STORE_CTX_init(ctx.get(), store.get(), cert, nullptr);
  X509_STORE_CTX_set_purpose(ctx.get(), v.purpose);
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  if (!v.host.empty()) {
    X509_VERIFY_PARAM_set1_host(param, v.host.c_str(), 0);
  }
  if (!v.ip.empty()) {
    X509_VERIFY_PARAM_set1_ip_asc(param, v.ip.c_str());
  }
  if (X509_verify_cert(ctx.get()) == 1) {
    return X509_V_OK;
  }
  return X509_STORE_CTX_get_error(ctx.get());
}

inline CertPtr loadCert(const std::string& path) {
  auto cert = readCertFile(path);
  return cert.ok() ? std::move(*cert) : nullptr;
}

inline int fileMode(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 ? static_cast<int>(st.st_mode & 07777) : -1;
}

struct CommandResult {
  int exitCode = -1;
  std::string output;  // stdout and stderr
};

inline CommandResult runCommand(const std::string& command) {
  CommandResult r;
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) {
    return r;
  }
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, p)) > 0) {
    r.output.append(buf, n);
  }
  int status = ::pclose(p);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline bool executableExists(const std::string& path) { return ::access(path.c_str(), X_OK) == 0; }

}  // namespace tug::pki::testing
