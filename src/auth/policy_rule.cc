#include "auth/policy_rule.h"

#include <algorithm>
#include <string_view>

#include "common/go_quote.h"

namespace tug::auth {
namespace {

std::vector<std::string> strings(const nlohmann::json& rule, const char* key) {
  std::vector<std::string> out;
  auto it = rule.find(key);
  if (it == rule.end() || !it->is_array()) {
    return out;
  }
  for (const nlohmann::json& v : *it) {
    if (v.is_string()) {
      out.push_back(v.get<std::string>());
    }
  }
  return out;
}

bool contains(const std::vector<std::string>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

bool verbMatches(const PolicyRule& rule, std::string_view verb) {
  return contains(rule.verbs, "*") || contains(rule.verbs, verb);
}

bool apiGroupMatches(const PolicyRule& rule, std::string_view group) {
  return contains(rule.apiGroups, "*") || contains(rule.apiGroups, group);
}

bool resourceMatches(const PolicyRule& rule, std::string_view combined,
                     std::string_view subresource) {
  for (const std::string& r : rule.resources) {
    if (r == "*" || r == combined) {
      return true;
    }
    // "*/<subresource>" names one subresource of every resource.
    if (!subresource.empty() && r.size() == subresource.size() + 2 && r.starts_with("*/") &&
        r.ends_with(subresource)) {
      return true;
    }
  }
  return false;
}

bool resourceNameMatches(const PolicyRule& rule, std::string_view name) {
  return rule.resourceNames.empty() || contains(rule.resourceNames, name);
}

bool nonResourceUrlMatches(const PolicyRule& rule, std::string_view path) {
  for (const std::string& url : rule.nonResourceURLs) {
    if (url == "*" || url == path) {
      return true;
    }
    // "/apis/*" covers "/apis/" and everything below it, but not "/apis" itself.
    if (url.ends_with('*')) {
      std::string_view prefix(url);
      while (!prefix.empty() && prefix.back() == '*') {
        prefix.remove_suffix(1);
      }
      if (path.starts_with(prefix)) {
        return true;
      }
    }
  }
  return false;
}

}  // namespace

PolicyRule policyRuleFromJson(const nlohmann::json& rule) {
  if (!rule.is_object()) {
    return {};
  }
  return PolicyRule{strings(rule, "verbs"), strings(rule, "apiGroups"), strings(rule, "resources"),
                    strings(rule, "resourceNames"), strings(rule, "nonResourceURLs")};
}

std::vector<PolicyRule> policyRulesFromJson(const nlohmann::json& rules) {
  std::vector<PolicyRule> out;
  if (rules.is_array()) {
    for (const nlohmann::json& r : rules) {
      out.push_back(policyRuleFromJson(r));
    }
  }
  return out;
}

nlohmann::json toJson(const PolicyRule& rule) {
  nlohmann::json out = {{"verbs", rule.verbs}};
  auto optional = [&](const char* key, const std::vector<std::string>& v) {
    if (!v.empty()) {
      out[key] = v;
    }
  };
  optional("apiGroups", rule.apiGroups);
  optional("resources", rule.resources);
  optional("resourceNames", rule.resourceNames);
  optional("nonResourceURLs", rule.nonResourceURLs);
  return out;
}

nlohmann::json toJson(const std::vector<PolicyRule>& rules) {
  nlohmann::json out = nlohmann::json::array();
  for (const PolicyRule& r : rules) {
    out.push_back(toJson(r));
  }
  return out;
}

bool ruleAllows(const Attributes& request, const PolicyRule& rule) {
  if (!verbMatches(rule, request.verb)) {
    return false;
  }
  if (!request.resourceRequest) {
    return nonResourceUrlMatches(rule, request.path);
  }
  std::string combined = request.resource;
  if (!request.subresource.empty()) {
    combined += "/" + request.subresource;
  }
  return apiGroupMatches(rule, request.apiGroup) &&
         resourceMatches(rule, combined, request.subresource) &&
         resourceNameMatches(rule, request.name);
}

std::string compactString(const PolicyRule& rule) {
  std::string out;
  auto part = [&](const char* label, const std::vector<std::string>& v) {
    if (!v.empty()) {
      out += (out.empty() ? "" : ", ") + std::string(label) + ":" + goQuote(v);
    }
  };
  part("APIGroups", rule.apiGroups);
  part("Resources", rule.resources);
  part("NonResourceURLs", rule.nonResourceURLs);
  part("ResourceNames", rule.resourceNames);
  part("Verbs", rule.verbs);
  return "{" + out + "}";
}

}  // namespace tug::auth
