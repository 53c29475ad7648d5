#include "api/schema/strict_decoding.h"

#include <catch2/catch.hpp>

#include "api/schema/type_graph.h"
#include "common/go_quote.h"

namespace tug::api {
namespace {

using Messages = std::vector<std::string>;

// The body upstream's field validation tests post, with its expected strict errors.
constexpr const char* kInvalidDeployment = R"({
  "apiVersion": "apps/v1",
  "kind": "Deployment",
  "metadata": {
    "name": "dupename",
    "name": "web",
    "labels": {"app": "nginx"},
    "unknownMeta": "metaVal"
  },
  "spec": {
    "unknown1": "val1",
    "unknownDupe": "valDupe",
    "unknownDupe": "valDupe2",
    "paused": true,
    "paused": false,
    "selector": {"matchLabels": {"app": "nginx"}},
    "template": {
      "metadata": {"labels": {"app": "nginx"}},
      "spec": {
        "containers": [{
          "name": "nginx",
          "image": "nginx:latest",
          "unknownNested": "val1",
          "imagePullPolicy": "Always",
          "imagePullPolicy": "Never"
        }]
      }
    }
  }
})";

TEST_CASE("strict decoding of a built-in kind matches upstream's errors", "[schema][strict]") {
  const TypeNode* d = builtinType("apps", "v1", "Deployment");
  REQUIRE(d != nullptr);
  CHECK(strictDecodingErrors(*d, kInvalidDeployment) ==
        Messages{R"(duplicate field "metadata.name")",
                 R"(unknown field "metadata.unknownMeta")",
                 R"(unknown field "spec.unknown1")",
                 R"(unknown field "spec.unknownDupe")",
                 R"(duplicate field "spec.paused")",
                 R"(unknown field "spec.template.spec.containers[0].unknownNested")",
                 R"(duplicate field "spec.template.spec.containers[0].imagePullPolicy")"});
}

TEST_CASE("strict decoding of clean and odd bodies", "[schema][strict]") {
  const TypeNode* cm = builtinType("", "v1", "ConfigMap");
  REQUIRE(cm != nullptr);
  CHECK(strictDecodingErrors(*cm, R"({"kind":"ConfigMap","data":{"a":"1","b":"2"}})").empty());
  // Map keys repeat too; an unknown field's insides are not looked at.
  CHECK(strictDecodingErrors(*cm, R"({"data":{"a":"1","a":"2"},"x":{"y":1,"y":2}})") ==
        Messages{R"(duplicate field "data.a")", R"(unknown field "x")"});
  // Not JSON: what was found before the error, and no crash.
  CHECK(strictDecodingErrors(*cm, R"({"x":1,"data":)") == Messages{R"(unknown field "x")"});
  CHECK(strictDecodingErrors(*cm, "").empty());
  CHECK(strictDecodingErrors(*cm, "[1,2,{\"a\":1}]").empty());
  // Values of the wrong shape are left to validation; below them only duplicates count.
  CHECK(strictDecodingErrors(*cm, R"({"data":"not a map","metadata":[{"a":1,"a":1}]})") ==
        Messages{R"(duplicate field "metadata[0].a")"});
  // Names that need quoting are quoted as Go quotes them.
  CHECK(strictDecodingErrors(*cm, R"({"we\"ird\\":1})") ==
        Messages{R"(unknown field "we\"ird\\")"});
}

TEST_CASE("strict decoding stops at 100 problems and says each once", "[schema][strict]") {
  const TypeNode* cm = builtinType("", "v1", "ConfigMap");
  std::string body = "{";
  for (int i = 0; i < 150; ++i) {
    body += "\"f" + std::to_string(i) + "\":1,\"f" + std::to_string(i) + "\":1,";
  }
  body += "\"kind\":\"ConfigMap\"}";
  auto errors = strictDecodingErrors(*cm, body);
  CHECK(errors.size() == 100);
  CHECK(errors[0] == R"(unknown field "f0")");
  CHECK(errors[1] == R"(unknown field "f1")");
}

