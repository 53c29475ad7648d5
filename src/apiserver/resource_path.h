#pragma once

#include <string>
#include <string_view>

#include "api/resource_registry.h"
#include "common/status.h"

namespace tug::apiserver {

// The parts of a resource URL, before they are checked against the registry:
//   /api/v1/[namespaces/<ns>/]<resource>[/<name>[/<subresource>]]
//   /apis/<group>/<version>/[namespaces/<ns>/]<resource>[/<name>[/<subresource>]]
// /api/v1/namespaces/<name>[/status|/finalize] names a namespace itself, as upstream parses it.
struct ResourcePath {
  std::string group, version, resource;
  std::string ns;  // set when the URL went through namespaces/<ns>/
  std::string name, subresource;
  bool namespacedUrl = false;
  // Reached through the deprecated /watch/ prefix: a GET there is a watch (of one object when
  // a name follows).
  bool legacyWatch = false;
};

// NotFound when the path is not a resource URL at all (too short, too long, empty segments).
Result<ResourcePath> parseResourcePath(std::string_view path);

// A request resolved against the registry: the resource exists and the scope fits.
struct ResourceTarget {
  const api::ResourceInfo* info = nullptr;
  std::string ns, name, subresource;
};

// NotFound for an unknown group, version, resource or subresource, and for a cluster-scoped
// resource reached through namespaces/<ns>/. BadRequest when a name is not a valid path segment.
Result<ResourceTarget> resolveResourcePath(const api::ResourceRegistry& registry,
                                           const ResourcePath& path);

// Names become store keys and URL segments: refuse ".", "..", '/', '%' and anything outside
// printable ASCII. Kind-specific name rules come with validation later.
bool isValidPathSegmentName(std::string_view name);

// "pods" for the core group, "deployments.apps" otherwise: how upstream messages name a resource.
std::string qualifiedResource(const api::ResourceInfo& info);

}  // namespace tug::apiserver
