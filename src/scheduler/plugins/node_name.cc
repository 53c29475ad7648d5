#include "scheduler/plugins/node_name.h"

namespace tug::scheduler {

FilterStatus NodeNamePlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
  if (pod.nodeName.empty() || pod.nodeName == node.name) {
    return FilterStatus::success();
  }
  return FilterStatus::unresolvable("node(s) didn't match the requested node name");
}

}  // namespace tug::scheduler
