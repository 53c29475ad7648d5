#include "apiserver/request_body.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "captured_bodies.h"

using nlohmann::json;
using tug::Code;
using tug::apiserver::BodyKind;
using tug::apiserver::requestBodyToJson;

namespace {

const BodyKind kConfigMap{"v1", "ConfigMap", true};

json convert(std::string_view type, std::string_view body, const BodyKind& kind = kConfigMap) {
  auto r = requestBodyToJson(type, body, kind);
  INFO(r.status().message());
  REQUIRE(r.ok());
  return json::parse(*r);
}

}  // namespace

TEST_CASE("JSON bodies pass through untouched", "[body]") {
  const std::string body = R"({"kind":"ConfigMap" , "data":{}})";
  for (const char* type : {"", "application/json", "application/json; charset=utf-8",
                           "Application/JSON", "application/merge-patch+json"}) {
    auto r = requestBodyToJson(type, body, kConfigMap);
    REQUIRE(r.ok());
    CHECK(*r == body);
  }
}

TEST_CASE("YAML bodies become JSON", "[body]") {
  json j = convert("application/yaml",
                   "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  on: yes\n");
  CHECK(j == json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cfg"},
    "data":{"true":true}})"));
  auto bad = requestBodyToJson("application/yaml", "a: [1\n", kConfigMap);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == Code::kBadRequest);
  CHECK(bad.status().message().rfind(
            "the object provided is unrecognized (must be of type ConfigMap): error converting "
            "YAML to JSON: yaml: line ",
            0) == 0);
}

TEST_CASE("protobuf bodies become JSON for built-in kinds only", "[body]") {
  json j = convert("application/vnd.kubernetes.protobuf", captured::kConfigMap);
  CHECK(j == json::parse(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm1"},
    "data":{"a":"b"}})"));
  auto truncated = requestBodyToJson("application/vnd.kubernetes.protobuf",
                                     captured::kConfigMap.substr(0, 30), kConfigMap);
  REQUIRE_FALSE(truncated.ok());
  CHECK(truncated.status().code() == Code::kBadRequest);

  auto custom = requestBodyToJson("application/vnd.kubernetes.protobuf", captured::kConfigMap,
                                  BodyKind{"example.com/v1", "Widget", false});
  REQUIRE_FALSE(custom.ok());
  CHECK(custom.status().code() == Code::kUnsupported);
  CHECK(custom.status().message() ==
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json, application/yaml");
}

TEST_CASE("other media types are Unsupported with upstream's message", "[body]") {
  for (const char* type : {"text/plain", "application/xml", "application/cbor", "*/*"}) {
    auto r = requestBodyToJson(type, "x", kConfigMap);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kUnsupported);
    CHECK(r.status().message() ==
          "the body of the request was in an unknown format - accepted media types include: "
          "application/json, application/yaml, application/vnd.kubernetes.protobuf");
  }
}

TEST_CASE("strings that are not UTF-8 are written as U+FFFD", "[body]") {
  json j = convert("application/yaml", "a: \"\\xff\"\n");
  CHECK(j["a"].is_string());
}
