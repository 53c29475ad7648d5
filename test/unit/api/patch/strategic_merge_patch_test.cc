#include "api/patch/strategic_merge_patch.h"

#include <catch2/catch.hpp>

#include "api/patch/patch_schema.h"
#include "api/resource_registry.h"
#include "test_types.h"

using nlohmann::json;
using tug::Code;
using tug::api::applyStrategicMergePatch;
using tug::api::testing::TestTypes;

namespace {

const TestTypes kTypes;

json smp(const json& original, const char* patch, const tug::api::TypeNode* type = kTypes.pod) {
  auto r = applyStrategicMergePatch(original, json::parse(patch), type);
  INFO(r.status().message());
  REQUIRE(r.ok());
  return *r;
}

tug::Status smpError(const json& original, const char* patch,
                     const tug::api::TypeNode* type = kTypes.pod) {
  auto r = applyStrategicMergePatch(original, json::parse(patch), type);
  REQUIRE_FALSE(r.ok());
  return r.status();
}

const json kPod = json::parse(R"({
  "metadata": {"name": "p", "labels": {"app": "web", "tier": "fe"}, "finalizers": ["a", "b"]},
  "spec": {
    "containers": [
      {"name": "c1", "image": "one:1", "args": ["x", "y"],
       "ports": [{"containerPort": 80, "protocol": "TCP"}, {"containerPort": 443}]},
      {"name": "c2", "image": "two:1"}
    ],
    "tolerations": [{"key": "k1"}, {"key": "k2"}],
    "nodeSelector": {"disk": "ssd"}
  }
})");

}  // namespace

TEST_CASE("strategic merge patch merges containers by name and keeps the rest", "[smp]") {
  json out = smp(kPod, R"({"spec":{"containers":[{"name":"c2","image":"two:2"}]}})");
  REQUIRE(out["spec"]["containers"].size() == 2);
  CHECK(out["spec"]["containers"][0] == kPod["spec"]["containers"][0]);
  CHECK(out["spec"]["containers"][1] == json::parse(R"({"name":"c2","image":"two:2"})"));
  CHECK(out["metadata"] == kPod["metadata"]);
}

TEST_CASE("strategic merge patch merges nested lists by their own keys", "[smp]") {
  json out = smp(kPod, R"({"spec":{"containers":[{"name":"c1",
                            "ports":[{"containerPort":80,"protocol":"UDP"},{"containerPort":8080}]}]}})");
  json ports = out["spec"]["containers"][0]["ports"];
  // Patch elements keep the patch's order; a live-only element follows the patch element the
  // live list had after it (upstream's interleaving).
  CHECK(ports == json::parse(R"([{"containerPort":80,"protocol":"UDP"},{"containerPort":8080},
                                 {"containerPort":443}])"));
  CHECK(out["spec"]["containers"][0]["image"] == "one:1");
}

TEST_CASE("lists without a merge strategy are replaced whole", "[smp]") {
  json out = smp(kPod, R"({"spec":{"tolerations":[{"key":"k3"}],
                                   "containers":[{"name":"c1","args":["z"]}]}})");
  CHECK(out["spec"]["tolerations"] == json::parse(R"([{"key":"k3"}])"));
  CHECK(out["spec"]["containers"][0]["args"] == json::parse(R"(["z"])"));
  CHECK(out["spec"]["containers"][0]["ports"] == kPod["spec"]["containers"][0]["ports"]);
}

TEST_CASE("maps merge and null deletes a key", "[smp]") {
  json out = smp(kPod, R"({"metadata":{"labels":{"tier":null,"v":"2"}},
                           "spec":{"nodeSelector":null}})");
  CHECK(out["metadata"]["labels"] == json::parse(R"({"app":"web","v":"2"})"));
  CHECK_FALSE(out["spec"].contains("nodeSelector"));
  // New members lose their nested nulls; absent members stay absent.
  out = smp(kPod, R"({"spec":{"replacedMap":{"a":"1","b":null}},"metadata":{"gone":null}})");
  CHECK(out["spec"]["replacedMap"] == json::parse(R"({"a":"1"})"));
  CHECK_FALSE(out["metadata"].contains("gone"));
}

TEST_CASE("a map with patch strategy replace is replaced whole", "[smp]") {
  json pod = kPod;
  pod["spec"]["replacedMap"] = {{"a", "1"}, {"b", "2"}};
  json out = smp(pod, R"({"spec":{"replacedMap":{"c":"3"}}})");
  CHECK(out["spec"]["replacedMap"] == json::parse(R"({"c":"3"})"));
}