TEST_CASE("duplicate fields anywhere in untyped JSON", "[schema][strict]") {
  CHECK(duplicateFields(R"({"spec":{"replicas":1,"replicas":2}})") ==
        Messages{"spec.replicas"});
  CHECK(duplicateFields(R"({"a":1,"a":2,"a":3,"b":[{"c":1},{"c":1,"c":2}]})") ==
        Messages{"a", "b[1].c"});
  CHECK(duplicateFields(R"({"a":{"x":1},"b":{"x":1}})").empty());
  CHECK(duplicateFields("not json").empty());
  CHECK(duplicateFields("[[{\"k\":1,\"k\":1}]]") == Messages{"[0][0].k"});
}

TEST_CASE("strict decoding follows a CRD graph", "[schema][strict][crd]") {
  auto graph = buildTypeGraph(nlohmann::json::parse(R"({"type":"object","properties":{
      "spec":{"type":"object","properties":{"known":{"type":"string"},
        "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}})"));
  REQUIRE(graph.ok());
  CHECK(strictDecodingErrors(*(*graph)->root(),
                             R"({"metadata":{"name":"a","zz":1},"spec":{"known":"a","known":"b",
                                 "free":{"q":1,"q":2},"other":1}})") ==
        Messages{R"(unknown field "metadata.zz")", R"(duplicate field "spec.known")",
                 R"(duplicate field "spec.free.q")", R"(unknown field "spec.other")"});
}

// One reading of the text gives the object json::parse gives and the problems the walk finds.
TEST_CASE("decoding strictly parses and checks in one reading", "[schema][strict]") {
  const TypeNode* cm = builtinType("", "v1", "ConfigMap");
  const TypeNode* d = builtinType("apps", "v1", "Deployment");
  REQUIRE(cm != nullptr);
  REQUIRE(d != nullptr);
  std::string many = "{";
  for (int i = 0; i < 150; ++i) {
    many += "\"f" + std::to_string(i) + "\":1,\"f" + std::to_string(i) + "\":[1,{\"a\":2}],";
  }
  many += "\"kind\":\"ConfigMap\"}";
  struct Case {
    const TypeNode* type;
    std::string text;
  };
  std::vector<Case> cases = {
      {d, kInvalidDeployment},
      {cm, R"({"kind":"ConfigMap","data":{"a":"1","b":"2"}})"},
      {cm, R"({"data":{"a":"1","a":"2"},"x":{"y":1,"y":2}})"},
      {cm, R"({"data":"not a map","metadata":[{"a":1,"a":1}]})"},
      {cm, R"({"we\"ird\\":1, "binaryData":{"k":"AAAA"}, "immutable":true, "n":null})"},
      {cm, R"({"metadata":{"labels":{"a":"1"},"labels":{"b":"2"}},"data":{"x":"1"}})"},
      {d, R"({"spec":{"template":{"spec":{"containers":[{"name":"a","ports":[{"containerPort":1,
              "containerPort":2}]},{"name":"b","bogus":[[{"q":1,"q":1}]]}]}}},"status":{"x":1.5}})"},
      {cm, "[1,2,{\"a\":1,\"a\":2}]"},
      {cm, "\"just a string\""},
      {cm, many},
      {cm, R"({"x":1,"data":)"},
      {cm, ""},
      {cm, R"({"data":{}} trailing)"},
      {cm, R"({"a":tru})"},
  };
  for (const Case& c : cases) {
    INFO(c.text);
    StrictDecoding decoded = decodeStrictly(*c.type, c.text);
    CHECK(decoded.problems == strictDecodingErrors(*c.type, c.text));
    try {
      nlohmann::json parsed = nlohmann::json::parse(c.text);
      CHECK(decoded.parseError.empty());
      CHECK(decoded.object == parsed);
    } catch (const nlohmann::json::parse_error& e) {
      CHECK(decoded.parseError == e.what());
    }
  }
}

TEST_CASE("Go quoting", "[schema][strict]") {
  CHECK(goQuote("spec.foo") == "\"spec.foo\"");
  CHECK(goQuote("a\"b\\c\n") == "\"a\\\"b\\\\c\\n\"");
  CHECK(goQuote(std::string("\x01", 1)) == "\"\\x01\"");
}

}  // namespace
}  // namespace tug::api
