#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/attributes.h"

namespace tug::auth {

// One rbac.authorization.k8s.io/v1 PolicyRule. "*" in verbs, apiGroups, resources and
// nonResourceURLs means every value; a resource may be "<resource>/<subresource>" or
// "*/<subresource>"; a nonResourceURL ending in "*" matches every path it prefixes. An empty
// resourceNames allows every name.
struct PolicyRule {
  std::vector<std::string> verbs, apiGroups, resources, resourceNames, nonResourceURLs;

  bool operator==(const PolicyRule&) const = default;
};

// A rule from its JSON; missing, null or mistyped fields read as empty (stored rules have been
// validated, and an empty field only ever grants less).
PolicyRule policyRuleFromJson(const nlohmann::json& rule);
// The `rules` array of a role; null or missing reads as no rules.
std::vector<PolicyRule> policyRulesFromJson(const nlohmann::json& rules);
// As the API serializes a PolicyRule: verbs always, the other fields when not empty.
nlohmann::json toJson(const PolicyRule& rule);
nlohmann::json toJson(const std::vector<PolicyRule>& rules);

// Whether `rule` allows the request, as upstream's RuleAllows: resource requests need the verb,
// the API group, the resource ("pods/log" for a subresource; "*/log" matches any resource's
// log) and the name (a rule with resourceNames never matches a request without a name: a create,
// or a list without a metadata.name field selector); other requests need the verb and the path.
bool ruleAllows(const Attributes& request, const PolicyRule& rule);

// Upstream's CompactString, for escalation messages:
// {APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]}.
std::string compactString(const PolicyRule& rule);

}  // namespace tug::auth
