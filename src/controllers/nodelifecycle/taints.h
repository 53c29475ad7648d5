#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

// Taints and tolerations as the node lifecycle controller reads them: which taints a node's
// conditions call for, and how long a pod may stay on a node with NoExecute taints.
namespace tug::controllers::nodelifecycle {

using json = nlohmann::json;

inline constexpr const char* kNotReady = "node.kubernetes.io/not-ready";
inline constexpr const char* kUnreachable = "node.kubernetes.io/unreachable";
inline constexpr const char* kUnschedulable = "node.kubernetes.io/unschedulable";

// The node's Ready condition status: "True", "False", "Unknown", or "" when it has none.
std::string readyStatus(const json& node);

// The taints this controller manages, as the node's state asks for them: not-ready or
// unreachable (NoSchedule and NoExecute) from the Ready condition, unschedulable (NoSchedule)
// from spec.unschedulable.
std::vector<json> conditionTaints(const json& node);

// The node's taints with the managed ones replaced by `wanted` (a managed taint already present
// keeps its timeAdded; new NoExecute ones get `now`). Other taints are kept as they are.
json withManagedTaints(const json& node, const std::vector<json>& wanted, const std::string& now);

// How long the pod may stay on a node with `taints`: nullopt when forever (no NoExecute taint,
// or every one tolerated without a limit), 0 when it must go now (one is not tolerated),
// otherwise the smallest tolerationSeconds among the tolerations that match.
std::optional<int64_t> secondsAllowed(const json& pod, const json& taints);

}  // namespace tug::controllers::nodelifecycle
