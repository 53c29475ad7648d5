#include "api/patch/json_patch.h"

#include <catch2/catch.hpp>

#include "api/patch/patch_document.h"

using nlohmann::json;
using tug::Code;
using tug::api::applyJsonPatch;

namespace {

json patched(const json& doc, const char* ops) { return *applyJsonPatch(doc, json::parse(ops)); }

tug::Status failure(const json& doc, const char* ops) {
  auto r = applyJsonPatch(doc, json::parse(ops));
  REQUIRE_FALSE(r.ok());
  return r.status();
}

const json kDoc = json::parse(R"({"a":{"b":1,"c":[1,2,3]},"d":"x"})");

}  // namespace

TEST_CASE("JSON patch add sets members, inserts into lists and appends with -", "[patch]") {
  CHECK(patched(kDoc, R"([{"op":"add","path":"/a/e","value":{"f":true}}])")["a"]["e"] ==
        json::parse(R"({"f":true})"));
  CHECK(patched(kDoc, R"([{"op":"add","path":"/a/b","value":2}])")["a"]["b"] == 2);
  CHECK(patched(kDoc, R"([{"op":"add","path":"/a/c/0","value":0}])")["a"]["c"] ==
        json::parse("[0,1,2,3]"));
  CHECK(patched(kDoc, R"([{"op":"add","path":"/a/c/3","value":4}])")["a"]["c"] ==
        json::parse("[1,2,3,4]"));
  CHECK(patched(kDoc, R"([{"op":"add","path":"/a/c/-","value":9}])")["a"]["c"] ==
        json::parse("[1,2,3,9]"));
  // An absent value adds null, as upstream's library does.
  CHECK(patched(kDoc, R"([{"op":"add","path":"/n"}])")["n"].is_null());
}

TEST_CASE("JSON pointer escapes ~0 and ~1 name members with ~ and /", "[patch]") {
  json doc = json::parse(R"({"metadata":{"annotations":{"a/b":"1","c~d":"2"}}})");
  json out = patched(doc, R"([{"op":"replace","path":"/metadata/annotations/a~1b","value":"3"},
                            {"op":"remove","path":"/metadata/annotations/c~0d"},
                            {"op":"add","path":"/metadata/annotations/e~01","value":"4"}])");
  CHECK(out["metadata"]["annotations"] == json::parse(R"({"a/b":"3","e~1":"4"})"));
}

TEST_CASE("JSON patch remove, replace, move and copy", "[patch]") {
  CHECK_FALSE(patched(kDoc, R"([{"op":"remove","path":"/a/b"}])")["a"].contains("b"));
  CHECK(patched(kDoc, R"([{"op":"remove","path":"/a/c/1"}])")["a"]["c"] == json::parse("[1,3]"));
  CHECK(patched(kDoc, R"([{"op":"replace","path":"/d","value":"y"}])")["d"] == "y");
  CHECK(patched(kDoc, R"([{"op":"replace","path":"/a/c/2","value":7}])")["a"]["c"] ==
        json::parse("[1,2,7]"));
  // Upstream's library adds a missing object member on replace.
  CHECK(patched(kDoc, R"([{"op":"replace","path":"/z","value":1}])")["z"] == 1);
  json moved = patched(kDoc, R"([{"op":"move","from":"/a/b","path":"/b"}])");
  CHECK(moved["b"] == 1);
  CHECK_FALSE(moved["a"].contains("b"));
  json copied = patched(kDoc, R"([{"op":"copy","from":"/a/c","path":"/c"}])");
  CHECK(copied["c"] == copied["a"]["c"]);
  CHECK(patched(kDoc, R"([{"op":"replace","path":"","value":{"x":1}}])") == json::parse(R"({"x":1})"));
}

TEST_CASE("JSON patch test compares values and fails the whole patch", "[patch]") {
  CHECK(patched(kDoc, R"([{"op":"test","path":"/a/c","value":[1,2,3]},
                        {"op":"add","path":"/ok","value":1}])")["ok"] == 1);
  CHECK(patched(kDoc, R"([{"op":"test","path":"/a/b","value":1.0}])") == kDoc);
  // A missing member tests equal to null.
  CHECK(patched(kDoc, R"([{"op":"test","path":"/nope","value":null}])") == kDoc);
  tug::Status s = failure(kDoc, R"([{"op":"add","path":"/x","value":1},
                                    {"op":"test","path":"/d","value":"other"}])");
  CHECK(s.code() == Code::kInvalid);
  CHECK(s.message() == "testing value /d failed: test failed");
  CHECK(failure(kDoc, R"([{"op":"test","path":"/a/b"}])").message() ==
        "testing value /a/b failed: test failed");
}

