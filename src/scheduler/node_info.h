#pragma once

#include <memory>
#include <string>
#include <vector>

#include "scheduler/pod_info.h"

// A node with the pods the scheduler counts on it (bound, or assumed: bound by this scheduler
// and not yet seen back from the API), and their sums.
namespace tug::scheduler {

struct NodeInfo {
  // The node's own data and what the filters read of it, worked out once per node change
  // rather than in every cycle for every node.
  json node;
  std::string name;
  Resources allocatable;
  int64_t allowedPods = 0;
  bool ready = false;          // its Ready condition is True
  bool unschedulable = false;  // spec.unschedulable (cordoned)
  std::vector<PodInfoPtr> pods;
  Resources requested;         // sum of the pods' requests
  Resources nonZeroRequested;  // the same with upstream's defaults for unset cpu and memory
  std::vector<HostPort> usedPorts;

  // Replaces the node's own data; the pods stay.
  void setNode(json node);

  const json& labels() const;
  // The label's value; false when the node has no such label.
  bool label(const std::string& key, std::string* value) const;

  void addPod(PodInfoPtr pod);
  // False when the pod (by key) is not on this node.
  bool removePod(const std::string& key);
};
using NodeInfoPtr = std::shared_ptr<const NodeInfo>;

// A node's own data (labels, allocatable from status.allocatable, or status.capacity when the
// node reports no allocatable) with no pods.
NodeInfo makeNodeInfo(json node);

// The nodes one scheduling cycle looks at: a consistent view, unchanged during the cycle.
struct Snapshot {
  std::vector<NodeInfoPtr> nodes;
};

}  // namespace tug::scheduler
