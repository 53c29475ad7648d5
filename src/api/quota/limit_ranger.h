#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

// What upstream's LimitRanger admission does with one LimitRange of a namespace: default the
// resources of a new pod's containers, then check pods and claims against the range's min,
// max and maxLimitRequestRatio. Pure functions over decoded objects; the API server's
// admission step reads the LimitRanges and turns violations into a 403.
namespace tug::api::quota {

inline constexpr const char* kLimitRangerAnnotation = "kubernetes.io/limit-ranger";

// Gives each container and init container of `pod` the range's Container defaults
// (`default` as limits, `defaultRequest` as requests) for every resource it does not state,
// and records what was set in the kubernetes.io/limit-ranger annotation
// ("LimitRanger plugin set: cpu, memory request for container app; cpu limit for container
// app"). Nothing changes when the range has no Container defaults a container lacks.
void applyContainerDefaults(const nlohmann::json& limitRange, nlohmann::json& pod);

// The pod's violations of the range's Container and Pod constraints, in upstream's words
// ("maximum cpu usage per Container is 500m, but limit is 1"); empty when it complies.
std::vector<std::string> podViolations(const nlohmann::json& limitRange,
                                       const nlohmann::json& pod);

// The claim's violations of the range's PersistentVolumeClaim min and max (on its storage
// requests).
std::vector<std::string> claimViolations(const nlohmann::json& limitRange,
                                         const nlohmann::json& pvc);

// Several errors as upstream aggregates them: one alone as it is, more as "[a, b]".
std::string aggregateMessages(const std::vector<std::string>& messages);

}  // namespace tug::api::quota
