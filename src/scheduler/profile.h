#pragma once

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "scheduler/fit_error.h"
#include "scheduler/framework.h"

// The plugins of the default profile in upstream's order, and one scheduling cycle over them:
// filter every node, score the feasible ones, pick the best (ties at random).
namespace tug::scheduler {

class Profile {
 public:
  // NodeUnschedulable, NodeName, TaintToleration, NodeReady, NodeAffinity, NodePorts,
  // NodeResourcesFit, PodTopologySpread, InterPodAffinity as filters; TaintToleration (3),
  // NodeAffinity (2), PodTopologySpread (2), InterPodAffinity (2), LeastAllocated (1) and
  // BalancedAllocation (1) as weighted scores.
  static std::unique_ptr<Profile> makeDefault();

  struct Result {
    std::string node;        // empty when no node fits
    NodeStatuses failures;   // why each refused node was refused
  };
  // One cycle at a time (plugins keep the cycle's state).
  Result schedule(const PodInfo& pod, const Snapshot& snapshot, std::mt19937& rng);

  // The filters in order, stopping at the first that refuses. REQUIRES: preFilter(pod, ...)
  // ran for this pod and a snapshot holding `node`.
  FilterStatus runFilters(const PodInfo& pod, const NodeInfo& node) const;
  void preFilter(const PodInfo& pod, const Snapshot& snapshot);

  // The total weighted score of each feasible node, in order.
  std::vector<int64_t> scoreNodes(const PodInfo& pod, const Snapshot& snapshot,
                                  const std::vector<NodeInfoPtr>& feasible);

 private:
  std::vector<std::unique_ptr<FilterPlugin>> ownedFilters_;
  std::vector<std::unique_ptr<ScorePlugin>> ownedScores_;
  std::vector<FilterPlugin*> filters_;
  std::vector<std::pair<ScorePlugin*, int64_t>> scores_;  // with weights
};

}  // namespace tug::scheduler
