#include <catch2/catch.hpp>

#include "api/table/formatting.h"

using namespace tug::api::table;
using nlohmann::json;

TEST_CASE("label maps print sorted, <none> when empty", "[table]") {
  CHECK(formatLabels(json{{"b", "2"}, {"a", "1"}}) == "a=1,b=2");
  CHECK(formatLabels(json::object()) == "<none>");
  CHECK(formatLabels(json()) == "<none>");
}

TEST_CASE("label selectors print in selector syntax", "[table]") {
  json sel = json::parse(R"({
    "matchLabels": {"tier": "web"},
    "matchExpressions": [
      {"key": "env", "operator": "NotIn", "values": ["qa", "dev"]},
      {"key": "legacy", "operator": "DoesNotExist"},
      {"key": "app", "operator": "Exists"}
    ]})");
  CHECK(formatLabelSelector(&sel) == "app,env notin (dev,qa),!legacy,tier=web");
  json empty = json::object();
  CHECK(formatLabelSelector(&empty) == "<none>");
  CHECK(formatLabelSelector(nullptr) == "<none>");
  json bad = json::parse(R"({"matchExpressions": [{"key": "a", "operator": "Near"}]})");
  CHECK(formatLabelSelector(&bad) == "<error>");
  json noValues = json::parse(R"({"matchExpressions": [{"key": "a", "operator": "In"}]})");
  CHECK(formatLabelSelector(&noValues) == "<error>");
  json existsWithValues =
      json::parse(R"({"matchExpressions": [{"key": "a", "operator": "Exists", "values": ["x"]}]})");
  CHECK(formatLabelSelector(&existsWithValues) == "<error>");
}

TEST_CASE("access modes and lists with more", "[table]") {
  CHECK(accessModes(json{"ReadWriteOncePod", "ReadOnlyMany", "ReadWriteOnce", "ReadWriteOnce"}) ==
        "RWO,ROX,RWOP");
  CHECK(accessModes(json()) == "");
  CHECK(listWithMore({"a", "b", "c"}, 5, 3, "<unset>") == "a,b,c + 2 more...");
  CHECK(listWithMore({}, 0, 3, "<unset>") == "<unset>");
}
