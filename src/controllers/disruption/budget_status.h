#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "controllers/workload/object_helpers.h"

// What the disruption controller computes for one PodDisruptionBudget, on plain objects:
// which pods it covers, how many it expects and how many must stay healthy, which evicted pods
// it still waits to see deleted, and the status that follows. Upstream's disruption controller
// (kube-controller-manager) is the specification.
namespace tug::controllers::disruption {

// How long an eviction's entry in status.disruptedPods holds its pod out of the healthy count
// while the pod is not yet being deleted (upstream's DeletionTimeout).
inline constexpr std::chrono::minutes kDeletionTimeout{2};

// The scale of a pod's controller: the controller's uid (pods of one controller count it once)
// and its desired replicas.
struct ControllerScale {
  std::string uid;
  int64_t replicas = 0;
};
// Finds the scale of the controller `controllerRef` (an owner reference) names in `ns`:
// nullopt when it is none of the kinds with a known scale, or is gone.
using ScaleFinder =
    std::function<Result<std::optional<ControllerScale>>(const json& controllerRef,
                                                         const std::string& ns)>;

// The pods of `pods` (one namespace's) the budget's selector selects. No selector selects none;
// an empty one (policy/v1) selects all.
std::vector<json> podsForBudget(const json& budget, const std::vector<json>& pods);

struct ExpectedPods {
  int64_t expected = 0;
  int64_t desiredHealthy = 0;
  std::vector<std::string> unmanagedPods;  // pods without a controller, left out of the scale
};
// expectedPods and desiredHealthy from minAvailable or maxUnavailable. An integer minAvailable
// expects the pods found; a percentage, or maxUnavailable, expects the sum of the scales of
// the pods' controllers (percentages rounded up). Errors: a pod whose controller has no known
// scale, or a malformed value.
Result<ExpectedPods> expectedPodCount(const json& budget, const std::vector<json>& pods,
                                      const ScaleFinder& findScale);

struct DisruptedPods {
  json entries = json::object();  // pod name -> time of the eviction, as status.disruptedPods
  std::optional<TimePoint> recheck;  // when the earliest entry kept expires
};
// The entries of status.disruptedPods still to keep: those of covered pods that are not being
// deleted yet and whose eviction is less than kDeletionTimeout old.
DisruptedPods disruptedPodMap(const json& budget, const std::vector<json>& pods, TimePoint now);

// Ready pods, not being deleted and not among the recent evictions of `disrupted`.
int64_t countHealthyPods(const std::vector<json>& pods, const json& disrupted, TimePoint now);

struct Counts {
  int64_t currentHealthy = 0, desiredHealthy = 0, expected = 0;
};
// The budget with its new status, or nullopt when its status already says all this.
// disruptionsAllowed is currentHealthy - desiredHealthy, and 0 while no pods are expected.
std::optional<json> updatedBudget(const json& budget, const Counts& counts,
                                  const json& disrupted, TimePoint now);

// The budget as the controller leaves it when it cannot compute the status: no disruptions
// allowed, DisruptionAllowed=False with reason SyncFailed and the error as its message.
json failSafeBudget(const json& budget, const std::string& message, TimePoint now);

}  // namespace tug::controllers::disruption
