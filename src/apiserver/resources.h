#pragma once

#include "api/resource_registry.h"
#include "apiserver/api_catalog.h"
#include "apiserver/routes.h"
#include "common/status.h"
#include "store/store.h"

namespace tug::apiserver {

// The REST verbs (get, list, watch, create, update, patch, delete, deletecollection, and the
// status and scale subresources) for every resource the catalog serves at the time of each
// request, under /api/v1/... and /apis/<g>/<v>/... Both references must outlive the server.
RouteInstaller resourcesInstaller(store::Store& store, const ApiCatalog& catalog);

// Creates the namespaces every cluster has (default, kube-system, kube-public,
// kube-node-lease) when they are missing, so that a fresh server works with kubectl.
Status bootstrapNamespaces(store::Store& store, const api::ResourceRegistry& registry);

}  // namespace tug::apiserver
