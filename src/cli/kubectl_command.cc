#include "cli/kubectl_command.h"

#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <vector>

namespace tug::cli {

Result<std::string> findKubectl(const std::string& path) {
  std::stringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    std::string candidate = (dir.empty() ? "." : dir) + "/kubectl";
    if (access(candidate.c_str(), X_OK) == 0) {
      return candidate;
    }
  }
  return notFound("kubectl not found on PATH; install kubectl to use `tug kubectl`");
}

Status execKubectl(std::span<const std::string> args) {
  const char* path = std::getenv("PATH");
  auto kubectl = findKubectl(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  if (!kubectl.ok()) {
    return kubectl.status();
  }
  const char* kubeconfig = std::getenv("KUBECONFIG");
  if (kubeconfig == nullptr || *kubeconfig == '\0') {
    if (access(kDefaultKubeconfig, R_OK) != 0) {
      return notFound(std::string("cannot read ") + kDefaultKubeconfig + " (" +
                      std::strerror(errno) + "): is tug server running, and are you root?");
    }
    setenv("KUBECONFIG", kDefaultKubeconfig, 1);
  }
  std::vector<char*> argv;
  std::string name = "kubectl";
  argv.push_back(name.data());
  std::vector<std::string> copies(args.begin(), args.end());
  for (std::string& a : copies) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  execv(kubectl->c_str(), argv.data());
  return internalError("cannot run " + *kubectl + ": " + std::strerror(errno));
}

}  // namespace tug::cli
