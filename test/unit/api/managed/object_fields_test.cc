#include <catch2/catch.hpp>

#include "api/managed/object_fields.h"
#include "test/unit/api/managed/test_types.h"

namespace tug::api::managed {
namespace {

using nlohmann::json;

json deploymentConfig() {
  return json::parse(R"({
    "apiVersion":"apps/v1","kind":"Deployment",
    "metadata":{"name":"web","labels":{"app":"web"}},
    "spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},
      "template":{"metadata":{"labels":{"app":"web"}},
        "spec":{"containers":[{"name":"c","image":"nginx","args":["a","b"],
                               "ports":[{"containerPort":80}]}]}}}})");
}

// A declared field holding a non-empty object (labels) is not owned itself, only its entries;
// list elements are.
TEST_CASE("the fields of a Deployment configuration, by its type", "[managed]") {
  testing::Types types;
  FieldSet s = fieldsOf(deploymentConfig(), types.deployment());
  json expected = json::parse(R"({
    "f:apiVersion":{},"f:kind":{},
    "f:metadata":{"f:name":{},"f:labels":{"f:app":{}}},
    "f:spec":{"f:replicas":{},"f:selector":{},
      "f:template":{"f:metadata":{"f:labels":{"f:app":{}}},
        "f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:name":{},"f:image":{},"f:args":{},
          "f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}}}}}})");
  CHECK(s.toFieldsV1() == expected);
}

TEST_CASE("untyped objects own every entry and keep lists whole", "[managed]") {
  json obj = json::parse(R"({"spec":{"a":{"b":1},"list":[{"x":1}],"empty":{},"nothing":null}})");
  FieldSet s = fieldsOf(obj, nullptr);
  json expected = json::parse(R"({"f:spec":{".":{},"f:a":{".":{},"f:b":{}},"f:list":{},
                                   "f:empty":{},"f:nothing":{}}})");
  CHECK(s.toFieldsV1() == expected);
}

TEST_CASE("set lists own each value; duplicated map-list elements are owned whole", "[managed]") {
  testing::Types t;
  const TypeNode* str = t.scalar();
  const TypeNode* item = t.object({{"name", str}, {"value", str}});
  const TypeNode* root = t.object({{"finalizers", t.list(str, ListType::kSet)},
                                   {"env", t.list(item, ListType::kMap, {"name"})}});
  json obj = json::parse(R"({"finalizers":["a","b"],
                              "env":[{"name":"x","value":"1"},{"name":"x","value":"2"}]})");
  json expected = json::parse(R"({"f:finalizers":{"v:\"a\"":{},"v:\"b\"":{}},
                                   "f:env":{"k:{\"name\":\"x\"}":{}}})");
  CHECK(fieldsOf(obj, root).toFieldsV1() == expected);
}

TEST_CASE("comparison tells added, modified and removed fields apart", "[managed]") {
  testing::Types types;
  const TypeNode* type = types.deployment();
  json before = deploymentConfig();
  json after = before;
  after["spec"]["replicas"] = 3;
  after["metadata"]["labels"]["tier"] = "front";
  after["spec"]["template"]["spec"]["containers"][0].erase("args");
  after["spec"]["template"]["spec"]["containers"].push_back({{"name", "d"}, {"image", "busybox"}});
  Comparison cmp = compareObjects(before, after, type);
  CHECK(cmp.modified.toFieldsV1() == json::parse(R"({"f:spec":{"f:replicas":{}}})"));
  CHECK(cmp.removed.toFieldsV1() ==
        json::parse(R"({"f:spec":{"f:template":{"f:spec":{"f:containers":
                       {"k:{\"name\":\"c\"}":{"f:args":{}}}}}}})"));
  CHECK(cmp.added.toFieldsV1() ==
        json::parse(R"({"f:metadata":{"f:labels":{"f:tier":{}}},
                        "f:spec":{"f:template":{"f:spec":{"f:containers":
                        {"k:{\"name\":\"d\"}":{".":{},"f:name":{},"f:image":{}}}}}}})"));
}

// The one-walk FieldsV1 of a created object must be what the comparison records.
TEST_CASE("added FieldsV1 equals a comparison from nothing", "[managed]") {
  testing::Types t;
  const TypeNode* str = t.scalar();
  const TypeNode* item = t.object({{"name", str}, {"value", str}});
  const TypeNode* root = t.object({{"finalizers", t.list(str, ListType::kSet)},
                                   {"env", t.list(item, ListType::kMap, {"name"})},
                                   {"spec", t.object({{"inner", t.object({{"a", str}})}})}});
  struct Case {
    json obj;
    const TypeNode* type;
  };
  json withEmpties = deploymentConfig();
  withEmpties["metadata"]["annotations"] = json::object();
  withEmpties["spec"]["template"]["spec"]["volumes"] = json::array();
  withEmpties["spec"]["paused"] = nullptr;
  withEmpties["spec"]["template"]["spec"]["containers"].push_back(
      {{"name", "c"}, {"image", "second with the same key"}});
  withEmpties["spec"]["template"]["spec"]["containers"].push_back(json::object());
  withEmpties["status"] = {{"replicas", 1}, {"conditions", {{{"type", "Available"}}}}};
  std::vector<Case> cases = {
      {deploymentConfig(), t.deployment()},
      {withEmpties, t.deployment()},
      {deploymentConfig(), nullptr},
      {json::parse(R"({"finalizers":["a","b","a"],"env":[{"name":"x","value":"1"},
                        {"name":"x","value":"2"},{"name":"y"}],"spec":{"inner":{},"x":{"y":[1]}},
                        "extra":{"deep":{"er":null}}})"),
       root},
      {json::object(), t.deployment()},
      {json::parse(R"({"spec":{}})"), root},
      {json::array({1, 2}), root},
      {json(3), nullptr},
  };
  for (const Case& c : cases) {
    INFO(c.obj.dump());
    CHECK(addedFieldsV1(c.obj, c.type) ==
          compareObjects(json::object(), c.obj, c.type).added.toFieldsV1());
  }
}

