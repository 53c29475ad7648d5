#pragma once

#include "api/resource_registry.h"
#include "common/status.h"
#include "store/store.h"

namespace tug::apiserver {

// Creates the bootstrap ClusterRoles and ClusterRoleBindings (cluster-admin, admin, edit,
// view, system:discovery, system:basic-user, system:public-info-viewer, system:node, the
// system:masters binding, ...) that are missing, with the aggregated roles' rules filled in.
// Existing ones are left as they are: an administrator's changes stay.
Status bootstrapRbac(store::Store& store, const api::ResourceRegistry& registry);

}  // namespace tug::apiserver
