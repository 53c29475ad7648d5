#include "api/schema/type_graph.h"

#include <catch2/catch.hpp>

namespace tug::api {
namespace {

using nlohmann::json;

// The node at a dotted path of fields; "[]" steps into a list's or map's element.
const TypeNode* at(const TypeNode* node, std::initializer_list<const char*> path) {
  for (const char* step : path) {
    REQUIRE(node != nullptr);
    node = std::string_view(step) == "[]" ? node->elem : node->field(step);
  }
  return node;
}

TEST_CASE("built-in kinds are found by group, version and kind", "[schema][types]") {
  const TypeNode* d = builtinType("apps", "v1", "Deployment");
  REQUIRE(d != nullptr);
  CHECK(d->kind == TypeKind::kObject);
  CHECK(d == builtinType("apps", "v1", "Deployment"));  // built once
  CHECK(d == builtinDefinition("io.k8s.api.apps.v1.Deployment"));
  CHECK(builtinType("apps", "v1", "NoSuchKind") == nullptr);
  CHECK(builtinType("nosuch.group", "v1", "Deployment") == nullptr);
  CHECK(builtinDefinition("no.such.Definition") == nullptr);
  CHECK(builtinType("", "v1", "Pod") != nullptr);
  CHECK(builtinType("autoscaling", "v1", "Scale") != nullptr);
}

TEST_CASE("the graph follows references down to scalars", "[schema][types]") {
  const TypeNode* d = builtinType("apps", "v1", "Deployment");
  const TypeNode* replicas = at(d, {"spec", "replicas"});
  REQUIRE(replicas != nullptr);
  CHECK(replicas->kind == TypeKind::kScalar);
  CHECK(replicas->scalarType == "integer");
  CHECK(replicas->format == "int32");
  const TypeNode* labels = at(d, {"metadata", "labels"});
  CHECK(labels->kind == TypeKind::kMap);
  CHECK(labels->elem->kind == TypeKind::kScalar);
  CHECK(labels->elem->scalarType == "string");
  const TypeNode* image = at(d, {"spec", "template", "spec", "containers", "[]", "image"});
  CHECK(image->scalarType == "string");
  CHECK(std::find(d->required.begin(), d->required.end(), "spec") == d->required.end());
  const TypeNode* spec = at(d, {"spec"});
  CHECK(std::find(spec->required.begin(), spec->required.end(), "selector") !=
        spec->required.end());
}

TEST_CASE("list and patch extensions sit on the property", "[schema][types]") {
  const TypeNode* containers =
      at(builtinType("", "v1", "Pod"), {"spec", "containers"});
  CHECK(containers->kind == TypeKind::kList);
  CHECK(containers->listType == ListType::kMap);
  CHECK(containers->listMapKeys == std::vector<std::string>{"name"});
  CHECK(containers->patchStrategy == "merge");
  CHECK(containers->patchMergeKey == "name");
  CHECK(containers->hasPatchStrategy("merge"));
  // Next to a $ref: the property's node carries the strategy, the shared type does not.
  const TypeNode* strategy = at(builtinType("apps", "v1", "Deployment"), {"spec", "strategy"});
  CHECK(strategy->patchStrategy == "retainKeys");
  CHECK(strategy->kind == TypeKind::kObject);
  CHECK(strategy->field("rollingUpdate") != nullptr);
  const TypeNode* shared = builtinDefinition("io.k8s.api.apps.v1.DeploymentStrategy");
  REQUIRE(shared != nullptr);
  CHECK(shared != strategy);
  CHECK(shared->patchStrategy.empty());
  CHECK(strategy->defaultValue == "{}");
  // A definition's own extension stays on it and on every use.
  const TypeNode* selector = at(builtinType("apps", "v1", "Deployment"), {"spec", "selector"});
  CHECK(selector->mapType == MapType::kAtomic);
  const TypeNode* finalizers = at(builtinType("apps", "v1", "Deployment"),
                                  {"metadata", "finalizers"});
  CHECK(finalizers->listType == ListType::kSet);
  CHECK(finalizers->patchStrategy == "merge");
}

TEST_CASE("int-or-string, Quantity and opaque objects", "[schema][types]") {
  const TypeNode* maxSurge = at(builtinType("apps", "v1", "Deployment"),
                                {"spec", "strategy", "rollingUpdate", "maxSurge"});
  CHECK(maxSurge->kind == TypeKind::kScalar);
  CHECK(maxSurge->format == "int-or-string");
  CHECK(maxSurge->scalarType.empty());
  const TypeNode* limits = at(builtinType("", "v1", "Pod"),
                              {"spec", "containers", "[]", "resources", "limits"});
  CHECK(limits->kind == TypeKind::kMap);
  CHECK(limits->elem->kind == TypeKind::kScalar);
  CHECK(limits->elem->format == "int-or-string");
  const TypeNode* raw = at(builtinType("apps", "v1", "ControllerRevision"), {"data"});
  CHECK(raw->kind == TypeKind::kAny);
  const TypeNode* managed = at(builtinType("", "v1", "ConfigMap"),
                               {"metadata", "managedFields", "[]", "fieldsV1"});
  CHECK(managed->kind == TypeKind::kAny);
}

TEST_CASE("recursive types build", "[schema][types]") {
  const TypeNode* crd = builtinType("apiextensions.k8s.io", "v1", "CustomResourceDefinition");
  const TypeNode* props = at(crd, {"spec", "versions", "[]", "schema", "openAPIV3Schema"});
  REQUIRE(props->kind == TypeKind::kObject);
  const TypeNode* nested = at(props, {"properties", "[]"});
  CHECK(nested->field("properties") != nullptr);
  CHECK(at(nested, {"properties", "[]", "type"})->scalarType == "string");
}

TEST_CASE("a CRD schema becomes a graph with resource fields", "[schema][types][crd]") {
  json schema = json::parse(R"({
    "type": "object",
    "properties": {
      "spec": {
        "type": "object",
        "properties": {
          "knownField1": {"type": "string"},
          "count": {"type": "integer", "format": "int32", "default": 1},
          "port": {"x-kubernetes-int-or-string": true},
          "embeddedObj": {"type": "object", "x-kubernetes-embedded-resource": true,
                          "properties": {"apiversion": {"type": "string"}}},
          "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
          "empty": {"type": "object"},
          "tags": {"type": "object", "additionalProperties": {"type": "string"}},
          "ports": {
            "type": "array",
            "x-kubernetes-list-type": "map",
            "x-kubernetes-list-map-keys": ["containerPort", "protocol"],
            "items": {"type": "object", "required": ["containerPort"],
                      "properties": {"containerPort": {"type": "integer"},
                                     "protocol": {"type": "string", "enum": ["TCP", "UDP"]}}}
          }
        }
      }
    }
  })");
  auto graph = buildTypeGraph(schema);
  REQUIRE(graph.ok());
  const TypeNode* root = (*graph)->root();
  CHECK(root->field("apiVersion")->scalarType == "string");
  CHECK(root->field("kind")->scalarType == "string");
  CHECK(root->field("metadata") == builtinDefinition("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
  const TypeNode* spec = root->field("spec");
  CHECK(at(spec, {"count"})->defaultValue == "1");
  CHECK(at(spec, {"port"})->format == "int-or-string");
  const TypeNode* embedded = at(spec, {"embeddedObj"});
  CHECK(embedded->embeddedResource);
  CHECK(embedded->field("metadata") != nullptr);
  CHECK(embedded->field("kind") != nullptr);
  CHECK(at(spec, {"free"})->kind == TypeKind::kAny);
  CHECK(at(spec, {"free"})->preserveUnknownFields);
  CHECK(at(spec, {"empty"})->kind == TypeKind::kObject);
  CHECK(at(spec, {"empty"})->fields.empty());
  CHECK(at(spec, {"tags"})->kind == TypeKind::kMap);
  const TypeNode* ports = at(spec, {"ports"});
  CHECK(ports->listType == ListType::kMap);
  CHECK(ports->listMapKeys == std::vector<std::string>{"containerPort", "protocol"});
  CHECK(ports->elem->required == std::vector<std::string>{"containerPort"});
  CHECK(at(ports, {"[]", "protocol"})->enumValues == std::vector<std::string>{"TCP", "UDP"});
}

TEST_CASE("bad CRD schemas are refused", "[schema][types][crd]") {
  CHECK(buildTypeGraph(json::array()).status().code() == Code::kInvalid);
  CHECK(buildTypeGraph(json("object")).status().code() == Code::kInvalid);
  auto ref = buildTypeGraph(json::parse(
      R"({"type":"object","properties":{"a":{"$ref":"#/components/schemas/x"}}})"));
  CHECK(ref.status().code() == Code::kInvalid);
  // Odd but harmless shapes build.
  CHECK(buildTypeGraph(json::object()).ok());
  CHECK(buildTypeGraph(json::parse(R"({"type":"array"})")).status().code() == Code::kInvalid);
  CHECK(buildTypeGraph(json::parse(R"({"properties":{"a":7,"b":{"items":null}}})")).ok());
}

}  // namespace
}  // namespace tug::api
