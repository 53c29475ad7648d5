#pragma once

#include <string>
#include <string_view>

#include "auth/attributes.h"
#include "auth/rbac_lookup.h"
#include "auth/rule_resolver.h"

namespace tug::auth {

// Members of this group may do anything, whatever the bindings say: the API server's own
// privileged clients and the admin kubeconfig use it, and RBAC objects cannot lock them out.
inline constexpr std::string_view kPrivilegedGroup = "system:masters";

bool isPrivileged(const User& user);

struct Decision {
  bool allowed = false;
  // What a SubjectAccessReview reports as status.reason: which binding allowed the request
  // (`RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "z"`), or, for a
  // denial, the errors met looking for rules (`RBAC: clusterrole.rbac.authorization.k8s.io "y"
  // not found`); empty otherwise and for the privileged group.
  std::string reason;
};

// Upstream's authorizers as kube-apiserver chains them for RBAC: the privileged group first,
// then the RBAC authorizer. RBAC only ever allows; a request no rule allows is denied (no other
// authorizer follows in tug). Holds `lookup` by reference; thread-safe when it is.
class RbacAuthorizer {
 public:
  explicit RbacAuthorizer(const RbacLookup& lookup);

  Decision authorize(const Attributes& request) const;

  // Every rule `user` holds in `ns`: a SelfSubjectRulesReview's answer.
  RuleResolver::Rules rulesFor(const User& user, std::string_view ns) const;

 private:
  RuleResolver resolver_;
};

}  // namespace tug::auth
