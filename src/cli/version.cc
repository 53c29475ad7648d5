#include "cli/version.h"

#include "tug_commit.h"
#include "tug_version.h"

namespace tug::cli {

std::string shortVersion() {
  return std::string("v") + TUG_VERSION + " (git " + TUG_GIT_COMMIT + ")";
}

std::string versionText() {
  return "tug version " + shortVersion() + "\nkubernetes " + TUG_KUBERNETES_VERSION + "\n";
}

}  // namespace tug::cli
