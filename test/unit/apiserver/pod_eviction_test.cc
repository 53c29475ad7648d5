#include "apiserver/pod_eviction.h"

#include <catch2/catch.hpp>

#include "apiserver/resources.h"
#include "verb_fixture.h"

using namespace tug;
using namespace tug::apiserver;
using nlohmann::json;

namespace {

struct Fixture : VerbFixture {
  const api::ResourceInfo* pods = registry.find("", "v1", "pods");
  const api::ResourceInfo* budgets = registry.find("policy", "v1", "poddisruptionbudgets");

  void createPod(const std::string& name, const std::string& phase, bool ready,
                 json labels = {{"app", "web"}}, json finalizers = nullptr) {
    json body = {{"metadata", {{"name", name}, {"labels", labels}}},
                 {"spec", {{"containers", {{{"name", "c"}, {"image", "nginx"}}}}}}};
    if (!finalizers.is_null()) {
      body["metadata"]["finalizers"] = finalizers;
    }
    Reply r = createResource(ctx, VerbRequest{ResourceTarget{pods, "default", "", ""}, {},
                                              body.dump()});
    REQUIRE(r.code == 201);
    r.body["status"] = {{"phase", phase},
                        {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}};
    Reply s = updateStatus(ctx, VerbRequest{ResourceTarget{pods, "default", name, "status"}, {},
                                            r.body.dump()});
    REQUIRE(s.code == 200);
  }

  // A budget over app=web whose status says `allowed` disruptions, `healthy` of `desired`.
  void createBudget(const std::string& name, int allowed, int healthy, int desired,
                    json spec = {{"minAvailable", 1}}) {
    if (!spec.contains("selector")) {
      spec["selector"] = {{"matchLabels", {{"app", "web"}}}};
    }
    json body = {{"metadata", {{"name", name}}}, {"spec", spec}};
    Reply r = createResource(ctx, VerbRequest{ResourceTarget{budgets, "default", "", ""}, {},
                                              body.dump()});
    REQUIRE(r.code == 201);
    r.body["status"] = {{"disruptionsAllowed", allowed}, {"currentHealthy", healthy},
                        {"desiredHealthy", desired}, {"expectedPods", healthy},
                        {"observedGeneration", r.body["metadata"]["generation"]}};
    Reply s = updateStatus(
        ctx, VerbRequest{ResourceTarget{budgets, "default", name, "status"}, {}, r.body.dump()});
    REQUIRE(s.code == 200);
  }

  Reply evict(const std::string& pod, json deleteOptions = nullptr, QueryParams params = {}) {
    json body = {{"apiVersion", "policy/v1"}, {"kind", "Eviction"},
                 {"metadata", {{"name", pod}, {"namespace", "default"}}}};
    if (!deleteOptions.is_null()) {
      body["deleteOptions"] = deleteOptions;
    }
    return createPodEviction(ctx, VerbRequest{ResourceTarget{pods, "default", pod, "eviction"},
                                              std::move(params), body.dump()});
  }

  bool podExists(const std::string& name) {
    return getResource(ctx, VerbRequest{ResourceTarget{pods, "default", name, ""}}).code == 200;
  }

  json budget(const std::string& name) {
    Reply r = getResource(ctx, VerbRequest{ResourceTarget{budgets, "default", name, ""}});
    REQUIRE(r.code == 200);
    return r.body;
  }
};

}  // namespace

TEST_CASE("an eviction the budget allows spends a disruption and deletes the pod",
          "[eviction]") {
  Fixture f;
  f.createPod("web-1", "Running", true);
  f.createBudget("web-pdb", 1, 3, 2);
  Reply r = f.evict("web-1");
  REQUIRE(r.code == 201);
  CHECK(r.body["kind"] == "Status");
  CHECK(r.body["status"] == "Success");
  CHECK_FALSE(f.podExists("web-1"));
  json b = f.budget("web-pdb");
  CHECK(b["status"]["disruptionsAllowed"] == 0);
  CHECK(b["status"]["disruptedPods"].contains("web-1"));
  // The budget spent its last disruption: its condition says so at once.
  CHECK(b["status"]["conditions"][0]["reason"] == "InsufficientPods");
}

