#include "auth/escalation.h"

#include <catch2/catch.hpp>

#include "auth/rbac_snapshot.h"
#include "rbac_fixtures.h"

using namespace tug::auth;
using namespace tug::auth::testing;
using tug::Status;

namespace {

constexpr const char* kRbac = "rbac.authorization.k8s.io";

// bob may manage roles and bindings in dev, and read pods there.
RbacObjects bobInDev() {
  RbacObjects o;
  o.clusterRoles = {
      clusterRole("rbac-manager", Json::array({rule({"get", "list", "create", "update", "delete"},
                                                    {kRbac}, {"roles", "rolebindings"})})),
      clusterRole("pod-reader", Json::array({rule({"get", "list"}, {""}, {"pods"})})),
      clusterRole("secret-reader", Json::array({rule({"get"}, {""}, {"secrets"})}))};
  o.roleBindings = {roleBinding("dev", "manage", "ClusterRole", "rbac-manager", {user("bob")}),
                    roleBinding("dev", "read", "ClusterRole", "pod-reader", {user("bob")})};
  return o;
}

Attributes write(const std::string& verb, const std::string& resource, const std::string& ns,
                 const std::string& name = "", User who = bob()) {
  return resourceRequest(std::move(who), verb, kRbac, resource, ns, name);
}

}  // namespace

TEST_CASE("a role may grant only what its author holds", "[auth][escalation]") {
  RbacSnapshot snap(bobInDev());
  Json ok = role("dev", "pods", Json::array({rule({"get"}, {""}, {"pods"})}));
  CHECK(checkRoleWrite(snap, write("create", "roles", "dev"), ok, nullptr).isOk());

  Json tooMuch =
      role("dev", "more", Json::array({rule({"get", "delete"}, {""}, {"pods", "secrets"})}));
  Status s = checkRoleWrite(snap, write("create", "roles", "dev"), tooMuch, nullptr);
  CHECK(s.code() == tug::Code::kForbidden);
  CHECK(s.message() ==
        "roles.rbac.authorization.k8s.io \"more\" is forbidden: user \"bob\" "
        "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not "
        "currently held:\n"
        "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"delete\"]}\n"
        "{APIGroups:[\"\"], Resources:[\"secrets\"], Verbs:[\"get\" \"delete\"]}");
  // Rules held in dev do not count in prod.
  CHECK_FALSE(checkRoleWrite(snap, write("create", "roles", "prod"),
                             role("prod", "pods", Json::array({rule({"get"}, {""}, {"pods"})})),
                             nullptr)
                  .isOk());
}

TEST_CASE("the escalate verb allows granting more, by name", "[auth][escalation]") {
  RbacObjects o = bobInDev();
  o.clusterRoles.push_back(
      clusterRole("escalator", Json::array({rule({"escalate"}, {kRbac}, {"roles"}, {"special"})})));
  o.roleBindings.push_back(roleBinding("dev", "esc", "ClusterRole", "escalator", {user("bob")}));
  RbacSnapshot snap(std::move(o));
  Json special = role("dev", "special", Json::array({rule({"*"}, {"*"}, {"*"})}));
  CHECK(checkRoleWrite(snap, write("update", "roles", "dev", "special"), special, nullptr).isOk());
  // A create names nothing in its URL, so a rule limited to names never allows it.
  CHECK(checkRoleWrite(snap, write("create", "roles", "dev"), special, nullptr).code() ==
        tug::Code::kForbidden);
  Json other = role("dev", "other", Json::array({rule({"*"}, {"*"}, {"*"})}));
  CHECK_FALSE(
      checkRoleWrite(snap, write("update", "roles", "dev", "other"), other, nullptr).isOk());
}

TEST_CASE("aggregation rules need every permission", "[auth][escalation]") {
  RbacObjects o;
  o.clusterRoles = {
      clusterRole("role-admin", Json::array({rule({"create", "update"}, {kRbac}, {"clusterroles"}),
                                             rule({"get"}, {""}, {"pods"})}))};
  o.clusterRoleBindings = {clusterRoleBinding("b", "role-admin", {user("bob")})};
  RbacSnapshot snap(std::move(o));
  Json aggregated = clusterRole("gather", Json::array({rule({"get"}, {""}, {"pods"})}));
  CHECK(checkRoleWrite(snap, write("create", "clusterroles", ""), aggregated, nullptr).isOk());
  aggregated["aggregationRule"] = {{"clusterRoleSelectors", Json::array({Json::object()})}};
  Status s = checkRoleWrite(snap, write("create", "clusterroles", ""), aggregated, nullptr);
  CHECK(s.message() == R"(clusterroles.rbac.authorization.k8s.io "gather" is forbidden: must have )"
                       R"(cluster-admin privileges to use the aggregationRule)");
  // Removing one needs them too.
  Json plain = clusterRole("gather", Json::array());
  CHECK_FALSE(
      checkRoleWrite(snap, write("update", "clusterroles", "", "gather"), plain, &aggregated)
          .isOk());
  // An empty list of selectors is no aggregation rule.
  aggregated["aggregationRule"] = {{"clusterRoleSelectors", Json::array()}};
  CHECK(checkRoleWrite(snap, write("create", "clusterroles", ""), aggregated, nullptr).isOk());
}

