#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "controllers/workload/object_helpers.h"

// The identity and storage of a StatefulSet's pods as pure functions over JSON (upstream's
// stateful_set_utils.go is the specification): pod "<set>-<ordinal>" with a stable hostname
// and subdomain, the labels that name it, and one PersistentVolumeClaim
// "<template>-<set>-<ordinal>" per volumeClaimTemplate, mounted in place of the template's
// volume of that name.
namespace tug::controllers::statefulset {

inline constexpr const char* kRevisionLabel = "controller-revision-hash";
inline constexpr const char* kPodNameLabel = "statefulset.kubernetes.io/pod-name";
inline constexpr const char* kPodIndexLabel = "apps.kubernetes.io/pod-index";

// The parent name and ordinal encoded in a pod name "<parent>-<ordinal>"; nullopt when the name
// does not end in "-<digits>" or the ordinal does not fit in 32 bits.
std::optional<std::pair<std::string, int>> parentAndOrdinal(const std::string& podName);
// The pod's ordinal, or -1.
int ordinalOf(const json& pod);
// Whether `pod` carries a name of `set`'s pods.
bool isMemberOf(const json& set, const json& pod);

std::string podName(const json& set, int ordinal);
std::string claimName(const json& set, const json& claimTemplate, int ordinal);

int64_t specReplicas(const json& set);  // spec.replicas, 1 when unset
int startOrdinal(const json& set);      // spec.ordinals.start, 0 when unset
int endOrdinal(const json& set);        // start + replicas - 1
bool inOrdinalRange(const json& set, const json& pod);
// spec.podManagementPolicy is Parallel.
bool allowsBurst(const json& set);
bool isOnDelete(const json& set);
// spec.updateStrategy.rollingUpdate.partition (0 when unset).
int64_t partition(const json& set);
int64_t minReadySeconds(const json& set);

// Pod predicates as the StatefulSet controller reads them.
bool isCreated(const json& pod);  // has a phase: the API has it
bool isFailedOrSucceeded(const json& pod);
bool isPending(const json& pod);
bool isTerminating(const json& pod);
bool isRunningAndReady(const json& pod);
bool isRunningAndAvailable(const json& pod, int64_t minReadySeconds, TimePoint now);
bool isHealthy(const json& pod);  // running, ready and not terminating
bool isUnavailable(const json& pod, int64_t minReadySeconds, TimePoint now);
std::string podRevision(const json& pod);

// The claims pod `ordinal` of `set` needs, one per volumeClaimTemplate, in template order:
// the template's metadata and spec, named claimName(), labelled with the template's labels
// plus the selector's matchLabels.
std::vector<json> claimsFor(const json& set, int ordinal);

// Name, namespace and the pod-name / pod-index labels match the set.
bool identityMatches(const json& set, const json& pod);
// Every claim template is mounted as a persistentVolumeClaim volume of the right claim.
bool storageMatches(const json& set, const json& pod);
// Sets the identity labels (name and namespace from the ordinal) on `pod`.
void updateIdentity(const json& set, json& pod);
// Replaces the volumes named like claim templates with the pod's claims, keeping the others.
void updateStorage(const json& set, json& pod);

// A new pod for ordinal `ordinal` of `set` (whose spec.template is the revision's) labelled
// with `revision`: the template's labels, annotations, finalizers and spec, generateName
// "<set>-", a controller reference, hostname and subdomain, and its claims as volumes.
json newPod(const json& set, int ordinal, const std::string& revision);

}  // namespace tug::controllers::statefulset
