#include "api/validation/schema_validation.h"

#include <set>

#include <catch2/catch.hpp>

using nlohmann::json;
using namespace tug::api::validation;

namespace {

const json kSchema = json::parse(R"({
  "type": "object",
  "description": "a widget",
  "properties": {
    "spec": {
      "type": "object",
      "required": ["size"],
      "properties": {
        "size": {"type": "string", "enum": ["small", "large"]},
        "color": {"type": "string", "default": "blue", "pattern": "^[a-z]+$", "maxLength": 5},
        "count": {"type": "integer", "minimum": 1, "maximum": 10, "default": 1},
        "ratio": {"type": "number", "exclusiveMaximum": true, "maximum": 1},
        "port": {"x-kubernetes-int-or-string": true},
        "ip": {"type": "string", "format": "ipv4"},
        "tags": {"type": "array", "x-kubernetes-list-type": "set", "maxItems": 3,
                 "items": {"type": "string", "minLength": 2}},
        "rules": {"type": "array", "x-kubernetes-list-type": "map",
                  "x-kubernetes-list-map-keys": ["name"],
                  "items": {"type": "object", "properties": {
                     "name": {"type": "string"},
                     "mode": {"type": "string", "default": "auto"}}}},
        "labels": {"type": "object", "maxProperties": 2,
                   "additionalProperties": {"type": "string", "maxLength": 3}},
        "nullable": {"type": "string", "nullable": true},
        "address": {"type": "object",
                    "oneOf": [{"required": ["ip"]}, {"required": ["host"]}],
                    "properties": {"ip": {"type": "string"}, "host": {"type": "string"}}},
        "description": {"type": "string", "description": "a field called description"}
      }
    }
  }
})");

std::set<std::pair<std::string, ErrorType>> fieldsOf(const ErrorList& errs) {
  std::set<std::pair<std::string, ErrorType>> out;
  for (const auto& e : errs) {
    out.insert({e.field, e.type});
  }
  return out;
}

}  // namespace

TEST_CASE("a valid custom resource passes", "[crd]") {
  json obj = {{"apiVersion", "example.com/v1"}, {"kind", "Widget"},
              {"metadata", {{"name", "w"}}},
              {"spec", {{"size", "small"}, {"port", "http"}, {"ip", "10.0.0.1"},
                        {"tags", {"ab", "cd"}}, {"nullable", nullptr},
                        {"address", {{"host", "h"}}}}}};
  CHECK(validateAgainstSchema(kSchema, obj).empty());
}

TEST_CASE("value validation reports upstream's field errors", "[crd]") {
  json obj = {{"spec",
               {{"size", "medium"},
                {"color", "Red!!!"},
                {"count", 0},
                {"ratio", 1},
                {"port", true},
                {"ip", "300.1.1.1"},
                {"tags", {"ab", "ab", "c", "dd"}},
                {"rules", {{{"name", "a"}}, {{"name", "a"}}}},
                {"labels", {{"a", "1"}, {"b", "2222"}, {"c", "3"}}},
                {"address", {{"ip", "x"}, {"host", "y"}}}}}};
  ErrorList errs = validateAgainstSchema(kSchema, obj);
  auto got = fieldsOf(errs);
  CHECK(got.count({"spec.size", ErrorType::kNotSupported}));
  CHECK(got.count({"spec.color", ErrorType::kInvalid}));  // pattern
  CHECK(got.count({"spec.color", ErrorType::kTooLong}));
  CHECK(got.count({"spec.count", ErrorType::kInvalid}));
  CHECK(got.count({"spec.ratio", ErrorType::kInvalid}));
  CHECK(got.count({"spec.port", ErrorType::kInvalid}));
  CHECK(got.count({"spec.ip", ErrorType::kInvalid}));
  CHECK(got.count({"spec.tags", ErrorType::kTooMany}));
  CHECK(got.count({"spec.tags[1]", ErrorType::kDuplicate}));
  CHECK(got.count({"spec.tags[2]", ErrorType::kInvalid}));  // minLength
  CHECK(got.count({"spec.rules[1]", ErrorType::kDuplicate}));
  CHECK(got.count({"spec.labels", ErrorType::kTooMany}));
  CHECK(got.count({"spec.labels[b]", ErrorType::kTooLong}));
  CHECK(got.count({"spec.address", ErrorType::kInvalid}));  // both oneOf branches match
  std::string text = aggregate(errs);
  CHECK_THAT(text, Catch::Contains("spec.count in body should be greater than or equal to 1"));
  CHECK_THAT(text, Catch::Contains("spec.ratio in body should be less than 1"));
  CHECK_THAT(text, Catch::Contains("spec.color in body should match '^[a-z]+$'"));
  CHECK_THAT(text, Catch::Contains("spec.ip in body must be of type ipv4: \"300.1.1.1\""));
  CHECK_THAT(text, Catch::Contains(
                       "spec.address in body must validate one and only one schema (oneOf)"));
}

TEST_CASE("required fields and wrong types", "[crd]") {
  ErrorList errs = validateAgainstSchema(kSchema, json{{"spec", {{"count", "x"}}}});
  auto got = fieldsOf(errs);
  CHECK(got.count({"spec.size", ErrorType::kRequired}));
  REQUIRE(got.count({"spec.count", ErrorType::kInvalid}));
  CHECK_THAT(aggregate(errs),
             Catch::Contains("spec.count in body must be of type integer: \"string\""));
  errs = validateAgainstSchema(kSchema, json{{"spec", "text"}});
  REQUIRE(errs.size() == 1);
  CHECK(errs[0].detail == "spec in body must be of type object: \"string\"");
}

TEST_CASE("defaults fill missing fields, list items and nulls", "[crd]") {
  json obj = {{"metadata", {{"name", "w"}}},
              {"spec", {{"size", "small"}, {"count", nullptr}, {"nullable", nullptr},
                        {"ip", nullptr}, {"rules", {{{"name", "a"}}}}}}};
  applySchemaDefaults(kSchema, obj);
  CHECK(obj["spec"]["color"] == "blue");
  CHECK(obj["spec"]["count"] == 1);             // a null with a default becomes the default
  CHECK(obj["spec"]["nullable"].is_null());     // nullable keeps its null
  CHECK_FALSE(obj["spec"].contains("ip"));      // a null the schema does not allow is dropped
  CHECK(obj["spec"]["rules"][0]["mode"] == "auto");
  CHECK(obj["metadata"] == json{{"name", "w"}});  // metadata is not the schema's
}

TEST_CASE("descriptions are dropped but fields named description stay", "[crd]") {
  json s = withoutDescriptions(kSchema);
  CHECK_FALSE(s.contains("description"));
  REQUIRE(s["properties"]["spec"]["properties"].contains("description"));
  CHECK_FALSE(s["properties"]["spec"]["properties"]["description"].contains("description"));
  CHECK(s["properties"]["spec"]["properties"]["color"]["default"] == "blue");
}
