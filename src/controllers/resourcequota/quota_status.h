#pragma once

#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/quota/usage.h"

// The status a ResourceQuota should have, from the objects of its namespace: status.hard is
// spec.hard, status.used each limited name's total over the objects the quota counts (zero
// when none). A pure function, so the controller's arithmetic is tested on plain objects.
namespace tug::controllers {

// Calls `visit` on each object of `kind` in the quota's namespace; returns false when they
// cannot be read (the quota is then left as it is).
using ObjectSource = std::function<bool(const api::quota::Kind& kind,
                                        const std::function<void(const nlohmann::json&)>& visit)>;

// The kinds whose objects a quota limiting `names` counts. `count/<resource>.<group>` names
// of other resources come as {group, resource}.
std::vector<api::quota::Kind> countedKinds(const api::quota::ResourceNames& names);

// {"hard": ..., "used": ...}; nullopt when a source failed.
std::optional<nlohmann::json> desiredStatus(const nlohmann::json& quota,
                                            const ObjectSource& objects,
                                            api::quota::TimePoint now);

}  // namespace tug::controllers
