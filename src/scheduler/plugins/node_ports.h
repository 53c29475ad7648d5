#pragma once

#include "scheduler/framework.h"

namespace tug::scheduler {

// NodePorts: the pod's host ports must be free on the node.
class NodePortsPlugin : public FilterPlugin {
 public:
  std::string_view name() const override { return "NodePorts"; }
  FilterStatus filter(const PodInfo& pod, const NodeInfo& node) const override;
};

}  // namespace tug::scheduler
