#pragma once

#include <map>
#include <string>

#include "scheduler/framework.h"

// The words kube-scheduler uses when a pod fits nowhere, which users read in the pod's
// PodScheduled condition and in FailedScheduling events.
namespace tug::scheduler {

// Why each node was refused, by node name.
using NodeStatuses = std::map<std::string, FilterStatus>;

// "0/3 nodes are available: 1 node(s) had untolerated taint {k: v}, 2 Insufficient cpu."
// followed by " <postFilter>" when there is one: the reasons counted over the nodes and
// sorted as text, as upstream's FitError formats them.
std::string fitErrorMessage(size_t numNodes, const NodeStatuses& statuses,
                            const std::string& postFilter = "");

// What preemption would say about the nodes: "preemption: 0/3 nodes are available: 3
// Preemption is not helpful for scheduling."
std::string preemptionMessage(size_t numNodes, const NodeStatuses& statuses);

// Upstream's message when the cluster has no nodes at all.
constexpr const char* kNoNodesAvailable = "no nodes available to schedule pods";

}  // namespace tug::scheduler
