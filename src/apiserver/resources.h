#pragma once

#include <functional>
#include <map>
#include <string>

#include "api/resource_registry.h"
#include "apiserver/api_catalog.h"
#include "apiserver/requester_admission.h"
#include "apiserver/routes.h"
#include "common/status.h"
#include "apiserver/resource_verbs.h"
#include "apiserver/service_ranges.h"
#include "store/store.h"

namespace tug::apiserver {

// POST to a named object's subresource that is not a stored object of its own (pods/binding,
// pods/eviction, serviceaccounts/token): each feature brings its handler. The request's body
// is JSON of the subresource's kind; `req.user` is set.
using SubresourceCreate = std::function<Reply(const VerbContext&, const VerbRequest&)>;
// By "<resource>/<subresource>", e.g. "pods/binding".
using SubresourceCreators = std::map<std::string, SubresourceCreate>;

// The REST verbs (get, list, watch, create, update, patch, delete, deletecollection, and the
// status and scale subresources) for every resource the catalog serves at the time of each
// request, under /api/v1/... and /apis/<g>/<v>/... Both references must outlive the server.
// Services get their cluster IPs and node ports from `ranges`; new pods get `podDefaults`.
// Writes and deletes go through `admission` (when given, it must outlive the server).
RouteInstaller resourcesInstaller(store::Store& store, const ApiCatalog& catalog,
                                  SubresourceCreators creators = {},
                                  const ServiceRanges& ranges = {},
                                  const PodDefaults& podDefaults = {},
                                  const RequesterAdmission* admission = nullptr);

// Creates the namespaces every cluster has (default, kube-system, kube-public,
// kube-node-lease) when they are missing, so that a fresh server works with kubectl.
Status bootstrapNamespaces(store::Store& store, const api::ResourceRegistry& registry);

}  // namespace tug::apiserver
