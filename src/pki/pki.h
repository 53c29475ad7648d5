#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "pki/san.h"

// The server's certificates and keys under <data-dir>/server/tls/, created on first start and
// checked on every start. See ensurePki for what is kept and what is reissued.
namespace tug::pki {

struct PkiOptions {
  std::string dataDir = "/var/lib/tug";
  std::string hostname;                      // empty: this machine's name
  std::vector<std::string> nodeIps;          // each must be an IP address
  std::string serviceCidr = "10.43.0.0/16";  // comma-separated for dual stack
  std::string clusterDomain = "cluster.local";
  std::vector<std::string> tlsSans;  // extra names: IP if one parses, else DNS
};

struct PkiFiles {
  std::string dir;  // <data-dir>/server/tls
  std::string serverCaCert, serverCaKey;
  std::string clientCaCert, clientCaKey;
  std::string servingCert, servingKey;  // the API server's serving certificate
  std::string adminCert, adminKey;      // system:admin in system:masters
  std::string serviceKey, servicePub;   // service-account token signing (RSA)
  std::vector<std::string> written;     // files this call created or replaced
};

// The paths only; touches nothing.
PkiFiles pkiPaths(const std::string& dataDir);

// Every name the serving certificate must carry for `options`. Invalid on a bad node IP or
// service CIDR.
Result<SubjectAltNames> servingAltNames(const PkiOptions& options);

// Leaf certificates this close to expiry are reissued on start.
inline constexpr int kRenewBeforeDays = 90;

// Makes the files of pkiPaths(options.dataDir) exist and be usable:
//  - the directory is 0700, keys 0600, certificates and service.pub 0644;
//  - the two CAs and service.key are created once and then never replaced: a CA certificate
//    without its key (or service.pub without service.key) is an error, because silently
//    replacing them would invalidate every credential issued before;
//  - a leaf certificate is reissued, with a new key, when it is missing, unreadable by its key,
//    expired or within kRenewBeforeDays of expiry, not signed by the current CA, has the wrong
//    subject, or (serving) lacks a wanted name; otherwise it is kept byte for byte;
//  - a file that exists but does not parse is an error naming it (never overwritten).
// Each file is written atomically. Not safe to run concurrently on one data dir.
Result<PkiFiles> ensurePki(const PkiOptions& options);

}  // namespace tug::pki
