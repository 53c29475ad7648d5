#include "auth/authorizer.h"

#include <catch2/catch.hpp>

#include "auth/rbac_snapshot.h"
#include "rbac_fixtures.h"

using namespace tug::auth;
using namespace tug::auth::testing;

namespace {

Json podReader() { return Json::array({rule({"get", "list"}, {""}, {"pods"})}); }

}  // namespace

TEST_CASE("a ClusterRoleBinding applies in every namespace and at cluster scope",
          "[auth][authorizer]") {
  RbacSnapshot snap(
      {.clusterRoles = {clusterRole("pod-reader", podReader())},
       .clusterRoleBindings = {clusterRoleBinding("read-pods", "pod-reader", {user("bob")})}});
  RbacAuthorizer authz(snap);
  Decision d = authz.authorize(resourceRequest(bob(), "get", "", "pods", "dev", "web"));
  CHECK(d.allowed);
  CHECK(
      d.reason ==
      R"(RBAC: allowed by ClusterRoleBinding "read-pods" of ClusterRole "pod-reader" to User "bob")");
  CHECK(authz.authorize(resourceRequest(bob(), "list", "", "pods")).allowed);
  CHECK(authz.authorize(resourceRequest(bob(), "list", "", "pods", "prod")).allowed);
  CHECK_FALSE(authz.authorize(resourceRequest(bob(), "delete", "", "pods", "dev", "web")).allowed);
  Decision other = authz.authorize(resourceRequest(User{"alice", {}}, "get", "", "pods", "dev"));
  CHECK_FALSE(other.allowed);
  CHECK(other.reason.empty());
}

TEST_CASE("a RoleBinding applies only in its namespace", "[auth][authorizer]") {
  RbacSnapshot snap(
      {.roles = {role("dev", "pod-reader", podReader())},
       .clusterRoles = {clusterRole("secret-reader",
                                    Json::array({rule({"get"}, {""}, {"secrets"})}))},
       .roleBindings = {
           roleBinding("dev", "read-pods", "Role", "pod-reader", {user("bob")}),
           roleBinding("dev", "read-secrets", "ClusterRole", "secret-reader", {user("bob")})}});
  RbacAuthorizer authz(snap);
  Decision d = authz.authorize(resourceRequest(bob(), "get", "", "pods", "dev", "web"));
  CHECK(d.allowed);
  CHECK(d.reason ==
        R"(RBAC: allowed by RoleBinding "read-pods/dev" of Role "pod-reader" to User "bob")");
  CHECK_FALSE(authz.authorize(resourceRequest(bob(), "get", "", "pods", "prod", "web")).allowed);
  CHECK_FALSE(authz.authorize(resourceRequest(bob(), "list", "", "pods")).allowed);
  // A ClusterRole bound by a RoleBinding grants its rules in that namespace only.
  CHECK(authz.authorize(resourceRequest(bob(), "get", "", "secrets", "dev", "s")).allowed);
  CHECK_FALSE(authz.authorize(resourceRequest(bob(), "get", "", "secrets", "prod", "s")).allowed);
  CHECK_FALSE(authz.authorize(resourceRequest(bob(), "get", "", "secrets", "", "s")).allowed);
}

TEST_CASE("a Role is looked up in the binding's namespace", "[auth][authorizer]") {
  RbacSnapshot snap(
      {.roles = {role("prod", "pod-reader", podReader())},
       .roleBindings = {roleBinding("dev", "read-pods", "Role", "pod-reader", {user("bob")})}});
  RbacAuthorizer authz(snap);
  Decision d = authz.authorize(resourceRequest(bob(), "get", "", "pods", "dev", "web"));
  CHECK_FALSE(d.allowed);
  CHECK(d.reason == R"(RBAC: role.rbac.authorization.k8s.io "pod-reader" not found)");
}

