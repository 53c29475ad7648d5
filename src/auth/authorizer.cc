#include "auth/authorizer.h"

#include <algorithm>

namespace tug::auth {

bool isPrivileged(const User& user) {
  return std::find(user.groups.begin(), user.groups.end(), kPrivilegedGroup) != user.groups.end();
}

RbacAuthorizer::RbacAuthorizer(const RbacLookup& lookup) : resolver_(lookup) {}

Decision RbacAuthorizer::authorize(const Attributes& request) const {
  if (isPrivileged(request.user)) {
    return Decision{true, ""};
  }
  Decision d;
  std::vector<std::string> errors = resolver_.visitRulesFor(
      request.user, request.ns, [&](const RuleSource& source, const PolicyRule& rule) {
        if (!ruleAllows(request, rule)) {
          return true;
        }
        d.allowed = true;
        d.reason = "RBAC: allowed by " + source.describe();
        return false;
      });
  if (!d.allowed && !errors.empty()) {
    d.reason = "RBAC: " + aggregateErrors(errors);
  }
  return d;
}

RuleResolver::Rules RbacAuthorizer::rulesFor(const User& user, std::string_view ns) const {
  return resolver_.rulesFor(user, ns);
}

}  // namespace tug::auth
