#include "auth/bootstrap_policy.h"

#include <set>

#include <catch2/catch.hpp>

#include "auth/aggregation.h"
#include "auth/authorizer.h"
#include "auth/json_fields.h"
#include "auth/rbac_snapshot.h"
#include "rbac_fixtures.h"

using namespace tug::auth;
using namespace tug::auth::testing;

namespace {

std::set<std::string> names(const std::vector<Json>& objects) {
  std::set<std::string> out;
  for (const Json& o : objects) {
    out.insert(stringField(o, {"metadata", "name"}));
  }
  return out;
}

// The bootstrap policy once aggregation has run, plus RoleBindings in "dev" giving the
// user `view`, `edit` or `admin` of the same name.
RbacObjects bootstrappedCluster() {
  BootstrapPolicy p = bootstrapPolicy();
  REQUIRE(aggregateClusterRoles(p.clusterRoles).isOk());
  RbacObjects o;
  o.clusterRoles = std::move(p.clusterRoles);
  o.clusterRoleBindings = std::move(p.clusterRoleBindings);
  for (const char* r : {"view", "edit", "admin"}) {
    o.roleBindings.push_back(roleBinding("dev", r, "ClusterRole", r, {user(r)}));
  }
  return o;
}

User member(const std::string& name) { return User{name, {"system:authenticated"}}; }

}  // namespace

TEST_CASE("the bootstrap policy holds the roles and bindings tug starts with",
          "[auth][bootstrap]") {
  BootstrapPolicy p = bootstrapPolicy();
  CHECK(names(p.clusterRoles) ==
        std::set<std::string>{"admin", "cluster-admin", "edit", "view", "system:aggregate-to-admin",
                              "system:aggregate-to-edit", "system:aggregate-to-view",
                              "system:basic-user", "system:discovery", "system:node",
                              "system:public-info-viewer",
                              "system:service-account-issuer-discovery"});
  CHECK(names(p.clusterRoleBindings) ==
        std::set<std::string>{"cluster-admin", "system:basic-user", "system:discovery",
                              "system:node", "system:public-info-viewer",
                              "system:service-account-issuer-discovery"});
  for (const Json& r : p.clusterRoles) {
    CHECK(r["metadata"]["annotations"]["rbac.authorization.kubernetes.io/autoupdate"] == "true");
  }
  // Aggregated roles start empty, as upstream stores them.
  for (const Json& r : p.clusterRoles) {
    if (isAggregated(r)) {
      CHECK(r["rules"].is_null());
    }
  }
}

TEST_CASE("system:masters is bound to cluster-admin", "[auth][bootstrap]") {
  RbacSnapshot snap(bootstrappedCluster());
  RuleResolver resolver(snap);
  auto rules = resolver.rulesFor(User{"root", {"system:masters"}}, "");
  CHECK(rules.errors.empty());
  CHECK(std::find(rules.rules.begin(), rules.rules.end(),
                  PolicyRule{{"*"}, {"*"}, {"*"}, {}, {}}) != rules.rules.end());
  CHECK(std::find(rules.rules.begin(), rules.rules.end(), PolicyRule{{"*"}, {}, {}, {}, {"*"}}) !=
        rules.rules.end());
}

TEST_CASE("view reads workloads but not secrets", "[auth][bootstrap]") {
  RbacSnapshot snap(bootstrappedCluster());
  RbacAuthorizer authz(snap);
  for (const char* verb : {"get", "list", "watch"}) {
    CHECK(authz.authorize(resourceRequest(member("view"), verb, "", "pods", "dev")).allowed);
  }
  Decision d = authz.authorize(resourceRequest(member("view"), "get", "", "pods", "dev", "web"));
  CHECK(d.reason ==
        R"(RBAC: allowed by RoleBinding "view/dev" of ClusterRole "view" to User "view")");
  CHECK(authz.authorize(resourceRequest(member("view"), "get", "", "pods", "dev", "w", "log"))
            .allowed);
  CHECK(authz.authorize(resourceRequest(member("view"), "list", "apps", "deployments", "dev"))
            .allowed);
  CHECK_FALSE(
      authz.authorize(resourceRequest(member("view"), "get", "", "secrets", "dev", "s")).allowed);
  CHECK_FALSE(
      authz.authorize(resourceRequest(member("view"), "list", "", "secrets", "dev")).allowed);
  CHECK_FALSE(
      authz.authorize(resourceRequest(member("view"), "delete", "", "pods", "dev", "w")).allowed);
  CHECK_FALSE(
      authz.authorize(resourceRequest(member("view"), "create", "", "pods", "dev", "w", "exec"))
          .allowed);
  CHECK_FALSE(
      authz.authorize(resourceRequest(member("view"), "get", "", "pods", "prod", "web")).allowed);
}

