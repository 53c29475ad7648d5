#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controllers/workload/object_helpers.h"

// The Deployment controller's arithmetic as pure functions over JSON objects (upstream's
// pkg/controller/deployment/util and the rollout files are the specification): the template
// hash, the surge and unavailability fenceposts, how many replicas each ReplicaSet gets in a
// rolling update, proportional scaling, revision annotations, conditions and status.
// ReplicaSets are passed as JSON; a missing new ReplicaSet is a null pointer.
namespace tug::controllers::deployment {

inline constexpr const char* kHashLabel = "pod-template-hash";
inline constexpr const char* kRevision = "deployment.kubernetes.io/revision";
inline constexpr const char* kRevisionHistory = "deployment.kubernetes.io/revision-history";
inline constexpr const char* kDesiredReplicas = "deployment.kubernetes.io/desired-replicas";
inline constexpr const char* kMaxReplicas = "deployment.kubernetes.io/max-replicas";
inline constexpr int kRevisionHistoryChars = 2000;

// The pod-template-hash of a template: FNV-32a over the template's compact JSON (keys sorted,
// null members left out)
// followed, when there is a collision count, by its value as 8 little-endian bytes; the 32-bit
// sum in decimal is then spelled with upstream's SafeEncodeString alphabet. Upstream hashes
// Go's printed form of the struct instead of JSON, so the values differ from upstream's; the
// same template and count always give the same hash.
std::string computeHash(const json& podTemplate, std::optional<int64_t> collisionCount);
// Each byte of `s` mapped to "bcdfghjklmnpqrstvwxz2456789" (no vowels, no 0, 1, 3).
std::string safeEncodeString(const std::string& s);
// Templates equal once the pod-template-hash label is ignored (null members count as absent).
bool equalIgnoreHash(const json& a, const json& b);

int64_t replicasOf(const json& obj);  // spec.replicas (1 when unset)
int64_t availableOf(const json& rs);  // status.availableReplicas
bool isRollingUpdate(const json& d);

// An int-or-percent of `total`: percents round up or down as asked; nullopt when malformed.
std::optional<int64_t> scaledValue(const json& intOrPercent, int64_t total, bool roundUp);
struct Fenceposts {
  int64_t surge = 0, unavailable = 0;
};
// maxSurge rounds up, maxUnavailable down; both 0 makes unavailable 1.
Fenceposts resolveFenceposts(const json& d);
int64_t maxSurge(const json& d);        // 0 unless RollingUpdate
int64_t maxUnavailable(const json& d);  // 0 unless RollingUpdate; at most spec.replicas

int64_t sumReplicas(const std::vector<const json*>& rss);         // spec.replicas
int64_t sumStatusReplicas(const std::vector<const json*>& rss);   // status.replicas
int64_t sumAvailable(const std::vector<const json*>& rss);
int64_t sumReady(const std::vector<const json*>& rss);
std::vector<const json*> activeOnly(const std::vector<const json*>& rss);  // spec.replicas > 0

// Oldest first; equal times by name.
bool createdBefore(const json& a, const json& b);
void sortByCreation(std::vector<const json*>& rss);
void sortByRevision(std::vector<const json*>& rss);

// The ReplicaSet whose template is the deployment's (the oldest such), or null.
const json* findNewReplicaSet(const json& d, const std::vector<const json*>& rss);

// Replicas the new ReplicaSet should have now (NewRSNewReplicas).
int64_t newRSNewReplicas(const json& d, const std::vector<const json*>& allRSs,
                         const json& newRS);

int64_t revisionOf(const json& rs);  // 0 when absent or malformed
int64_t maxRevision(const std::vector<const json*>& rss);
// Copies the deployment's annotations (except the deployment.kubernetes.io ones and
// last-applied-configuration), raises the revision to `newRevision` (keeping old revisions in
// revision-history), and for a ReplicaSet about to be created sets desired- and max-replicas.
// Returns whether anything changed.
bool setNewReplicaSetAnnotations(const json& d, json& rs, const std::string& newRevision,
                                 bool exists);
bool replicasAnnotationsNeedUpdate(const json& rs, int64_t desired, int64_t max);
bool setReplicasAnnotations(json& rs, int64_t desired, int64_t max);
std::optional<int64_t> intAnnotation(const json& obj, const char* key);

// A status.conditions entry with both times set to `now`.
json newCondition(const std::string& type, const std::string& status, const std::string& reason,
                  const std::string& message, TimePoint now);
const json* getCondition(const json& status, const std::string& type);
// Replaces the condition of the same type unless status and reason are unchanged; keeps
// lastTransitionTime when only the reason changes.
void setCondition(json& status, json condition);
void removeCondition(json& status, const std::string& type);

bool hasProgressDeadline(const json& d);
// status from the ReplicaSets (observedGeneration, replicas, updated, ready, available,
// unavailable, collisionCount) with the Available condition set.
json calculateStatus(const std::vector<const json*>& allRSs, const json* newRS, const json& d,
                     TimePoint now);
bool deploymentComplete(const json& d, const json& status);
bool deploymentProgressing(const json& d, const json& status);
bool deploymentTimedOut(const json& d, const json& status, TimePoint now);

// Proportional scaling of a deployment whose size changed mid-rollout: the new size of each
// active ReplicaSet (name -> replicas), largest first, leftovers to the first.
std::vector<std::pair<std::string, int64_t>> proportionalSizes(
    const json& d, const std::vector<const json*>& activeRSs);
// The one active ReplicaSet, or the newest when none is active; null when several are.
const json* findActiveOrLatest(const json* newRS, std::vector<const json*> oldRSs);
bool isSaturated(const json& d, const json* rs);

// Rolling update, scaling old ReplicaSets down: first the unhealthy replicas of old sets
// (oldest first, at most what maxUnavailable allows), then available ones down to the minimum
// availability. Returns (name, new replicas) for each ReplicaSet to scale, in order.
std::vector<std::pair<std::string, int64_t>> oldReplicaSetScaleDowns(
    const json& d, const std::vector<const json*>& oldRSs, const json& newRS);

}  // namespace tug::controllers::deployment
