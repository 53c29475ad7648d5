#pragma once

#include <nlohmann/json.hpp>

#include "apiserver/resource_verbs.h"

namespace tug::apiserver {

// Upstream's DefaultTolerationSeconds admission: a new pod that does not tolerate the
// node.kubernetes.io/not-ready or /unreachable NoExecute taints gets a toleration for each,
// with the configured seconds, so that it is evicted from a lost node after that long and not
// at once.
void addDefaultTolerations(nlohmann::json& pod, const PodDefaults& defaults);

}  // namespace tug::apiserver
