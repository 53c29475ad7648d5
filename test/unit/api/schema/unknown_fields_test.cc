#include "api/schema/unknown_fields.h"

#include <catch2/catch.hpp>

#include "api/schema/type_graph.h"

namespace tug::api {
namespace {

using nlohmann::json;
using Paths = std::vector<std::string>;

const json kDeployment = json::parse(R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "labels": {"app": "web"}, "unknownMeta": 1},
  "spec": {
    "foo": "bar",
    "replicas": 2,
    "selector": {"matchLabels": {"app": "web"}},
    "template": {
      "metadata": {"labels": {"app": "web"}},
      "spec": {"containers": [{"name": "a", "image": "nginx"},
                              {"name": "b", "image": "nginx", "foo": {"deep": true}}]}
    }
  },
  "status": {"replicas": 0, "bogus": []}
})");

TEST_CASE("unknown fields of a built-in kind, with upstream's paths", "[schema][unknown]") {
  const TypeNode* d = builtinType("apps", "v1", "Deployment");
  REQUIRE(d != nullptr);
  CHECK(unknownFields(*d, kDeployment) ==
        Paths{"metadata.unknownMeta", "spec.foo", "spec.template.spec.containers[1].foo",
              "status.bogus"});
  json clean = kDeployment;
  CHECK(prune(*d, clean) == 4);
  CHECK(unknownFields(*d, clean).empty());
  CHECK_FALSE(clean["metadata"].contains("unknownMeta"));
  CHECK_FALSE(clean["spec"].contains("foo"));
  CHECK_FALSE(clean["spec"]["template"]["spec"]["containers"][1].contains("foo"));
  // Everything declared is kept, map keys included.
  CHECK(clean["metadata"]["labels"] == json{{"app", "web"}});
  CHECK(clean["spec"]["replicas"] == 2);
  CHECK(clean["apiVersion"] == "apps/v1");
  CHECK(clean["spec"]["template"]["spec"]["containers"][1]["image"] == "nginx");
  CHECK(prune(*d, clean) == 0);
}

TEST_CASE("values of the wrong shape are left to validation", "[schema][unknown]") {
  const TypeNode* d = builtinType("apps", "v1", "Deployment");
  json odd = {{"spec", "not an object"}, {"metadata", json::array({1, 2})}, {"kind", json::object()}};
  CHECK(unknownFields(*d, odd).empty());
  CHECK(prune(*d, odd) == 0);
  json notObject = json::array();
  CHECK(unknownFields(*d, notObject).empty());
  json root = "text";
  CHECK(prune(*d, root) == 0);
}

TEST_CASE("opaque built-in values keep whatever they hold", "[schema][unknown]") {
  const TypeNode* rev = builtinType("apps", "v1", "ControllerRevision");
  json obj = {{"data", {{"anything", {{"goes", 1}}}}}, {"revision", 1}};
  CHECK(unknownFields(*rev, obj).empty());
  CHECK(prune(*rev, obj) == 0);
}

TEST_CASE("CRD graphs prune unless unknown fields are preserved", "[schema][unknown][crd]") {
  auto graph = buildTypeGraph(json::parse(R"({
    "type": "object",
    "properties": {
      "spec": {"type": "object", "properties": {
        "known": {"type": "string"},
        "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
        "ports": {"type": "array", "items": {"type": "object",
                  "properties": {"port": {"type": "integer"}}}},
        "embedded": {"type": "object", "x-kubernetes-embedded-resource": true,
                     "x-kubernetes-preserve-unknown-fields": true}
      }}
    }
  })"));
  REQUIRE(graph.ok());
  json cr = json::parse(R"({
    "apiVersion": "example.com/v1", "kind": "Thing",
    "metadata": {"name": "x", "bogus": 1},
    "spec": {"known": "a", "unknown": "b", "free": {"any": {"thing": 1}},
             "ports": [{"port": 1, "extra": 2}],
             "embedded": {"apiVersion": "v1", "kind": "ConfigMap", "data": {"k": "v"},
                          "metadata": {"name": "c", "unknownEmbeddedMeta": 1}}},
    "status": {"x": 1}
  })");
  const TypeNode& root = *(*graph)->root();
  CHECK(unknownFields(root, cr) ==
        Paths{"metadata.bogus", "spec.embedded.metadata.unknownEmbeddedMeta",
              "spec.ports[0].extra", "spec.unknown", "status"});
  CHECK(prune(root, cr) == 5);
  CHECK(cr["spec"]["free"] == json::parse(R"({"any":{"thing":1}})"));
  CHECK(cr["spec"]["embedded"]["data"] == json{{"k", "v"}});
  CHECK(cr["metadata"] == json{{"name", "x"}});
  CHECK(cr["apiVersion"] == "example.com/v1");
  CHECK_FALSE(cr.contains("status"));
}

TEST_CASE("paths are joined as upstream spells them", "[schema][unknown]") {
  CHECK(fieldPath("", "spec") == "spec");
  CHECK(fieldPath("spec", "foo") == "spec.foo");
  CHECK(indexPath("spec.containers", 0) == "spec.containers[0]");
  CHECK(indexPath("", 3) == "[3]");
}

}  // namespace
}  // namespace tug::api
