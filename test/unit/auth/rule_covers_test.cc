#include "auth/rule_covers.h"

#include <catch2/catch.hpp>

using tug::auth::breakdownRule;
using tug::auth::compactRules;
using tug::auth::covers;
using tug::auth::PolicyRule;

namespace {

PolicyRule res(std::vector<std::string> verbs, std::vector<std::string> groups,
               std::vector<std::string> resources, std::vector<std::string> names = {}) {
  return PolicyRule{verbs, groups, resources, names, {}};
}

PolicyRule url(std::vector<std::string> verbs, std::vector<std::string> urls) {
  return PolicyRule{verbs, {}, {}, {}, urls};
}

}  // namespace

TEST_CASE("rules break down into single verb, group, resource and name", "[auth][covers]") {
  auto pieces = breakdownRule(res({"get", "list"}, {"", "apps"}, {"pods"}, {"a", "b"}));
  CHECK(pieces.size() == 8);
  CHECK(pieces[0] == res({"get"}, {""}, {"pods"}, {"a"}));
  CHECK(pieces[1] == res({"get"}, {""}, {"pods"}, {"b"}));
  CHECK(breakdownRule(url({"get", "post"}, {"/a"})).size() == 2);
}

TEST_CASE("an owner covers what its rules name or wildcard", "[auth][covers]") {
  std::vector<PolicyRule> admin = {res({"*"}, {"*"}, {"*"}), url({"*"}, {"*"})};
  CHECK(covers(admin,
               {res({"get"}, {"apps"}, {"deployments/scale"}, {"x"}), url({"get"}, {"/healthz"})}));

  std::vector<PolicyRule> reader = {res({"get", "list"}, {""}, {"pods", "*/status"})};
  CHECK(covers(reader, {res({"get"}, {""}, {"pods"})}));
  CHECK(covers(reader, {res({"list"}, {""}, {"services/status"})}));
  CHECK_FALSE(covers(reader, {res({"get"}, {""}, {"pods/log"})}));
  CHECK_FALSE(covers(reader, {res({"watch"}, {""}, {"pods"})}));
  CHECK_FALSE(covers(reader, {res({"get"}, {"apps"}, {"pods"})}));
  // A wildcard asked for is covered only by a wildcard.
  CHECK_FALSE(covers(reader, {res({"*"}, {""}, {"pods"})}));
  CHECK_FALSE(covers(reader, {res({"get"}, {""}, {"*"})}));
  CHECK(covers(reader, {}));
}

TEST_CASE("resource names cover only themselves", "[auth][covers]") {
  std::vector<PolicyRule> named = {res({"get"}, {""}, {"configmaps"}, {"a", "b"})};
  CHECK(covers(named, {res({"get"}, {""}, {"configmaps"}, {"a"})}));
  CHECK(covers(named, {res({"get"}, {""}, {"configmaps"}, {"a", "b"})}));
  CHECK_FALSE(covers(named, {res({"get"}, {""}, {"configmaps"}, {"c"})}));
  CHECK_FALSE(covers(named, {res({"get"}, {""}, {"configmaps"})}));
  // An unlimited owner covers any name.
  CHECK(covers({res({"get"}, {""}, {"configmaps"})}, {res({"get"}, {""}, {"configmaps"}, {"z"})}));
}

TEST_CASE("non-resource URLs cover by prefix", "[auth][covers]") {
  std::vector<PolicyRule> owner = {url({"get"}, {"/apis/*", "/healthz"})};
  CHECK(covers(owner, {url({"get"}, {"/apis/apps", "/apis/*", "/healthz"})}));
  CHECK_FALSE(covers(owner, {url({"get"}, {"/apis"})}));
  CHECK_FALSE(covers(owner, {url({"get"}, {"*"})}));
  CHECK_FALSE(covers({res({"*"}, {"*"}, {"*"})}, {url({"get"}, {"/healthz"})}));
}

TEST_CASE("uncovered pieces are reported and compacted by resource", "[auth][covers]") {
  std::vector<PolicyRule> uncovered;
  CHECK_FALSE(covers({res({"get"}, {""}, {"pods"})},
                     {res({"get", "list", "delete"}, {""}, {"pods", "secrets"})}, &uncovered));
  CHECK(uncovered.size() == 5);
  auto compact = compactRules(uncovered);
  REQUIRE(compact.size() == 2);
  CHECK(compact[0] == res({"list", "delete"}, {""}, {"pods"}));
  CHECK(compact[1] == res({"get", "list", "delete"}, {""}, {"secrets"}));
  // Pieces with names or URLs stay as they are.
  auto kept = compactRules({res({"get"}, {""}, {"pods"}, {"a"}), url({"get"}, {"/x"})});
  CHECK(kept.size() == 2);
}