TEST_CASE("an eviction the budget does not allow is refused with 429", "[eviction]") {
  Fixture f;
  f.createPod("web-1", "Running", true);
  f.createBudget("web-pdb", 0, 2, 2);
  Reply r = f.evict("web-1");
  REQUIRE(r.code == 429);
  CHECK(r.body["reason"] == "TooManyRequests");
  CHECK(r.body["message"] == "Cannot evict pod as it would violate the pod's disruption budget.");
  REQUIRE(r.body["details"]["causes"].size() == 1);
  CHECK(r.body["details"]["causes"][0]["reason"] == "DisruptionBudget");
  CHECK(r.body["details"]["causes"][0]["message"] ==
        "The disruption budget web-pdb needs 2 healthy pods and has 2 currently");
  CHECK(f.podExists("web-1"));
}

TEST_CASE("a budget whose status is behind its spec refuses evictions", "[eviction]") {
  Fixture f;
  f.createPod("web-1", "Running", true);
  f.createBudget("web-pdb", 1, 3, 2);
  json b = f.budget("web-pdb");
  b["status"]["observedGeneration"] = 0;
  REQUIRE(updateStatus(f.ctx, VerbRequest{ResourceTarget{f.budgets, "default", "web-pdb", "status"},
                                          {}, b.dump()})
              .code == 200);
  Reply r = f.evict("web-1");
  REQUIRE(r.code == 429);
  CHECK(r.body["details"]["causes"][0]["message"] ==
        "The disruption budget web-pdb is still being processed by the server.");
  CHECK(r.body["details"]["retryAfterSeconds"] == 10);
}

TEST_CASE("evictions without a budget, or of pods that are no disruption, just delete",
          "[eviction]") {
  Fixture f;
  SECTION("no budget selects the pod") {
    f.createPod("db-1", "Running", true, {{"app", "db"}});
    f.createBudget("web-pdb", 0, 2, 2);
    CHECK(f.evict("db-1").code == 201);
    CHECK_FALSE(f.podExists("db-1"));
  }
  SECTION("a finished pod goes although the budget allows nothing") {
    f.createPod("web-done", "Succeeded", false);
    f.createBudget("web-pdb", 0, 2, 2);
    CHECK(f.evict("web-done").code == 201);
    CHECK_FALSE(f.podExists("web-done"));
    CHECK(f.budget("web-pdb")["status"]["disruptionsAllowed"] == 0);
  }
  SECTION("a pending pod goes too") {
    f.createPod("web-new", "Pending", false);
    f.createBudget("web-pdb", 0, 2, 2);
    CHECK(f.evict("web-new").code == 201);
  }
}

TEST_CASE("an unready pod of a healthy budget goes without spending a disruption",
          "[eviction]") {
  Fixture f;
  f.createPod("web-sick", "Running", false);
  SECTION("IfHealthyBudget (the default) with the budget healthy") {
    f.createBudget("web-pdb", 0, 2, 2);
    CHECK(f.evict("web-sick").code == 201);
    CHECK_FALSE(f.budget("web-pdb")["status"].contains("disruptedPods"));
  }
  SECTION("IfHealthyBudget with the budget short of healthy pods") {
    f.createBudget("web-pdb", 0, 1, 2);
    CHECK(f.evict("web-sick").code == 429);
    CHECK(f.podExists("web-sick"));
  }
  SECTION("AlwaysAllow with the budget short of healthy pods") {
    f.createBudget("web-pdb", 0, 1, 2,
                   {{"minAvailable", 2}, {"unhealthyPodEvictionPolicy", "AlwaysAllow"}});
    CHECK(f.evict("web-sick").code == 201);
    CHECK_FALSE(f.podExists("web-sick"));
  }
}

TEST_CASE("a pod two budgets select cannot be evicted", "[eviction]") {
  Fixture f;
  f.createPod("web-1", "Running", true);
  f.createBudget("a", 1, 3, 2);
  f.createBudget("b", 1, 3, 2);
  Reply r = f.evict("web-1");
  REQUIRE(r.code == 500);
  CHECK(r.body["message"] ==
        "This pod has more than one PodDisruptionBudget, which the eviction subresource does "
        "not support.");
  CHECK(f.podExists("web-1"));
}

