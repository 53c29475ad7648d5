#include "scheduler/plugins/node_ready.h"

#include "scheduler/selectors.h"

namespace tug::scheduler {
namespace {

bool isReady(const json& node) {
  const json& conditions = memberObject(memberObject(node, "status"), "conditions");
  if (!conditions.is_array()) {
    return false;
  }
  for (const json& c : conditions) {
    if (c.is_object() && c.value("type", "") == "Ready") {
      return c.value("status", "") == "True";
    }
  }
  return false;
}

}  // namespace

FilterStatus NodeReadyPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
  if (isReady(node.node)) {
    return FilterStatus::success();
  }
  static const json kTaint = {{"key", "node.kubernetes.io/not-ready"}, {"effect", "NoSchedule"}};
  if (anyToleratesTaint(memberObject(pod.spec(), "tolerations"), kTaint)) {
    return FilterStatus::success();
  }
  return FilterStatus::unresolvable("node(s) were not ready");
}

}  // namespace tug::scheduler
