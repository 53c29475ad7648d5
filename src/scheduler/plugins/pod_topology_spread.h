#pragma once

#include <map>
#include <string>
#include <vector>

#include "scheduler/framework.h"

namespace tug::scheduler {

// PodTopologySpread: the pod's topologySpreadConstraints. DoNotSchedule constraints filter:
// placing the pod must keep the skew (its domain's matching pods minus the least loaded
// domain's) within maxSkew. ScheduleAnyway constraints score: domains with fewer matching
// pods rank higher.
class PodTopologySpreadPlugin : public FilterPlugin, public ScorePlugin {
 public:
  std::string_view name() const override { return "PodTopologySpread"; }
  void preFilter(const PodInfo& pod, const Snapshot& snapshot) override;
  FilterStatus filter(const PodInfo& pod, const NodeInfo& node) const override;
  void preScore(const PodInfo& pod, const Snapshot& snapshot,
                const std::vector<NodeInfoPtr>& feasible) override;
  // -1 for nodes without the constraints' topology keys (normalize gives them 0).
  int64_t score(const PodInfo& pod, const NodeInfo& node) const override;
  void normalize(std::vector<int64_t>& scores) const override;

  struct Constraint {
    int64_t maxSkew = 1;
    std::string topologyKey;
    json selector;
    int64_t minDomains = 1;
    bool honorNodeAffinity = true;
    bool selfMatch = false;  // the incoming pod matches the selector itself
    std::map<std::string, int64_t> counts;  // matching pods by domain value
    double weight = 0;  // scoring: log(domains + 2)
  };

 private:
  std::vector<Constraint> hard_, soft_;
};

// The pod's constraints with the given whenUnsatisfiable, with matchLabelKeys folded into
// the selector, and counts left empty.
std::vector<PodTopologySpreadPlugin::Constraint> spreadConstraints(const PodInfo& pod,
                                                                   const char* when);

}  // namespace tug::scheduler
