#include <catch2/catch.hpp>

#include "api/table/table_builder.h"

using namespace tug::api::table;
using nlohmann::json;

namespace {

const TimePoint kNow = *parseTimestamp("2024-05-01T12:00:00Z");

json configMaps() {
  return json::array(
      {{{"kind", "ConfigMap"},
        {"metadata",
         {{"name", "a"}, {"namespace", "ns"}, {"resourceVersion", "5"},
          {"creationTimestamp", "2024-05-01T11:59:00Z"}, {"labels", {{"app", "x"}}}}},
        {"data", {{"k", "v"}}}},
       {{"kind", "ConfigMap"}, {"metadata", {{"name", "b"}}}}});
}

}  // namespace

TEST_CASE("a Table has columns, rows and the list's metadata", "[table][builder]") {
  ListMeta meta{"42", "token", 7};
  json t = buildTable(printerFor("", "configmaps"), configMaps(), meta, TableOptions{}, kNow);
  CHECK(t["kind"] == "Table");
  CHECK(t["apiVersion"] == "meta.k8s.io/v1");
  CHECK(t["metadata"] == json({{"resourceVersion", "42"}, {"continue", "token"},
                               {"remainingItemCount", 7}}));
  REQUIRE(t["columnDefinitions"].size() == 3);
  CHECK(t["columnDefinitions"][0] == json({{"name", "Name"}, {"type", "string"}, {"format", "name"},
                                           {"description", "The object's name."}, {"priority", 0}}));
  REQUIRE(t["rows"].size() == 2);
  CHECK(t["rows"][0]["cells"] == json({"a", 1, "60s"}));
  CHECK(t["rows"][0]["object"]["kind"] == "PartialObjectMetadata");
  CHECK(t["rows"][0]["object"]["apiVersion"] == "meta.k8s.io/v1");
  CHECK(t["rows"][0]["object"]["metadata"]["labels"]["app"] == "x");
  CHECK_FALSE(t["rows"][0]["object"].contains("data"));
  CHECK_FALSE(t["rows"][0].contains("conditions"));
}

TEST_CASE("includeObject, noHeaders and v1beta1", "[table][builder]") {
  TableOptions opts;
  opts.include = IncludeObject::kObject;
  opts.noHeaders = true;
  opts.groupVersion = "meta.k8s.io/v1beta1";
  json t = buildTable(printerFor("", "configmaps"), configMaps(), ListMeta{}, opts, kNow);
  CHECK(t["apiVersion"] == "meta.k8s.io/v1beta1");
  CHECK(t["columnDefinitions"].is_null());
  CHECK(t["metadata"] == json::object());
  CHECK(t["rows"][0]["object"]["data"]["k"] == "v");
  opts.include = IncludeObject::kNone;
  t = buildTable(printerFor("", "configmaps"), configMaps(), ListMeta{}, opts, kNow);
  CHECK(t["rows"][1]["object"].is_null());
  opts.include = IncludeObject::kMetadata;
  t = buildTable(printerFor("", "configmaps"), configMaps(), ListMeta{}, opts, kNow);
  CHECK(t["rows"][1]["object"]["apiVersion"] == "meta.k8s.io/v1beta1");
}

TEST_CASE("an empty list is a Table with no rows", "[table][builder]") {
  json t = buildTable(genericPrinter(), json::array(), ListMeta{"3"}, TableOptions{}, kNow);
  CHECK(t["rows"] == json::array());
  CHECK(t["columnDefinitions"].size() == 2);
}

TEST_CASE("includeObject is parsed as upstream validates it", "[table][builder]") {
  CHECK(*parseIncludeObject("") == IncludeObject::kMetadata);
  CHECK(*parseIncludeObject("Metadata") == IncludeObject::kMetadata);
  CHECK(*parseIncludeObject("None") == IncludeObject::kNone);
  CHECK(*parseIncludeObject("Object") == IncludeObject::kObject);
  auto bad = parseIncludeObject("metadata");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() ==
        "includeObject: Invalid value: \"metadata\": must be 'Metadata', 'Object', 'None', or empty");
}

TEST_CASE("PartialObjectMetadata of objects and lists", "[table][builder]") {
  json obj = configMaps()[0];
  json p = partialObjectMetadata(obj, "meta.k8s.io/v1");
  CHECK(p == json({{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"},
                   {"metadata", obj["metadata"]}}));
  json list = {{"kind", "ConfigMapList"}, {"metadata", {{"resourceVersion", "9"}}},
               {"items", configMaps()}};
  json pl = partialObjectMetadataList(list, "meta.k8s.io/v1");
  CHECK(pl["kind"] == "PartialObjectMetadataList");
  CHECK(pl["metadata"]["resourceVersion"] == "9");
  REQUIRE(pl["items"].size() == 2);
  CHECK(pl["items"][1]["kind"] == "PartialObjectMetadata");
  CHECK(pl["items"][1]["metadata"]["name"] == "b");
}
