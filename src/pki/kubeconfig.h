#pragma once

#include <sys/types.h>

#include <string>

#include "common/status.h"

namespace tug::pki {

// One cluster, one user and one context, all called `name`, with the CA and the client
// credentials inlined (base64 of the PEM text) so the file stands alone.
struct Kubeconfig {
  std::string server;  // e.g. https://127.0.0.1:6443
  std::string caPem;
  std::string clientCertPem;
  std::string clientKeyPem;
  std::string name = "default";
};

// The kubeconfig YAML, as kubectl reads it.
std::string renderKubeconfig(const Kubeconfig& config);

// Writes renderKubeconfig(config) to `path` atomically with exactly `mode` (it holds a private
// key: 0600 unless the user asks otherwise), creating the parent directory (0755) if missing.
Status writeKubeconfig(const std::string& path, mode_t mode, const Kubeconfig& config);

}  // namespace tug::pki
