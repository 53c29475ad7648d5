#pragma once

// Small builders for RBAC objects and requests, so that each test reads as the policy it sets up.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "auth/attributes.h"

namespace tug::auth::testing {

using Json = nlohmann::json;
using Strings = std::vector<std::string>;

inline Json rule(Strings verbs, Strings groups, Strings resources, Strings names = {}) {
  Json r = {{"verbs", verbs}, {"apiGroups", groups}, {"resources", resources}};
  if (!names.empty()) {
    r["resourceNames"] = names;
  }
  return r;
}

inline Json urlRule(Strings verbs, Strings urls) {
  return {{"verbs", verbs}, {"nonResourceURLs", urls}};
}

inline Json clusterRole(const std::string& name, Json rules, Json labels = Json::object()) {
  return {{"apiVersion", "rbac.authorization.k8s.io/v1"},
          {"kind", "ClusterRole"},
          {"metadata", {{"name", name}, {"labels", labels}}},
          {"rules", rules}};
}

inline Json role(const std::string& ns, const std::string& name, Json rules) {
  return {{"apiVersion", "rbac.authorization.k8s.io/v1"},
          {"kind", "Role"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"rules", rules}};
}

inline Json user(const std::string& name) {
  return {{"kind", "User"}, {"apiGroup", "rbac.authorization.k8s.io"}, {"name", name}};
}

inline Json group(const std::string& name) {
  return {{"kind", "Group"}, {"apiGroup", "rbac.authorization.k8s.io"}, {"name", name}};
}

inline Json serviceAccount(const std::string& name, const std::string& ns = "") {
  Json s = {{"kind", "ServiceAccount"}, {"name", name}};
  if (!ns.empty()) {
    s["namespace"] = ns;
  }
  return s;
}

inline Json roleRef(const std::string& kind, const std::string& name) {
  return {{"apiGroup", "rbac.authorization.k8s.io"}, {"kind", kind}, {"name", name}};
}

inline Json clusterRoleBinding(const std::string& name, const std::string& clusterRoleName,
                               Json subjects) {
  return {{"apiVersion", "rbac.authorization.k8s.io/v1"},
          {"kind", "ClusterRoleBinding"},
          {"metadata", {{"name", name}}},
          {"roleRef", roleRef("ClusterRole", clusterRoleName)},
          {"subjects", subjects}};
}

inline Json roleBinding(const std::string& ns, const std::string& name, const std::string& refKind,
                        const std::string& refName, Json subjects) {
  return {{"apiVersion", "rbac.authorization.k8s.io/v1"},
          {"kind", "RoleBinding"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"roleRef", roleRef(refKind, refName)},
          {"subjects", subjects}};
}

inline User bob(Strings groups = {"system:authenticated"}) { return User{"bob", groups}; }

// A resource request as the URL parser would give it.
inline Attributes resourceRequest(User who, std::string verb, std::string group,
                                  std::string resource, std::string ns = "", std::string name = "",
                                  std::string subresource = "") {
  Attributes a;
  a.user = std::move(who);
  a.verb = std::move(verb);
  a.resourceRequest = true;
  a.apiGroup = std::move(group);
  a.apiVersion = "v1";
  a.resource = std::move(resource);
  a.ns = std::move(ns);
  a.name = std::move(name);
  a.subresource = std::move(subresource);
  return a;
}

inline Attributes pathRequest(User who, std::string verb, std::string path) {
  Attributes a;
  a.user = std::move(who);
  a.verb = std::move(verb);
  a.path = std::move(path);
  return a;
}

}  // namespace tug::auth::testing
