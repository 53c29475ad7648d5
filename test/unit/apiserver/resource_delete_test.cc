#include <catch2/catch.hpp>

#include "apiserver/delete_propagation.h"
#include "apiserver/resource_verbs.h"
#include "apiserver/resources.h"
#include "verb_fixture.h"

using namespace tug;
using namespace tug::apiserver;
using nlohmann::json;

namespace {

struct Fixture : VerbFixture {

  VerbRequest request(const char* resource, std::string name = "", json body = nullptr,
                      QueryParams params = {}) {
    const api::ResourceInfo* info = registry.find("", "v1", resource);
    REQUIRE(info != nullptr);
    return VerbRequest{ResourceTarget{info, "default", std::move(name), ""}, std::move(params),
                       body.is_null() ? "" : body.dump()};
  }

  json create(const char* resource, const std::string& name, json finalizers = json::array()) {
    json body = {{"metadata", {{"name", name}}}};
    if (!finalizers.empty()) {
      body["metadata"]["finalizers"] = finalizers;
    }
    if (std::string(resource) == "replicationcontrollers") {
      body["spec"] = json::parse(R"({"replicas": 0, "selector": {"app": "x"},
          "template": {"metadata": {"labels": {"app": "x"}},
                       "spec": {"containers": [{"name": "c", "image": "busybox"}]}}})");
    }
    Reply r = createResource(ctx, request(resource, "", body));
    REQUIRE(r.code == 201);
    return r.body;
  }

  Reply remove(const char* resource, const std::string& name, json options = nullptr,
               QueryParams params = {}) {
    return deleteResource(ctx, request(resource, name, std::move(options), std::move(params)));
  }

  Reply get(const char* resource, const std::string& name) {
    return getResource(ctx, request(resource, name));
  }
};

json policy(const char* p) { return {{"kind", "DeleteOptions"}, {"propagationPolicy", p}}; }

}  // namespace

TEST_CASE("Foreground marks the object and adds the foregroundDeletion finalizer",
          "[delete]") {
  Fixture f;
  f.create("configmaps", "a");
  Reply r = f.remove("configmaps", "a", policy("Foreground"));
  REQUIRE(r.code == 200);
  CHECK(r.body["metadata"]["finalizers"] == json{"foregroundDeletion"});
  CHECK(r.body["metadata"].contains("deletionTimestamp"));
  CHECK(r.body["metadata"]["deletionGracePeriodSeconds"] == 0);
  Reply stored = f.get("configmaps", "a");
  REQUIRE(stored.code == 200);
  CHECK(stored.body["metadata"]["finalizers"] == json{"foregroundDeletion"});

  SECTION("removing the finalizer lets it go") {
    json next = stored.body;
    next["metadata"].erase("finalizers");
    REQUIRE(updateResource(f.ctx, f.request("configmaps", "a", next)).code == 200);
    CHECK(f.get("configmaps", "a").code == 404);
  }
  SECTION("a later Orphan switches the finalizer and keeps the deletionTimestamp") {
    Reply again = f.remove("configmaps", "a", policy("Orphan"));
    REQUIRE(again.code == 200);
    CHECK(again.body["metadata"]["finalizers"] == json{"orphan"});
    CHECK(again.body["metadata"]["deletionTimestamp"] ==
          stored.body["metadata"]["deletionTimestamp"]);
  }
  SECTION("a later Background drops the finalizer and deletes at once") {
    REQUIRE(f.remove("configmaps", "a", policy("Background")).code == 200);
    CHECK(f.get("configmaps", "a").code == 404);
  }
  SECTION("a later delete without a policy keeps it waiting as it was") {
    Reply again = f.remove("configmaps", "a");
    REQUIRE(again.code == 200);
    CHECK(again.body["metadata"]["resourceVersion"] == stored.body["metadata"]["resourceVersion"]);
  }
}

TEST_CASE("Orphan and orphanDependents=true add the orphan finalizer", "[delete]") {
  Fixture f;
  f.create("configmaps", "a", {"example.com/hold"});
  Reply r = f.remove("configmaps", "a", policy("Orphan"));
  REQUIRE(r.code == 200);
  CHECK(r.body["metadata"]["finalizers"] == json({"example.com/hold", "orphan"}));

  f.create("configmaps", "b");
  Reply byBool = f.remove("configmaps", "b", {{"orphanDependents", true}});
  REQUIRE(byBool.code == 200);
  CHECK(byBool.body["metadata"]["finalizers"] == json{"orphan"});

  f.create("configmaps", "c");
  Reply byQuery = f.remove("configmaps", "c", nullptr, {{"propagationPolicy", "Orphan"}});
  REQUIRE(byQuery.code == 200);
  CHECK(byQuery.body["metadata"]["finalizers"] == json{"orphan"});
}

