#include "api/yaml_json.h"

#include <catch2/catch.hpp>
#include <string>

using nlohmann::json;
using tug::Code;
using tug::api::yamlToJson;

namespace {

json convert(const std::string& yaml) {
  auto r = yamlToJson(yaml);
  INFO(yaml);
  REQUIRE(r.ok());
  return *r;
}

std::string errorOf(const std::string& yaml) {
  auto r = yamlToJson(yaml);
  INFO(yaml);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kBadRequest);
  return r.status().message();
}

json valueOf(const std::string& scalar) { return convert("v: " + scalar)["v"]; }

}  // namespace

TEST_CASE("a manifest converts to the JSON object it spells", "[yaml]") {
  json j = convert(R"(apiVersion: v1
kind: ConfigMap
metadata:
  name: demo
  labels: {app: web, tier: "1"}
data:
  key: value
  multi: |
    line one
    line two
items: [1, two, 3.5]
)");
  CHECK(j == json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
    "metadata":{"name":"demo","labels":{"app":"web","tier":"1"}},
    "data":{"key":"value","multi":"line one\nline two\n"},"items":[1,"two",3.5]})"));
}

TEST_CASE("plain scalars resolve by go-yaml v2's YAML 1.1 rules", "[yaml]") {
  SECTION("booleans, including yes/no/on/off/y/n") {
    for (const char* t :
         {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON", "y", "Y"}) {
      CHECK(valueOf(t) == json(true));
    }
    for (const char* f : {"false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF", "n"}) {
      CHECK(valueOf(f) == json(false));
    }
    CHECK(valueOf("tRUE") == json("tRUE"));
    CHECK(valueOf("yess") == json("yess"));
  }
  SECTION("nulls") {
    for (const char* n : {"null", "Null", "NULL", "~", ""}) CHECK(valueOf(n).is_null());
    CHECK(valueOf("nULL") == json("nULL"));
  }
  SECTION("integers in Go syntax") {
    CHECK(valueOf("12") == json(12));
    CHECK(valueOf("-3") == json(-3));
    CHECK(valueOf("+4") == json(4));
    CHECK(valueOf("0x1F") == json(31));
    CHECK(valueOf("0o17") == json(15));
    CHECK(valueOf("0755") == json(493));
    CHECK(valueOf("0b101") == json(5));
    CHECK(valueOf("1_000") == json(1000));
    CHECK(valueOf("9223372036854775807") == json(INT64_MAX));
    CHECK(valueOf("-9223372036854775808") == json(INT64_MIN));
    CHECK(valueOf("18446744073709551615") == json(UINT64_MAX));
    CHECK(valueOf("0") == json(0));
  }
  SECTION("floats; integral ones print as integers like Go's encoder") {
    CHECK(valueOf("1.5") == json(1.5));
    CHECK(valueOf(".5") == json(0.5));
    CHECK(valueOf("-2.25e1") == json(-22.5));
    CHECK(valueOf("1e3") == json(1000));
    CHECK(valueOf("1e3").is_number_integer());
    CHECK(valueOf("08") == json(8));  // not octal, so Go reads it as a float
    CHECK(valueOf("1.") == json(1));
  }
  SECTION("text that only looks like numbers stays a string") {
    CHECK(valueOf("1.2.3") == json("1.2.3"));
    CHECK(valueOf("0x") == json("0x"));
    CHECK(valueOf("12abc") == json("12abc"));
    CHECK(valueOf("1e400") == json("1e400"));
    CHECK(valueOf("1:20") == json("1:20"));
    CHECK(valueOf("2024-01-02T03:04:05Z") == json("2024-01-02T03:04:05Z"));
    CHECK(valueOf("2024-01-02") == json("2024-01-02"));
    CHECK(valueOf("nginx:1.25") == json("nginx:1.25"));
    CHECK(valueOf("100Mi") == json("100Mi"));
    CHECK(valueOf("-x") == json("-x"));
  }
}

TEST_CASE("quoted and block scalars stay strings", "[yaml]") {
  CHECK(valueOf("\"12\"") == json("12"));
  CHECK(valueOf("'true'") == json("true"));
  CHECK(valueOf("'~'") == json("~"));
  CHECK(valueOf("\"\"") == json(""));
  CHECK(convert("v: |\n  yes\n")["v"] == json("yes\n"));
  CHECK(convert("v: >-\n  12\n")["v"] == json("12"));
}

TEST_CASE("explicit tags decide the type", "[yaml]") {
  CHECK(valueOf("!!str 12") == json("12"));
  CHECK(valueOf("!!str yes") == json("yes"));
  CHECK(valueOf("!!int \"12\"") == json(12));
  CHECK(valueOf("!!float 2") == json(2));
  CHECK(valueOf("!!bool on") == json(true));
  CHECK(valueOf("!!null x").is_null());
  CHECK(errorOf("v: !!int abc").find("cannot decode `abc` as a !!int") != std::string::npos);
}

TEST_CASE("map keys become strings as sigs.k8s.io/yaml spells them", "[yaml]") {
  json j = convert("1: a\nyes: b\n0x10: c\n1.5: d\n\"2\": e\noff: f\n");
  CHECK(j == json::parse(R"({"1":"a","true":"b","16":"c","1.5":"d","2":"e","false":"f"})"));
  SECTION("a null, map or sequence key is an error") {
    CHECK(errorOf("~: a\n").find("unsupported map key") != std::string::npos);
    CHECK(errorOf("? {a: 1}\n: b\n").find("unsupported map key") != std::string::npos);
    CHECK(errorOf("? [a]\n: b\n").find("unsupported map key") != std::string::npos);
  }
  SECTION("a repeated key keeps the last value") {
    CHECK(convert("a: 1\na: 2\n") == json::parse(R"({"a":2})"));
  }
}

TEST_CASE("anchors, aliases and merge keys expand", "[yaml]") {
  json j = convert(R"(base: &b {cpu: 1, mem: 2}
copy: *b
merged:
  <<: *b
  mem: 3
many:
  <<: [{x: 1}, {x: 2, z: 2}]
yKey:
  y: 1
quoted:
  "<<": literal
)");
  CHECK(j["copy"] == json::parse(R"({"cpu":1,"mem":2})"));
  CHECK(j["merged"] == json::parse(R"({"cpu":1,"mem":3})"));
  CHECK(j["many"] == json::parse(R"({"x":1,"z":2})"));
  CHECK(j["yKey"] == json::parse(R"({"true":1})"));  // y is a YAML 1.1 boolean, even as a key
  CHECK(j["quoted"] == json::parse(R"({"<<":"literal"})"));
  CHECK(errorOf("a:\n  <<: 5\n").find("map merge requires") != std::string::npos);
}

TEST_CASE("documents: empty is null, one is fine, two are an error", "[yaml]") {
  CHECK(convert("").is_null());
  CHECK(convert("# only a comment\n").is_null());
  CHECK(convert("---\na: 1\n") == json::parse(R"({"a":1})"));
  CHECK(convert("a: 1\n---\n") == json::parse(R"({"a":1})"));
  CHECK(convert("- 1\n- x\n") == json::parse(R"([1,"x"])"));
  CHECK(convert("just text") == json("just text"));
  CHECK(errorOf("a: 1\n---\nb: 2\n").find("multiple YAML documents") != std::string::npos);
}

TEST_CASE("JSON is YAML too", "[yaml]") {
  std::string body =
      R"({"kind":"Pod","spec":{"containers":[{"name":"c","ports":[{"containerPort":80}]}]},"n":null,"b":false})";
  CHECK(convert(body) == json::parse(body));
}

TEST_CASE("bad YAML is a BadRequest naming the line", "[yaml]") {
  std::string m = errorOf("a: 1\nb: [1, 2\nc: 3\n");
  CHECK(m.rfind("error converting YAML to JSON: yaml: line ", 0) == 0);
  m = errorOf("a: 1\n  b: 2\n");
  CHECK(m.find("line 2") != std::string::npos);
  errorOf("v: *nowhere\n");
  errorOf("{a: 1\n");
  SECTION("values JSON cannot carry") {
    CHECK(errorOf("v: .nan\n").find("unsupported value: NaN") != std::string::npos);
    CHECK(errorOf("v: -.inf\n").find("unsupported value: -Inf") != std::string::npos);
  }
}

TEST_CASE("deep nesting and alias bombs are refused, not followed", "[yaml]") {
  SECTION("nesting") {
    std::string deep(5000, '[');
    deep += std::string(5000, ']');
    errorOf(deep);
    std::string ok(50, '[');
    ok += std::string(50, ']');
    CHECK(convert(ok).is_array());
  }
  SECTION("billion laughs") {
    std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
    std::string prev = "a";
    for (char c = 'b'; c <= 'j'; ++c) {
      bomb += std::string(1, c) + ": &" + c + " [";
      for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
      bomb += "]\n";
      prev = std::string(1, c);
    }
    CHECK(errorOf(bomb).find("excessive aliasing") != std::string::npos);
  }
}
