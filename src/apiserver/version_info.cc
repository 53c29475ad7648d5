#include "apiserver/version_info.h"

#include <string>

#include "tug_commit.h"
#include "tug_version.h"

namespace tug::apiserver {

nlohmann::json versionInfo() {
  std::string k8s = TUG_KUBERNETES_VERSION;  // "v1.31.0"
  size_t dot1 = k8s.find('.');
  size_t dot2 = k8s.find('.', dot1 + 1);
  std::string major = k8s.substr(1, dot1 - 1);
  std::string minor = k8s.substr(dot1 + 1, dot2 - dot1 - 1);
#if defined(__x86_64__)
  const char* arch = "amd64";
#elif defined(__aarch64__)
  const char* arch = "arm64";
#elif defined(__arm__)
  const char* arch = "arm";
#else
  const char* arch = "unknown";
#endif
  return {{"major", major},
          {"minor", minor},
          {"gitVersion", k8s + "+tug." + TUG_VERSION},
          {"gitCommit", TUG_GIT_COMMIT},
          {"gitTreeState", "clean"},
          {"buildDate", TUG_BUILD_DATE},
          {"goVersion", ""},
          {"compiler", "gcc"},
          {"platform", std::string("linux/") + arch}};
}

}  // namespace tug::apiserver
