#pragma once

#include <span>
#include <string>

#include "common/status.h"

namespace tug::cli {

inline constexpr const char* kDefaultKubeconfig = "/etc/tug/tug.yaml";

// The kubectl executable on `path` (a PATH-style list), or NotFound.
Result<std::string> findKubectl(const std::string& path);

// `tug kubectl <args>`: replaces this process with kubectl, pointing KUBECONFIG at the admin
// kubeconfig unless the caller set one. Returns only on failure.
Status execKubectl(std::span<const std::string> args);

}  // namespace tug::cli
