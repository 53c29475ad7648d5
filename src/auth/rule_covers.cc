#include "auth/rule_covers.h"

#include <algorithm>
#include <map>
#include <string_view>

namespace tug::auth {
namespace {

bool has(const std::vector<std::string>& set, std::string_view value) {
  return std::find(set.begin(), set.end(), value) != set.end();
}

bool hasAll(const std::vector<std::string>& set, const std::vector<std::string>& values) {
  return std::all_of(values.begin(), values.end(),
                     [&](const std::string& v) { return has(set, v); });
}

// "*" covers everything; "*/<sub>" covers "<any>/<sub>"; anything else only itself.
bool resourcesCoverAll(const std::vector<std::string>& owner,
                       const std::vector<std::string>& wanted) {
  if (has(owner, "*") || hasAll(owner, wanted)) {
    return true;
  }
  for (const std::string& r : wanted) {
    if (has(owner, r)) {
      continue;
    }
    size_t slash = r.find('/');
    if (slash == std::string::npos || !has(owner, "*/" + r.substr(slash + 1))) {
      return false;
    }
  }
  return true;
}

bool urlCovers(std::string_view owner, std::string_view path) {
  if (owner == path) {
    return true;
  }
  if (!owner.ends_with('*')) {
    return false;
  }
  while (!owner.empty() && owner.back() == '*') {
    owner.remove_suffix(1);
  }
  return path.starts_with(owner);
}

bool urlsCoverAll(const std::vector<std::string>& owner, const std::vector<std::string>& wanted) {
  return std::all_of(wanted.begin(), wanted.end(), [&](const std::string& path) {
    return std::any_of(owner.begin(), owner.end(),
                       [&](const std::string& o) { return urlCovers(o, path); });
  });
}

// REQUIRES: piece comes from breakdownRule (at most one of each attribute).
bool ruleCovers(const PolicyRule& owner, const PolicyRule& piece) {
  bool verbs = has(owner.verbs, "*") || hasAll(owner.verbs, piece.verbs);
  bool groups = has(owner.apiGroups, "*") || hasAll(owner.apiGroups, piece.apiGroups);
  bool names = piece.resourceNames.empty() ? owner.resourceNames.empty()
                                           : owner.resourceNames.empty() ||
                                                 hasAll(owner.resourceNames, piece.resourceNames);
  return verbs && groups && resourcesCoverAll(owner.resources, piece.resources) &&
         urlsCoverAll(owner.nonResourceURLs, piece.nonResourceURLs) && names;
}

// One group, one resource, verbs, and nothing else.
bool isSimpleResourceRule(const PolicyRule& r) {
  return r.resourceNames.empty() && r.nonResourceURLs.empty() && r.apiGroups.size() == 1 &&
         r.resources.size() == 1;
}

}  // namespace

std::vector<PolicyRule> breakdownRule(const PolicyRule& rule) {
  std::vector<PolicyRule> pieces;
  for (const std::string& group : rule.apiGroups) {
    for (const std::string& resource : rule.resources) {
      for (const std::string& verb : rule.verbs) {
        if (rule.resourceNames.empty()) {
          pieces.push_back(PolicyRule{{verb}, {group}, {resource}, {}, {}});
        }
        for (const std::string& name : rule.resourceNames) {
          pieces.push_back(PolicyRule{{verb}, {group}, {resource}, {name}, {}});
        }
      }
    }
  }
  for (const std::string& url : rule.nonResourceURLs) {
    for (const std::string& verb : rule.verbs) {
      pieces.push_back(PolicyRule{{verb}, {}, {}, {}, {url}});
    }
  }
  return pieces;
}

bool covers(const std::vector<PolicyRule>& owner, const std::vector<PolicyRule>& servant,
            std::vector<PolicyRule>* uncovered) {
  bool all = true;
  for (const PolicyRule& rule : servant) {
    for (const PolicyRule& piece : breakdownRule(rule)) {
      bool covered = std::any_of(owner.begin(), owner.end(),
                                 [&](const PolicyRule& o) { return ruleCovers(o, piece); });
      if (!covered) {
        all = false;
        if (uncovered != nullptr) {
          uncovered->push_back(piece);
        }
      }
    }
  }
  return all;
}

std::vector<PolicyRule> compactRules(const std::vector<PolicyRule>& rules) {
  std::vector<PolicyRule> out;
  std::map<std::pair<std::string, std::string>, PolicyRule> simple;
  for (const PolicyRule& r : rules) {
    if (!isSimpleResourceRule(r)) {
      out.push_back(r);
      continue;
    }
    auto [it, inserted] = simple.try_emplace({r.apiGroups[0], r.resources[0]}, r);
    if (!inserted) {
      it->second.verbs.insert(it->second.verbs.end(), r.verbs.begin(), r.verbs.end());
    }
  }
  for (auto& [key, r] : simple) {
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace tug::auth
