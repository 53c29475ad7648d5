#pragma once

#include <map>
#include <string>
#include <vector>

#include "scheduler/affinity_terms.h"
#include "scheduler/framework.h"

namespace tug::scheduler {

// InterPodAffinity: required pod affinity and anti-affinity by topology domain, both the
// incoming pod's and (for anti-affinity) the existing pods' towards it; as a score, the
// preferred terms of both sides, and existing pods' required affinity, by domain.
class InterPodAffinityPlugin : public FilterPlugin, public ScorePlugin {
 public:
  std::string_view name() const override { return "InterPodAffinity"; }
  void preFilter(const PodInfo& pod, const Snapshot& snapshot) override;
  FilterStatus filter(const PodInfo& pod, const NodeInfo& node) const override;
  void preScore(const PodInfo& pod, const Snapshot& snapshot,
                const std::vector<NodeInfoPtr>& feasible) override;
  int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
  void normalize(std::vector<int64_t>& scores) const override;

 private:
  // Counts (or weights) by topology key, then value.
  using DomainCounts = std::map<std::string, std::map<std::string, int64_t>>;
  static int64_t countAt(const DomainCounts& counts, const NodeInfo& node);

  std::vector<AffinityTerm> affinity_, antiAffinity_;
  DomainCounts existingAnti_;  // domains where an existing pod's anti-affinity refuses the pod
  std::vector<DomainCounts> affinityCounts_;  // per affinity term: pods matching all terms
  bool anyPodMatchesAffinity_ = false;
  DomainCounts antiCounts_;  // domains holding pods the incoming pod's anti-affinity refuses
  DomainCounts preferred_;   // score weights
};

}  // namespace tug::scheduler
