#include "auth/rbac_snapshot.h"

#include "auth/json_fields.h"

namespace tug::auth {
namespace {

std::string metadata(const nlohmann::json& obj, std::string_view key) {
  return stringField(obj, {"metadata", key});
}

}  // namespace

RbacSnapshot::RbacSnapshot(RbacObjects objects) {
  for (nlohmann::json& r : objects.roles) {
    Key key{metadata(r, "namespace"), metadata(r, "name")};
    roles_[key] = std::make_shared<const nlohmann::json>(std::move(r));
  }
  for (nlohmann::json& r : objects.clusterRoles) {
    std::string name = metadata(r, "name");
    clusterRoles_[name] = std::make_shared<const nlohmann::json>(std::move(r));
  }
  for (nlohmann::json& b : objects.roleBindings) {
    std::string ns = metadata(b, "namespace");
    roleBindings_[ns].push_back(std::make_shared<const nlohmann::json>(std::move(b)));
  }
  for (nlohmann::json& b : objects.clusterRoleBindings) {
    clusterRoleBindings_.push_back(std::make_shared<const nlohmann::json>(std::move(b)));
  }
}

ObjectPtr RbacSnapshot::role(std::string_view ns, std::string_view name) const {
  auto it = roles_.find(Key{std::string(ns), std::string(name)});
  return it == roles_.end() ? nullptr : it->second;
}

ObjectPtr RbacSnapshot::clusterRole(std::string_view name) const {
  auto it = clusterRoles_.find(name);
  return it == clusterRoles_.end() ? nullptr : it->second;
}

std::vector<ObjectPtr> RbacSnapshot::roleBindings(std::string_view ns) const {
  auto it = roleBindings_.find(ns);
  return it == roleBindings_.end() ? std::vector<ObjectPtr>{} : it->second;
}

std::vector<ObjectPtr> RbacSnapshot::clusterRoleBindings() const { return clusterRoleBindings_; }

}  // namespace tug::auth
