#pragma once

#include <optional>
#include <set>
#include <string>

#include "controllers/workload/object_helpers.h"

// A Job's spec.successPolicy (Indexed Jobs only) against the indexes that succeeded, as
// upstream's matchSuccessPolicy: the rules are tried in order. A rule with succeededIndexes is
// met once every listed index succeeded, or once succeededCount of them did; a rule with only
// succeededCount is met once that many indexes succeeded in all. A rule whose indexes do not
// parse is skipped.
namespace tug::controllers::job {

// "Matched rules at index <i>" for the first rule met; nullopt when none is (or there is no
// policy, or nothing succeeded yet).
std::optional<std::string> matchSuccessPolicy(const json& job, const std::set<int64_t>& succeeded,
                                              int64_t completions);

}  // namespace tug::controllers::job
