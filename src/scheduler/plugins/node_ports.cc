#include "scheduler/plugins/node_ports.h"

namespace tug::scheduler {

FilterStatus NodePortsPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
  for (const HostPort& want : pod.ports) {
    for (const HostPort& used : node.usedPorts) {
      if (want.conflicts(used)) {
        return FilterStatus::unschedulable(
            "node(s) didn't have free ports for the requested pod ports");
      }
    }
  }
  return FilterStatus::success();
}

}  // namespace tug::scheduler
