#include "apiserver/bootstrap_rbac.h"

#include "apiserver/resource_verbs.h"
#include "auth/aggregation.h"
#include "auth/bootstrap_policy.h"

namespace tug::apiserver {
namespace {

Status createAll(const VerbContext& ctx, const api::ResourceInfo* info,
                 const std::vector<nlohmann::json>& objects) {
  for (const nlohmann::json& obj : objects) {
    ResourceTarget target{info, "", "", ""};
    Reply r = createResource(ctx, VerbRequest{target, {{"fieldManager", "kube-apiserver"}},
                                              obj.dump()});
    if (r.code != 201 && r.code != 409) {
      return Status(Code::kInternal, "creating " + info->kind + " " +
                                         obj["metadata"].value("name", "") + ": " +
                                         r.body.value("message", r.body.dump()));
    }
  }
  return Status::ok();
}

}  // namespace

Status bootstrapRbac(store::Store& store, const api::ResourceRegistry& registry) {
  const api::ResourceInfo* roles =
      registry.find("rbac.authorization.k8s.io", "v1", "clusterroles");
  const api::ResourceInfo* bindings =
      registry.find("rbac.authorization.k8s.io", "v1", "clusterrolebindings");
  if (roles == nullptr || bindings == nullptr) {
    return internalError("the registry has no RBAC resources");
  }
  auth::BootstrapPolicy policy = auth::bootstrapPolicy();
  if (Status s = auth::aggregateClusterRoles(policy.clusterRoles); !s.isOk()) {
    return s;
  }
  VerbContext ctx{store, registry};
  if (Status s = createAll(ctx, roles, policy.clusterRoles); !s.isOk()) {
    return s;
  }
  return createAll(ctx, bindings, policy.clusterRoleBindings);
}

}  // namespace tug::apiserver
