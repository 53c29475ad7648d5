#include "api/patch/merge_patch.h"

namespace tug::api {

nlohmann::json applyMergePatch(nlohmann::json target, const nlohmann::json& patch) {
  if (!patch.is_object()) {
    return patch;
  }
  if (!target.is_object()) {
    target = nlohmann::json::object();
  }
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null()) {
      target.erase(key);
      continue;
    }
    auto it = target.find(key);
    if (it == target.end()) {
      target[key] = applyMergePatch(nlohmann::json(), value);
    } else {
      *it = applyMergePatch(std::move(*it), value);
    }
  }
  return target;
}

}  // namespace tug::api
