#pragma once

#include "scheduler/framework.h"

namespace tug::scheduler {

// NodeReady: a node whose Ready condition is not True takes only pods that tolerate the
// node.kubernetes.io/not-ready:NoSchedule taint (upstream marks such nodes with that taint).
class NodeReadyPlugin : public FilterPlugin {
 public:
  std::string_view name() const override { return "NodeReady"; }
  FilterStatus filter(const PodInfo& pod, const NodeInfo& node) const override;
};

}  // namespace tug::scheduler
