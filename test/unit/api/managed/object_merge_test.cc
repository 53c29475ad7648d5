#include <catch2/catch.hpp>

#include "api/managed/object_merge.h"
#include "test/unit/api/managed/test_types.h"

namespace tug::api::managed {
namespace {

using nlohmann::json;

struct Fixture {
  testing::Types t;
  const TypeNode* str = t.scalar();
  const TypeNode* item = t.object({{"name", str}, {"value", str}});
  const TypeNode* root = t.object({{"atomic", t.list(str, ListType::kAtomic)},
                                   {"set", t.list(str, ListType::kSet)},
                                   {"items", t.list(item, ListType::kMap, {"name"})},
                                   {"labels", t.map(str)},
                                   {"selector", t.map(str, MapType::kAtomic)}});
};

TEST_CASE("apply merges by list and map type", "[managed]") {
  Fixture f;
  json live = json::parse(R"({"atomic":["a","b"],"set":["a","b"],
    "items":[{"name":"x","value":"1"},{"name":"y","value":"2"}],
    "labels":{"a":"1","b":"2"},"selector":{"a":"1","b":"2"},"other":"kept"})");
  json applied = json::parse(R"({"atomic":["c"],"set":["c","a"],
    "items":[{"name":"y","value":"3"},{"name":"z","value":"4"}],
    "labels":{"b":"3"},"selector":{"c":"1"}})");
  json merged = mergeApplied(live, applied, f.root);
  CHECK(merged["atomic"] == json::parse(R"(["c"])"));
  CHECK(merged["set"] == json::parse(R"(["c","a","b"])"));
  CHECK(merged["items"] == json::parse(R"([{"name":"x","value":"1"},{"name":"y","value":"3"},
                                           {"name":"z","value":"4"}])"));
  CHECK(merged["labels"] == json::parse(R"({"a":"1","b":"3"})"));
  CHECK(merged["selector"] == json::parse(R"({"c":"1"})"));
  CHECK(merged["other"] == "kept");
}

TEST_CASE("applied order wins for shared elements", "[managed]") {
  Fixture f;
  json live = json::parse(R"({"set":["a","b","c"]})");
  json merged = mergeApplied(live, json::parse(R"({"set":["c","a"]})"), f.root);
  CHECK(merged["set"] == json::parse(R"(["b","c","a"])"));
}

TEST_CASE("a null in the configuration removes the field", "[managed]") {
  Fixture f;
  json merged = mergeApplied(json::parse(R"({"labels":{"a":"1"},"other":1})"),
                             json::parse(R"({"labels":{"a":null},"other":null})"), f.root);
  CHECK(merged == json::parse(R"({"labels":{}})"));
}

TEST_CASE("removing fields keeps what others own and drops what empties", "[managed]") {
  Fixture f;
  json obj = json::parse(R"({"labels":{"a":"1","b":"2"},"set":["a","b"],
    "items":[{"name":"x","value":"1"},{"name":"y","value":"2"}],"atomic":["q"]})");
  FieldSet remove;
  remove.insert({"f:labels", "f:a"});
  remove.insert({"f:labels", "f:b"});
  remove.insert({"f:set", valueElement("a")});
  remove.insert({"f:items", keyElement({{"name", "x"}})});
  remove.insert({"f:items", keyElement({{"name", "y"}})});
  remove.insert({"f:atomic"});
  FieldSet keep;
  keep.insert({"f:items", keyElement({{"name", "y"}}), "f:value"});
  removeFields(obj, remove, keep, f.root);
  // The labels emptied, the set lost "a", y stays because someone owns its value.
  CHECK(obj == json::parse(R"({"set":["b"],"items":[{"name":"y","value":"2"}]})"));
}

}  // namespace
}  // namespace tug::api::managed
