#pragma once

#include <optional>
#include <string>

#include "apiserver/requester_admission.h"

// Upstream's NodeRestriction admission: a node's credential (user system:node:<name> in the
// group system:nodes) reaches only what concerns that node, whatever RBAC lets nodes do in
// general:
//   nodes                 create, update, patch (status too) only of the Node <name>, without
//                         changing its taints or setting node-restriction.kubernetes.io/* or
//                         kubernetes.io labels other than the kubelet's own
//   leases                only the Lease <name> in kube-node-lease
//   pods                  create only mirror pods bound to <name> and owned by its Node;
//                         delete only pods whose spec.nodeName is <name>; no other update
//   pods/status           update and patch only of pods whose spec.nodeName is <name>, without
//                         changing their labels
//   persistentvolumeclaims only their status: capacity and conditions
//   csinodes              only the CSINode <name>
// Refusals are upstream's 403: `nodes "b" is forbidden: node "a" is not allowed to modify
// node "b"` and the like. Other users and other resources pass.
namespace tug::apiserver {

class NodeRestriction : public RequesterAdmission {
 public:
  Status admitWrite(const VerbContext& ctx, const UserInfo& user, const ResourceTarget& target,
                    const nlohmann::json& obj, const nlohmann::json* old) const override;
  Status admitDelete(const VerbContext& ctx, const UserInfo& user, const ResourceTarget& target,
                     const nlohmann::json& obj) const override;
};

// The node a user is, as upstream's node identifier reads it: <name> for system:node:<name> in
// system:nodes (possibly empty), nullopt for anyone else.
std::optional<std::string> nodeIdentity(const UserInfo& user);

}  // namespace tug::apiserver
