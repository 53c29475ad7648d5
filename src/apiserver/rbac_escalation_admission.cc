#include "apiserver/rbac_escalation_admission.h"

#include "auth/escalation.h"

namespace tug::apiserver {

Status RbacEscalationAdmission::admitWrite(const VerbContext&, const UserInfo& user,
                                           const ResourceTarget& target,
                                           const nlohmann::json& obj,
                                           const nlohmann::json* old) const {
  const api::ResourceInfo& info = *target.info;
  if (info.group != "rbac.authorization.k8s.io" || !target.subresource.empty()) {
    return Status::ok();
  }
  // The request as authorization saw it: `escalate` and `bind` are asked about its name
  // (none for a create) in its namespace.
  auth::Attributes request{auth::User{user.name, user.groups},
                          old == nullptr ? "create" : "update"};
  request.resourceRequest = true;
  request.apiGroup = info.group;
  request.apiVersion = info.version;
  request.resource = info.resource;
  request.ns = target.ns;
  request.name = target.name;
  if (info.resource == "roles" || info.resource == "clusterroles") {
    return auth::checkRoleWrite(lookup_, request, obj, old);
  }
  if (info.resource == "rolebindings" || info.resource == "clusterrolebindings") {
    return auth::checkBindingWrite(lookup_, request, obj, old);
  }
  return Status::ok();
}

}  // namespace tug::apiserver
