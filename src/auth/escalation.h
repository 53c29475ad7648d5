#pragma once

#include <nlohmann/json.hpp>

#include "auth/attributes.h"
#include "auth/rbac_lookup.h"
#include "common/status.h"

namespace tug::auth {

// RBAC's guard against privilege escalation, as upstream's policy-based storage for roles and
// bindings applies it after the request itself was authorized. Nobody can grant through RBAC
// more than they hold, unless they are explicitly trusted to.
//
// `request` is the write as parsed from its URL (requestAttributes): its user and namespace are
// whose rules count and where, its name what `escalate` is checked on. `old` is the stored
// object of an update, nullptr for a create. Writes that change only what the garbage collector
// changes (ownerReferences, finalizers, managedFields) always pass. Rules are read from
// `lookup` as it is now.

// A Role or ClusterRole may be written by a member of system:masters; by a user allowed the
// verb `escalate` on roles or clusterroles (named by the request, so resourceNames can limit
// it; a create has no name); or by a user who already holds every rule it grants, in the
// request's namespace. A ClusterRole with an aggregationRule (before or after) further needs
// "*" on everything, as it can gather any rule. Forbidden otherwise:
//   clusterroles.rbac.authorization.k8s.io "x" is forbidden: user "bob" (groups=["g"]) is
//   attempting to grant RBAC permissions not currently held:
//   {APIGroups:[""], Resources:["secrets"], Verbs:["get"]}
// REQUIRES: request.resource is "roles" or "clusterroles".
Status checkRoleWrite(const RbacLookup& lookup, const Attributes& request,
                      const nlohmann::json& role, const nlohmann::json* old);

// A RoleBinding or ClusterRoleBinding may be written by a member of system:masters; by a user
// allowed the verb `bind` on the role it references (resource roles or clusterroles, the
// role's name, in the binding's namespace); or by a user who holds every rule of that role.
// NotFound when the role does not exist and nothing else allows the write; Forbidden as above.
// REQUIRES: request.resource is "rolebindings" or "clusterrolebindings".
Status checkBindingWrite(const RbacLookup& lookup, const Attributes& request,
                         const nlohmann::json& binding, const nlohmann::json* old);

}  // namespace tug::auth
