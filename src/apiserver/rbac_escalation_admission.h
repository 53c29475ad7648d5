#pragma once

#include "apiserver/requester_admission.h"
#include "auth/rbac_lookup.h"

namespace tug::apiserver {

// RBAC's escalation prevention on writes of roles, clusterroles, rolebindings and
// clusterrolebindings (auth::checkRoleWrite, auth::checkBindingWrite), with the rules
// `lookup` holds at the time of the write. Other resources and deletes pass.
class RbacEscalationAdmission : public RequesterAdmission {
 public:
  explicit RbacEscalationAdmission(const auth::RbacLookup& lookup) : lookup_(lookup) {}
  Status admitWrite(const VerbContext& ctx, const UserInfo& user, const ResourceTarget& target,
                    const nlohmann::json& obj, const nlohmann::json* old) const override;
  Status admitDelete(const VerbContext&, const UserInfo&, const ResourceTarget&,
                     const nlohmann::json&) const override {
    return Status::ok();
  }

 private:
  const auth::RbacLookup& lookup_;
};

}  // namespace tug::apiserver
