#pragma once

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "auth/rbac_lookup.h"

namespace tug::auth {

// The four kinds of RBAC objects, as plain lists.
struct RbacObjects {
  std::vector<nlohmann::json> roles, clusterRoles, roleBindings, clusterRoleBindings;
};

// An immutable in-memory RbacLookup over a set of objects, indexed by namespace and name. Safe
// for concurrent readers. Bindings keep their order within a namespace (upstream visits them in
// its cache's order; only the reason of an allowed request can depend on it).
class RbacSnapshot : public RbacLookup {
 public:
  explicit RbacSnapshot(RbacObjects objects);

  ObjectPtr role(std::string_view ns, std::string_view name) const override;
  ObjectPtr clusterRole(std::string_view name) const override;
  std::vector<ObjectPtr> roleBindings(std::string_view ns) const override;
  std::vector<ObjectPtr> clusterRoleBindings() const override;

 private:
  using Key = std::pair<std::string, std::string>;  // namespace, name
  std::map<Key, ObjectPtr, std::less<>> roles_;
  std::map<std::string, ObjectPtr, std::less<>> clusterRoles_;
  std::map<std::string, std::vector<ObjectPtr>, std::less<>> roleBindings_;
  std::vector<ObjectPtr> clusterRoleBindings_;
};

}  // namespace tug::auth