TEST_CASE("merged primitive lists are sets: union, delete list and order", "[smp]") {
  json out = smp(kPod, R"({"metadata":{"finalizers":["c","a"]}})");
  CHECK(out["metadata"]["finalizers"] == json::parse(R"(["c","a","b"])"));
  out = smp(kPod, R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a","zz"]}})");
  CHECK(out["metadata"]["finalizers"] == json::parse(R"(["b"])"));
  out = smp(kPod, R"({"metadata":{"$setElementOrder/finalizers":["b","c","a"],
                                  "finalizers":["c"]}})");
  CHECK(out["metadata"]["finalizers"] == json::parse(R"(["b","c","a"])"));
  // What kubectl sends to remove one finalizer and keep the order of the others.
  out = smp(kPod, R"({"metadata":{"$setElementOrder/finalizers":["b"],
                                  "$deleteFromPrimitiveList/finalizers":["a"]}})");
  CHECK(out["metadata"]["finalizers"] == json::parse(R"(["b"])"));
  // A delete list for a field the object lacks changes nothing.
  out = smp(json::parse(R"({"metadata":{}})"),
            R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}})");
  CHECK(out == json::parse(R"({"metadata":{}})"));
}

TEST_CASE("$setElementOrder orders merged containers as kubectl asks", "[smp]") {
  json out = smp(kPod, R"({"spec":{"$setElementOrder/containers":[{"name":"c2"},{"name":"c0"},{"name":"c1"}],
                                   "containers":[{"name":"c0","image":"zero"}]}})");
  json names = json::array();
  for (const json& c : out["spec"]["containers"]) {
    names.push_back(c["name"]);
  }
  CHECK(names == json::parse(R"(["c2","c0","c1"])"));
  CHECK(out["spec"]["containers"][2]["ports"].size() == 2);
  // The directive alone reorders the live list.
  out = smp(kPod, R"({"spec":{"$setElementOrder/containers":[{"name":"c2"},{"name":"c1"}]}})");
  CHECK(out["spec"]["containers"][0]["name"] == "c2");
  CHECK_FALSE(out["spec"].contains("$setElementOrder/containers"));
}

TEST_CASE("kubectl set image and client-side apply patches", "[smp]") {
  json deployment = json::parse(R"({"metadata":{"name":"d","annotations":{"x":"1"}},
    "spec":{"replicas":1,"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%"}},
      "template":{"metadata":{"labels":{"app":"d"}},
        "spec":{"containers":[{"name":"c","image":"img:1","ports":[{"containerPort":80}]}]}}}})");
  json out = smp(deployment, R"({"spec":{"template":{"spec":{
      "$setElementOrder/containers":[{"name":"c"}],
      "containers":[{"image":"img:2","name":"c"}]}}}})", kTypes.deployment);
  json c = out["spec"]["template"]["spec"]["containers"];
  CHECK(c == json::parse(R"([{"name":"c","image":"img:2","ports":[{"containerPort":80}]}])"));

  out = smp(deployment, R"({"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}\n"}},
      "spec":{"replicas":3,"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"now"}}}}})",
            kTypes.deployment);
  CHECK(out["spec"]["replicas"] == 3);
  CHECK(out["metadata"]["annotations"].size() == 2);
  CHECK(out["spec"]["template"]["metadata"]["annotations"]["kubectl.kubernetes.io/restartedAt"] ==
        "now");
  CHECK(out["spec"]["template"]["metadata"]["labels"]["app"] == "d");
}

TEST_CASE("$retainKeys clears the fields it does not list", "[smp]") {
  json deployment = json::parse(R"({"spec":{"strategy":{"type":"RollingUpdate",
                                    "rollingUpdate":{"maxSurge":1}}}})");
  json out = smp(deployment, R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}})",
                 kTypes.deployment);
  CHECK(out["spec"]["strategy"] == json::parse(R"({"type":"Recreate"})"));

  // In a list element: a volume turns from emptyDir into hostPath.
  json pod = json::parse(R"({"spec":{"volumes":[{"name":"v","emptyDir":{}},{"name":"w","emptyDir":{}}]}})");
  out = smp(pod, R"({"spec":{"volumes":[{"name":"v","$retainKeys":["hostPath","name"],
                                         "hostPath":{"path":"/tmp"}}]}})");
  CHECK(out["spec"]["volumes"] == json::parse(R"([{"name":"v","hostPath":{"path":"/tmp"}},
                                                  {"name":"w","emptyDir":{}}])"));

  tug::Status s = smpError(deployment, R"({"spec":{"strategy":{"$retainKeys":["type"],
                                           "rollingUpdate":{"maxSurge":2}}}})", kTypes.deployment);
  CHECK(s.code() == Code::kBadRequest);
  CHECK(s.message() == "invalid patch format of retainKeys");
  CHECK(smpError(deployment, R"({"spec":{"strategy":{"$retainKeys":"type"}}})", kTypes.deployment)
            .message() == "invalid patch format of retainKeys");
}

