#include "scheduler/plugins/taint_toleration.h"

#include "scheduler/selectors.h"

namespace tug::scheduler {
namespace {

const json& taintsOf(const NodeInfo& node) { return *node.taints; }

}  // namespace

FilterStatus TaintTolerationPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
  const json& taints = taintsOf(node);
  if (!taints.is_array()) {
    return FilterStatus::success();
  }
  const json& tolerations = memberObject(pod.spec(), "tolerations");
  for (const json& taint : taints) {
    std::string effect = taint.value("effect", "");
    if (effect != "NoSchedule" && effect != "NoExecute") {
      continue;
    }
    if (!anyToleratesTaint(tolerations, taint)) {
      return FilterStatus::unresolvable("node(s) had untolerated taint {" + taint.value("key", "") +
                                        ": " + taint.value("value", "") + "}");
    }
  }
  return FilterStatus::success();
}

int64_t TaintTolerationPlugin::score(const PodInfo& pod, const NodeInfo& node) const {
  const json& taints = taintsOf(node);
  if (!taints.is_array()) {
    return 0;
  }
  // Only tolerations that can apply to PreferNoSchedule count.
  json tolerations = json::array();
  for (const json& t : memberObject(pod.spec(), "tolerations")) {
    std::string effect = t.is_object() ? t.value("effect", "") : "";
    if (effect.empty() || effect == "PreferNoSchedule") {
      tolerations.push_back(t);
    }
  }
  int64_t untolerated = 0;
  for (const json& taint : taints) {
    if (taint.value("effect", "") == "PreferNoSchedule" && !anyToleratesTaint(tolerations, taint)) {
      ++untolerated;
    }
  }
  return untolerated;
}

void TaintTolerationPlugin::normalize(std::vector<int64_t>& scores) const {
  defaultNormalize(scores, /*reverse=*/true);
}

}  // namespace tug::scheduler