TEST_CASE("eviction errors: missing pod, wrong name, failed preconditions", "[eviction]") {
  Fixture f;
  Reply missing = f.evict("nope");
  CHECK(missing.code == 404);
  CHECK(missing.body["message"] == "pods \"nope\" not found");

  f.createPod("web-1", "Running", true);
  json body = {{"apiVersion", "policy/v1"}, {"kind", "Eviction"},
               {"metadata", {{"name", "other"}}}};
  Reply wrongName = createPodEviction(
      f.ctx, VerbRequest{ResourceTarget{f.pods, "default", "web-1", "eviction"}, {}, body.dump()});
  CHECK(wrongName.code == 400);
  CHECK(wrongName.body["message"] == "name in URL does not match name in Eviction object");

  Reply stale = f.evict("web-1", {{"preconditions", {{"uid", "not-the-uid"}}}});
  CHECK(stale.code == 409);
  CHECK(f.podExists("web-1"));
}

TEST_CASE("a dry-run eviction checks the budget and changes nothing", "[eviction]") {
  Fixture f;
  f.createPod("web-1", "Running", true);
  f.createBudget("web-pdb", 1, 3, 2);
  SECTION("in deleteOptions") {
    CHECK(f.evict("web-1", {{"dryRun", {"All"}}}).code == 201);
  }
  SECTION("as a query parameter") {
    CHECK(f.evict("web-1", nullptr, {{"dryRun", "All"}}).code == 201);
  }
  CHECK(f.podExists("web-1"));
  CHECK(f.budget("web-pdb")["status"]["disruptionsAllowed"] == 1);
}

TEST_CASE("a policy/v1beta1 Eviction is accepted", "[eviction]") {
  Fixture f;
  f.createPod("web-1", "Running", true);
  json body = {{"apiVersion", "policy/v1beta1"}, {"kind", "Eviction"},
               {"metadata", {{"name", "web-1"}}}};
  Reply r = createPodEviction(
      f.ctx, VerbRequest{ResourceTarget{f.pods, "default", "web-1", "eviction"}, {}, body.dump()});
  CHECK(r.code == 201);
  CHECK_FALSE(f.podExists("web-1"));
}

TEST_CASE("an evicted pod is marked as a disruption target before it is deleted",
          "[eviction]") {
  Fixture f;
  // A finalizer keeps the deleted pod readable.
  f.createPod("web-1", "Running", true, {{"app", "web"}}, {"example.com/hold"});
  f.createBudget("web-pdb", 1, 3, 2);
  REQUIRE(f.evict("web-1").code == 201);
  Reply r = getResource(f.ctx, VerbRequest{ResourceTarget{f.pods, "default", "web-1", ""}});
  REQUIRE(r.code == 200);
  CHECK(r.body["metadata"].contains("deletionTimestamp"));
  json target;
  for (const json& c : r.body["status"]["conditions"]) {
    if (c["type"] == "DisruptionTarget") {
      target = c;
    }
  }
  REQUIRE(target.is_object());
  CHECK(target["status"] == "True");
  CHECK(target["reason"] == "EvictionByEvictionAPI");
  CHECK(target["message"] == "Eviction API: evicting");
}

TEST_CASE("a resourceVersion precondition is checked against the pod", "[eviction]") {
  Fixture f;
  f.createPod("web-1", "Running", true);
  f.createBudget("web-pdb", 2, 3, 1);
  Reply pod = getResource(f.ctx, VerbRequest{ResourceTarget{f.pods, "default", "web-1", ""}});
  REQUIRE(pod.code == 200);
  const std::string rv = pod.body["metadata"]["resourceVersion"];
  Reply stale = f.evict("web-1", {{"preconditions", {{"resourceVersion", "1"}}}});
  CHECK(stale.code == 409);
  CHECK(f.podExists("web-1"));
  Reply current = f.evict("web-1", {{"preconditions", {{"resourceVersion", rv}}}});
  CHECK(current.code == 201);
  CHECK_FALSE(f.podExists("web-1"));
}
