#pragma once

#include "scheduler/framework.h"

namespace tug::scheduler {

// NodeUnschedulable: a cordoned node (spec.unschedulable) takes only pods that tolerate the
// node.kubernetes.io/unschedulable:NoSchedule taint.
class NodeUnschedulablePlugin : public FilterPlugin {
 public:
  std::string_view name() const override { return "NodeUnschedulable"; }
  FilterStatus filter(const PodInfo& pod, const NodeInfo& node) const override;
};

}  // namespace tug::scheduler
