#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "scheduler/node_info.h"
#include "scheduler/pod_info.h"

// The plugin interfaces of the scheduling cycle, after upstream's framework: filters say
// whether a pod may go to a node (and why not), scores rank the nodes that passed.
namespace tug::scheduler {

// Scores are 0..kMaxNodeScore per plugin, after normalization.
constexpr int64_t kMaxNodeScore = 100;

struct FilterStatus {
  enum class Code {
    kSuccess,
    kUnschedulable,  // might fit if other pods went away (preemption could help)
    kUnresolvable,   // no change of other pods helps (UnschedulableAndUnresolvable)
  };
  Code code = Code::kSuccess;
  std::vector<std::string> reasons;

  bool ok() const { return code == Code::kSuccess; }
  static FilterStatus success() { return {}; }
  static FilterStatus unschedulable(std::string reason) {
    return {Code::kUnschedulable, {std::move(reason)}};
  }
  static FilterStatus unresolvable(std::string reason) {
    return {Code::kUnresolvable, {std::move(reason)}};
  }
};

// One scheduling cycle at a time: preFilter/preScore may keep state in the plugin for the
// cycle's pod, which the following filter/score calls read.
class FilterPlugin {
 public:
  virtual ~FilterPlugin() = default;
  virtual std::string_view name() const = 0;
  // Called once per cycle before filter(); the snapshot holds every node.
  virtual void preFilter(const PodInfo& /*pod*/, const Snapshot& /*snapshot*/) {}
  virtual FilterStatus filter(const PodInfo& pod, const NodeInfo& node) const = 0;
};

class ScorePlugin {
 public:
  virtual ~ScorePlugin() = default;
  virtual std::string_view name() const = 0;
  // Called once per cycle before score() with the nodes that passed the filters.
  virtual void preScore(const PodInfo& /*pod*/, const Snapshot& /*snapshot*/,
                        const std::vector<NodeInfoPtr>& /*feasible*/) {}
  virtual int64_t score(const PodInfo& pod, const NodeInfo& node) const = 0;
  // Rescales the raw scores of all feasible nodes to 0..kMaxNodeScore (by default they
  // already are).
  virtual void normalize(std::vector<int64_t>& /*scores*/) const {}
};

// Upstream's DefaultNormalizeScore: scores scaled so the largest becomes kMaxNodeScore, and
// with `reverse`, turned around (the largest becomes 0).
void defaultNormalize(std::vector<int64_t>& scores, bool reverse);

}  // namespace tug::scheduler
