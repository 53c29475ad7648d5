#pragma once

#include <nlohmann/json.hpp>

#include "common/status.h"

namespace tug {

// Shared by the authorizer (aggregated ClusterRoles), the workload controllers and the
// scheduler, so that every selector in the system means the same thing.
// Whether `labels` (a metadata.labels object, or null) match a metav1.LabelSelector in JSON
// (matchLabels, and matchExpressions with In, NotIn, Exists, DoesNotExist), as upstream's
// LabelSelectorAsSelector reads it: an empty selector matches everything, every requirement
// must hold, NotIn and DoesNotExist hold when the label is absent. Invalid for an unknown
// operator, In or NotIn without values, Exists or DoesNotExist with values. Label key and value
// syntax is not checked: the API validated it when the object was stored.
Result<bool> labelSelectorMatches(const nlohmann::json& selector, const nlohmann::json& labels);

}  // namespace tug
