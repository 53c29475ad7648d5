#pragma once

#include <vector>

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace tug::auth {

// Whether a ClusterRole takes its rules from others: it has an aggregationRule (even one with
// no selectors, which gathers nothing), as upstream's clusterrole-aggregation controller sees it.
bool isAggregated(const nlohmann::json& clusterRole);

// The rules upstream's clusterrole-aggregation controller gives an aggregated `clusterRole`:
// for each of its clusterRoleSelectors in turn, the rules of every other ClusterRole in
// `clusterRoles` the selector matches, those roles taken in name order, each distinct rule
// kept once, in the order first met. Invalid when a selector is malformed.
// REQUIRES: isAggregated(clusterRole).
Result<nlohmann::json> aggregatedRules(const nlohmann::json& clusterRole,
                                       const std::vector<nlohmann::json>& clusterRoles);

// Sets the rules of every aggregated role in `clusterRoles` to its aggregated rules, again
// until nothing changes, so that chains (admin gathers edit, which gathers view) settle as the
// controller's repeated passes settle them. Rules that are already equal (missing and empty
// alike) are left as they are. Returns the first Invalid selector met; the other roles are
// still aggregated.
Status aggregateClusterRoles(std::vector<nlohmann::json>& clusterRoles);

}  // namespace tug::auth