TEST_CASE("groups and service accounts are subjects too", "[auth][authorizer]") {
  RbacSnapshot snap({.clusterRoles = {clusterRole("pod-reader", podReader())},
                     .roleBindings = {roleBinding("dev", "by-group", "ClusterRole", "pod-reader",
                                                  {group("readers")}),
                                      roleBinding("dev", "local-sa", "ClusterRole", "pod-reader",
                                                  {serviceAccount("builder")}),
                                      roleBinding("dev", "remote-sa", "ClusterRole", "pod-reader",
                                                  {serviceAccount("deployer", "ci")})},
                     .clusterRoleBindings = {clusterRoleBinding(
                         "sa-without-namespace", "pod-reader", {serviceAccount("ghost")})}});
  RbacAuthorizer authz(snap);
  auto get = [&](User u, const std::string& ns = "dev") {
    return authz.authorize(resourceRequest(std::move(u), "get", "", "pods", ns, "web"));
  };
  CHECK(get(User{"carol", {"readers"}}).allowed);
  CHECK(
      get(User{"carol", {"readers"}}).reason ==
      R"(RBAC: allowed by RoleBinding "by-group/dev" of ClusterRole "pod-reader" to Group "readers")");
  CHECK_FALSE(get(User{"readers", {}}).allowed);  // a user is not a group of the same name

  // A service account subject without a namespace is one of the binding's namespace.
  Decision local = get(User{"system:serviceaccount:dev:builder", {}});
  CHECK(local.allowed);
  CHECK(local.reason == R"(RBAC: allowed by RoleBinding "local-sa/dev" of ClusterRole )"
                        R"("pod-reader" to ServiceAccount "builder/dev")");
  CHECK_FALSE(get(User{"system:serviceaccount:prod:builder", {}}).allowed);
  CHECK(get(User{"system:serviceaccount:ci:deployer", {}}).allowed);
  CHECK_FALSE(get(User{"system:serviceaccount:dev:deployer", {}}).allowed);
  CHECK_FALSE(get(User{"system:serviceaccount:dev:builderx", {}}).allowed);
  // ...and in a ClusterRoleBinding, where there is no namespace to default to, it matches none.
  CHECK_FALSE(get(User{"system:serviceaccount::ghost", {}}, "").allowed);
  CHECK_FALSE(get(User{"system:serviceaccount:default:ghost", {}}, "default").allowed);
}

TEST_CASE("system:masters may do anything", "[auth][authorizer]") {
  RbacSnapshot empty(RbacObjects{});
  RbacAuthorizer authz(empty);
  Decision d = authz.authorize(
      resourceRequest(User{"admin", {"system:masters"}}, "delete", "", "nodes", "", "n1"));
  CHECK(d.allowed);
  CHECK(d.reason.empty());
  CHECK(authz.authorize(pathRequest(User{"admin", {"system:masters"}}, "get", "/metrics")).allowed);
  CHECK_FALSE(authz.authorize(pathRequest(User{"admin", {}}, "get", "/metrics")).allowed);
}

TEST_CASE("a denial reports every missing role once", "[auth][authorizer]") {
  RbacSnapshot snap({.roleBindings = {roleBinding("dev", "a", "ClusterRole", "gone", {user("bob")}),
                                      roleBinding("dev", "b", "ClusterRole", "gone", {user("bob")}),
                                      roleBinding("dev", "c", "Role", "lost", {user("bob")})},
                     .clusterRoleBindings = {clusterRoleBinding("d", "gone", {user("bob")})}});
  RbacAuthorizer authz(snap);
  Decision d = authz.authorize(resourceRequest(bob(), "get", "", "pods", "dev", "web"));
  CHECK_FALSE(d.allowed);
  CHECK(d.reason == R"(RBAC: [clusterrole.rbac.authorization.k8s.io "gone" not found, )"
                    R"(role.rbac.authorization.k8s.io "lost" not found])");
  // Bindings of other users do not count.
  CHECK(authz.authorize(resourceRequest(User{"x", {}}, "get", "", "pods", "dev")).reason.empty());
}

TEST_CASE("non-resource requests are checked against cluster-wide rules", "[auth][authorizer]") {
  RbacSnapshot snap(
      {.clusterRoles = {clusterRole("health", Json::array({urlRule({"get"}, {"/healthz"})}))},
       .clusterRoleBindings = {
           clusterRoleBinding("health", "health", {group("system:authenticated")})}});
  RbacAuthorizer authz(snap);
  CHECK(authz.authorize(pathRequest(bob(), "get", "/healthz")).allowed);
  CHECK_FALSE(authz.authorize(pathRequest(bob(), "get", "/metrics")).allowed);
  CHECK_FALSE(
      authz.authorize(pathRequest(User{"anon", {"system:unauthenticated"}}, "get", "/healthz"))
          .allowed);
}

TEST_CASE("rulesFor lists what a user holds in a namespace", "[auth][authorizer]") {
  RbacSnapshot snap(
      {.clusterRoles = {clusterRole("pod-reader", podReader()),
                        clusterRole("health", Json::array({urlRule({"get"}, {"/healthz"})}))},
       .roleBindings = {roleBinding("dev", "r", "ClusterRole", "pod-reader", {user("bob")})},
       .clusterRoleBindings = {clusterRoleBinding("h", "health", {user("bob")})}});
  RbacAuthorizer authz(snap);
  CHECK(authz.rulesFor(bob(), "dev").rules.size() == 2);
  CHECK(authz.rulesFor(bob(), "prod").rules.size() == 1);
  CHECK(authz.rulesFor(bob(), "").rules.size() == 1);
}