TEST_CASE("fields the type graph does not know merge like a merge patch", "[smp]") {
  json obj = json::parse(R"({"a":{"b":1,"c":[1,2]},"l":[{"name":"x","v":1},{"name":"y"}]})");
  json out = smp(obj, R"({"a":{"b":null,"c":[3]},"l":[{"name":"x","v":2}]})", nullptr);
  CHECK(out == json::parse(R"({"a":{"c":[3]},"l":[{"name":"x","v":2}]})"));
  // Unknown members of a known type behave the same.
  out = smp(kPod, R"({"spec":{"extra":{"k":[1]}}})");
  CHECK(out["spec"]["extra"] == json::parse(R"({"k":[1]})"));
  // A "$setElementOrder" directive says how an unknown list merges: by the key it names ...
  out = smp(obj, R"({"$setElementOrder/l":[{"name":"x"},{"name":"y"}],"l":[{"name":"x","v":2}]})",
            nullptr);
  CHECK(out["l"] == json::parse(R"([{"name":"x","v":2},{"name":"y"}])"));
  // ... or as a set of primitives.
  out = smp(json::parse(R"({"f":["a","b"]})"), R"({"$setElementOrder/f":["a","b","c"],"f":["c"]})",
            nullptr);
  CHECK(out["f"] == json::parse(R"(["a","b","c"])"));
}

TEST_CASE("a member of another kind than the original's replaces it", "[smp]") {
  json out = smp(kPod, R"({"spec":{"nodeSelector":"oops","containers":{"name":"c"}}})");
  CHECK(out["spec"]["nodeSelector"] == "oops");
  CHECK(out["spec"]["containers"] == json::parse(R"({"name":"c"})"));
}

TEST_CASE("strategic merge patch refuses malformed patches with upstream's words", "[smp]") {
  tug::Status s = smpError(kPod, R"({"spec":{"containers":[{"image":"x"}]}})");
  CHECK(s.code() == Code::kBadRequest);
  CHECK(s.message() == "map: map[image:x] does not contain declared merge key: name");
  CHECK(smpError(kPod, R"({"spec":{"$setElementOrder/containers":{"name":"c1"}}})").message() ==
        "expected a []interface {}, but received a map[string]interface {}");
  CHECK(smpError(kPod, R"({"spec":{"$setElementOrderX":[]}})").message() ==
        "invalid patch format of setElementOrder list");
  CHECK(smpError(kPod, R"({"metadata":{"$deleteFromPrimitiveList":["a"]}})").message() ==
        "invalid patch format of primitive list");
  CHECK(smpError(kPod, R"({"spec":{"$setElementOrder/containers":[{"name":"c1"}],
                                   "containers":[{"name":"c2"},{"name":"c1"}]}})")
            .message()
            .find("The order in patch list:") == 0);
  s = smpError(json::parse(R"({"spec":{"matrix":[["a"]]}})"), R"({"spec":{"matrix":[["b"]]}})");
  CHECK(s.code() == Code::kInvalid);
  CHECK(s.message() == "lists of lists are not supported");
  CHECK(smpError(kPod, R"({"spec":{"containers":[{"name":"c9"},"x"]}})").message().find(
            "list element types are not identical") == 0);
  CHECK(smpError(kPod, "[1]").message() ==
        "json: cannot unmarshal array into Go value of type map[string]interface {}");
}

TEST_CASE("the built-in Pod type merges containers and finalizers, replaces tolerations",
          "[smp]") {
  const tug::api::TypeNode* pod = tug::api::strategicPatchSchema(
      *tug::api::ResourceRegistry::builtin().find("", "v1", "pods"));
  REQUIRE(pod != nullptr);
  json out = smp(kPod, R"({"metadata":{"finalizers":["c"]},
                           "spec":{"containers":[{"name":"c2","image":"two:2"}],
                                   "tolerations":[{"key":"k3"}]}})", pod);
  REQUIRE(out["spec"]["containers"].size() == 2);
  CHECK(out["spec"]["containers"][0] == kPod["spec"]["containers"][0]);
  CHECK(out["spec"]["containers"][1]["image"] == "two:2");
  CHECK(out["metadata"]["finalizers"] == json::parse(R"(["c","a","b"])"));
  CHECK(out["spec"]["tolerations"] == json::parse(R"([{"key":"k3"}])"));
}
