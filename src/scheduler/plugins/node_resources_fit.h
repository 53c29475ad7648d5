#pragma once

#include "scheduler/framework.h"

namespace tug::scheduler {

// NodeResourcesFit: the pod's requests must fit in the node's allocatable minus what the
// pods already there request, and the node must have room for one more pod. A request larger
// than the whole allocatable cannot be helped by preemption (unresolvable).
class NodeResourcesFitPlugin : public FilterPlugin {
 public:
  std::string_view name() const override { return "NodeResourcesFit"; }
  FilterStatus filter(const PodInfo& pod, const NodeInfo& node) const override;
};

// NodeResourcesFit's LeastAllocated score: the share of cpu and memory left free once the
// pod is placed (requests, with defaults for containers that set none), averaged.
class LeastAllocatedPlugin : public ScorePlugin {
 public:
  std::string_view name() const override { return "NodeResourcesLeastAllocated"; }
  int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
};

// NodeResourcesBalancedAllocation: nodes whose cpu and memory would be used in similar
// proportions rank higher.
class BalancedAllocationPlugin : public ScorePlugin {
 public:
  std::string_view name() const override { return "NodeResourcesBalancedAllocation"; }
  int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
};

}  // namespace tug::scheduler
