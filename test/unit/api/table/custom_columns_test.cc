#include <catch2/catch.hpp>

#include "api/table/custom_columns.h"

using namespace tug::api::table;
using nlohmann::json;

namespace {
const TimePoint kNow = *parseTimestamp("2024-05-01T12:00:00Z");
}

TEST_CASE("CRD printer columns: types, formats and the first match", "[table][crd]") {
  json columns = json::parse(R"([
    {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"},
    {"name": "Ratio", "type": "number", "jsonPath": ".spec.ratio", "priority": 1},
    {"name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status"},
    {"name": "Paused", "type": "boolean", "jsonPath": ".spec.paused"},
    {"name": "Hosts", "type": "string", "jsonPath": ".spec.hosts[*]"},
    {"name": "Config", "type": "string", "jsonPath": ".spec.config"},
    {"name": "Started", "type": "date", "jsonPath": ".status.startedAt", "format": "date"}
  ])");
  auto printer = customColumnsPrinter(columns);
  REQUIRE(printer.ok());
  const auto& cols = (*printer)->columns();
  REQUIRE(cols.size() == 8);
  CHECK(cols[0].name == "Name");
  CHECK(cols[0].format == "name");
  CHECK(cols[2].priority == 1);
  CHECK(cols[7].type == "date");
  CHECK(cols[7].format == "date");
  CHECK_FALSE(cols[1].description.empty());

  json obj = json::parse(R"({
    "metadata": {"name": "w1"},
    "spec": {"replicas": 2.0, "ratio": 1, "paused": false, "hosts": ["a", "b"],
             "config": {"z": 1, "a": [true]}},
    "status": {"conditions": [{"type": "Ready", "status": "True"}],
               "startedAt": "2024-05-01T11:30:00Z"}
  })");
  json cells = (*printer)->row(obj, kNow).cells;
  CHECK(cells == json({"w1", 2, 1.0, "True", false, "a", R"({"a":[true],"z":1})", "30m"}));
  CHECK(cells[1].is_number_integer());
  CHECK(cells[2].is_number_float());

  json empty = {{"metadata", {{"name", "w2"}}}};
  CHECK((*printer)->row(empty, kNow).cells ==
        json({"w2", nullptr, nullptr, nullptr, nullptr, nullptr, nullptr, nullptr}));
}

TEST_CASE("CRD cells of the wrong type are null; bad dates are <invalid>", "[table][crd]") {
  json text = "x";
  json number = 2.5;
  CHECK(customCell("integer", &text, kNow).is_null());
  CHECK(customCell("boolean", &number, kNow).is_null());
  CHECK(customCell("integer", &number, kNow) == 2);
  CHECK(customCell("date", &text, kNow) == "<invalid>");
  CHECK(customCell("date", &number, kNow).is_null());
  CHECK(customCell("string", &number, kNow) == "2.5");
  json big = 1e8;
  CHECK(customCell("string", &big, kNow) == "1e+08");
  json whole = 100000.0;
  CHECK(customCell("string", &whole, kNow) == "100000");
  json null;
  CHECK(customCell("string", &null, kNow) == "<no value>");
  CHECK(customCell("string", nullptr, kNow).is_null());
  CHECK(customCell("unknown-type", &text, kNow).is_null());
}

TEST_CASE("a CRD version without columns gets Age", "[table][crd]") {
  for (json none : {json(), json::array()}) {
    auto printer = customColumnsPrinter(none);
    REQUIRE(printer.ok());
    const auto& cols = (*printer)->columns();
    REQUIRE(cols.size() == 2);
    CHECK(cols[1].name == "Age");
    CHECK(cols[1].type == "date");
    json obj = {{"metadata", {{"name", "a"}, {"creationTimestamp", "2024-05-01T10:00:00Z"}}}};
    CHECK((*printer)->row(obj, kNow).cells == json({"a", "120m"}));
  }
}

TEST_CASE("malformed printer columns are Invalid", "[table][crd]") {
  for (const char* bad : {R"({"name": "x"})", R"([{"type": "string", "jsonPath": ".a"}])",
                          R"([{"name": "A", "type": "string", "jsonPath": "a..b"}])",
                          R"([{"name": "A", "type": "string"}])", R"([3])"}) {
    INFO(bad);
    auto p = customColumnsPrinter(json::parse(bad));
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().code() == tug::Code::kInvalid);
  }
}
