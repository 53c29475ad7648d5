#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "client/client.h"

// The pod garbage collector's choices as pure functions over pods (upstream's
// pkg/controller/podgc is the specification): which finished pods go once there are too many,
// which pods are bound to nodes that no longer exist, which unscheduled pods are stuck being
// deleted, and the status that marks a pod failed before it is removed.
namespace tug::controllers::podgc {

using client::json;

// Succeeded or Failed.
bool isTerminal(const json& pod);

// The finished pods to delete so that at most `threshold` remain: evicted ones first, then the
// oldest by creationTimestamp (then by namespace and name, so the choice is stable). None when
// `threshold` is 0 or less: the collection of finished pods is off.
std::vector<json> terminatedToDelete(const std::vector<json>& pods, int64_t threshold);

// The nodes that pods are bound to (spec.nodeName) and that `nodes` does not hold.
std::set<std::string> missingNodes(const std::vector<json>& pods,
                                   const std::set<std::string>& nodes);

// Pods being deleted (deletionTimestamp set) that were never bound to a node: no kubelet will
// ever finish them.
std::vector<json> unscheduledTerminating(const std::vector<json>& pods);

// The pods/status body that marks `pod` failed (unless it already finished) with the
// DisruptionTarget condition upstream adds: reason DeletionByPodGC and `message`. Null when the
// pod already carries that exact condition and is terminal: nothing to write.
json failedStatus(const json& pod, const std::string& message, const std::string& now);

}  // namespace tug::controllers::podgc
