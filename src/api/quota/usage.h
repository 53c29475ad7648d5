#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/quota/resource_list.h"

// How ResourceQuota counts objects, as upstream's quota evaluators do: which quota resource
// names an object of a resource can use (matchingResources), how much one object uses
// (usageOf), which quotas count it at all (quotaCounts, with the pod scopes), and what a pod
// must state when a quota limits cpu or memory (missingRequirements). Pure functions over
// decoded objects, shared by quota admission and the resource quota controller.
namespace tug::api::quota {

using TimePoint = std::chrono::system_clock::time_point;

// What an object is: its API group and plural resource ("" and "pods").
struct Kind {
  std::string group;
  std::string resource;
};

// "count/<resource>" for the core group, "count/<resource>.<group>" otherwise.
std::string objectCountName(const Kind& kind);

// The names among `names` that objects of `kind` use.
ResourceNames matchingResources(const Kind& kind, const ResourceNames& names);

// What one object uses, under every name it can use. Pods that are done (Succeeded, Failed,
// or past their deletion grace period) use only count/pods.
ResourceList usageOf(const Kind& kind, const nlohmann::json& obj, TimePoint now);

// Whether `quota` (a ResourceQuota; its status.hard names count) counts `obj`: it limits a
// name the object uses and the object is in every scope of the quota. Only pods are in scopes:
// a quota with scopes counts nothing else.
bool quotaCounts(const nlohmann::json& quota, const Kind& kind, const nlohmann::json& obj);

// Whether `obj` is in every scope of `quota` (spec.scopes and spec.scopeSelector). Only pods
// are in scopes: a quota with scopes holds no other object.
bool inScopes(const nlohmann::json& quota, const Kind& kind, const nlohmann::json& obj);

// When `required` (a quota's limited names) holds cpu or memory names a container of `pod`
// does not state: "must specify limits.cpu for: a,b; requests.memory for: a". nullopt when
// every container states them.
std::optional<std::string> missingRequirements(const ResourceNames& required,
                                               const nlohmann::json& pod);

// The quota's names that are in force: status.hard, which the controller copies from
// spec.hard.
ResourceList hardOf(const nlohmann::json& quota);
ResourceList usedOf(const nlohmann::json& quota);

}  // namespace tug::api::quota
