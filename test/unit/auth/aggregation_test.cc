#include "auth/aggregation.h"

#include <catch2/catch.hpp>

#include "common/label_selector.h"
#include "rbac_fixtures.h"

using namespace tug::auth;
using namespace tug::auth::testing;
using tug::labelSelectorMatches;
using tug::Status;

namespace {

Json aggregating(const std::string& name, Json selectors, Json labels = Json::object()) {
  Json r = clusterRole(name, nullptr, labels);
  r["aggregationRule"] = {{"clusterRoleSelectors", selectors}};
  return r;
}

Json labelled(const std::string& key) { return {{key, "true"}}; }

}  // namespace

TEST_CASE("label selectors match as metav1.LabelSelector", "[auth][aggregation]") {
  Json labels = {{"tier", "web"}, {"team", "a"}};
  auto matches = [&](const char* selector) {
    auto m = labelSelectorMatches(Json::parse(selector), labels);
    REQUIRE(m.ok());
    return *m;
  };
  CHECK(matches("{}"));
  CHECK(matches(R"({"matchLabels":{"tier":"web"}})"));
  CHECK_FALSE(matches(R"({"matchLabels":{"tier":"web","team":"b"}})"));
  CHECK(matches(R"({"matchExpressions":[{"key":"tier","operator":"In","values":["db","web"]}]})"));
  CHECK_FALSE(matches(R"({"matchExpressions":[{"key":"x","operator":"In","values":["web"]}]})"));
  CHECK(matches(R"({"matchExpressions":[{"key":"x","operator":"NotIn","values":["web"]}]})"));
  CHECK_FALSE(
      matches(R"({"matchExpressions":[{"key":"tier","operator":"NotIn","values":["web"]}]})"));
  CHECK(matches(R"({"matchExpressions":[{"key":"team","operator":"Exists"}]})"));
  CHECK(matches(R"({"matchExpressions":[{"key":"x","operator":"DoesNotExist"}]})"));
  CHECK_FALSE(matches(R"({"matchLabels":{"tier":"web"},
                          "matchExpressions":[{"key":"team","operator":"DoesNotExist"}]})"));
  CHECK_FALSE(labelSelectorMatches(
                  Json::parse(R"({"matchExpressions":[{"key":"a","operator":"Gt"}]})"), labels)
                  .ok());
  CHECK_FALSE(labelSelectorMatches(
                  Json::parse(R"({"matchExpressions":[{"key":"a","operator":"In"}]})"), labels)
                  .ok());
  CHECK_FALSE(labelSelectorMatches(Json::parse(R"({"matchLabels":{"no":"match"},
                      "matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]})"),
                                   labels)
                  .ok());
  CHECK(*labelSelectorMatches(
      Json::parse(R"({"matchExpressions":[{"key":"a","operator":"DoesNotExist"}]})"), nullptr));
}

TEST_CASE("an aggregated role gathers the rules of the roles it selects", "[auth][aggregation]") {
  std::vector<Json> roles = {
      aggregating("monitoring", Json::array({{{"matchLabels", labelled("agg/monitoring")}}})),
      clusterRole("z-pods", Json::array({rule({"get"}, {""}, {"pods"})}),
                  labelled("agg/monitoring")),
      clusterRole("a-nodes",
                  Json::array({rule({"get"}, {""}, {"nodes"}), rule({"get"}, {""}, {"pods"})}),
                  labelled("agg/monitoring")),
      clusterRole("other", Json::array({rule({"*"}, {"*"}, {"*"})}))};
  auto rules = aggregatedRules(roles[0], roles);
  REQUIRE(rules.ok());
  // Roles in name order, each distinct rule once.
  CHECK(*rules == Json::array({rule({"get"}, {""}, {"nodes"}), rule({"get"}, {""}, {"pods"})}));
}

TEST_CASE("a role never aggregates itself, and no selectors gather nothing",
          "[auth][aggregation]") {
  Json self = aggregating("self", Json::array({{{"matchLabels", labelled("x")}}}), labelled("x"));
  self["rules"] = Json::array({rule({"get"}, {""}, {"pods"})});
  std::vector<Json> roles = {self};
  CHECK(*aggregatedRules(self, roles) == Json::array());

  Json none = aggregating("none", Json::array());
  none["rules"] = Json::array({rule({"get"}, {""}, {"pods"})});
  CHECK(isAggregated(none));
  CHECK(*aggregatedRules(none, {none}) == Json::array());
  CHECK_FALSE(isAggregated(clusterRole("plain", Json::array())));
}

TEST_CASE("chains of aggregated roles settle", "[auth][aggregation]") {
  // admin gathers edit and its own extra role; edit gathers view; view gathers a base role.
  std::vector<Json> roles = {
      aggregating("admin", Json::array({{{"matchLabels", labelled("to-admin")}}})),
      aggregating("edit", Json::array({{{"matchLabels", labelled("to-edit")}}}),
                  labelled("to-admin")),
      aggregating("view", Json::array({{{"matchLabels", labelled("to-view")}}}),
                  labelled("to-edit")),
      clusterRole("base-view", Json::array({rule({"get"}, {""}, {"pods"})}), labelled("to-view")),
      clusterRole("base-admin",
                  Json::array({rule({"create"}, {"rbac.authorization.k8s.io"}, {"rolebindings"})}),
                  labelled("to-admin"))};
  REQUIRE(aggregateClusterRoles(roles).isOk());
  CHECK(roles[2]["rules"] == Json::array({rule({"get"}, {""}, {"pods"})}));
  CHECK(roles[1]["rules"] == Json::array({rule({"get"}, {""}, {"pods"})}));
  CHECK(roles[0]["rules"] ==
        Json::array({rule({"create"}, {"rbac.authorization.k8s.io"}, {"rolebindings"}),
                     rule({"get"}, {""}, {"pods"})}));
  // Settled: a second run changes nothing.
  std::vector<Json> again = roles;
  REQUIRE(aggregateClusterRoles(again).isOk());
  CHECK(again == roles);
}

TEST_CASE("a malformed selector is reported and the others still aggregate",
          "[auth][aggregation]") {
  std::vector<Json> roles = {
      aggregating("bad", Json::array({{{"matchExpressions",
                                        Json::array({{{"key", "a"}, {"operator", "Near"}}})}}})),
      aggregating("good", Json::array({{{"matchLabels", labelled("x")}}})),
      clusterRole("base", Json::array({rule({"get"}, {""}, {"pods"})}), labelled("x"))};
  Status s = aggregateClusterRoles(roles);
  CHECK(s.code() == tug::Code::kInvalid);
  CHECK(s.message() ==
        R"(aggregating clusterrole "bad": "Near" is not a valid label selector operator)");
  CHECK(roles[1]["rules"] == Json::array({rule({"get"}, {""}, {"pods"})}));
}
