#include "apiserver/default_tolerations.h"

#include <string>

namespace tug::apiserver {
namespace {

constexpr const char* kNotReady = "node.kubernetes.io/not-ready";
constexpr const char* kUnreachable = "node.kubernetes.io/unreachable";

// Whether a toleration already covers the NoExecute taint `key`: same key or none (all keys),
// and NoExecute or no effect (all effects).
bool covers(const nlohmann::json& toleration, const std::string& key) {
  if (!toleration.is_object()) {
    return false;
  }
  std::string k = toleration.value("key", "");
  std::string effect = toleration.value("effect", "");
  return (k == key || k.empty()) && (effect == "NoExecute" || effect.empty());
}

}  // namespace

void addDefaultTolerations(nlohmann::json& pod, const PodDefaults& defaults) {
  auto spec = pod.find("spec");
  if (spec == pod.end() || !spec->is_object()) {
    return;
  }
  nlohmann::json& tolerations = (*spec)["tolerations"];
  if (!tolerations.is_array()) {
    tolerations = nlohmann::json::array();
  }
  for (const auto& [key, seconds] :
       {std::pair<const char*, int64_t>{kNotReady, defaults.notReadyTolerationSeconds},
        {kUnreachable, defaults.unreachableTolerationSeconds}}) {
    bool covered = false;
    for (const auto& t : tolerations) {
      covered = covered || covers(t, key);
    }
    if (!covered) {
      tolerations.push_back({{"key", key},
                             {"operator", "Exists"},
                             {"effect", "NoExecute"},
                             {"tolerationSeconds", seconds}});
    }
  }
}

}  // namespace tug::apiserver
