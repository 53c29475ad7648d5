#include <catch2/catch.hpp>

#include "api/validation/meta_validation.h"
#include "validation_test_util.h"

using namespace validation_test;
using Catch::Matchers::Contains;
using Messages = std::vector<std::string>;

TEST_CASE("a valid object has no errors", "[validation]") {
  CHECK(createErrors("", "ConfigMap", {{"metadata", {{"name", "a.b-c"}}}}).empty());
  CHECK(createErrors("apps", "Deployment", deployment()).empty());
}

TEST_CASE("names follow each kind's rule", "[validation]") {
  auto e = createErrors("", "ConfigMap", {{"metadata", {{"name", "Bad_Name"}}}});
  REQUIRE(e.size() == 1);
  CHECK_THAT(e[0], Contains("metadata.name: Invalid value: \"Bad_Name\": a lowercase RFC 1123 "
                            "subdomain must consist of"));
  CHECK(createErrors("", "Namespace", {{"metadata", {{"name", "a.b"}}}}, false) ==
        Messages{"metadata.name: Invalid value: \"a.b\": must not contain dots"});
  auto svc = createErrors("", "Service", {{"metadata", {{"name", "1web"}}},
                                          {"spec", {{"ports", {{{"port", 80}}}}}}});
  REQUIRE(svc.size() == 1);
  CHECK_THAT(svc[0], Contains("a DNS-1035 label must consist of"));
  CHECK(createErrors("rbac.authorization.k8s.io", "ClusterRole",
                     {{"metadata", {{"name", "system:admin"}}}}, false)
            .empty());
  CHECK(createErrors("", "ConfigMap", {{"metadata", json::object()}}) ==
        Messages{"metadata.name: Required value: name or generateName is required"});
}

TEST_CASE("generateName is checked as a prefix", "[validation]") {
  CHECK(createErrors("", "ConfigMap", {{"metadata", {{"generateName", "web-"}, {"name", "web-x2b4c"}}}})
            .empty());
  auto e = createErrors("", "ConfigMap", {{"metadata", {{"generateName", "Web-"}, {"name", "Web-x2b4c"}}}});
  REQUIRE(e.size() == 2);
  CHECK_THAT(e[0], Contains("metadata.generateName: Invalid value: \"Web-\""));
  CHECK_THAT(e[1], Contains("metadata.name: Invalid value: \"Web-x2b4c\""));
}

TEST_CASE("namespaces are required for namespaced kinds and refused otherwise", "[validation]") {
  json cm = {{"metadata", {{"name", "a"}, {"namespace", ""}}}};
  auto e = messages(tug::api::validation::validateCreate({"", "ConfigMap", true}, cm));
  CHECK(e == Messages{"metadata.namespace: Required value"});
  json node = {{"metadata", {{"name", "n"}, {"namespace", "x"}}}};
  CHECK(messages(tug::api::validation::validateCreate({"", "Node", false}, node)) ==
        Messages{"metadata.namespace: Forbidden: not allowed on this type"});
}

TEST_CASE("labels, annotations and finalizers are checked", "[validation]") {
  auto e = createErrors("", "ConfigMap",
                        {{"metadata", {{"name", "a"}, {"labels", {{"ok", "-bad"}, {"bad key!", "v"}}}}}});
  REQUIRE(e.size() == 2);
  CHECK_THAT(e[0], Contains("metadata.labels: Invalid value: \"bad key!\": name part must consist"));
  CHECK_THAT(e[1], Contains("metadata.labels: Invalid value: \"-bad\": a valid label must be an "
                            "empty string or consist of"));
  CHECK(createErrors("", "ConfigMap",
                     {{"metadata", {{"name", "a"}, {"annotations", {{"Example.com/Key", "v"}}}}}})
            .empty());
  auto big = createErrors("", "ConfigMap",
                          {{"metadata", {{"name", "a"}, {"annotations", {{"k", std::string(300000, 'x')}}}}}});
  CHECK(big == Messages{"metadata.annotations: Too long: must have at most 262144 bytes"});
  auto fin = createErrors("", "ConfigMap", {{"metadata", {{"name", "a"}, {"finalizers", {"a/b/c"}}}}});
  REQUIRE(fin.size() == 1);
  CHECK_THAT(fin[0], Contains("metadata.finalizers: Invalid value: \"a/b/c\""));
}

TEST_CASE("label selectors are checked and matched", "[validation]") {
  namespace v = tug::api::validation;
  json sel = {{"matchExpressions",
               {{{"key", "app"}, {"operator", "In"}},
                {{"key", "tier"}, {"operator", "Exists"}, {"values", {"x"}}},
                {{"key", "x"}, {"operator", "Near"}, {"values", {"y"}}}}}};
  CHECK(messages(v::validateLabelSelector(sel, v::Path("spec.selector"))) ==
        Messages{"spec.selector.matchExpressions[0].values: Required value: must be specified "
                 "when `operator` is 'In' or 'NotIn'",
                 "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when "
                 "`operator` is 'Exists' or 'DoesNotExist'",
                 "spec.selector.matchExpressions[2].operator: Invalid value: \"Near\": not a valid "
                 "selector operator"});
  json labels = {{"app", "web"}, {"tier", "db"}};
  CHECK(v::selectorMatches({{"matchLabels", {{"app", "web"}}}}, &labels));
  CHECK_FALSE(v::selectorMatches({{"matchLabels", {{"app", "db"}}}}, &labels));
  CHECK(v::selectorMatches(
      {{"matchExpressions", {{{"key", "tier"}, {"operator", "In"}, {"values", {"db", "x"}}}}}},
      &labels));
  CHECK_FALSE(v::selectorMatches(
      {{"matchExpressions", {{{"key", "tier"}, {"operator", "DoesNotExist"}}}}}, &labels));
  CHECK_FALSE(v::selectorMatches({{"matchLabels", {{"app", "web"}}}}, nullptr));
}

TEST_CASE("validation never throws on bodies of the wrong shape", "[validation]") {
  namespace v = tug::api::validation;
  for (json bad : {json("x"), json::array(), json{{"metadata", 3}}, json{{"spec", "x"}},
                   json{{"spec", {{"template", 3}, {"selector", "x"}, {"ports", {1, "a"}}}}},
                   json{{"metadata", {{"labels", {{"a", 1}}}}}, {"data", {{"k", 5}}}},
                   json{{"spec", {{"containers", {{{"ports", "x"}, {"env", {1}}}}}}}}}) {
    for (auto [group, kind] : std::vector<std::pair<const char*, const char*>>{
             {"", "Pod"}, {"apps", "Deployment"}, {"apps", "StatefulSet"}, {"apps", "DaemonSet"},
             {"batch", "Job"}, {"batch", "CronJob"}, {"", "Service"}, {"", "Secret"},
             {"", "PersistentVolumeClaim"}, {"", "PersistentVolume"},
             {"storage.k8s.io", "StorageClass"}, {"networking.k8s.io", "Ingress"},
             {"rbac.authorization.k8s.io", "Role"}, {"rbac.authorization.k8s.io", "RoleBinding"}}) {
      json copy = bad;
      CHECK_NOTHROW(v::applyDefaults(group, kind, copy));
      CHECK_NOTHROW(v::validateCreate({group, kind, true}, copy));
      CHECK_NOTHROW(v::validateUpdate({group, kind, true}, copy, bad));
    }
  }
}
