#include "apiserver/served_object.h"

#include <catch2/catch.hpp>

#include <functional>
#include <optional>
#include <random>

#include "apiserver/object_meta.h"
#include "common/json_text.h"
#include "unit/apiserver/builtin_resource.h"

using namespace tug;
using namespace tug::apiserver;
using nlohmann::json;

namespace {

// What the decoding path serves for the stored text.
std::string decoded(std::string_view text, const api::ResourceInfo& info, store::Revision rev) {
  auto obj = decodeStored(store::KeyValue{"/registry/x", std::string(text), 1, rev}, info);
  REQUIRE(obj.ok());
  return obj->dump();
}

std::optional<std::string> spliced(std::string_view text, const api::ResourceInfo& info,
                                   store::Revision rev) {
  std::string out = "[";
  if (!appendServedObject(out, text, ServedIdentity::of(info), rev)) {
    CHECK(out == "[");  // left as it was
    return std::nullopt;
  }
  return out.substr(1);
}

json pod(bool labels) {
  json p = {{"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata",
             {{"name", "web-0"},
              {"namespace", "default"},
              {"uid", "0b4c2c36-6a83-4ac1-9d55-1c4ac3f3c9d2"},
              {"creationTimestamp", "2024-05-01T12:00:00Z"},
              {"generateName", "web-"},
              {"ownerReferences",
               {{{"apiVersion", "apps/v1"},
                 {"kind", "ReplicaSet"},
                 {"name", "web"},
                 {"controller", true}}}},
              {"managedFields",
               {{{"manager", "kubectl"},
                 {"operation", "Update"},
                 {"fieldsType", "FieldsV1"},
                 {"fieldsV1", {{"f:metadata", {{"f:labels", {{".", json::object()}}}}}}}}}}}},
            {"spec",
             {{"containers",
               {{{"name", "app"},
                 {"image", "nginx:1.25"},
                 {"args", {"--message={\"a\": [1, \"]\"]}", "tab\there", "quote\\\"d"}},
                 {"resources", {{"limits", {{"cpu", "500m"}}}}},
                 {"env", {{{"name", "RATIO"}, {"value", "0.5"}}}}}}},
              {"terminationGracePeriodSeconds", 30},
              {"priority", -1},
              {"overhead", nullptr},
              {"hostNetwork", false}}},
            {"status", {{"phase", "Running"}, {"score", 0.25}, {"note", "snowman \u2603"}}}};
  if (labels) {
    p["metadata"]["labels"] = {{"app", "web"}, {"pod-template-hash", "5d4f8"}};
  }
  return p;
}

}  // namespace

TEST_CASE("a stored object is served as the decoder prints it", "[served]") {
  const auto& pods = builtinResource("", "v1", "pods");
  SECTION("with labels") {
    std::string text = pod(true).dump();
    CHECK(spliced(text, pods, 12345) == decoded(text, pods, 12345));
  }
  SECTION("without labels") {
    std::string text = pod(false).dump();
    CHECK(spliced(text, pods, 7) == decoded(text, pods, 7));
  }
  SECTION("without apiVersion and kind") {
    json p = pod(true);
    p.erase("apiVersion");
    p.erase("kind");
    std::string text = p.dump();
    auto out = spliced(text, pods, 42);
    REQUIRE(out == decoded(text, pods, 42));
    json served = json::parse(*out);
    CHECK(served["apiVersion"] == "v1");
    CHECK(served["kind"] == "Pod");
  }
  SECTION("without metadata, or empty") {
    for (const char* text : {R"({"spec":{"a":1}})", "{}", R"({"apiVersion":"v1"})"}) {
      CAPTURE(text);
      CHECK(spliced(text, pods, 3) == decoded(text, pods, 3));
    }
  }
  SECTION("members sorting before apiVersion and between it and kind") {
    const auto& roles = builtinResource("rbac.authorization.k8s.io", "v1", "clusterroles");
    json role = {{"aggregationRule", {{"clusterRoleSelectors", json::array()}}},
                 {"apiVersion", "rbac.authorization.k8s.io/v1"},
                 {"kind", "ClusterRole"},
                 {"metadata", {{"name", "view"}}},
                 {"rules", json::array()}};
    CHECK(spliced(role.dump(), roles, 9) == decoded(role.dump(), roles, 9));
    const auto& cms = builtinResource("", "v1", "configmaps");
    json cm = {{"binaryData", {{"b", "AAE="}}},
               {"data", {{"k", "v"}}},
               {"immutable", true},
               {"metadata", {{"name", "c"}}}};
    CHECK(spliced(cm.dump(), cms, 10) == decoded(cm.dump(), cms, 10));
  }
}

TEST_CASE("the served identity and resourceVersion replace stored ones", "[served]") {
  const auto& deployments = builtinResource("apps", "v1", "deployments");
  json d = {{"apiVersion", "extensions/v1beta1"},
            {"kind", "Something"},
            {"metadata", {{"name", "d"}, {"resourceVersion", "1"}, {"uid", "u"}}}};
  auto out = spliced(d.dump(), deployments, 9223372036854775807);
  REQUIRE(out == decoded(d.dump(), deployments, 9223372036854775807));
  json served = json::parse(*out);
  CHECK(served["apiVersion"] == "apps/v1");
  CHECK(served["kind"] == "Deployment");
  CHECK(served["metadata"]["resourceVersion"] == "9223372036854775807");
  CHECK(served["metadata"].size() == 3);
}

