#include "controllers/workload/controller_ref.h"

namespace tug::controllers {

ClaimAction claimAction(const json& owner, const json& selector, const json& obj) {
  const bool matches = selectorMatches(selector, labelsOf(obj));
  if (const json* ref = controllerOf(obj)) {
    if (ref->value("uid", "") != uidOf(owner)) {
      return ClaimAction::kIgnore;
    }
    if (matches) {
      return ClaimAction::kKeep;
    }
    return beingDeleted(owner) ? ClaimAction::kIgnore : ClaimAction::kRelease;
  }
  if (beingDeleted(owner) || !matches || beingDeleted(obj) ||
      namespaceOf(owner) != namespaceOf(obj)) {
    return ClaimAction::kIgnore;
  }
  return ClaimAction::kAdopt;
}

std::string adoptPatch(const json& obj, const json& ref) {
  return json{{"metadata", {{"ownerReferences", json::array({ref})}, {"uid", uidOf(obj)}}}}
      .dump();
}

std::string releasePatch(const json& obj, const std::string& ownerUid) {
  json del = {{"$patch", "delete"}, {"uid", ownerUid}};
  return json{{"metadata", {{"ownerReferences", json::array({del})}, {"uid", uidOf(obj)}}}}
      .dump();
}

Result<std::vector<json>> claim(ClaimTarget& target, const std::vector<json>& candidates) {
  std::vector<json> owned;
  std::optional<bool> adoptable;
  for (const json& obj : candidates) {
    switch (claimAction(target.owner, target.selector, obj)) {
      case ClaimAction::kKeep:
        owned.push_back(obj);
        break;
      case ClaimAction::kIgnore:
        break;
      case ClaimAction::kRelease: {
        auto r = target.client.patch(target.resource, namespaceOf(obj), nameOf(obj),
                                     client::PatchType::kStrategicMerge,
                                     releasePatch(obj, uidOf(target.owner)));
        // Gone, or re-created under another uid (422): nothing of ours to release.
        if (!r.ok() && r.status().code() != Code::kNotFound &&
            r.status().code() != Code::kInvalid) {
          return r.status();
        }
        break;
      }
      case ClaimAction::kAdopt: {
        if (!adoptable) {
          auto can = target.canAdopt ? target.canAdopt() : Result<bool>(true);
          if (!can.ok()) {
            return can.status();
          }
          adoptable = *can;
        }
        if (!*adoptable) {
          break;
        }
        auto r = target.client.patch(target.resource, namespaceOf(obj), nameOf(obj),
                                     client::PatchType::kStrategicMerge,
                                     adoptPatch(obj, target.ownerRef));
        if (r.ok()) {
          owned.push_back(*r);
        } else if (r.status().code() != Code::kNotFound) {
          return r.status();
        }
        break;
      }
    }
  }
  return owned;
}

}  // namespace tug::controllers
