#pragma once

#include "scheduler/framework.h"

namespace tug::scheduler {

// TaintToleration: a node's NoSchedule and NoExecute taints keep away pods that do not
// tolerate them; as a score, fewer untolerated PreferNoSchedule taints rank higher.
class TaintTolerationPlugin : public FilterPlugin, public ScorePlugin {
 public:
  std::string_view name() const override { return "TaintToleration"; }
  FilterStatus filter(const PodInfo& pod, const NodeInfo& node) const override;
  int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
  void normalize(std::vector<int64_t>& scores) const override;
};

}  // namespace tug::scheduler