TEST_CASE("edit writes workloads; admin also manages access", "[auth][bootstrap]") {
  RbacSnapshot snap(bootstrappedCluster());
  RbacAuthorizer authz(snap);
  for (const char* verb : {"create", "update", "patch", "delete", "deletecollection"}) {
    CHECK(authz.authorize(resourceRequest(member("edit"), verb, "apps", "deployments", "dev"))
              .allowed);
  }
  CHECK(authz
            .authorize(resourceRequest(member("edit"), "update", "apps", "deployments", "dev", "w",
                                       "scale"))
            .allowed);
  CHECK(authz.authorize(resourceRequest(member("edit"), "create", "", "pods", "dev", "w", "exec"))
            .allowed);
  CHECK(authz.authorize(resourceRequest(member("edit"), "get", "", "secrets", "dev", "s")).allowed);
  CHECK_FALSE(authz
                  .authorize(resourceRequest(member("edit"), "create", "rbac.authorization.k8s.io",
                                             "rolebindings", "dev"))
                  .allowed);
  CHECK(authz
            .authorize(resourceRequest(member("admin"), "create", "rbac.authorization.k8s.io",
                                       "rolebindings", "dev"))
            .allowed);
  CHECK_FALSE(
      authz.authorize(resourceRequest(member("edit"), "create", "apps", "deployments", "prod"))
          .allowed);
}

TEST_CASE("every user may review their own access", "[auth][bootstrap]") {
  RbacSnapshot snap(bootstrappedCluster());
  RbacAuthorizer authz(snap);
  Decision d = authz.authorize(resourceRequest(member("anyone"), "create", "authorization.k8s.io",
                                               "selfsubjectaccessreviews"));
  CHECK(d.allowed);
  CHECK(d.reason == R"(RBAC: allowed by ClusterRoleBinding "system:basic-user" of ClusterRole )"
                    R"("system:basic-user" to Group "system:authenticated")");
  CHECK(authz
            .authorize(resourceRequest(member("anyone"), "create", "authorization.k8s.io",
                                       "selfsubjectrulesreviews"))
            .allowed);
  CHECK_FALSE(authz
                  .authorize(resourceRequest(member("anyone"), "create", "authorization.k8s.io",
                                             "subjectaccessreviews"))
                  .allowed);
}

TEST_CASE("anonymous users see version and health, authenticated ones discovery",
          "[auth][bootstrap]") {
  RbacSnapshot snap(bootstrappedCluster());
  RbacAuthorizer authz(snap);
  User anonymous{"system:anonymous", {"system:unauthenticated"}};
  for (const char* path : {"/version", "/version/", "/healthz", "/livez", "/readyz"}) {
    CHECK(authz.authorize(pathRequest(anonymous, "get", path)).allowed);
  }
  CHECK(authz.authorize(pathRequest(anonymous, "get", "/version")).reason ==
        R"(RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole )"
        R"("system:public-info-viewer" to Group "system:unauthenticated")");
  CHECK_FALSE(authz.authorize(pathRequest(anonymous, "post", "/version")).allowed);
  CHECK_FALSE(authz.authorize(pathRequest(anonymous, "get", "/api")).allowed);
  CHECK_FALSE(authz.authorize(pathRequest(anonymous, "get", "/metrics")).allowed);
  CHECK_FALSE(authz.authorize(resourceRequest(anonymous, "list", "", "pods")).allowed);
  for (const char* path : {"/api", "/api/v1", "/apis", "/apis/apps/v1", "/openapi/v3"}) {
    CHECK(authz.authorize(pathRequest(member("anyone"), "get", path)).allowed);
  }
}
