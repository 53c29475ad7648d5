#pragma once

#include <string>
#include <vector>

#include "api/validation/defaults.h"
#include "api/validation/strategy.h"
#include "api/validation/validation.h"

// Helpers for the validation tests: objects are defaulted as the API server would before they
// are validated, and errors compared as the messages kubectl prints.
namespace validation_test {

using nlohmann::json;
namespace v = tug::api::validation;

inline std::vector<std::string> messages(const v::ErrorList& errs) {
  std::vector<std::string> out;
  for (const auto& e : errs) {
    out.push_back(e.message());
  }
  return out;
}

inline json admitted(std::string_view group, std::string_view kind, json obj) {
  v::applyDefaults(group, kind, obj);
  v::prepareCreate(group, kind, obj);
  return obj;
}

// The errors for creating `obj` of group/kind, namespaced in "default" unless cluster-scoped.
inline std::vector<std::string> createErrors(std::string_view group, std::string_view kind,
                                             json obj, bool namespaced = true) {
  if (namespaced && obj["metadata"].is_object() && !obj["metadata"].contains("namespace")) {
    obj["metadata"]["namespace"] = "default";
  }
  if (!obj["metadata"].contains("uid")) {
    obj["metadata"]["uid"] = "0000-1111";
  }
  obj = admitted(group, kind, std::move(obj));
  return messages(v::validateCreate({group, kind, namespaced}, obj));
}

inline std::vector<std::string> updateErrors(std::string_view group, std::string_view kind,
                                             json obj, json old, bool namespaced = true) {
  for (json* o : {&obj, &old}) {
    if (namespaced && !(*o)["metadata"].contains("namespace")) {
      (*o)["metadata"]["namespace"] = "default";
    }
    (*o)["metadata"]["uid"] = "0000-1111";
  }
  old = admitted(group, kind, std::move(old));
  v::applyDefaults(group, kind, obj);
  v::prepareUpdate(group, kind, obj, old);
  return messages(v::validateUpdate({group, kind, namespaced}, obj, old));
}

inline json podTemplate(json labels = {{"app", "web"}}) {
  return {{"metadata", {{"labels", labels}}},
          {"spec", {{"containers", {{{"name", "web"}, {"image", "nginx"}}}}}}};
}

inline json deployment(const char* name = "web") {
  return {{"metadata", {{"name", name}}},
          {"spec", {{"selector", {{"matchLabels", {{"app", "web"}}}}}, {"template", podTemplate()}}}};
}

}  // namespace validation_test
