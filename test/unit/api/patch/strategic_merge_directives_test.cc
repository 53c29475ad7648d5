// The "$patch" directive in maps and list elements, and patches nested deeply.
#include <string>

#include <catch2/catch.hpp>

#include "api/patch/patch.h"
#include "api/patch/patch_document.h"
#include "api/patch/strategic_merge_patch.h"
#include "test_types.h"

using nlohmann::json;
using tug::Code;
using tug::api::applyStrategicMergePatch;
using tug::api::testing::TestTypes;

namespace {

const TestTypes kTypes;

const json kPod = json::parse(R"({
  "metadata": {"name": "p", "labels": {"app": "web", "tier": "fe"}},
  "spec": {"containers": [{"name": "c1", "image": "one"}, {"name": "c2", "image": "two"},
                          {"name": "c3", "image": "three"}]}
})");

json smp(const char* patch, const json& original = kPod) {
  auto r = applyStrategicMergePatch(original, json::parse(patch), kTypes.pod);
  INFO(r.status().message());
  REQUIRE(r.ok());
  return *r;
}

tug::Status smpError(const char* patch) {
  auto r = applyStrategicMergePatch(kPod, json::parse(patch), kTypes.pod);
  REQUIRE_FALSE(r.ok());
  return r.status();
}

json names(const json& containers) {
  json out = json::array();
  for (const json& c : containers) {
    out.push_back(c["name"]);
  }
  return out;
}

}  // namespace

TEST_CASE("$patch delete in a list element removes the element with that key", "[smp]") {
  json out = smp(R"({"spec":{"containers":[{"name":"c2","$patch":"delete"}]}})");
  CHECK(names(out["spec"]["containers"]) == json::parse(R"(["c1","c3"])"));
  // Deleting what is not there changes nothing.
  CHECK(smp(R"({"spec":{"containers":[{"name":"c9","$patch":"delete"}]}})") == kPod);
  // kubectl's form: delete one, keep the order of the others.
  out = smp(R"({"spec":{"$setElementOrder/containers":[{"name":"c3"},{"name":"c1"}],
                        "containers":[{"name":"c2","$patch":"delete"}]}})");
  CHECK(names(out["spec"]["containers"]) == json::parse(R"(["c3","c1"])"));
  CHECK(smpError(R"({"spec":{"containers":[{"$patch":"delete"}]}})").message() ==
        "map: map[$patch:delete] does not contain declared merge key: name");
}

TEST_CASE("$patch replace in a list makes the patch's elements the whole list", "[smp]") {
  json out = smp(R"({"spec":{"containers":[{"name":"n","image":"new"},{"$patch":"replace"}]}})");
  CHECK(out["spec"]["containers"] == json::parse(R"([{"name":"n","image":"new"}])"));
  out = smp(R"({"spec":{"containers":[{"$patch":"replace"}]}})");
  CHECK(out["spec"]["containers"] == json::array());
}

TEST_CASE("$patch merge in a list element is refused, unknown values too", "[smp]") {
  CHECK(smpError(R"({"spec":{"containers":[{"name":"c1","$patch":"merge"}]}})").message() ==
        "merging lists cannot yet be specified in the patch");
  tug::Status s = smpError(R"({"spec":{"containers":[{"name":"c1","$patch":"nope"}]}})");
  CHECK(s.code() == Code::kBadRequest);
  CHECK(s.message() == "unknown patch type: nope in map: map[$patch:nope name:c1]");
  CHECK(smpError(R"({"metadata":{"labels":{"$patch":7}}})").message() ==
        "unknown patch type: 7 in map: map[$patch:7]");
}

TEST_CASE("$patch in a map replaces it, deletes its content, or merges as usual", "[smp]") {
  json out = smp(R"({"metadata":{"labels":{"$patch":"replace","only":"this"}}})");
  CHECK(out["metadata"]["labels"] == json::parse(R"({"only":"this"})"));
  out = smp(R"({"metadata":{"labels":{"$patch":"delete"}}})");
  CHECK(out["metadata"]["labels"] == json::object());
  out = smp(R"({"metadata":{"labels":{"$patch":"merge","new":"1"}}})");
  CHECK(out["metadata"]["labels"] == json::parse(R"({"app":"web","tier":"fe","new":"1"})"));
  // At the root: the whole object is replaced by the patch.
  out = smp(R"({"$patch":"replace","metadata":{"name":"q"}})");
  CHECK(out == json::parse(R"({"metadata":{"name":"q"}})"));
  // In a list element, "replace" is about the list: the element carrying it is no element.
  out = smp(R"({"spec":{"containers":[{"name":"c1","$patch":"replace"}]}})");
  CHECK(out["spec"]["containers"] == json::array());
}

TEST_CASE("directives never reach the patched object", "[smp]") {
  // A new member carrying directives keeps only its data.
  json out = smp(R"({"spec":{"volumes":[{"name":"v","$retainKeys":["name"],
                                         "hostPath":{"$patch":"delete"}}],
                             "$setElementOrder/volumes":[{"name":"v"}]}})");
  CHECK(out["spec"]["volumes"] == json::parse(R"([{"name":"v"}])"));
  out = smp(R"({"metadata":{"annotations":{"$patch":"replace","a":"1"}}})");
  CHECK_FALSE(out["metadata"].contains("annotations"));  // upstream drops a new "$patch" map
  CHECK(out.dump().find('$') == std::string::npos);
}

TEST_CASE("deeply nested patches are refused before anything recurses", "[smp][limits]") {
  std::string deep(100000, '{');
  deep += std::string(100000, '}');
  auto parsed = tug::api::parsePatchDocument(deep);
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().code() == Code::kBadRequest);
  CHECK(parsed.status().message().find("nested too deeply") != std::string::npos);
  for (auto type : {tug::api::PatchType::kJsonPatch, tug::api::PatchType::kMergePatch,
                    tug::api::PatchType::kStrategicMergePatch}) {
    auto r = tug::api::applyPatch(type, kPod, std::string(50000, '[') + std::string(50000, ']'),
                                  kTypes.pod);
    REQUIRE_FALSE(r.ok());
    CHECK(r.status().code() == Code::kBadRequest);
  }
  // Brackets inside strings do not count.
  CHECK(tug::api::textNestingDepth(R"({"a":"[[[[{{{{\"[[["})") == 1);
}

TEST_CASE("patches nested up to the limit apply without exhausting the stack", "[smp][limits]") {
  const int depth = tug::api::kMaxPatchDepth - 1;
  std::string patch;
  for (int i = 0; i < depth; ++i) {
    patch += R"({"x":)";
  }
  patch += "1";
  patch += std::string(depth, '}');
  std::string original;
  for (int i = 0; i < depth; ++i) {
    original += R"({"x":)";
  }
  original += "0";
  original += std::string(depth, '}');
  json doc = json::parse(original);
  for (auto type : {tug::api::PatchType::kMergePatch, tug::api::PatchType::kStrategicMergePatch}) {
    auto r = tug::api::applyPatch(type, doc, patch, nullptr);
    INFO(r.status().message());
    REQUIRE(r.ok());
    CHECK(tug::api::nestingDepth(*r) == depth);
  }
}
