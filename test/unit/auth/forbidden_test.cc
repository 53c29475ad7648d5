#include "auth/forbidden.h"

#include <catch2/catch.hpp>

#include "rbac_fixtures.h"

using namespace tug::auth;
using namespace tug::auth::testing;
using tug::Status;

TEST_CASE("403 messages read as upstream's, word for word", "[auth][forbidden]") {
  CHECK(
      forbiddenMessage(resourceRequest(bob(), "get", "", "pods", "dev", "web")) ==
      R"(pods "web" is forbidden: User "bob" cannot get resource "pods" in API group "" in the namespace "dev")");
  CHECK(
      forbiddenMessage(resourceRequest(bob(), "list", "", "pods", "dev")) ==
      R"(pods is forbidden: User "bob" cannot list resource "pods" in API group "" in the namespace "dev")");
  CHECK(
      forbiddenMessage(resourceRequest(bob(), "list", "apps", "deployments")) ==
      R"(deployments.apps is forbidden: User "bob" cannot list resource "deployments" in API group "apps" at the cluster scope)");
  CHECK(
      forbiddenMessage(resourceRequest(bob(), "get", "", "nodes", "", "n1")) ==
      R"(nodes "n1" is forbidden: User "bob" cannot get resource "nodes" in API group "" at the cluster scope)");
  CHECK(
      forbiddenMessage(resourceRequest(bob(), "get", "", "pods", "dev", "web", "log")) ==
      R"(pods "web" is forbidden: User "bob" cannot get resource "pods/log" in API group "" in the namespace "dev")");
  CHECK(
      forbiddenMessage(
          resourceRequest(bob(), "update", "apps", "deployments", "dev", "web", "scale")) ==
      R"(deployments.apps "web" is forbidden: User "bob" cannot update resource "deployments/scale" in API group "apps" in the namespace "dev")");
  CHECK(forbiddenMessage(pathRequest(bob(), "get", "/foo")) ==
        R"(forbidden: User "bob" cannot get path "/foo")");
  CHECK(forbiddenMessage(pathRequest(User{"system:anonymous", {}}, "post", "/version")) ==
        R"(forbidden: User "system:anonymous" cannot post path "/version")");
}

TEST_CASE("403 messages carry the authorizer's reason", "[auth][forbidden]") {
  CHECK(forbiddenMessage(resourceRequest(bob(), "get", "", "pods", "dev", "web"),
                         R"(RBAC: clusterrole.rbac.authorization.k8s.io "x" not found)") ==
        R"(pods "web" is forbidden: User "bob" cannot get resource "pods" in API group "" )"
        R"(in the namespace "dev": RBAC: clusterrole.rbac.authorization.k8s.io "x" not found)");
}

TEST_CASE("403 messages quote like Go and never hold markup", "[auth][forbidden]") {
  CHECK(forbiddenMessage(pathRequest(User{"a\"b<c>&", {}}, "get", "/x\n")) ==
        R"(forbidden: User "a\"b&lt;c&gt;&amp;" cannot get path "/x\n")");
  Status s = forbidden(resourceRequest(bob(), "get", "", "pods", "dev", "we\"b"));
  CHECK(s.code() == tug::Code::kForbidden);
  CHECK(s.message().starts_with(R"(pods "we\"b" is forbidden: )"));
}
