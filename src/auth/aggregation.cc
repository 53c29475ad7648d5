#include "auth/aggregation.h"

#include <algorithm>
#include <string>

#include "auth/json_fields.h"
#include "auth/policy_rule.h"
#include "common/label_selector.h"

namespace tug::auth {
namespace {

std::string name(const nlohmann::json& role) { return stringField(role, {"metadata", "name"}); }

std::vector<PolicyRule> rulesOf(const nlohmann::json& role) {
  const nlohmann::json* rules = field(role, {"rules"});
  return rules != nullptr ? policyRulesFromJson(*rules) : std::vector<PolicyRule>{};
}

// The roles `selector` picks, by name, leaving out `self`.
Result<std::vector<const nlohmann::json*>> selectedRoles(
    const nlohmann::json& selector, const std::vector<nlohmann::json>& clusterRoles,
    const std::string& self) {
  std::vector<const nlohmann::json*> picked;
  for (const nlohmann::json& role : clusterRoles) {
    const nlohmann::json* labels = field(role, {"metadata", "labels"});
    Result<bool> match = labelSelectorMatches(selector, labels ? *labels : nlohmann::json());
    if (!match.ok()) {
      return match.status();
    }
    if (*match && name(role) != self) {
      picked.push_back(&role);
    }
  }
  std::stable_sort(picked.begin(), picked.end(),
                   [](const auto* a, const auto* b) { return name(*a) < name(*b); });
  return picked;
}

}  // namespace

bool isAggregated(const nlohmann::json& clusterRole) {
  const nlohmann::json* rule = field(clusterRole, {"aggregationRule"});
  return rule != nullptr && rule->is_object();
}

Result<nlohmann::json> aggregatedRules(const nlohmann::json& clusterRole,
                                       const std::vector<nlohmann::json>& clusterRoles) {
  std::vector<PolicyRule> rules;
  const nlohmann::json* selectors = field(clusterRole, {"aggregationRule", "clusterRoleSelectors"});
  if (selectors != nullptr && selectors->is_array()) {
    for (const nlohmann::json& selector : *selectors) {
      auto picked = selectedRoles(selector, clusterRoles, name(clusterRole));
      if (!picked.ok()) {
        return picked.status();
      }
      for (const nlohmann::json* role : *picked) {
        for (PolicyRule& rule : rulesOf(*role)) {
          if (std::find(rules.begin(), rules.end(), rule) == rules.end()) {
            rules.push_back(std::move(rule));
          }
        }
      }
    }
  }
  return toJson(rules);
}

Status aggregateClusterRoles(std::vector<nlohmann::json>& clusterRoles) {
  Status first;
  // Each pass settles at least one more link of every chain; a chain is at most as long as
  // the list.
  for (size_t pass = 0; pass <= clusterRoles.size(); ++pass) {
    bool changed = false;
    for (nlohmann::json& role : clusterRoles) {
      if (!isAggregated(role)) {
        continue;
      }
      Result<nlohmann::json> rules = aggregatedRules(role, clusterRoles);
      if (!rules.ok()) {
        if (first.isOk()) {
          first = rules.status().wrap("aggregating clusterrole \"" + name(role) + "\"");
        }
        continue;
      }
      if (policyRulesFromJson(*rules) != rulesOf(role)) {
        role["rules"] = std::move(*rules);
        changed = true;
      }
    }
    if (!changed) {
      break;
    }
  }
  return first;
}

}  // namespace tug::auth
