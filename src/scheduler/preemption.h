#pragma once

#include <string>
#include <vector>

#include "scheduler/profile.h"

// Upstream's DefaultPreemption, run when a pod fits nowhere: a node where removing pods of
// lower priority would let the pod fit is a candidate; the best candidate's victims (as few
// and as unimportant as possible) are to be evicted.
namespace tug::scheduler {

struct PreemptionResult {
  std::string node;                 // empty: preemption does not help
  std::vector<PodInfoPtr> victims;  // to delete so that the pod fits on `node`
  // The post-filter part of the FitError ("preemption: 0/3 nodes are available: ..."), empty
  // when a candidate was found.
  std::string message;
};

// `failures`: why each node of `snapshot` refused the pod. Runs the profile's filters on
// modified copies of the nodes (so the profile's cycle state is overwritten).
PreemptionResult evaluatePreemption(Profile& profile, const PodInfo& pod,
                                    const Snapshot& snapshot, const NodeStatuses& failures);

}  // namespace tug::scheduler
