#pragma once

#include "scheduler/framework.h"

namespace tug::scheduler {

// NodeAffinity: spec.nodeSelector and the required node affinity must hold; as a score, the
// weights of the preferred terms the node matches, scaled to the best node.
class NodeAffinityPlugin : public FilterPlugin, public ScorePlugin {
 public:
  std::string_view name() const override { return "NodeAffinity"; }
  FilterStatus filter(const PodInfo& pod, const NodeInfo& node) const override;
  int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
  void normalize(std::vector<int64_t>& scores) const override;
};

}  // namespace tug::scheduler
