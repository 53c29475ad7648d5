#pragma once

#include <optional>

#include <nlohmann/json.hpp>

#include "apiserver/resource_verbs.h"

// Upstream's ResourceQuota admission for new objects: the quotas of the object's namespace
// (their status, which the resource quota controller keeps) are charged with what the object
// uses, or the create is refused with 403 Forbidden:
//   pods "p" is forbidden: exceeded quota: q, requested: pods=1, used: pods=2, limited: pods=2
//   pods "p" is forbidden: failed quota: q: must specify limits.cpu for: app
// The charge is a compare-and-swap write of each quota's status.used, retried from a fresh
// read on a conflict, so that concurrent creates cannot together pass a limit.
namespace tug::apiserver {

// REQUIRES: `obj` is admitted otherwise (defaulted, validated) and named. `old`: the stored
// version an update replaces (nullptr for a create); updates are charged what they add, and
// only for the kinds whose usage may change (services, persistent volume claims), as
// upstream. `dryRun`: check only.
std::optional<Reply> chargeQuota(const VerbContext& ctx, const ResourceTarget& target,
                                 const nlohmann::json& obj, const nlohmann::json* old,
                                 bool dryRun);

// Gives back what chargeQuota took when the object then could not be stored after all.
void refundQuota(const VerbContext& ctx, const ResourceTarget& target, const nlohmann::json& obj,
                 const nlohmann::json* old);

}  // namespace tug::apiserver
