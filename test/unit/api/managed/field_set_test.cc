#include <catch2/catch.hpp>

#include "api/managed/field_set.h"

namespace tug::api::managed {
namespace {

using nlohmann::json;

FieldPath P(std::initializer_list<const char*> elements) {
  return FieldPath(elements.begin(), elements.end());
}

TEST_CASE("FieldsV1 encodes leaves as {} and owned inner nodes with \".\"", "[managed]") {
  FieldSet s;
  s.insert(P({"f:metadata", "f:labels"}));
  s.insert(P({"f:metadata", "f:labels", "f:app"}));
  s.insert(P({"f:spec", "f:replicas"}));
  json key = {{"protocol", "TCP"}, {"containerPort", 80}};
  s.insert({"f:spec", "f:ports", keyElement(key)});
  s.insert({"f:spec", "f:ports", keyElement(key), "f:containerPort"});
  json expected = json::parse(R"({
    "f:metadata":{"f:labels":{".":{},"f:app":{}}},
    "f:spec":{"f:replicas":{},
              "f:ports":{"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{}}}}})");
  CHECK(s.toFieldsV1() == expected);
}

TEST_CASE("FieldsV1 decodes to the same set", "[managed]") {
  json fields = json::parse(R"({"f:metadata":{"f:labels":{".":{},"f:app":{}}},
    "f:spec":{"f:finalizers":{"v:\"a\"":{}},"f:template":{"f:spec":{}}}})");
  auto s = FieldSet::fromFieldsV1(fields);
  REQUIRE(s.ok());
  CHECK(s->contains(P({"f:metadata", "f:labels"})));
  CHECK(s->contains(P({"f:metadata", "f:labels", "f:app"})));
  CHECK_FALSE(s->contains(P({"f:metadata"})));
  CHECK(s->contains(P({"f:spec", "f:finalizers", "v:\"a\""})));
  // An empty object is a leaf, and so a member.
  CHECK(s->contains(P({"f:spec", "f:template", "f:spec"})));
  CHECK(s->toFieldsV1() == fields);
}

TEST_CASE("FieldsV1 that is not a field set is a bad request", "[managed]") {
  for (const char* bad : {R"([])", R"({"x:foo":{}})", R"({"f:a":[]})", R"({"k:notjson":{}})",
                          R"({"i:x":{}})", R"({"k:[1]":{}})", R"("f:a")"}) {
    INFO(bad);
    auto s = FieldSet::fromFieldsV1(json::parse(bad));
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kBadRequest);
  }
}

TEST_CASE("set operations work on members, not on subtrees", "[managed]") {
  FieldSet a;
  a.insert(P({"f:spec", "f:replicas"}));
  a.insert(P({"f:spec", "f:paused"}));
  a.insert(P({"f:metadata", "f:labels"}));
  FieldSet b;
  b.insert(P({"f:spec", "f:replicas"}));
  b.insert(P({"f:metadata"}));

  FieldSet diff = a.difference(b);
  CHECK_FALSE(diff.contains(P({"f:spec", "f:replicas"})));
  CHECK(diff.contains(P({"f:spec", "f:paused"})));
  CHECK(diff.contains(P({"f:metadata", "f:labels"})));  // b's metadata is not its children

  FieldSet both = a.intersection(b);
  CHECK(both.contains(P({"f:spec", "f:replicas"})));
  CHECK_FALSE(both.contains(P({"f:spec", "f:paused"})));
  CHECK_FALSE(both.containsPrefix(P({"f:metadata"})));

  FieldSet all = a.unionWith(b);
  CHECK(all.contains(P({"f:metadata"})));
  CHECK(all.contains(P({"f:metadata", "f:labels"})));

  CHECK_FALSE(a.recursiveDifference(b).containsPrefix(P({"f:metadata"})));
  CHECK(a.restrictedTo(P({"f:spec"})).contains(P({"f:spec", "f:paused"})));
  CHECK_FALSE(a.restrictedTo(P({"f:spec"})).containsPrefix(P({"f:metadata"})));
  CHECK(a.difference(a).empty());
}

TEST_CASE("paths print as upstream's conflict messages print them", "[managed]") {
  CHECK(pathString(P({"f:spec", "f:replicas"})) == ".spec.replicas");
  CHECK(pathString({"f:spec", keyElement({{"name", "c"}}), "f:image"}) ==
        ".spec[name=\"c\"].image");
  CHECK(pathString({"f:ports", keyElement({{"protocol", "TCP"}, {"containerPort", 80}})}) ==
        ".ports[containerPort=80,protocol=\"TCP\"]");
  CHECK(pathString({"f:metadata", "f:finalizers", valueElement("x")}) ==
        ".metadata.finalizers[=\"x\"]");
  CHECK(pathString(P({"f:a", "i:3"})) == ".a[3]");
}

TEST_CASE("members are visited parents first", "[managed]") {
  FieldSet s;
  s.insert(P({"f:b"}));
  s.insert(P({"f:a", "f:y"}));
  s.insert(P({"f:a"}));
  std::vector<std::string> seen;
  s.forEachMember([&](const FieldPath& p) { seen.push_back(pathString(p)); });
  CHECK(seen == std::vector<std::string>{".a", ".a.y", ".b"});
}

}  // namespace
}  // namespace tug::api::managed
