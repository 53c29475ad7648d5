#include <catch2/catch.hpp>

#include "api/table/jsonpath.h"

using namespace tug::api::table;
using nlohmann::json;

namespace {

const json kDoc = json::parse(R"({
  "metadata": {"name": "w", "labels": {"app.kubernetes.io/name": "web"}},
  "spec": {"replicas": 3, "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}]},
  "status": {"conditions": [
    {"type": "Available", "status": "False"},
    {"type": "Ready", "status": "True", "count": 2}
  ]}
})");

json values(const std::string& expr) {
  auto p = JsonPath::parse(expr);
  REQUIRE(p.ok());
  json out = json::array();
  for (const json* v : p->evaluate(kDoc)) {
    out.push_back(*v);
  }
  return out;
}

}  // namespace

TEST_CASE("jsonpath fields, indexes and wildcards", "[table][jsonpath]") {
  CHECK(values(".spec.replicas") == json({3}));
  CHECK(values("{.spec.replicas}") == json({3}));
  CHECK(values("$.metadata.name") == json({"w"}));
  CHECK(values(".spec.ports[0].port") == json({80}));
  CHECK(values(".spec.ports[-1].name") == json({"https"}));
  CHECK(values(".spec.ports[*].port") == json({80, 443}));
  CHECK(values(".spec.ports.*.name") == json({"http", "https"}));
  CHECK(values(".metadata.labels['app.kubernetes.io/name']") == json({"web"}));
  CHECK(values(".metadata.labels.app\\.kubernetes\\.io/name") == json({"web"}));
}

TEST_CASE("jsonpath filters", "[table][jsonpath]") {
  CHECK(values(".status.conditions[?(@.type==\"Ready\")].status") == json({"True"}));
  CHECK(values(".status.conditions[?(@.type=='Available')].status") == json({"False"}));
  CHECK(values(".status.conditions[?(@.type != \"Ready\")].type") == json({"Available"}));
  CHECK(values(".status.conditions[?(@.count)].type") == json({"Ready"}));
  CHECK(values(".status.conditions[?(@.count>=2)].type") == json({"Ready"}));
  CHECK(values(".spec.ports[?(@.port>100)].name") == json({"https"}));
}

TEST_CASE("jsonpath: missing keys select nothing", "[table][jsonpath]") {
  CHECK(values(".spec.missing") == json::array());
  CHECK(values(".spec.ports[7].port") == json::array());
  CHECK(values(".spec.replicas.deeper") == json::array());
  CHECK(values(".status.conditions[?(@.type==\"Gone\")].status") == json::array());
  CHECK(values(".metadata[0]") == json::array());
}

TEST_CASE("jsonpath rejects what it does not support", "[table][jsonpath]") {
  for (const char* bad : {"", "{}", "spec.replicas", ".a[", ".a[x]", ".a[?(@.b==)]",
                          ".a[?(.b==1)]", ".a[?(@.b==1]", "..a", ".a['b]", ".a!b",
                          ".a[?(@.b==nope)]"}) {
    INFO(bad);
    auto p = JsonPath::parse(bad);
    CHECK_FALSE(p.ok());
    if (!p.ok()) {
      CHECK(p.status().code() == tug::Code::kInvalid);
    }
  }
}
