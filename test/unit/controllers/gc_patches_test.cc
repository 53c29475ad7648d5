#include "controllers/garbagecollector/patches.h"

#include <catch2/catch.hpp>

using namespace tug::controllers::gc;
using nlohmann::json;

namespace {

json withRefs(json refs) {
  return {{"metadata", {{"name", "dep"}, {"uid", "u-dep"}, {"ownerReferences", refs}}}};
}

json ownerRef(const std::string& uid, bool block = false) {
  return {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", "o-" + uid}, {"uid", uid},
          {"blockOwnerDeletion", block}};
}

}  // namespace

TEST_CASE("removing owner references tests each entry and removes from the end", "[gc]") {
  json obj = withRefs({ownerRef("a"), ownerRef("b"), ownerRef("c")});
  auto patch = removeOwnerReferencesPatch(obj, {"a", "c"});
  REQUIRE(patch);
  CHECK(json::parse(*patch) ==
        json::parse(R"([{"op":"test","path":"/metadata/uid","value":"u-dep"},
          {"op":"test","path":"/metadata/ownerReferences/0/uid","value":"a"},
          {"op":"test","path":"/metadata/ownerReferences/2/uid","value":"c"},
          {"op":"remove","path":"/metadata/ownerReferences/2"},
          {"op":"remove","path":"/metadata/ownerReferences/0"}])"));
  CHECK_FALSE(removeOwnerReferencesPatch(obj, {"zzz"}));
}

TEST_CASE("removing the last owner reference removes the list", "[gc]") {
  auto patch = removeOwnerReferencesPatch(withRefs({ownerRef("a")}), {"a"});
  REQUIRE(patch);
  json ops = json::parse(*patch);
  CHECK(ops.back() == json{{"op", "remove"}, {"path", "/metadata/ownerReferences"}});
}

TEST_CASE("unblocking sets blockOwnerDeletion false where it is true", "[gc]") {
  auto patch = unblockOwnerReferencesPatch(withRefs({ownerRef("a"), ownerRef("b", true)}));
  REQUIRE(patch);
  json ops = json::parse(*patch);
  REQUIRE(ops.size() == 3);
  CHECK(ops[2] == json{{"op", "replace"},
                       {"path", "/metadata/ownerReferences/1/blockOwnerDeletion"},
                       {"value", false}});
  CHECK_FALSE(unblockOwnerReferencesPatch(withRefs({ownerRef("a")})));
}

TEST_CASE("removing a finalizer tests it at its index", "[gc]") {
  json obj = {{"metadata", {{"uid", "u"}, {"finalizers", {"x", "foregroundDeletion"}}}}};
  auto patch = removeFinalizerPatch(obj, "foregroundDeletion");
  REQUIRE(patch);
  CHECK(json::parse(*patch) ==
        json::parse(R"([{"op":"test","path":"/metadata/uid","value":"u"},
          {"op":"test","path":"/metadata/finalizers/1","value":"foregroundDeletion"},
          {"op":"remove","path":"/metadata/finalizers/1"}])"));
  CHECK_FALSE(removeFinalizerPatch(obj, "orphan"));
}

TEST_CASE("metadataOnly keeps what the collector reads and nothing else", "[gc]") {
  json obj = {{"apiVersion", "v1"},
              {"kind", "ConfigMap"},
              {"metadata",
               {{"name", "a"},
                {"namespace", "default"},
                {"uid", "u"},
                {"labels", {{"k", "v"}}},
                {"annotations", {{"big", std::string(1000, 'x')}}},
                {"managedFields", json::array({json::object()})},
                {"finalizers", {"orphan"}},
                {"deletionTimestamp", "2026-01-01T00:00:00Z"},
                {"ownerReferences", {ownerRef("o", true)}}}},
              {"data", {{"k", std::string(1000, 'y')}}}};
  json slim = metadataOnly(json(obj));
  CHECK(slim == json{{"metadata",
                      {{"name", "a"},
                       {"namespace", "default"},
                       {"uid", "u"},
                       {"finalizers", {"orphan"}},
                       {"deletionTimestamp", "2026-01-01T00:00:00Z"},
                       {"ownerReferences", {ownerRef("o", true)}}}}});
  ObjectMeta m = readObjectMeta(slim, "v1", "ConfigMap");
  CHECK(m.beingDeleted);
  CHECK(m.hasFinalizer("orphan"));
  REQUIRE(m.owners.size() == 1);
  CHECK(m.owners[0].blockOwnerDeletion);
  CHECK(m.identity == Identity{"v1", "ConfigMap", "default", "a", "u"});
}
