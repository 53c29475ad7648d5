#include "scheduler/plugins/node_unschedulable.h"

#include "scheduler/selectors.h"

namespace tug::scheduler {

FilterStatus NodeUnschedulablePlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
  if (!node.unschedulable) {
    return FilterStatus::success();
  }
  static const json kTaint = {{"key", "node.kubernetes.io/unschedulable"},
                              {"effect", "NoSchedule"}};
  if (anyToleratesTaint(memberObject(pod.spec(), "tolerations"), kTaint)) {
    return FilterStatus::success();
  }
  return FilterStatus::unresolvable("node(s) were unschedulable");
}

}  // namespace tug::scheduler
