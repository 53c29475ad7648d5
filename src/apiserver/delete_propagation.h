#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "api/validation/field_error.h"

// What a DELETE asks of the garbage collector, and the finalizers that carry it: with
// propagationPolicy Foreground the object waits, marked for deletion, under the
// "foregroundDeletion" finalizer until the collector has deleted its blocking dependents;
// with Orphan (or the deprecated orphanDependents=true) it waits under "orphan" until the
// collector has removed the ownerReferences to it; Background deletes it at once and leaves
// its dependents to the collector. Without a choice, an object's existing GC finalizer or its
// resource's default policy decides.
namespace tug::apiserver {

inline constexpr const char* kForegroundFinalizer = "foregroundDeletion";
inline constexpr const char* kOrphanFinalizer = "orphan";

// The propagation fields of a DeleteOptions, as sent (absent fields unset).
struct PropagationOptions {
  std::optional<bool> orphanDependents;
  std::optional<std::string> propagationPolicy;
};

// Upstream's DeleteOptions checks: both fields set, or a policy other than Foreground,
// Background and Orphan, is invalid.
api::validation::ErrorList validatePropagation(const PropagationOptions& options);

// What a resource's dependents get when its objects are deleted without a choice.
enum class DefaultGcPolicy {
  kDeleteDependents,
  kOrphanDependents,  // core/v1 replicationcontrollers, kept from before the collector
  kUnsupported,       // events: never waits on the collector
};
DefaultGcPolicy defaultGcPolicy(const api::ResourceInfo& info);

// The object's finalizers after a delete with `options`: the other finalizers in their order,
// then "orphan" or "foregroundDeletion" as chosen. nullopt when the set does not change.
std::optional<nlohmann::json> finalizersAfterDelete(const api::ResourceInfo& info,
                                                    const nlohmann::json& obj,
                                                    const PropagationOptions& options);

}  // namespace tug::apiserver
