#pragma once

#include <functional>
#include <optional>
#include <string>

#include "controllers/workload/object_helpers.h"

// spec.persistentVolumeClaimRetentionPolicy through owner references, as upstream does it: a
// claim the policy deletes with the set (whenDeleted: Delete) has the set as its controller, one
// it deletes on scale down (whenScaled: Delete) gets its condemned pod as controller, and the
// garbage collector does the deleting. Claims another controller owns, or that name an earlier
// incarnation of the set or pod, are left alone.
namespace tug::controllers::statefulset {

// The claim of that name as the cache has it, or nullopt when there is none.
using ClaimLookup = std::function<std::optional<json>(const std::string& name)>;

// Whether `claim`'s owner references agree with `set`'s policy for `pod` (upstream's
// isClaimOwnerUpToDate).
bool claimOwnersUpToDate(const json& claim, const json& set, const json& pod);
// `claim` with the references to the set and the pod rewritten as the policy asks.
json withPolicyOwners(json claim, const json& set, const json& pod);

// Every existing claim of `pod` agrees with the policy.
bool claimsMatchPolicy(const json& set, const json& pod, const ClaimLookup& claims);
// Some claim of `pod` still names an earlier pod of that name as owner (whenScaled: Delete):
// the garbage collector is about to delete it, so the pod waits.
bool podClaimIsStale(const json& set, const json& pod, const ClaimLookup& claims);

}  // namespace tug::controllers::statefulset
