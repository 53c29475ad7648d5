#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "api/quota/resource_list.h"

// A pod's effective requests or limits, as the scheduler and kubelet account them: the sum
// of its containers, or the largest init container if that is more (restartable init
// containers, the sidecars, run alongside and add to both), plus the pod overhead when asked.
namespace tug::api::quota {

// `which` is "requests" or "limits".
ResourceList podResources(const nlohmann::json& pod, std::string_view which,
                          bool withOverhead);

// A container's resources.<which>.
ResourceList containerResources(const nlohmann::json& container, std::string_view which);

// Whether the pod's QoS class is BestEffort: no container requests or limits any cpu or
// memory.
bool isBestEffort(const nlohmann::json& pod);

}  // namespace tug::api::quota