TEST_CASE("Background deletes at once unless other finalizers remain", "[delete]") {
  Fixture f;
  f.create("configmaps", "a");
  REQUIRE(f.remove("configmaps", "a", policy("Background")).code == 200);
  CHECK(f.get("configmaps", "a").code == 404);

  f.create("configmaps", "b", {"example.com/hold", "foregroundDeletion"});
  Reply r = f.remove("configmaps", "b", policy("Background"));
  REQUIRE(r.code == 200);
  CHECK(r.body["metadata"]["finalizers"] == json{"example.com/hold"});
  CHECK(f.get("configmaps", "b").code == 200);
}

TEST_CASE("without a policy the object's own GC finalizer or the resource default decides",
          "[delete]") {
  Fixture f;
  f.create("configmaps", "a", {"foregroundDeletion"});
  Reply r = f.remove("configmaps", "a");
  REQUIRE(r.code == 200);
  CHECK(r.body["metadata"]["finalizers"] == json{"foregroundDeletion"});

  // core/v1 replication controllers orphan by default, as before the collector existed.
  f.create("replicationcontrollers", "rc");
  Reply rc = f.remove("replicationcontrollers", "rc");
  REQUIRE(rc.code == 200);
  CHECK(rc.body["metadata"]["finalizers"] == json{"orphan"});

  f.create("configmaps", "plain");
  REQUIRE(f.remove("configmaps", "plain").code == 200);
  CHECK(f.get("configmaps", "plain").code == 404);
}

TEST_CASE("orphanDependents=false that waits answers 202", "[delete]") {
  Fixture f;
  f.create("configmaps", "a", {"example.com/hold"});
  Reply r = f.remove("configmaps", "a", {{"orphanDependents", false}});
  CHECK(r.code == 202);
  f.create("configmaps", "b");
  CHECK(f.remove("configmaps", "b", {{"orphanDependents", false}}).code == 200);
}

TEST_CASE("bad propagation options are 422 about DeleteOptions, or 400 when unreadable",
          "[delete]") {
  Fixture f;
  f.create("configmaps", "a");
  Reply both = f.remove("configmaps", "a",
                        {{"orphanDependents", true}, {"propagationPolicy", "Foreground"}});
  REQUIRE(both.code == 422);
  CHECK(both.body["message"] ==
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Invalid value: "
        "\"Foreground\": orphanDependents and deletionPropagation cannot be both set");
  CHECK(both.body["reason"] == "Invalid");
  CHECK(both.body["details"]["kind"] == "DeleteOptions");
  CHECK(both.body["details"]["group"] == "meta.k8s.io");
  CHECK(both.body["details"]["causes"][0]["field"] == "propagationPolicy");

  Reply unknown = f.remove("configmaps", "a", policy("Sideways"));
  REQUIRE(unknown.code == 422);
  CHECK(unknown.body["message"] ==
        "DeleteOptions.meta.k8s.io \"\" is invalid: propagationPolicy: Unsupported value: "
        "\"Sideways\": supported values: \"Foreground\", \"Background\", \"Orphan\", \"nil\"");
  CHECK(unknown.body["details"]["causes"][0]["reason"] == "FieldValueNotSupported");
  CHECK(f.get("configmaps", "a").code == 200);

  CHECK(f.remove("configmaps", "missing", policy("Sideways")).code == 404);
  CHECK(f.remove("configmaps", "a", {{"propagationPolicy", 3}}).code == 400);
  CHECK(f.remove("configmaps", "a", nullptr, {{"orphanDependents", "maybe"}}).code == 400);
  CHECK(deleteCollection(f.ctx, f.request("configmaps", "", policy("Sideways"))).code == 422);
  CHECK(f.get("configmaps", "a").code == 200);
}

TEST_CASE("deletecollection applies the policy to every object", "[delete]") {
  Fixture f;
  f.create("configmaps", "a");
  f.create("configmaps", "b");
  Reply r = deleteCollection(f.ctx, f.request("configmaps", "", policy("Foreground")));
  REQUIRE(r.code == 200);
  REQUIRE(r.body["items"].size() == 2);
  for (const char* name : {"a", "b"}) {
    Reply left = f.get("configmaps", name);
    REQUIRE(left.code == 200);
    CHECK(left.body["metadata"]["finalizers"] == json{"foregroundDeletion"});
  }
}

TEST_CASE("finalizersAfterDelete leaves events alone and keeps other finalizers first",
          "[delete]") {
  const api::ResourceRegistry& registry = api::ResourceRegistry::builtin();
  const api::ResourceInfo* events = registry.find("", "v1", "events");
  const api::ResourceInfo* configmaps = registry.find("", "v1", "configmaps");
  REQUIRE(events != nullptr);
  REQUIRE(configmaps != nullptr);
  json obj = {{"metadata", {{"finalizers", {"orphan", "x"}}}}};
  CHECK_FALSE(finalizersAfterDelete(*events, {{"metadata", json::object()}},
                                    {std::nullopt, "Foreground"}));
  auto next = finalizersAfterDelete(*configmaps, obj, {std::nullopt, "Foreground"});
  REQUIRE(next);
  CHECK(*next == json({"x", "foregroundDeletion"}));
  CHECK_FALSE(finalizersAfterDelete(*configmaps, {{"metadata", {{"finalizers", {"x", "orphan"}}}}},
                                    {true, std::nullopt}));
}
