#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "common/status.h"

// Upstream's error messages for resource requests, so that kubectl prints what users know.
namespace tug::apiserver {

// `pods "web" not found`, `deployments.apps "web" not found`.
Status resourceNotFound(const api::ResourceInfo& info, std::string_view name);
// `configmaps "a" already exists`.
Status resourceExists(const api::ResourceInfo& info, std::string_view name);
// `Operation cannot be fulfilled on configmaps "a": the object has been modified; ...`.
Status resourceConflict(const api::ResourceInfo& info, std::string_view name);
// `Operation cannot be fulfilled on configmaps "a": <why>` (failed delete preconditions).
Status resourceConflict(const api::ResourceInfo& info, std::string_view name, std::string_view why);
// `<verb> is not supported on resources of kind "<resource>"` (405 MethodNotAllowed).
Status verbNotSupported(std::string_view verb, const api::ResourceInfo& info);

// The metav1.Status body for `status` about one object, with upstream's details: the name,
// the group and the resource plural (the Kind for Invalid).
nlohmann::json errorBody(const Status& status, const api::ResourceInfo& info,
                         std::string_view name);

}  // namespace tug::apiserver