TEST_CASE("JSON patch errors are worded as upstream's", "[patch]") {
  CHECK(failure(kDoc, R"([{"op":"add","path":"/x/y","value":1}])").message() ==
        "add operation does not apply: doc is missing path: \"/x/y\": missing value");
  CHECK(failure(kDoc, R"([{"op":"remove","path":"/a/zz"}])").message() ==
        "error in remove for path: '/a/zz': Unable to remove nonexistent key: zz: missing value");
  CHECK(failure(kDoc, R"([{"op":"remove","path":"/a/c/5"}])").message() ==
        "error in remove for path: '/a/c/5': Unable to access invalid index: 5: invalid index "
        "referenced");
  CHECK(failure(kDoc, R"([{"op":"add","path":"/a/c/9","value":1}])").message() ==
        "error in add for path: '/a/c/9': Unable to access invalid index: 9: invalid index "
        "referenced");
  CHECK(failure(kDoc, R"([{"op":"add","path":"/a/c/x","value":1}])").message() ==
        "error in add for path: '/a/c/x': value was not a proper array index: 'x': "
        "strconv.Atoi: parsing \"x\": invalid syntax");
  CHECK(failure(kDoc, R"([{"op":"replace","path":"/a/c/7","value":1}])").message() ==
        "replace operation does not apply: doc is missing key: /a/c/7: missing value");
  CHECK(failure(kDoc, R"([{"op":"move","from":"/q","path":"/r"}])").message() ==
        "error in move for path: 'q': Unable to remove nonexistent key: q: missing value");
  CHECK(failure(kDoc, R"([{"op":"copy","from":"/q/r","path":"/r"}])").message() ==
        "copy operation does not apply: doc is missing from path: /q/r: missing value");
  CHECK(failure(kDoc, R"([{"op":"jump","path":"/a"}])").message() == "Unexpected kind: jump");
  CHECK(failure(kDoc, R"([{"path":"/a"}])").message() == "Unexpected kind: unknown");
  CHECK(failure(kDoc, R"([{"op":"add","value":1}])").message() ==
        "add operation failed to decode path: missing value");
  CHECK(failure(kDoc, R"([{"op":"replace","path":5,"value":1}])").message() ==
        "replace operation failed to decode path: json: cannot unmarshal number into Go value "
        "of type string");
  CHECK(failure(kDoc, R"([{"op":"move","path":"/a"}])").message() ==
        "move operation failed to decode from: operation, missing from field: missing value");
  CHECK(failure(kDoc, R"([{"op":"add","path":"a","value":1}])").code() == Code::kInvalid);
  CHECK(failure(kDoc, R"([{"op":"replace","path":"","value":3}])").message() ==
        "replace operation value must be object or array");
  // A failed patch leaves nothing half-applied for the caller: it gets no document at all.
  CHECK(failure(kDoc, R"([{"op":"add","path":"/ok","value":1},{"op":"remove","path":"/nope"}])")
            .code() == Code::kInvalid);
}

TEST_CASE("JSON patch bodies that are not operation lists are bad requests", "[patch]") {
  tug::Status s = failure(kDoc, R"({"op":"add"})");
  CHECK(s.code() == Code::kBadRequest);
  CHECK(s.message() == "json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  CHECK(failure(kDoc, R"(["add"])").message() ==
        "json: cannot unmarshal string into Go value of type jsonpatch.Operation");
  CHECK(patched(kDoc, "null") == kDoc);
  CHECK(patched(kDoc, "[]") == kDoc);
}

TEST_CASE("JSON patch limits operations, copies and depth", "[patch]") {
  json many = json::array();
  for (size_t i = 0; i <= tug::api::kMaxJsonPatchOperations; ++i) {
    many.push_back({{"op", "test"}, {"path", "/d"}, {"value", "x"}});
  }
  auto r = applyJsonPatch(kDoc, many);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kTooLarge);
  CHECK(r.status().message() == "The allowed maximum operations in a JSON patch is 10000, got 10001");

  // Each copy doubles the list: the accumulated copies hit the limit long before memory does.
  json doubling = json::array({{{"op", "add"}, {"path", "/l"}, {"value", json::array({1, 2})}}});
  for (int i = 0; i < 40; ++i) {
    doubling.push_back({{"op", "copy"}, {"from", "/l"}, {"path", "/l/-"}});
  }
  auto copied = applyJsonPatch(kDoc, doubling);
  REQUIRE_FALSE(copied.ok());
  CHECK(copied.status().message().find("Unable to complete the copy") == 0);

  // Copying a subtree into itself again and again would nest without bound.
  json nesting = json::array({{{"op", "add"}, {"path", "/n"}, {"value", json::object()}}});
  std::string path = "/n";
  for (int i = 0; i < 10; ++i) {
    nesting.push_back({{"op", "copy"}, {"from", "/n"}, {"path", path + "/n"}});
    path += "/n";
  }
  CHECK(applyJsonPatch(kDoc, nesting).ok());  // 10 copies of a small tree are fine
  std::string deep = "/x";
  json chain = json::array({{{"op", "add"}, {"path", "/x"}, {"value", json::object()}}});
  for (int i = 0; i < tug::api::kMaxPatchDepth + 5; ++i) {
    chain.push_back({{"op", "add"}, {"path", deep + "/x"}, {"value", json::object()}});
    deep += "/x";
  }
  auto tooDeep = applyJsonPatch(kDoc, chain);
  REQUIRE_FALSE(tooDeep.ok());
  CHECK(tooDeep.status().message().find("nest more than 1000 levels") != std::string::npos);
}
