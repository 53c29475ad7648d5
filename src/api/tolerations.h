#pragma once

#include <nlohmann/json.hpp>

// How a pod's toleration meets a node's taint, for everything that reads taints: the
// scheduler's filters and the node lifecycle controller's NoExecute evictions.
namespace tug::api {

// Whether `toleration` (a core/v1 Toleration) tolerates `taint` (a core/v1 Taint), as
// upstream's Toleration.ToleratesTaint: an empty effect matches every effect, an empty key
// every key; operator Exists ignores the value, Equal (the default) compares it.
bool toleratesTaint(const nlohmann::json& toleration, const nlohmann::json& taint);

}  // namespace tug::api