TEST_CASE("stored text in another shape is left to the decoder", "[served]") {
  const auto& pods = builtinResource("", "v1", "pods");
  for (const char* text : {
           "",                                        // nothing
           "[]",                                      // not an object
           R"({ "metadata": {"name": "a"}})",         // whitespace
           "{\"metadata\":{\"name\":\"a\"}}\n",       // trailing newline
           R"({"metadata":{"name":"a"}}{})",          // trailing text
           R"({"spec":{},"metadata":{"name":"a"}})",  // keys out of order
           R"({"metadata":{"uid":"u","name":"a"}})",  // metadata keys out of order
           R"({"kind":"Pod","kind":"Pod"})",          // duplicate key
           R"({"metadata":null})",                    // metadata not an object
           R"({"metadata":"x"})",                     // metadata not an object
           R"({"meta\u0064ata":{}})",                 // escaped key
           R"({"metadata":{"name":"a})",              // unterminated string
           R"({"metadata":{"name":"a\"}})",           // escaped closing quote
           R"({"spec":{"a":[1,2}]}})",                // brackets do not pair
           R"({"spec":{"a":[1,2]})",                  // not closed
           R"({"spec":})",                            // no value
           R"({"spec":@})",                           // not a value
           R"({"metadata":{"name":"a"},})",           // trailing comma
       }) {
    CAPTURE(text);
    CHECK_FALSE(spliced(text, pods, 5).has_value());
  }
}

TEST_CASE("values are copied through strings that look like structure", "[served]") {
  const auto& pods = builtinResource("", "v1", "pods");
  json p = {{"metadata",
             {{"annotations",
               {{"last-applied", R"({"kind":"Pod","metadata":{"resourceVersion":"1"}})"},
                {"backslashes", "ends with \\"},
                {"brackets", "}]}["}}},
              {"name", "p"}}},
            {"spec", {{"x", "\"metadata\":{"}}}};
  std::string text = p.dump();
  auto out = spliced(text, pods, 77);
  REQUIRE(out == decoded(text, pods, 77));
  CHECK(json::parse(*out)["metadata"]["annotations"] == p["metadata"]["annotations"]);
}

TEST_CASE("random objects splice as they decode", "[served]") {
  const auto& cms = builtinResource("", "v1", "configmaps");
  std::mt19937 random(7);
  auto pick = [&](int n) { return static_cast<int>(random() % static_cast<unsigned>(n)); };
  // Keys that straddle the ones the splice writes.
  const std::vector<std::string> keys = {
      "a",    "apiVersion",      "b",        "kind", "labels", "metadata",
      "name", "resourceVersion", "selfLink", "zz",   "Z",      "\xc3\xa9t\xc3\xa9",
      "r",    "resourceVersions"};
  std::function<json(int)> value = [&](int depth) -> json {
    switch (depth > 3 ? pick(5) : pick(7)) {
      case 0:
        return pick(2) == 0;
      case 1:
        return pick(100000) - 50000;
      case 2:
        return pick(1000) / 8.0;
      case 3:
        return std::string(static_cast<size_t>(pick(4)), "\"\\{}[]a"[pick(7)]);
      case 4:
        return nullptr;
      case 5: {
        json o = json::object();
        for (int i = pick(4); i > 0; --i) o[keys[static_cast<size_t>(pick(14))]] = value(depth + 1);
        return o;
      }
      default: {
        json a = json::array();
        for (int i = pick(4); i > 0; --i) a.push_back(value(depth + 1));
        return a;
      }
    }
  };
  for (int i = 0; i < 500; ++i) {
    json o = json::object();
    for (int m = pick(6); m > 0; --m) o[keys[static_cast<size_t>(pick(14))]] = value(1);
    if (pick(3) != 0) {
      json meta = json::object();
      for (int m = pick(6); m > 0; --m) meta[keys[static_cast<size_t>(pick(14))]] = value(2);
      o["metadata"] = meta;
    }
    std::string text = o.dump();
    CAPTURE(text);
    auto out = spliced(text, cms, i + 1);
    if (o.contains("metadata") && !o["metadata"].is_object()) {
      CHECK_FALSE(out.has_value());  // the decoder replaces it; only it knows how
    } else {
      CHECK(out == decoded(text, cms, i + 1));
    }
  }
}

TEST_CASE("forEachMember walks the members of a compact object", "[served]") {
  std::vector<std::pair<std::string, std::string>> seen;
  auto collect = [&](std::string_view k, std::string_view v) {
    seen.emplace_back(k, v);
    return true;
  };
  CHECK(forEachMember(R"({"a":1,"b":{"c":[true,null]},"d":"x\"y"})", collect));
  CHECK(seen == std::vector<std::pair<std::string, std::string>>{
                    {"a", "1"}, {"b", R"({"c":[true,null]})"}, {"d", R"("x\"y")"}});
  CHECK(forEachMember("{}", collect));
  CHECK_FALSE(forEachMember(R"({"a":1)", collect));
  CHECK_FALSE(forEachMember(R"({"a":1} )", collect));
  CHECK_FALSE(
      forEachMember(R"({"a":1})", [](std::string_view, std::string_view) { return false; }));
}
