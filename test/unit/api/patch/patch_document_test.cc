#include <catch2/catch.hpp>

#include "api/patch/go_format.h"
#include "api/patch/json_pointer.h"
#include "api/patch/patch.h"
#include "api/patch/patch_document.h"

using nlohmann::json;
using tug::Code;
using tug::api::PatchType;
using tug::api::patchTypeFromContentType;

TEST_CASE("the Content-Type names the patch type", "[patch]") {
  CHECK(patchTypeFromContentType("application/json-patch+json") == PatchType::kJsonPatch);
  CHECK(patchTypeFromContentType("application/merge-patch+json; charset=utf-8") ==
        PatchType::kMergePatch);
  CHECK(patchTypeFromContentType("application/strategic-merge-patch+json") ==
        PatchType::kStrategicMergePatch);
  CHECK(patchTypeFromContentType("application/apply-patch+yaml") == PatchType::kApplyPatch);
  CHECK(patchTypeFromContentType("Application/Merge-Patch+JSON") == PatchType::kMergePatch);
  CHECK_FALSE(patchTypeFromContentType("application/json").has_value());
  CHECK_FALSE(patchTypeFromContentType("").has_value());
  CHECK_FALSE(patchTypeFromContentType("application/merge-patch+jsonx").has_value());
}

TEST_CASE("patch bodies must be JSON", "[patch]") {
  for (const char* body : {"", "{", "{\"a\":}", "nul", "[1,]"}) {
    auto r = tug::api::parsePatchDocument(body);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kBadRequest);
    CHECK(r.status().message() == "invalid JSON patch");
  }
  CHECK(*tug::api::parsePatchDocument(" {\"a\": [1]} ") == json::parse(R"({"a":[1]})"));
}

TEST_CASE("each patch type checks the shape of its body", "[patch]") {
  json obj = json::parse(R"({"a":1})");
  auto merge = [&](const char* body) {
    return tug::api::applyPatch(PatchType::kMergePatch, obj, body, nullptr);
  };
  CHECK(merge("null").status().message() == "Invalid JSON Patch");
  CHECK(merge("3").status().code() == Code::kBadRequest);
  CHECK(merge("[1]").status().code() == Code::kInvalid);
  CHECK(*merge(R"({"b":2})") == json::parse(R"({"a":1,"b":2})"));
  auto smp = [&](const char* body) {
    return tug::api::applyPatch(PatchType::kStrategicMergePatch, obj, body, nullptr);
  };
  CHECK(*smp("null") == obj);
  CHECK(smp("\"x\"").status().code() == Code::kBadRequest);
  auto jp = tug::api::applyPatch(PatchType::kJsonPatch, obj,
                                 R"([{"op":"replace","path":"/a","value":2}])", nullptr);
  CHECK(*jp == json::parse(R"({"a":2})"));
}

TEST_CASE("nesting depth is measured without recursion", "[patch]") {
  CHECK(tug::api::nestingDepth(json(1)) == 0);
  CHECK(tug::api::nestingDepth(json::parse("[]")) == 1);
  CHECK(tug::api::nestingDepth(json::parse(R"({"a":[{"b":{}}],"c":1})")) == 4);
  CHECK(tug::api::textNestingDepth("[[[]]]") == 3);
  CHECK(tug::api::textNestingDepth("[[[[[[", 3) == 4);  // stops counting past the limit
}

TEST_CASE("JSON pointers unescape ~0 and ~1 and must start with a slash", "[patch]") {
  CHECK(tug::api::parseJsonPointer("")->empty());
  CHECK(*tug::api::parseJsonPointer("/") == std::vector<std::string>{""});
  CHECK(*tug::api::parseJsonPointer("/a~1b/c~0d/~2") ==
        std::vector<std::string>{"a/b", "c~d", "~2"});
  CHECK(*tug::api::parseJsonPointer("/a//b") == std::vector<std::string>{"a", "", "b"});
  CHECK_FALSE(tug::api::parseJsonPointer("a/b").has_value());
}

TEST_CASE("values print as Go prints decoded JSON", "[patch]") {
  CHECK(tug::api::goValue(json::parse(R"({"b":[1,"x",null],"a":true,"c":{}})")) ==
        "map[a:true b:[1 x <nil>] c:map[]]");
  CHECK(tug::api::goValue(json(2.5)) == "2.5");
  CHECK(tug::api::goValue(json(3.0)) == "3");
  CHECK(tug::api::goTypeName(json::array()) == "[]interface {}");
  CHECK(tug::api::goTypeName(json("s")) == "string");
}
