#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "api/resource_registry.h"
#include "common/status.h"

namespace tug::apiserver {

// The discovery documents, built from a registry. Pure functions: the same registry gives the
// same documents, in the registry's order (groups by priority, preferred version first), with
// the fields a 1.31 kube-apiserver emits and omits, because clients compare and cache them.

// GET /api: the core group's versions. `serverAddress` ("host:port") is where clients reach us;
// the python client refuses the document without serverAddressByClientCIDRs.
nlohmann::json apiVersions(const api::ResourceRegistry& registry, std::string_view serverAddress);

// GET /apis: every named group (not the core group) with its versions.
nlohmann::json apiGroupList(const api::ResourceRegistry& registry);

// GET /apis/<group>. NotFound for the core group and for groups we do not serve.
Result<nlohmann::json> apiGroup(const api::ResourceRegistry& registry, std::string_view group);

// GET /api/<version> (group "") and /apis/<group>/<version>: one entry per resource and one per
// subresource ("pods/status"). NotFound for a group version we do not serve.
Result<nlohmann::json> apiResourceList(const api::ResourceRegistry& registry,
                                       std::string_view group, std::string_view version);

// Which apidiscovery.k8s.io version an aggregated document is written in. The JSON is the
// same; only apiVersion differs (kubectl before 1.30 knows only v2beta1).
enum class AggregatedVersion { kV2, kV2Beta1 };

std::string_view aggregatedApiVersion(AggregatedVersion v);  // "apidiscovery.k8s.io/v2"

// The APIGroupDiscoveryList that answers GET /api (`core` true: the core group alone) or
// GET /apis (every named group) when the client asks for aggregated discovery.
nlohmann::json aggregatedDiscovery(const api::ResourceRegistry& registry, bool core,
                                   AggregatedVersion version);

}  // namespace tug::apiserver