// Skipping metadata.managedFields must compare as copies without them would.
TEST_CASE("comparing without managedFields equals comparing copies without them", "[managed]") {
  testing::Types types;
  json owned = json::parse(R"([{"manager":"m","operation":"Update","fieldsType":"FieldsV1",
                                "fieldsV1":{"f:spec":{}}}])");
  json a = deploymentConfig();
  a["metadata"]["managedFields"] = owned;
  json b = a;
  b["spec"]["replicas"] = 5;
  b["metadata"]["managedFields"] = json::array();
  json onlyManaged = {{"metadata", {{"managedFields", owned}}}, {"spec", {{"replicas", 1}}}};
  json noMetadata = {{"spec", {{"replicas", 1}}}};
  json otherManaged = onlyManaged;
  otherManaged["metadata"]["managedFields"] = json::array();
  auto strip = [](json obj) {
    if (obj.contains("metadata")) {
      obj["metadata"].erase("managedFields");
    }
    return obj;
  };
  for (const TypeNode* type : {types.deployment(), static_cast<const TypeNode*>(nullptr)}) {
    for (const auto& [before, after] : std::vector<std::pair<json, json>>{
             {a, b}, {b, a}, {a, a}, {onlyManaged, noMetadata}, {noMetadata, onlyManaged},
             {onlyManaged, otherManaged}, {json::object(), a}}) {
      INFO(before.dump() << " -> " << after.dump());
      Comparison skipped = compareObjects(before, after, type, {.withoutManagedFields = true});
      Comparison copied = compareObjects(strip(before), strip(after), type);
      CHECK(skipped.added == copied.added);
      CHECK(skipped.modified == copied.modified);
      CHECK(skipped.removed == copied.removed);
    }
  }
}

// A comparison of one top-level member, or of all but one, finds what the whole comparison
// finds there.
TEST_CASE("a scoped comparison equals the whole one restricted to its scope", "[managed]") {
  testing::Types types;
  json before = deploymentConfig();
  before["status"] = {{"replicas", 1}, {"conditions", {{{"type", "Available"}}}}};
  json after = before;
  after["spec"]["replicas"] = 4;
  after["metadata"]["labels"]["tier"] = "x";
  after["status"]["replicas"] = 4;
  after["status"]["conditions"].push_back({{"type", "Progressing"}});
  json noStatus = after;
  noStatus.erase("status");
  FieldSet status;
  status.insert({fieldElement("status")});
  for (const auto& [b, a] : std::vector<std::pair<json, json>>{
           {before, after}, {after, before}, {noStatus, after}, {after, noStatus}}) {
    for (const TypeNode* type : {types.deployment(), static_cast<const TypeNode*>(nullptr)}) {
      INFO(b.dump() << " -> " << a.dump());
      Comparison whole = compareObjects(b, a, type);
      Comparison only = compareObjects(b, a, type, {.onlyMember = "status"});
      Comparison except = compareObjects(b, a, type, {.exceptMember = "status"});
      CHECK(only.added == whole.added.restrictedTo({fieldElement("status")}));
      CHECK(only.modified == whole.modified.restrictedTo({fieldElement("status")}));
      CHECK(only.removed == whole.removed.restrictedTo({fieldElement("status")}));
      CHECK(except.added == whole.added.recursiveDifference(status));
      CHECK(except.modified == whole.modified.recursiveDifference(status));
      CHECK(except.removed == whole.removed.recursiveDifference(status));
      CHECK_FALSE((only.added.empty() && only.modified.empty() && only.removed.empty()));
    }
  }
}

TEST_CASE("a created object's structs are not owned as a whole, its maps are", "[managed]") {
  testing::Types types;
  Comparison cmp = compareObjects(json::object(), deploymentConfig(), types.deployment());
  json added = cmp.added.toFieldsV1();
  CHECK(added["f:metadata"]["f:labels"].contains("."));
  CHECK_FALSE(added["f:spec"].contains("."));
  CHECK_FALSE(added["f:spec"]["f:template"].contains("."));
  CHECK(cmp.modified.empty());
  CHECK(cmp.removed.empty());
}

TEST_CASE("equal objects compare equal; a changed type is a modification", "[managed]") {
  testing::Types types;
  CHECK(compareObjects(deploymentConfig(), deploymentConfig(), types.deployment())
            .added.empty());
  json a = {{"spec", {{"x", json::array({1})}}}};
  json b = {{"spec", {{"x", "text"}}}};
  Comparison cmp = compareObjects(a, b, nullptr);
  CHECK(cmp.modified.contains({"f:spec", "f:x"}));
}

}  // namespace
}  // namespace tug::api::managed
