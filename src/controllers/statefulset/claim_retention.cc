#include "controllers/statefulset/claim_retention.h"

#include "controllers/statefulset/stateful_pods.h"

namespace tug::controllers::statefulset {
namespace {

struct Policy {
  bool deleteWithSet = false;
  bool deleteOnScaleDown = false;
  bool retainAll() const { return !deleteWithSet && !deleteOnScaleDown; }
};

Policy policyOf(const json& set) {
  const json* p = at(set, {"spec", "persistentVolumeClaimRetentionPolicy"});
  Policy policy;
  if (p != nullptr && p->is_object()) {
    policy.deleteWithSet = p->value("whenDeleted", "") == "Delete";
    policy.deleteOnScaleDown = p->value("whenScaled", "") == "Delete";
  }
  return policy;
}

struct Owner {
  const json& obj;
  const char* apiVersion;
  const char* kind;
};

json refsOf(const json& obj) {
  const json* refs = at(obj, {"metadata", "ownerReferences"});
  return refs != nullptr && refs->is_array() ? *refs : json::array();
}

bool matchesRef(const json& ref, const Owner& owner) {
  return ref.value("apiVersion", "") == owner.apiVersion && ref.value("kind", "") == owner.kind &&
         ref.value("name", "") == nameOf(owner.obj);
}

bool hasOwnerRef(const json& target, const json& owner) {
  const std::string uid = uidOf(owner);
  for (const json& ref : refsOf(target)) {
    if (!uid.empty() && ref.value("uid", "") == uid) {
      return true;
    }
  }
  return false;
}

// A reference to an object of that kind and name but another uid: an earlier incarnation.
bool hasStaleOwnerRef(const json& target, const Owner& owner) {
  for (const json& ref : refsOf(target)) {
    if (matchesRef(ref, owner)) {
      return ref.value("uid", "") != uidOf(owner.obj);
    }
  }
  return false;
}

bool isController(const json& ref) { return ref.value("controller", false); }

bool hasUnexpectedController(const json& claim, const Owner& set, const Owner& pod,
                             const Policy& policy) {
  if (policy.retainAll()) {
    return false;  // nothing is deleted, so another controller may well manage the claim
  }
  for (const json& ref : refsOf(claim)) {
    if (matchesRef(ref, set)) {
      if (ref.value("uid", "") != uidOf(set.obj)) {
        return true;
      }
      continue;
    }
    if (matchesRef(ref, pod)) {
      if (ref.value("uid", "") != uidOf(pod.obj)) {
        return true;
      }
      continue;
    }
    if (isController(ref)) {
      return true;
    }
  }
  return false;
}

bool hasNonControllerOwner(const json& claim, const json& set, const json& pod) {
  for (const json& ref : refsOf(claim)) {
    const std::string uid = ref.value("uid", "");
    if (!uid.empty() && (uid == uidOf(set) || uid == uidOf(pod)) && !isController(ref)) {
      return true;
    }
  }
  return false;
}

}  // namespace

bool claimOwnersUpToDate(const json& claim, const json& set, const json& pod) {
  const Owner setOwner{set, "apps/v1", "StatefulSet"}, podOwner{pod, "v1", "Pod"};
  const Policy policy = policyOf(set);
  if (hasStaleOwnerRef(claim, setOwner) || hasStaleOwnerRef(claim, podOwner)) {
    return true;  // an earlier set or pod owns it: the garbage collector decides
  }
  if (hasUnexpectedController(claim, setOwner, podOwner, policy)) {
    return !(hasOwnerRef(claim, set) || hasOwnerRef(claim, pod));
  }
  if (hasNonControllerOwner(claim, set, pod)) {
    return false;
  }
  const bool scaledDown = !inOrdinalRange(set, pod);
  const bool wantSet = policy.deleteWithSet && !(policy.deleteOnScaleDown && scaledDown);
  const bool wantPod = policy.deleteOnScaleDown && scaledDown;
  return hasOwnerRef(claim, set) == wantSet && hasOwnerRef(claim, pod) == wantPod;
}

json withPolicyOwners(json claim, const json& set, const json& pod) {
  const Owner setOwner{set, "apps/v1", "StatefulSet"}, podOwner{pod, "v1", "Pod"};
  const Policy policy = policyOf(set);
  const bool unexpected = hasUnexpectedController(claim, setOwner, podOwner, policy);
  json refs = json::array();
  for (const json& ref : refsOf(claim)) {
    if (!matchesRef(ref, setOwner) && !matchesRef(ref, podOwner)) {
      refs.push_back(ref);
    }
  }
  if (!unexpected) {
    const bool scaledDown = !inOrdinalRange(set, pod);
    if (policy.deleteOnScaleDown && scaledDown) {
      refs.push_back(newControllerRef(pod, "v1", "Pod"));
    } else if (policy.deleteWithSet) {
      refs.push_back(newControllerRef(set, "apps/v1", "StatefulSet"));
    }
  }
  if (refs.empty()) {
    claim["metadata"].erase("ownerReferences");
  } else {
    claim["metadata"]["ownerReferences"] = std::move(refs);
  }
  return claim;
}

bool claimsMatchPolicy(const json& set, const json& pod, const ClaimLookup& claims) {
  for (const json& wanted : claimsFor(set, ordinalOf(pod))) {
    auto claim = claims(nameOf(wanted));
    if (claim && !claimOwnersUpToDate(*claim, set, pod)) {
      return false;
    }
  }
  return true;
}

bool podClaimIsStale(const json& set, const json& pod, const ClaimLookup& claims) {
  if (!policyOf(set).deleteOnScaleDown) {
    return false;  // claims are kept for the next pod of the name
  }
  for (const json& wanted : claimsFor(set, ordinalOf(pod))) {
    auto claim = claims(nameOf(wanted));
    if (claim && hasStaleOwnerRef(*claim, Owner{pod, "v1", "Pod"})) {
      return true;
    }
  }
  return false;
}

}  // namespace tug::controllers::statefulset
