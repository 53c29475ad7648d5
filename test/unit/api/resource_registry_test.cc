#include "api/resource_registry.h"

#include <catch2/catch.hpp>

using tug::api::ResourceRegistry;

TEST_CASE("the built-in registry serves the GA group versions of Kubernetes 1.31", "[api]") {
  const ResourceRegistry& reg = ResourceRegistry::builtin();
  REQUIRE(reg.groups().size() == 20);
  CHECK(reg.groups()[0].name == "");
  CHECK(reg.groups()[1].name == "apiregistration.k8s.io");
  CHECK(reg.groups()[2].name == "apps");
  const auto* autoscaling = reg.group("autoscaling");
  REQUIRE(autoscaling != nullptr);
  REQUIRE(autoscaling->versions.size() == 2);
  CHECK(autoscaling->versions[0].version == "v2");  // preferred first
  CHECK(reg.group("resource.k8s.io") == nullptr);   // alpha only: not served by default
}

TEST_CASE("resources carry scope, kind, verbs, short names and subresources", "[api]") {
  const ResourceRegistry& reg = ResourceRegistry::builtin();
  const auto* pods = reg.find("", "v1", "pods");
  REQUIRE(pods != nullptr);
  CHECK(pods->kind == "Pod");
  CHECK(pods->singular == "pod");
  CHECK(pods->namespaced);
  CHECK(pods->groupVersion() == "v1");
  CHECK(pods->hasVerb("watch"));
  CHECK(pods->shortNames == std::vector<std::string>{"po"});
  CHECK(pods->categories == std::vector<std::string>{"all"});
  REQUIRE(pods->subresource("status") != nullptr);
  const auto* eviction = pods->subresource("eviction");
  REQUIRE(eviction != nullptr);
  CHECK(eviction->group == "policy");
  CHECK(eviction->kind == "Eviction");

  const auto* deploy = reg.find("apps", "v1", "deployments");
  REQUIRE(deploy != nullptr);
  CHECK(deploy->groupVersion() == "apps/v1");
  CHECK(deploy->subresource("scale")->kind == "Scale");
  CHECK_FALSE(reg.find("", "v1", "namespaces")->namespaced);
  CHECK(reg.find("apps", "v2", "deployments") == nullptr);
  CHECK(reg.findKind("rbac.authorization.k8s.io", "v1", "ClusterRole")->resource ==
        "clusterroles");
}

TEST_CASE("names resolve the way kubectl users type them", "[api]") {
  const ResourceRegistry& reg = ResourceRegistry::builtin();
  CHECK(reg.resolve("po")->resource == "pods");
  CHECK(reg.resolve("deploy")->group == "apps");
  CHECK(reg.resolve("deployment")->resource == "deployments");
  CHECK(reg.resolve("hpa")->version == "v2");
  CHECK(reg.resolve("events")->group == "");
  CHECK(reg.resolve("events.events.k8s.io")->group == "events.k8s.io");
  CHECK(reg.resolve("nosuch") == nullptr);
}

TEST_CASE("objects are stored under upstream's keys", "[api]") {
  const ResourceRegistry& reg = ResourceRegistry::builtin();
  CHECK(tug::api::storageKey(*reg.find("", "v1", "pods"), "default", "web") ==
        "/registry/pods/default/web");
  CHECK(tug::api::storageKey(*reg.find("", "v1", "namespaces"), "", "kube-system") ==
        "/registry/namespaces/kube-system");
  CHECK(tug::api::storageKey(*reg.find("apps", "v1", "deployments"), "ns", "") ==
        "/registry/deployments/ns/");
  // One storage for both versions of a resource.
  CHECK(tug::api::storageKey(*reg.find("autoscaling", "v1", "horizontalpodautoscalers"), "a",
                             "b") ==
        tug::api::storageKey(*reg.find("autoscaling", "v2", "horizontalpodautoscalers"), "a",
                             "b"));
}

TEST_CASE("a broken resource table is a clear error", "[api]") {
  auto r = ResourceRegistry::fromJson("{\"groups\": [{\"versions\": []}]}");
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("resource table") == 0);
}
