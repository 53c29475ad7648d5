#pragma once

#include <string>
#include <vector>

#include "controllers/statefulset/claim_retention.h"
#include "controllers/workload/object_helpers.h"

// What one sync of a StatefulSet does, decided on plain objects (upstream's
// stateful_set_control.go updateStatefulSet is the specification). The pods in the ordinal
// range are the replicas; the others with an ordinal are condemned.
//  1. Each replica, lowest ordinal first: a Failed or Succeeded pod is deleted (to be created
//     again), a missing one is created (with its claims), a Pending one gets missing claims, a
//     pod whose identity or volumes drifted is updated. Under OrderedReady ("monotonic") the
//     plan ends at the first pod created or deleted, and at the first pod that is terminating,
//     not Running and Ready, or not yet available: so ordinal i is created only after 0..i-1
//     are Running and Ready.
//  2. Condemned pods, highest ordinal first, are deleted (scale down). Under OrderedReady one at
//     a time, and only while every other pod is healthy (the first unhealthy pod itself may go).
//  3. RollingUpdate: the highest replica with ordinal index >= partition not at the update
//     revision is deleted (to come back at it); the plan waits while a pod above is unavailable.
//     OnDelete stops after step 2.
// With a claim lookup, claims whose owner references disagree with the retention policy are
// fixed (replicas in step 1, condemned pods before step 2), and a pod whose claim still names
// an earlier pod as owner is not created until the garbage collector removed that claim.
namespace tug::controllers::statefulset {

enum class PodStep {
  kCreate,        // create the pod's missing claims, then the pod
  kCreateClaims,  // create the pod's missing claims (a Pending pod)
  kUpdate,        // write the pod with its identity and volumes fixed
  kFixClaims,     // set the owner references of the pod's claims as the retention policy asks
  kDelete,
};

struct PodAction {
  PodStep step;
  json pod;         // to create or update, or as it was (delete)
  std::string why;  // "failed", "scale down", "update"
};

struct SyncPlan {
  // Run in order; a failed action ends the plan. Within a phase the actions run one after the
  // other when `ordered`, else in slow-start batches.
  std::vector<std::vector<PodAction>> phases;
  bool ordered = true;
  // The status this sync reports (rolling update completed when every replica is updated and
  // ready), with upstream's omitempty: zero readyReplicas, currentReplicas and updatedReplicas
  // are left out.
  json status;
};

// `current` and `update` are the ControllerRevisions of status.currentRevision and of the set's
// template now; `pods` those the set owns; `claims` finds the claims (none: the retention
// policy is not looked at).
SyncPlan planSync(const json& set, const json& current, const json& update, int64_t collisionCount,
                  const std::vector<json>& pods, TimePoint now, const ClaimLookup& claims = {});

// The pod `ordinal` is created from: the current revision's template below the partition, the
// update revision's from it on (as upstream's newVersionedStatefulSetPod).
json versionedPod(const json& currentSet, const json& updateSet, const std::string& current,
                  const std::string& update, int ordinal);

}  // namespace tug::controllers::statefulset
