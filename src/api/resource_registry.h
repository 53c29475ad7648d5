#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace tug::api {

struct CustomResourceVersion;  // api/crd/custom_resource.h

// A subresource such as pods/status or deployments/scale.
struct SubresourceInfo {
  std::string name;  // "status", "scale", "log", ...
  std::string kind;  // the kind it takes and returns (Scale for scale)
  std::string group, version;  // set when that kind lives in another group version
  std::vector<std::string> verbs;
};

// One resource of one group version, as discovery describes it.
struct ResourceInfo {
  std::string group;  // "" for the core group
  std::string version;
  std::string resource;  // plural, lower case: "deployments"
  std::string singular;
  std::string kind;
  bool namespaced = false;
  std::vector<std::string> verbs, shortNames, categories;
  std::string storageVersionHash;
  std::vector<SubresourceInfo> subresources;
  bool builtin = false;  // served by tug itself, not defined by a CustomResourceDefinition
  // Set for resources a CustomResourceDefinition defines: its schema, columns and scale.
  std::shared_ptr<const CustomResourceVersion> custom;

  // "v1" for the core group, "apps/v1" otherwise: the objects' apiVersion.
  std::string groupVersion() const;
  bool hasVerb(std::string_view verb) const;
  const SubresourceInfo* subresource(std::string_view name) const;
};

struct GroupVersionInfo {
  std::string version;
  std::vector<const ResourceInfo*> resources;  // in discovery order
};

struct GroupInfo {
  std::string name;                        // "" for the core group
  std::vector<GroupVersionInfo> versions;  // the preferred version first
};

// The resources the API serves, with lookups by URL parts, kind and short name.
// Immutable once built; safe to share between threads.
class ResourceRegistry {
 public:
  // The built-in resources of a default Kubernetes 1.31 server (embedded/api-resources.json).
  static const ResourceRegistry& builtin();
  // Builds a registry from the api-resources.json shape; Invalid when it does not parse.
  static Result<std::unique_ptr<ResourceRegistry>> fromJson(std::string_view json,
                                                            bool builtin = false);
  // `base` (which must outlive the result) plus `custom` resources, grouped by group and
  // version: each group's versions in Kubernetes' version priority (v2 > v1 > v1beta2 >
  // v1beta1 > v1alpha1), new groups after the built-in ones in name order.
  static std::unique_ptr<ResourceRegistry> withCustom(
      const ResourceRegistry& base, std::vector<std::unique_ptr<ResourceInfo>> custom);

  const std::vector<GroupInfo>& groups() const { return groups_; }
  const GroupInfo* group(std::string_view name) const;
  const ResourceInfo* find(std::string_view group, std::string_view version,
                           std::string_view resource) const;
  const ResourceInfo* findKind(std::string_view group, std::string_view version,
                               std::string_view kind) const;
  // Resolves what a user types: a plural, singular or short name, optionally "name.group";
  // prefers the group's preferred version. nullptr when nothing matches.
  const ResourceInfo* resolve(std::string_view name) const;

 private:
  const ResourceInfo* findIn(std::string_view group, std::string_view version,
                             const std::function<bool(const ResourceInfo&)>& match) const;

  std::vector<std::unique_ptr<ResourceInfo>> owned_;
  std::vector<GroupInfo> groups_;
};

// Kubernetes' version priority: true when version `a` is preferred over `b` ("v1" over
// "v1beta1", "v1beta2" over "v1beta1", GA over beta over alpha, then other names in order).
bool versionPreferred(std::string_view a, std::string_view b);

// Where objects of a resource live in the store: /registry/<resource>/<namespace>/<name> for
// the built-in resources (one place for every version of a resource, as upstream keeps them),
// /registry/<group>/<resource>/... for other groups' custom resources. An empty name gives the
// prefix of the namespace; empty namespace and name, the prefix of the resource.
std::string storageKey(const ResourceInfo& r, std::string_view ns, std::string_view name);

}  // namespace tug::api
