#include "scheduler/plugins/node_affinity.h"

#include "scheduler/selectors.h"

namespace tug::scheduler {

FilterStatus NodeAffinityPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
  if (podMatchesNodeSelectorAndAffinity(pod, node)) {
    return FilterStatus::success();
  }
  return FilterStatus::unresolvable("node(s) didn't match Pod's node affinity/selector");
}

int64_t NodeAffinityPlugin::score(const PodInfo& pod, const NodeInfo& node) const {
  const json& preferred =
      memberObject(memberObject(memberObject(pod.spec(), "affinity"), "nodeAffinity"),
                   "preferredDuringSchedulingIgnoredDuringExecution");
  int64_t total = 0;
  if (!preferred.is_array()) {
    return 0;
  }
  for (const json& p : preferred) {
    int64_t weight = p.is_object() ? p.value("weight", 0) : 0;
    if (weight != 0 && nodeSelectorTermMatches(memberObject(p, "preference"), node)) {
      total += weight;
    }
  }
  return total;
}

void NodeAffinityPlugin::normalize(std::vector<int64_t>& scores) const {
  defaultNormalize(scores, /*reverse=*/false);
}

}  // namespace tug::scheduler
