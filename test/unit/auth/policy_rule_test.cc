#include "auth/policy_rule.h"

#include <catch2/catch.hpp>

#include "rbac_fixtures.h"

using namespace tug::auth;
using namespace tug::auth::testing;

namespace {

bool allows(const Json& r, const Attributes& a) { return ruleAllows(a, policyRuleFromJson(r)); }

}  // namespace

TEST_CASE("verbs, groups and resources must all match", "[auth][rule]") {
  Json r = rule({"get", "list"}, {""}, {"pods"});
  CHECK(allows(r, resourceRequest(bob(), "get", "", "pods", "dev", "web")));
  CHECK(allows(r, resourceRequest(bob(), "list", "", "pods", "dev")));
  CHECK_FALSE(allows(r, resourceRequest(bob(), "delete", "", "pods", "dev", "web")));
  CHECK_FALSE(allows(r, resourceRequest(bob(), "get", "apps", "pods", "dev", "web")));
  CHECK_FALSE(allows(r, resourceRequest(bob(), "get", "", "secrets", "dev", "web")));
  // A subresource is its own resource.
  CHECK_FALSE(allows(r, resourceRequest(bob(), "get", "", "pods", "dev", "web", "log")));
}

TEST_CASE("a wildcard matches every verb, group or resource", "[auth][rule]") {
  CHECK(
      allows(rule({"*"}, {""}, {"pods"}), resourceRequest(bob(), "deletecollection", "", "pods")));
  CHECK(allows(rule({"get"}, {"*"}, {"deployments"}),
               resourceRequest(bob(), "get", "apps", "deployments", "dev", "web")));
  CHECK(allows(rule({"get"}, {""}, {"*"}), resourceRequest(bob(), "get", "", "secrets")));
  // "*" covers subresources too.
  CHECK(allows(rule({"get"}, {""}, {"*"}),
               resourceRequest(bob(), "get", "", "pods", "d", "w", "log")));
  // A wildcard in one field does not stand for another.
  CHECK_FALSE(allows(rule({"*"}, {"*"}, {"pods"}), resourceRequest(bob(), "get", "", "secrets")));
}

TEST_CASE("subresources match as resource/subresource or */subresource", "[auth][rule]") {
  Attributes log = resourceRequest(bob(), "get", "", "pods", "dev", "web", "log");
  CHECK(allows(rule({"get"}, {""}, {"pods/log"}), log));
  CHECK(allows(rule({"get"}, {""}, {"*/log"}), log));
  CHECK_FALSE(allows(rule({"get"}, {""}, {"*/status"}), log));
  CHECK_FALSE(allows(rule({"get"}, {""}, {"pods/status"}), log));
  // */log never matches the resource itself.
  CHECK_FALSE(allows(rule({"get"}, {""}, {"*/log"}),
                     resourceRequest(bob(), "get", "", "pods", "dev", "web")));
  CHECK_FALSE(allows(rule({"get"}, {""}, {"*/og"}), log));
}

TEST_CASE("resourceNames limit a rule to named objects", "[auth][rule]") {
  Json r = rule({"get", "list", "watch", "create", "update", "delete"}, {""}, {"configmaps"},
                {"settings"});
  CHECK(allows(r, resourceRequest(bob(), "get", "", "configmaps", "dev", "settings")));
  CHECK(allows(r, resourceRequest(bob(), "update", "", "configmaps", "dev", "settings")));
  CHECK_FALSE(allows(r, resourceRequest(bob(), "get", "", "configmaps", "dev", "other")));
  // A list or watch has a name only with a metadata.name field selector; a create never has
  // one. So resourceNames never allow listing everything, nor creating.
  CHECK_FALSE(allows(r, resourceRequest(bob(), "list", "", "configmaps", "dev")));
  CHECK_FALSE(allows(r, resourceRequest(bob(), "watch", "", "configmaps", "dev")));
  CHECK_FALSE(allows(r, resourceRequest(bob(), "create", "", "configmaps", "dev")));
  CHECK(allows(r, resourceRequest(bob(), "list", "", "configmaps", "dev", "settings")));
  CHECK(allows(r, resourceRequest(bob(), "watch", "", "configmaps", "dev", "settings")));
}

TEST_CASE("non-resource URLs match exactly or by a trailing *", "[auth][rule]") {
  Json r = urlRule({"get"}, {"/healthz", "/apis/*", "/logs*"});
  CHECK(allows(r, pathRequest(bob(), "get", "/healthz")));
  CHECK(allows(r, pathRequest(bob(), "get", "/apis/")));
  CHECK(allows(r, pathRequest(bob(), "get", "/apis/apps/v1")));
  CHECK(allows(r, pathRequest(bob(), "get", "/logsfoo")));
  CHECK_FALSE(allows(r, pathRequest(bob(), "get", "/apis")));
  CHECK_FALSE(allows(r, pathRequest(bob(), "get", "/healthz/ping")));
  CHECK_FALSE(allows(r, pathRequest(bob(), "post", "/healthz")));
  CHECK(allows(urlRule({"*"}, {"*"}), pathRequest(bob(), "delete", "/anything")));
  // Rules for paths never allow resources, and rules for resources never allow paths.
  CHECK_FALSE(allows(r, resourceRequest(bob(), "get", "", "pods")));
  CHECK_FALSE(allows(rule({"*"}, {"*"}, {"*"}), pathRequest(bob(), "get", "/healthz")));
}

TEST_CASE("rules read from and write to JSON as the API has them", "[auth][rule]") {
  PolicyRule r = policyRuleFromJson(rule({"get"}, {""}, {"pods"}, {"a"}));
  CHECK(r == PolicyRule{{"get"}, {""}, {"pods"}, {"a"}, {}});
  CHECK(toJson(r) == Json::parse(R"({"verbs":["get"],"apiGroups":[""],"resources":["pods"],
                                    "resourceNames":["a"]})"));
  CHECK(toJson(PolicyRule{{"get"}, {}, {}, {}, {"/x"}}) ==
        Json::parse(R"({"verbs":["get"],"nonResourceURLs":["/x"]})"));
  // Odd shapes grant nothing rather than fail.
  CHECK(policyRuleFromJson(Json::parse(R"({"verbs":"get","resources":[1,"pods"]})")) ==
        PolicyRule{{}, {}, {"pods"}, {}, {}});
  CHECK(policyRulesFromJson(nullptr).empty());
}

TEST_CASE("rules print compactly as upstream's escalation errors do", "[auth][rule]") {
  CHECK(compactString(PolicyRule{{"get", "list"}, {"apps"}, {"deployments"}, {}, {}}) ==
        R"({APIGroups:["apps"], Resources:["deployments"], Verbs:["get" "list"]})");
  CHECK(compactString(PolicyRule{{"get"}, {""}, {"pods"}, {"web"}, {}}) ==
        R"({APIGroups:[""], Resources:["pods"], ResourceNames:["web"], Verbs:["get"]})");
  CHECK(compactString(PolicyRule{{"get"}, {}, {}, {}, {"/healthz"}}) ==
        R"({NonResourceURLs:["/healthz"], Verbs:["get"]})");
}