TEST_CASE("system:masters may write any role or binding", "[auth][escalation]") {
  RbacSnapshot snap(RbacObjects{});
  User admin{"admin", {"system:masters", "system:authenticated"}};
  Json all = clusterRole("all", Json::array({rule({"*"}, {"*"}, {"*"})}));
  all["aggregationRule"] = {{"clusterRoleSelectors", Json::array({Json::object()})}};
  CHECK(checkRoleWrite(snap, write("create", "clusterroles", "", "", admin), all, nullptr).isOk());
  Json binding = clusterRoleBinding("x", "missing", {user("eve")});
  CHECK(checkBindingWrite(snap, write("create", "clusterrolebindings", "", "", admin), binding,
                          nullptr)
            .isOk());
}

TEST_CASE("updates that only touch garbage-collector fields pass", "[auth][escalation]") {
  RbacSnapshot snap(RbacObjects{});
  Json old = role("dev", "r", Json::array({rule({"*"}, {"*"}, {"*"})}));
  old["metadata"]["resourceVersion"] = "5";
  Json updated = old;
  updated["metadata"]["finalizers"] = {"example.com/keep"};
  updated["metadata"]["ownerReferences"] = Json::array({{{"kind", "X"}, {"name", "y"}}});
  CHECK(checkRoleWrite(snap, write("update", "roles", "dev", "r"), updated, &old).isOk());
  updated["metadata"]["labels"] = {{"a", "b"}};
  CHECK_FALSE(checkRoleWrite(snap, write("update", "roles", "dev", "r"), updated, &old).isOk());
}

TEST_CASE("a binding may grant only a role its author holds, or may bind", "[auth][escalation]") {
  RbacObjects o = bobInDev();
  o.clusterRoles.push_back(clusterRole(
      "binder", Json::array({rule({"bind"}, {kRbac}, {"clusterroles"}, {"secret-reader"})})));
  o.roleBindings.push_back(roleBinding("dev", "bind", "ClusterRole", "binder", {user("bob")}));
  o.roles = {role("dev", "pods-only", Json::array({rule({"get"}, {""}, {"pods"})}))};
  RbacSnapshot snap(std::move(o));
  Attributes create = write("create", "rolebindings", "dev");

  // bob holds pod-reader's rules in dev, so he may hand them on.
  CHECK(checkBindingWrite(snap, create,
                          roleBinding("dev", "x", "ClusterRole", "pod-reader", {user("eve")}),
                          nullptr)
            .isOk());
  CHECK(checkBindingWrite(snap, create, roleBinding("dev", "x", "Role", "pods-only", {user("eve")}),
                          nullptr)
            .isOk());
  // He does not hold secret-reader's, but may bind it by name.
  CHECK(checkBindingWrite(snap, create,
                          roleBinding("dev", "x", "ClusterRole", "secret-reader", {user("eve")}),
                          nullptr)
            .isOk());
  // Not rbac-manager beyond dev: not held cluster-wide, and bind names only secret-reader.
  Status s = checkBindingWrite(snap, write("create", "clusterrolebindings", ""),
                               clusterRoleBinding("x", "pod-reader", {user("eve")}), nullptr);
  CHECK(s.code() == tug::Code::kForbidden);
  CHECK(s.message() ==
        "clusterrolebindings.rbac.authorization.k8s.io \"x\" is forbidden: user \"bob\" "
        "(groups=[\"system:authenticated\"]) is attempting to grant RBAC permissions not "
        "currently held:\n"
        "{APIGroups:[\"\"], Resources:[\"pods\"], Verbs:[\"get\" \"list\"]}");
  // The bind rule lives in dev only.
  CHECK_FALSE(checkBindingWrite(
                  snap, write("create", "rolebindings", "prod"),
                  roleBinding("prod", "x", "ClusterRole", "secret-reader", {user("eve")}), nullptr)
                  .isOk());
}

TEST_CASE("a binding to a missing role is NotFound", "[auth][escalation]") {
  RbacSnapshot snap(bobInDev());
  Status s = checkBindingWrite(snap, write("create", "rolebindings", "dev"),
                               roleBinding("dev", "x", "Role", "nope", {user("eve")}), nullptr);
  CHECK(s.code() == tug::Code::kNotFound);
  CHECK(s.message() == R"(roles.rbac.authorization.k8s.io "nope" not found)");
}
