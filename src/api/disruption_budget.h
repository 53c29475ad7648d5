#pragma once

#include <string>

#include <nlohmann/json.hpp>

// The parts of a policy/v1 PodDisruptionBudget's status that both its writers keep alike: the
// disruption controller, which computes the status, and the eviction subresource, which spends
// the disruptions it allows. Upstream's component-helpers pdb helpers are the specification.
namespace tug::api::pdb {

using json = nlohmann::json;

// Type of the condition, and its reasons.
inline constexpr const char* kDisruptionAllowed = "DisruptionAllowed";
inline constexpr const char* kSufficientPods = "SufficientPods";
inline constexpr const char* kInsufficientPods = "InsufficientPods";
inline constexpr const char* kSyncFailed = "SyncFailed";

// metav1 SetStatusCondition on status.conditions: the condition of the same type is replaced,
// keeping its lastTransitionTime unless its status changed (then `now`, an RFC 3339 time).
void setCondition(json& status, json condition, const std::string& now);

// DisruptionAllowed=True (SufficientPods) when status.disruptionsAllowed > 0, else False
// (InsufficientPods), with status.observedGeneration as its observedGeneration.
void updateDisruptionAllowedCondition(json& status, const std::string& now);

// Whether the DisruptionAllowed condition agrees with status.disruptionsAllowed and the status
// describes the budget's current generation.
bool conditionsAreUpToDate(const json& budget);

// An integer field of status (0 when absent or not an integer).
int64_t statusInt(const json& budget, const char* field);

}  // namespace tug::api::pdb
