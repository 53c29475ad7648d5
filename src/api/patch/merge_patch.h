#pragma once

#include <nlohmann/json.hpp>

// RFC 7386 JSON merge patch (application/merge-patch+json): objects merge member by member,
// null removes a member, anything else (arrays included) replaces the target whole.
namespace tug::api {

// The result of merging `patch` into `target`. A patch that is not an object replaces the
// target; members the patch adds lose their nested nulls, as the RFC's algorithm has it.
// REQUIRES: `patch` nests no deeper than kMaxPatchDepth (the merge recurses along it).
nlohmann::json applyMergePatch(nlohmann::json target, const nlohmann::json& patch);

}  // namespace tug::api
