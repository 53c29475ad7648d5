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
  // rather than in every cycle for every node. The object is shared, never changed: copying a
  // NodeInfo (the cache copies on write) does not copy it. Null while the node is not known
  // (its pods arrived first, or it was deleted with pods still on it).
  static const json kNoMembers;  // an empty object

  std::shared_ptr<const json> node;
  std::string name;
  Resources allocatable;
  int64_t allowedPods = 0;
  bool ready = false;                // its Ready condition is True
  bool unschedulable = false;        // spec.unschedulable (cordoned)
  const json* taints = &kNoMembers;  // spec.taints, in *node
  // Bumped by the cache on every change, so a snapshot takes only the nodes that changed.
  uint64_t generation = 0;
  std::vector<PodInfoPtr> pods;
  Resources requested;         // sum of the pods' requests
  Resources nonZeroRequested;  // the same with upstream's defaults for unset cpu and memory
  std::vector<HostPort> usedPorts;

  // Replaces the node's own data; the pods stay.
  void setNode(json node);
  // Drops the node's own data (the node is gone); the pods stay.
  void forgetNode();
  bool known() const { return node != nullptr; }
  // The node object; an empty object while it is not known.
  const json& object() const { return node ? *node : kNoMembers; }

  const json& labels() const { return *labels_; }
  // The label's value; false when the node has no such label.
  bool label(const std::string& key, std::string* value) const;

  void addPod(PodInfoPtr pod);
  // False when the pod (by key) is not on this node.
  bool removePod(const std::string& key);

 private:
  const json* labels_ = &kNoMembers;  // metadata.labels, in *node
};
using NodeInfoPtr = std::shared_ptr<const NodeInfo>;

// A node's own data (labels, allocatable from status.allocatable, or status.capacity when the
// node reports no allocatable) with no pods.
NodeInfo makeNodeInfo(json node);

// The nodes one scheduling cycle looks at: a consistent view, unchanged during the cycle.
// Cache::updateSnapshot brings it up to date between cycles.
struct Snapshot {
  std::vector<NodeInfoPtr> nodes;
  uint64_t generation = 0;            // the cache's generation it reflects
  uint64_t membershipGeneration = 0;  // ... and the set of nodes it holds
};

}  // namespace tug::scheduler
