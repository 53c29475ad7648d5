#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"

// The OpenAPI v3 document of one group version, generated from what the API serves: for each
// resource the paths and operations upstream documents (list with ?watch, create,
// deletecollection, get, replace, patch, delete, and the status, scale and other non-streaming
// subresources), with upstream's operation ids, x-kubernetes-action,
// x-kubernetes-group-version-kind, query parameters, request bodies and responses, and the
// schema definitions those refer to. No descriptions: upstream's prose is not ours to copy.
namespace tug::apiserver {

// The key of a group version in /openapi/v3: "api/v1", "apis/apps/v1".
std::string openApiPath(std::string_view group, std::string_view version);

// Names the schema of a kind: ("apps", "v1", "Deployment") -> "io.k8s.api.apps.v1.Deployment".
// Empty when unknown (the operations then refer to nothing).
using SchemaNamer = std::function<std::string(std::string_view group, std::string_view version,
                                              std::string_view kind)>;

// Adds the paths of `r` (and its subresources) to `paths`. CRDs pass
// strategicMergePatch=false: their PATCH lists only the json, merge and apply patch types, so
// kubectl sends merge patches.
void addResourcePaths(const api::ResourceInfo& r, const SchemaNamer& names,
                      bool strategicMergePatch, nlohmann::json& paths);

// Adds GET <prefix>/ (the group version's APIResourceList) to `paths`.
void addDiscoveryPath(std::string_view group, std::string_view version, nlohmann::json& paths);

// The document's JSON text: `paths` plus components.schemas holding `schemas` (name and
// JSON text of each definition, sorted by name, spliced in as they are).
std::string assembleDocument(const nlohmann::json& paths,
                             const std::vector<std::pair<std::string_view, std::string_view>>& schemas);

// The built-in group version's document, with the embedded definitions its paths reach.
// Empty when `registry` does not serve the group version.
std::string renderBuiltinDocument(const api::ResourceRegistry& registry, std::string_view group,
                                  std::string_view version);

// A group version served from CustomResourceDefinitions: the paths of its resources (merge,
// JSON and apply patches only) and their schemas as the CRDs declare them, named as upstream
// names them ("io.k8s.networking.gateway.v1.Gateway" for gateway.networking.k8s.io/v1), with
// apiVersion, kind and metadata added, plus the built-in definitions they refer to. Empty when
// `registry` does not serve the group version.
std::string renderCustomDocument(const api::ResourceRegistry& registry, std::string_view group,
                                 std::string_view version);

}  // namespace tug::apiserver
