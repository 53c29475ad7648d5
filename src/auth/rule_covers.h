#pragma once

#include <vector>

#include "auth/policy_rule.h"

namespace tug::auth {

// `rule` split into rules of one verb, one API group, one resource and at most one resource name
// (resource rules), or one verb and one URL (non-resource rules). Each piece is then either
// wholly covered by a single owner rule or not at all.
std::vector<PolicyRule> breakdownRule(const PolicyRule& rule);

// Whether `owner` rules allow everything `servant` rules allow, as upstream's validation.Covers
// decides it (a wildcard covers only a wildcard or what it names; a rule limited to resource
// names never covers one that is not). The pieces of `servant` no owner rule covers are added to
// `uncovered` when given.
bool covers(const std::vector<PolicyRule>& owner, const std::vector<PolicyRule>& servant,
            std::vector<PolicyRule>* uncovered = nullptr);

// Pieces that differ only by verb, with one group, one resource and nothing else, merged into
// one rule: what upstream lists when it refuses an escalation.
std::vector<PolicyRule> compactRules(const std::vector<PolicyRule>& rules);

}  // namespace tug::auth
