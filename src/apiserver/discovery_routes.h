#pragma once

#include <string_view>

#include "api/resource_registry.h"
#include "apiserver/api_catalog.h"
#include "apiserver/discovery.h"
#include "apiserver/routes.h"

namespace tug::apiserver {

// What a discovery request's Accept header lets us answer with.
enum class DiscoveryFormat {
  kLegacyJson,         // application/json, the classic documents
  kAggregatedV2,       // application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList
  kAggregatedV2Beta1,  // the same with v=v2beta1
  kNotAcceptable,      // nothing listed that we can write: 406
};

// Picks the format for `accept`, honouring the order and q-values the client gave. Protobuf
// and YAML are not served, so they are passed over in favour of a later JSON entry. The
// aggregated forms count only where `aggregatedAllowed` (GET /api and /apis). An empty
// header means anything.
DiscoveryFormat negotiateDiscovery(std::string_view accept, bool aggregatedAllowed);

// The Content-Type an answer in `format` carries; clients choose their parser by it, so the
// aggregated forms carry their g/v/as parameters.
std::string_view discoveryContentType(DiscoveryFormat format);

// Serves GET /api, /apis, /api/<v>, /apis/<g> and /apis/<g>/<v> (each also with a trailing
// slash) from what `catalog` serves at the time of each request; it must outlive the server.
RouteInstaller discoveryRoutes(const ApiCatalog& catalog);

}  // namespace tug::apiserver
