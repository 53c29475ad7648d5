#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "apiserver/resource_verbs.h"

// Upstream's LimitRanger admission over the LimitRanges of the object's namespace, read from
// the store. Its mutating half defaults a new pod's container resources before the pod is
// defaulted and validated; its validating half refuses pods and claims outside the ranges'
// bounds with 403 Forbidden: `pods "p" is forbidden: maximum cpu usage per Container is
// 500m, but limit is 1`.
namespace tug::apiserver {

// A new pod gets each range's Container defaults (and the kubernetes.io/limit-ranger
// annotation saying which). Other objects are left alone. A reply only when the ranges
// cannot be read.
std::optional<Reply> applyLimitRangeDefaults(const VerbContext& ctx, const ResourceTarget& target,
                                             nlohmann::json& obj);

// Pods (on create) and PersistentVolumeClaims (on create and update) checked against each
// range in turn; the first range they violate answers 403 with all of its violations.
std::optional<Reply> enforceLimitRanges(const VerbContext& ctx, const ResourceTarget& target,
                                        const nlohmann::json& obj);

// Updates: only a claim's (its storage request may grow); pods' resources do not change.
std::optional<Reply> enforceLimitRangesOnUpdate(const VerbContext& ctx,
                                                const ResourceTarget& target,
                                                const nlohmann::json& obj);

// The 403 admission plugins answer: `<resource> "<name>" is forbidden: <why>`, with details
// naming the object as upstream's NewForbidden does.
Reply admissionForbidden(const ResourceTarget& target, const std::string& why);

}  // namespace tug::apiserver
