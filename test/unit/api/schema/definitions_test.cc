#include "api/schema/definitions.h"

#include <algorithm>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

namespace tug::api {
namespace {

TEST_CASE("the embedded definitions are indexed and carry no descriptions",
          "[schema][definitions]") {
  const DefinitionIndex& index = DefinitionIndex::builtin();
  REQUIRE(index.size() > 400);
  std::string_view deployment = index.find("io.k8s.api.apps.v1.Deployment");
  REQUIRE_FALSE(deployment.empty());
  auto parsed = nlohmann::json::parse(deployment);
  CHECK(parsed["type"] == "object");
  CHECK(parsed["properties"].contains("spec"));
  CHECK_FALSE(parsed.contains("description"));
  CHECK(deployment.find("\"description\":\"") == std::string_view::npos);
  CHECK(index.find("io.k8s.api.apps.v1.NoSuchThing").empty());
  CHECK(index.find("").empty());
  auto names = index.names();
  CHECK(std::is_sorted(names.begin(), names.end()));
}

TEST_CASE("every definition parses on its own", "[schema][definitions]") {
  const DefinitionIndex& index = DefinitionIndex::builtin();
  for (std::string_view name : index.names()) {
    INFO(name);
    auto j = nlohmann::json::parse(index.find(name), nullptr, false);
    CHECK(j.is_object());
  }
}

TEST_CASE("kinds are found by group, version and kind", "[schema][definitions]") {
  const DefinitionIndex& index = DefinitionIndex::builtin();
  CHECK(index.nameForKind("apps", "v1", "Deployment") == "io.k8s.api.apps.v1.Deployment");
  CHECK(index.nameForKind("", "v1", "Pod") == "io.k8s.api.core.v1.Pod");
  CHECK(index.nameForKind("autoscaling", "v1", "Scale") == "io.k8s.api.autoscaling.v1.Scale");
  // DeleteOptions is claimed by every group; the kind's own definition wins.
  CHECK(index.nameForKind("apps", "v1", "DeleteOptions") ==
        "io.k8s.apimachinery.pkg.apis.meta.v1.DeleteOptions");
  CHECK(index.nameForKind("apps", "v2", "Deployment").empty());
  CHECK(index.nameForKind("", "v1", "Deployment").empty());
}

TEST_CASE("references and their closure", "[schema][definitions]") {
  auto refs = DefinitionIndex::references(
      R"({"a":{"$ref":"#/components/schemas/x.Y"},"b":{"allOf":[{"$ref":"#/components/schemas/z"}]}})");
  REQUIRE(refs.size() == 2);
  CHECK(refs[0] == "x.Y");
  CHECK(refs[1] == "z");
  CHECK(DefinitionIndex::references("{}").empty());

  const DefinitionIndex& index = DefinitionIndex::builtin();
  auto closure = index.closure({"io.k8s.api.apps.v1.Deployment"});
  auto has = [&](std::string_view n) {
    return std::find(closure.begin(), closure.end(), n) != closure.end();
  };
  CHECK(has("io.k8s.api.apps.v1.Deployment"));
  CHECK(has("io.k8s.api.core.v1.Container"));
  CHECK(has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
  CHECK(has("io.k8s.apimachinery.pkg.util.intstr.IntOrString"));
  CHECK_FALSE(has("io.k8s.api.batch.v1.Job"));
  CHECK(std::is_sorted(closure.begin(), closure.end()));
  CHECK(index.closure({"no.such.Definition"}).empty());
}

TEST_CASE("a small index of hand-written definitions", "[schema][definitions]") {
  std::string text =
      "{\n"
      "\"b.B\":{\"type\":\"string\"},\n"
      "\"a.A\":{\"properties\":{\"b\":{\"$ref\":\"#/components/schemas/b.B\"}},"
      "\"x-kubernetes-group-version-kind\":[{\"group\":\"g\",\"kind\":\"A\",\"version\":\"v1\"}]}\n"
      "}\n";
  DefinitionIndex index(text);
  CHECK(index.size() == 2);
  CHECK(index.find("b.B") == "{\"type\":\"string\"}");
  CHECK(index.nameForKind("g", "v1", "A") == "a.A");
  CHECK(index.closure({"a.A"}) == std::vector<std::string_view>{"a.A", "b.B"});
}

}  // namespace
}  // namespace tug::api
