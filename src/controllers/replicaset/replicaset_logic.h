#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "controllers/workload/object_helpers.h"

// The ReplicaSet controller's decisions as pure functions over JSON objects, so that they can
// be tested without a server: the pod a template makes, which pods go first when there are
// too many, and the status a set of pods adds up to. Upstream's replica_set.go,
// replica_set_utils.go and controller_utils.go are the specification.
namespace tug::controllers::replicaset {

// Upstream's burstReplicas: at most this many creates or deletes per sync.
constexpr int kBurstReplicas = 500;

// A new pod for `rs`: the template's labels, annotations, finalizers and spec, generateName
// "<rs>-", and a controller reference to the ReplicaSet. Invalid when the template has no
// labels (upstream's "unable to create pods, no labels").
Result<json> podFromTemplate(const json& rs);

// The `diff` pods to delete first among `pods`, ranked as upstream's ActivePodsWithRanks:
// unscheduled before scheduled; Pending, Unknown, Running; not ready before ready; lower
// controller.kubernetes.io/pod-deletion-cost first; more active pods of `related` (the pods of
// every ReplicaSet with the same owner) on the same node first; ready for less time first
// (logarithmic buckets relative to `now`, ties by uid); more restarts first; newer first
// (logarithmic buckets, ties by uid).
std::vector<json> podsToDelete(std::vector<json> pods, const std::vector<json>& related,
                               int diff, TimePoint now);

// Why the last manage step failed, for the ReplicaFailure condition.
struct ManageError {
  bool creating = true;  // FailedCreate, else FailedDelete
  std::string message;
};

// status for `rs` given the active pods it owns: replicas, fullyLabeledReplicas (labels carry
// all of the template's), readyReplicas, availableReplicas (minReadySeconds), observedGeneration
// and the ReplicaFailure condition (set while an error is given, removed when none is).
// Zero counts other than replicas are left out, as upstream's omitempty does.
json calculateStatus(const json& rs, const std::vector<json>& pods,
                     const std::optional<ManageError>& error, TimePoint now);

int64_t specReplicas(const json& rs);

}  // namespace tug::controllers::replicaset
