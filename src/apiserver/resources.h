#pragma once

#include "api/resource_registry.h"
#include "apiserver/routes.h"
#include "common/status.h"
#include "store/store.h"

namespace tug::apiserver {

// The REST verbs (get, list, create, update, delete, deletecollection, and the status
// subresource) for every resource in `registry`, under /api/v1/... and /apis/<g>/<v>/...
// Both references must outlive the server.
RouteInstaller resourcesInstaller(store::Store& store, const api::ResourceRegistry& registry);

// Creates the namespaces every cluster has (default, kube-system, kube-public,
// kube-node-lease) when they are missing, so that a fresh server works with kubectl.
Status bootstrapNamespaces(store::Store& store, const api::ResourceRegistry& registry);

}  // namespace tug::apiserver
