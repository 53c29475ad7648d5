#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace tug::auth {

// A stored object shared with its owner: an informer cache can swap its objects while an
// authorization that holds one still reads it.
using ObjectPtr = std::shared_ptr<const nlohmann::json>;

// Where authorization reads Roles, ClusterRoles, RoleBindings and ClusterRoleBindings from (the
// objects as the API serves them, in JSON). RbacSnapshot holds them in memory; the API server
// will answer from its informer caches. Implementations must be safe to call from several
// threads at once.
class RbacLookup {
 public:
  virtual ~RbacLookup() = default;

  // nullptr when there is no such role.
  virtual ObjectPtr role(std::string_view ns, std::string_view name) const = 0;
  virtual ObjectPtr clusterRole(std::string_view name) const = 0;
  // Every RoleBinding in `ns`.
  virtual std::vector<ObjectPtr> roleBindings(std::string_view ns) const = 0;
  virtual std::vector<ObjectPtr> clusterRoleBindings() const = 0;
};

}  // namespace tug::auth
