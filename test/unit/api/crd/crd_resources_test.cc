#include "api/crd/crd_resources.h"

#include <catch2/catch.hpp>

#include "api/crd/custom_resource.h"

using nlohmann::json;
using namespace tug::api;

namespace {

json crd(const std::string& plural, const std::string& kind, const std::string& created,
         json acceptedNames = json::object()) {
  json c = {{"metadata", {{"name", plural + ".example.com"}, {"creationTimestamp", created}}},
            {"spec",
             {{"group", "example.com"},
              {"scope", "Cluster"},
              {"names", {{"plural", plural}, {"kind", kind}, {"shortNames", {plural.substr(0, 2)}}}},
              {"versions",
               {{{"name", "v1beta1"}, {"served", true}, {"storage", false},
                 {"schema", {{"openAPIV3Schema", {{"type", "object"}}}}}},
                {{"name", "v1"}, {"served", true}, {"storage", true},
                 {"schema", {{"openAPIV3Schema",
                              {{"type", "object"},
                               {"properties", {{"spec", {{"type", "object"},
                                                         {"properties", {{"replicas", {{"type", "integer"}}}}}}}}}}}}},
                 {"subresources", {{"status", json::object()},
                                   {"scale", {{"specReplicasPath", ".spec.replicas"},
                                              {"statusReplicasPath", ".status.replicas"}}}}},
                 {"additionalPrinterColumns",
                  {{{"name", "Replicas"}, {"type", "integer"}, {"jsonPath", ".spec.replicas"}}}}},
                {{"name", "v1alpha1"}, {"served", false}, {"storage", false}}}}}}};
  if (!acceptedNames.empty()) {
    c["status"]["acceptedNames"] = acceptedNames;
  }
  return c;
}

}  // namespace

TEST_CASE("names: the first CRD keeps a name, a later one conflicts", "[crd]") {
  auto names = decideNames({crd("gadgets", "Widget", "2026-01-02T00:00:00Z"),
                            crd("widgets", "Widget", "2026-01-01T00:00:00Z")});
  CHECK(names["widgets.example.com"].accepted);
  CHECK(names["widgets.example.com"].reason == "NoConflicts");
  CHECK(names["widgets.example.com"].acceptedNames["singular"] == "widget");
  CHECK(names["widgets.example.com"].acceptedNames["listKind"] == "WidgetList");
  CHECK_FALSE(names["gadgets.example.com"].accepted);
  CHECK(names["gadgets.example.com"].reason == "SingularConflict");
  CHECK(names["gadgets.example.com"].message == "\"widget\" is already in use");
}

TEST_CASE("names: names already granted stay with their holder", "[crd]") {
  json granted = {{"plural", "gadgets"}, {"singular", "gadget"}, {"kind", "Gadget"},
                  {"listKind", "GadgetList"}, {"shortNames", {"ga"}}};
  auto names = decideNames({crd("gadgets", "Gadget", "2026-01-02T00:00:00Z", granted),
                            crd("widgets", "Gadget", "2026-01-01T00:00:00Z")});
  CHECK(names["gadgets.example.com"].accepted);
  CHECK(names["widgets.example.com"].reason == "SingularConflict");
}

TEST_CASE("a CRD serves one resource per served version", "[crd]") {
  json c = crd("widgets", "Widget", "2026-01-01T00:00:00Z");
  auto names = decideNames({c});
  auto served = customResources(c, names["widgets.example.com"].acceptedNames);
  REQUIRE(served.ok());
  REQUIRE(served->size() == 2);  // v1alpha1 is not served
  const ResourceInfo& v1 = *(*served)[1];
  CHECK(v1.version == "v1");
  CHECK(v1.resource == "widgets");
  CHECK(v1.kind == "Widget");
  CHECK_FALSE(v1.namespaced);
  CHECK_FALSE(v1.builtin);
  CHECK(v1.shortNames == std::vector<std::string>{"wi"});
  REQUIRE(v1.subresource("status") != nullptr);
  REQUIRE(v1.subresource("scale") != nullptr);
  CHECK(v1.subresource("scale")->group == "autoscaling");
  REQUIRE(v1.custom);
  CHECK(v1.custom->storageVersion == "v1");
  CHECK(v1.custom->listKind == "WidgetList");
  REQUIRE(v1.custom->scale);
  CHECK(v1.custom->scale->specReplicasPath == ".spec.replicas");
  REQUIRE(resourceType(v1) != nullptr);
  CHECK(resourceType(v1)->field("spec")->field("replicas") != nullptr);
  CHECK(resourceType(v1)->field("metadata") != nullptr);  // ObjectMeta, added
  REQUIRE(v1.custom->printer);
  CHECK((*served)[0]->subresource("scale") == nullptr);  // v1beta1 declares none
}

TEST_CASE("a registry with custom resources orders versions by priority", "[crd]") {
  CHECK(versionPreferred("v1", "v1beta1"));
  CHECK(versionPreferred("v2", "v1"));
  CHECK(versionPreferred("v1beta2", "v1beta1"));
  CHECK(versionPreferred("v1beta1", "v1alpha1"));
  CHECK(versionPreferred("v1alpha1", "foo"));
  CHECK_FALSE(versionPreferred("v1beta1", "v1"));

  json c = crd("widgets", "Widget", "2026-01-01T00:00:00Z");
  auto served = customResources(c, decideNames({c})["widgets.example.com"].acceptedNames);
  REQUIRE(served.ok());
  auto reg = ResourceRegistry::withCustom(ResourceRegistry::builtin(), std::move(*served));
  const GroupInfo* g = reg->group("example.com");
  REQUIRE(g != nullptr);
  REQUIRE(g->versions.size() == 2);
  CHECK(g->versions[0].version == "v1");
  CHECK(reg->resolve("widgets")->version == "v1");
  CHECK(reg->resolve("wi") != nullptr);
  CHECK(reg->find("", "v1", "pods") == ResourceRegistry::builtin().find("", "v1", "pods"));
  CHECK(storageKey(*reg->resolve("widgets"), "", "w") == "/registry/example.com/widgets/w");
}
