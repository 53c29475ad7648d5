#pragma once

#include "scheduler/framework.h"

namespace tug::scheduler {

// NodeName: a pod that names its node (spec.nodeName) fits only there.
class NodeNamePlugin : public FilterPlugin {
 public:
  std::string_view name() const override { return "NodeName"; }
  FilterStatus filter(const PodInfo& pod, const NodeInfo& node) const override;
};

}  // namespace tug::scheduler
