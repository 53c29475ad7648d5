#include "scheduler/plugins/node_ready.h"

#include "scheduler/selectors.h"

namespace tug::scheduler {

FilterStatus NodeReadyPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
  if (node.ready) {
    return FilterStatus::success();
  }
  static const json kTaint = {{"key", "node.kubernetes.io/not-ready"}, {"effect", "NoSchedule"}};
  if (anyToleratesTaint(memberObject(pod.spec(), "tolerations"), kTaint)) {
    return FilterStatus::success();
  }
  return FilterStatus::unresolvable("node(s) were not ready");
}

}  // namespace tug::scheduler
