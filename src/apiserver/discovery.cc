#include "apiserver/discovery.h"

#include <string>

namespace tug::apiserver {
namespace {

using nlohmann::json;

constexpr const char* kNotFound = "the server could not find the requested resource";

std::string groupVersion(std::string_view group, std::string_view version) {
  return group.empty() ? std::string(version) : std::string(group) + "/" + std::string(version);
}

// {groupVersion, version}: built by one function so that preferredVersion is equal, field for
// field, to its entry in versions (the python client looks it up by equality).
json versionRef(std::string_view group, std::string_view version) {
  return {{"groupVersion", groupVersion(group, version)}, {"version", version}};
}

json apiGroupBody(const api::GroupInfo& g) {
  json versions = json::array();
  for (const auto& v : g.versions) {
    versions.push_back(versionRef(g.name, v.version));
  }
  json out = {{"name", g.name}, {"versions", versions}};
  if (!g.versions.empty()) {
    out["preferredVersion"] = versions.front();
  }
  return out;
}

const api::GroupVersionInfo* findVersion(const api::ResourceRegistry& registry,
                                         std::string_view group, std::string_view version) {
  const api::GroupInfo* g = registry.group(group);
  if (g == nullptr) {
    return nullptr;
  }
  for (const auto& v : g->versions) {
    if (v.version == version) {
      return &v;
    }
  }
  return nullptr;
}

// Upstream leaves empty lists out (omitempty) rather than sending [].
void putIfAny(json& out, const char* key, const std::vector<std::string>& values) {
  if (!values.empty()) {
    out[key] = values;
  }
}

json legacyResource(const api::ResourceInfo& r) {
  json out = {{"name", r.resource},
              {"singularName", r.singular},
              {"namespaced", r.namespaced},
              {"kind", r.kind},
              {"verbs", r.verbs}};
  putIfAny(out, "shortNames", r.shortNames);
  putIfAny(out, "categories", r.categories);
  if (!r.storageVersionHash.empty()) {
    out["storageVersionHash"] = r.storageVersionHash;
  }
  return out;
}

// "pods/status": no singular name, and group/version only when the kind lives elsewhere
// (pods/eviction is a policy/v1 Eviction); that is how kubectl drain finds eviction.
json legacySubresource(const api::ResourceInfo& r, const api::SubresourceInfo& s) {
  json out = {{"name", r.resource + "/" + s.name},
              {"singularName", ""},
              {"namespaced", r.namespaced},
              {"kind", s.kind},
              {"verbs", s.verbs}};
  if (!s.group.empty() || !s.version.empty()) {
    out["group"] = s.group;
    out["version"] = s.version;
  }
  return out;
}

json responseKind(std::string_view group, std::string_view version, std::string_view kind) {
  return {{"group", group}, {"version", version}, {"kind", kind}};
}

json aggregatedResource(const api::ResourceInfo& r) {
  json out = {{"resource", r.resource},
              {"responseKind", responseKind("", "", r.kind)},
              {"scope", r.namespaced ? "Namespaced" : "Cluster"},
              {"singularResource", r.singular},
              {"verbs", r.verbs}};
  putIfAny(out, "shortNames", r.shortNames);
  putIfAny(out, "categories", r.categories);
  if (!r.subresources.empty()) {
    json subs = json::array();
    for (const auto& s : r.subresources) {
      subs.push_back({{"subresource", s.name},
                      {"responseKind", responseKind(s.group, s.version, s.kind)},
                      {"verbs", s.verbs}});
    }
    out["subresources"] = std::move(subs);
  }
  return out;
}

json aggregatedGroup(const api::GroupInfo& g) {
  json versions = json::array();
  for (const auto& v : g.versions) {
    json version = {{"version", v.version}, {"freshness", "Current"}};
    if (!v.resources.empty()) {
      json resources = json::array();
      for (const api::ResourceInfo* r : v.resources) {
        resources.push_back(aggregatedResource(*r));
      }
      version["resources"] = std::move(resources);
    }
    versions.push_back(std::move(version));
  }
  return {{"metadata", {{"name", g.name}, {"creationTimestamp", nullptr}}},
          {"versions", std::move(versions)}};
}

}  // namespace

json apiVersions(const api::ResourceRegistry& registry, std::string_view serverAddress) {
  json versions = json::array();
  if (const api::GroupInfo* core = registry.group(""); core != nullptr) {
    for (const auto& v : core->versions) {
      versions.push_back(v.version);
    }
  }
  return {{"kind", "APIVersions"},
          {"versions", std::move(versions)},
          {"serverAddressByClientCIDRs",
           json::array({{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", serverAddress}}})}};
}

json apiGroupList(const api::ResourceRegistry& registry) {
  json groups = json::array();
  for (const auto& g : registry.groups()) {
    if (!g.name.empty()) {
      groups.push_back(apiGroupBody(g));
    }
  }
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", std::move(groups)}};
}

Result<json> apiGroup(const api::ResourceRegistry& registry, std::string_view group) {
  const api::GroupInfo* g = group.empty() ? nullptr : registry.group(group);
  if (g == nullptr) {
    return notFound(kNotFound);
  }
  json out = apiGroupBody(*g);
  out["kind"] = "APIGroup";
  out["apiVersion"] = "v1";
  return out;
}

Result<json> apiResourceList(const api::ResourceRegistry& registry, std::string_view group,
                             std::string_view version) {
  const api::GroupVersionInfo* v = findVersion(registry, group, version);
  if (v == nullptr) {
    return notFound(kNotFound);
  }
  json resources = json::array();
  for (const api::ResourceInfo* r : v->resources) {
    resources.push_back(legacyResource(*r));
    for (const auto& s : r->subresources) {
      resources.push_back(legacySubresource(*r, s));
    }
  }
  return json{{"kind", "APIResourceList"},
              {"apiVersion", "v1"},
              {"groupVersion", groupVersion(group, version)},
              {"resources", std::move(resources)}};
}

std::string_view aggregatedApiVersion(AggregatedVersion v) {
  return v == AggregatedVersion::kV2 ? "apidiscovery.k8s.io/v2" : "apidiscovery.k8s.io/v2beta1";
}

json aggregatedDiscovery(const api::ResourceRegistry& registry, bool core,
                         AggregatedVersion version) {
  json items = json::array();
  for (const auto& g : registry.groups()) {
    if (g.name.empty() == core) {
      items.push_back(aggregatedGroup(g));
    }
  }
  return {{"kind", "APIGroupDiscoveryList"},
          {"apiVersion", aggregatedApiVersion(version)},
          {"metadata", json::object()},
          {"items", std::move(items)}};
}

}  // namespace tug::apiserver
