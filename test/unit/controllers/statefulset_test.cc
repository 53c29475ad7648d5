#include <map>

#include <catch2/catch.hpp>

#include "controllers/statefulset/revisions.h"
#include "controllers/statefulset/stateful_pods.h"
#include "controllers/statefulset/update_plan.h"

using namespace tug;
using namespace tug::controllers;
using namespace tug::controllers::statefulset;
using json = nlohmann::json;

namespace {

const TimePoint kNow = *parseTime("2026-01-01T12:00:00Z");

json statefulSet(int replicas, const std::string& image = "nginx:1.25") {
  return {
      {"metadata", {{"name", "web"}, {"namespace", "ns"}, {"uid", "set-uid"}, {"generation", 2}}},
      {"spec",
       {{"replicas", replicas},
        {"serviceName", "web-svc"},
        {"podManagementPolicy", "OrderedReady"},
        {"updateStrategy", {{"type", "RollingUpdate"}, {"rollingUpdate", {{"partition", 0}}}}},
        {"revisionHistoryLimit", 10},
        {"selector", {{"matchLabels", {{"app", "web"}}}}},
        {"template",
         {{"metadata", {{"labels", {{"app", "web"}}}, {"annotations", {{"a", "b"}}}}},
          {"spec",
           {{"containers", json::array({{{"name", "c"}, {"image", image}}})},
            {"volumes", json::array({{{"name", "www"}, {"emptyDir", json::object()}},
                                     {{"name", "cfg"}, {"emptyDir", json::object()}}})}}}}},
        {"volumeClaimTemplates",
         json::array({{{"metadata", {{"name", "www"}, {"labels", {{"tier", "data"}}}}},
                       {"spec", {{"accessModes", {"ReadWriteOnce"}}}}}})}}}};
}

json revisionNamed(const json& set, int64_t number) { return newRevision(set, number, 0); }

// A pod of `set` at `revision` in `phase`, Ready when asked.
json pod(const json& set, int ordinal, const json& revision, const std::string& phase = "Running",
         bool isReady = true) {
  json p = newPod(applyRevision(set, revision), ordinal, nameOf(revision));
  p["metadata"]["uid"] = "uid-" + std::to_string(ordinal);
  p["status"] = {{"phase", phase}};
  if (isReady) {
    p["status"]["conditions"] = json::array(
        {{{"type", "Ready"}, {"status", "True"}, {"lastTransitionTime", "2026-01-01T11:00:00Z"}}});
  }
  return p;
}

std::vector<std::string> steps(const SyncPlan& plan) {
  std::vector<std::string> out;
  for (const auto& phase : plan.phases) {
    for (const PodAction& a : phase) {
      const char* verb = a.step == PodStep::kCreate         ? "create "
                         : a.step == PodStep::kFixClaims    ? "owners "
                         : a.step == PodStep::kCreateClaims ? "claims "
                         : a.step == PodStep::kUpdate       ? "update "
                                                            : "delete ";
      out.push_back(verb + nameOf(a.pod));
    }
  }
  return out;
}

using Steps = std::vector<std::string>;

}  // namespace

TEST_CASE("pod names carry the parent and the ordinal", "[statefulset]") {
  CHECK(parentAndOrdinal("web-0") == std::make_pair(std::string("web"), 0));
  CHECK(parentAndOrdinal("my-web-12") == std::make_pair(std::string("my-web"), 12));
  CHECK_FALSE(parentAndOrdinal("web"));
  CHECK_FALSE(parentAndOrdinal("web-"));
  CHECK_FALSE(parentAndOrdinal("web-1x"));
  CHECK_FALSE(parentAndOrdinal("web-99999999999"));
  json set = statefulSet(3);
  CHECK(podName(set, 4) == "web-4");
  CHECK(claimName(set, set["spec"]["volumeClaimTemplates"][0], 4) == "www-web-4");
  CHECK(isMemberOf(set, json{{"metadata", {{"name", "web-7"}}}}));
  CHECK_FALSE(isMemberOf(set, json{{"metadata", {{"name", "web-a-7"}}}}));
  CHECK_FALSE(isMemberOf(set, json{{"metadata", {{"name", "webx"}}}}));
}

TEST_CASE("a new pod has a stable identity and mounts its claims", "[statefulset]") {
  json set = statefulSet(3);
  set["spec"]["ordinals"] = {{"start", 5}};
  json p = newPod(set, 6, "web-abc");
  const json& meta = p["metadata"];
  CHECK(meta["name"] == "web-6");
  CHECK(meta["generateName"] == "web-");
  CHECK(meta["namespace"] == "ns");
  CHECK(meta["labels"] == json{{"app", "web"},
                               {"controller-revision-hash", "web-abc"},
                               {"statefulset.kubernetes.io/pod-name", "web-6"},
                               {"apps.kubernetes.io/pod-index", "6"}});
  CHECK(meta["annotations"] == json{{"a", "b"}});
  REQUIRE(meta["ownerReferences"].size() == 1);
  CHECK(meta["ownerReferences"][0] == json{{"apiVersion", "apps/v1"},
                                           {"kind", "StatefulSet"},
                                           {"name", "web"},
                                           {"uid", "set-uid"},
                                           {"controller", true},
                                           {"blockOwnerDeletion", true}});
  CHECK(p["spec"]["hostname"] == "web-6");
  CHECK(p["spec"]["subdomain"] == "web-svc");
  // The template's volume of the claim's name is replaced; the others stay.
  CHECK(p["spec"]["volumes"] ==
        json::array({{{"name", "www"}, {"persistentVolumeClaim", {{"claimName", "www-web-6"}}}},
                     {{"name", "cfg"}, {"emptyDir", json::object()}}}));
  CHECK(identityMatches(set, p));
  CHECK(storageMatches(set, p));

  json drifted = p;
  drifted["metadata"]["labels"].erase("statefulset.kubernetes.io/pod-name");
  CHECK_FALSE(identityMatches(set, drifted));
  drifted["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"] = "www-web-1";
  CHECK_FALSE(storageMatches(set, drifted));
  updateIdentity(set, drifted);
  updateStorage(set, drifted);
  CHECK(identityMatches(set, drifted));
  CHECK(storageMatches(set, drifted));
}

TEST_CASE("claims come from the templates with the selector's labels", "[statefulset]") {
  json set = statefulSet(3);
  auto claims = claimsFor(set, 2);
  REQUIRE(claims.size() == 1);
  CHECK(claims[0]["metadata"] == json{{"name", "www-web-2"},
                                      {"namespace", "ns"},
                                      {"labels", {{"tier", "data"}, {"app", "web"}}}});
  CHECK(claims[0]["spec"] == set["spec"]["volumeClaimTemplates"][0]["spec"]);
  CHECK(claims[0]["kind"] == "PersistentVolumeClaim");
  set["spec"].erase("volumeClaimTemplates");
  CHECK(claimsFor(set, 2).empty());
}

TEST_CASE("revision hashes are stable and follow the template", "[statefulset]") {
  json set = statefulSet(3);
  json a = newRevision(set, 1, 0);
  json again = newRevision(statefulSet(5), 7, 0);  // replicas and number do not count
  CHECK(nameOf(a) == nameOf(again));
  CHECK(nameOf(a).rfind("web-", 0) == 0);
  CHECK(nameOf(a).find_first_not_of("bcdfghjklmnpqrstvwxz2456789", 4) == std::string::npos);
  CHECK(a["metadata"]["labels"]["controller.kubernetes.io/hash"] == nameOf(a).substr(4));
  CHECK(a["metadata"]["labels"]["app"] == "web");
  CHECK(a["revision"] == 1);
  CHECK(a["data"]["spec"]["template"]["$patch"] == "replace");
  CHECK(equalRevision(a, again));

  json other = newRevision(statefulSet(3, "nginx:1.26"), 2, 0);
  CHECK(nameOf(other) != nameOf(a));
  CHECK_FALSE(equalRevision(a, other));
  CHECK(nameOf(newRevision(set, 1, 1)) != nameOf(a));  // a collision count moves the name
  CHECK(revisionName(std::string(300, 'x'), "h").size() == 225);

  json restored = applyRevision(statefulSet(3, "nginx:1.26"), a);
  CHECK(restored["spec"]["template"] == set["spec"]["template"]);
}

TEST_CASE("revisions sort by number and old ones are truncated", "[statefulset]") {
  json set = statefulSet(1);
  set["spec"]["revisionHistoryLimit"] = 1;
  std::vector<json> revisions;
  for (int i = 4; i >= 1; --i) {
    json r = newRevision(statefulSet(1, "nginx:1." + std::to_string(i)), i, 0);
    revisions.push_back(r);
  }
  sortRevisions(revisions);
  CHECK(revisionNumber(revisions.front()) == 1);
  CHECK(nextRevisionNumber(revisions) == 5);
  CHECK(nextRevisionNumber({}) == 1);
  // Live: 4 (update), 3 (current), 1 (a pod still runs it); of 2 none is kept beyond the limit 1.
  std::vector<json> pods = {pod(set, 0, revisions[0])};
  auto doomed =
      revisionsToTruncate(set, revisions, pods, nameOf(revisions[2]), nameOf(revisions[3]));
  CHECK(doomed.empty());
  set["spec"]["revisionHistoryLimit"] = 0;
  doomed = revisionsToTruncate(set, revisions, pods, nameOf(revisions[2]), nameOf(revisions[3]));
  CHECK(doomed == std::vector<std::string>{nameOf(revisions[1])});
}

TEST_CASE("OrderedReady creates one pod at a time after its predecessors are ready",
          "[statefulset]") {
  json set = statefulSet(3);
  json rev = revisionNamed(set, 1);
  SECTION("nothing yet: web-0 only") {
    SyncPlan plan = planSync(set, rev, rev, 0, {}, kNow);
    CHECK(plan.ordered);
    CHECK(steps(plan) == Steps{"create web-0"});
    const json& created = plan.phases[0][0].pod;
    CHECK(created["metadata"]["labels"]["controller-revision-hash"] == nameOf(rev));
  }
  SECTION("web-0 pending: wait, creating its missing claims") {
    SyncPlan plan = planSync(set, rev, rev, 0, {pod(set, 0, rev, "Pending", false)}, kNow);
    CHECK(steps(plan) == Steps{"claims web-0"});
  }
  SECTION("web-0 running but not ready: wait") {
    CHECK(steps(planSync(set, rev, rev, 0, {pod(set, 0, rev, "Running", false)}, kNow)).empty());
  }
  SECTION("web-0 ready: web-1") {
    CHECK(steps(planSync(set, rev, rev, 0, {pod(set, 0, rev)}, kNow)) == Steps{"create web-1"});
  }
  SECTION("a gap is filled first") {
    CHECK(steps(planSync(set, rev, rev, 0, {pod(set, 0, rev), pod(set, 2, rev)}, kNow)) ==
          Steps{"create web-1"});
  }
  SECTION("a failed pod is deleted and nothing else happens") {
    CHECK(steps(planSync(set, rev, rev, 0, {pod(set, 0, rev, "Failed", false)}, kNow)) ==
          Steps{"delete web-0"});
  }
  SECTION("a pod whose identity drifted is updated") {
    json p = pod(set, 0, rev);
    p["metadata"]["labels"].erase("apps.kubernetes.io/pod-index");
    SyncPlan plan = planSync(set, rev, rev, 0, {p}, kNow);
    CHECK(steps(plan) == Steps{"update web-0", "create web-1"});
    CHECK(plan.phases[0][0].pod["metadata"]["labels"]["apps.kubernetes.io/pod-index"] == "0");
  }
  SECTION("minReadySeconds holds the next pod until web-0 is available") {
    set["spec"]["minReadySeconds"] = 7200;  // the pod has been ready for an hour
    CHECK(steps(planSync(set, rev, rev, 0, {pod(set, 0, rev)}, kNow)).empty());
  }
  SECTION("ordinals start where spec.ordinals.start says") {
    set["spec"]["ordinals"] = {{"start", 3}};
    CHECK(steps(planSync(set, rev, rev, 0, {}, kNow)) == Steps{"create web-3"});
    CHECK(steps(planSync(set, rev, rev, 0, {pod(set, 0, rev)}, kNow)) ==
          Steps{"create web-3"});  // web-0 is outside the range but web-3 comes first
  }
}

TEST_CASE("Parallel creates and deletes every pod at once", "[statefulset]") {
  json set = statefulSet(3);
  set["spec"]["podManagementPolicy"] = "Parallel";
  json rev = revisionNamed(set, 1);
  SyncPlan plan = planSync(set, rev, rev, 0, {pod(set, 1, rev, "Pending", false)}, kNow);
  CHECK_FALSE(plan.ordered);
  CHECK(steps(plan) == Steps{"create web-0", "claims web-1", "create web-2"});
  set["spec"]["replicas"] = 1;
  plan = planSync(set, rev, rev, 0,
                  {pod(set, 0, rev), pod(set, 1, rev, "Pending", false), pod(set, 2, rev)}, kNow);
  CHECK(steps(plan) == Steps{"delete web-2", "delete web-1"});
}

TEST_CASE("OrderedReady scales down from the highest ordinal while the rest is healthy",
          "[statefulset]") {
  json set = statefulSet(2);
  json rev = revisionNamed(set, 1);
  std::vector<json> pods = {pod(set, 0, rev), pod(set, 1, rev), pod(set, 2, rev), pod(set, 3, rev)};
  CHECK(steps(planSync(set, rev, rev, 0, pods, kNow)) == Steps{"delete web-3"});
  SECTION("a terminating pod is waited for") {
    pods[3]["metadata"]["deletionTimestamp"] = "2026-01-01T11:59:00Z";
    CHECK(steps(planSync(set, rev, rev, 0, pods, kNow)).empty());
  }
  SECTION("an unhealthy replica holds the scale down") {
    pods[1] = pod(set, 1, rev, "Running", false);
    CHECK(steps(planSync(set, rev, rev, 0, pods, kNow)).empty());
  }
  SECTION("the first unhealthy pod may itself go") {
    pods[3] = pod(set, 3, rev, "Running", false);
    CHECK(steps(planSync(set, rev, rev, 0, pods, kNow)) == Steps{"delete web-3"});
    pods[2] = pod(set, 2, rev, "Running", false);  // now web-2 is the first unhealthy
    CHECK(steps(planSync(set, rev, rev, 0, pods, kNow)).empty());
  }
}

TEST_CASE("rolling updates go from the highest ordinal down to the partition", "[statefulset]") {
  json oldSet = statefulSet(4);
  json current = revisionNamed(oldSet, 1);
  json set = statefulSet(4, "nginx:1.26");
  json update = revisionNamed(set, 2);
  std::vector<json> pods;
  for (int i = 0; i < 4; ++i) {
    pods.push_back(pod(set, i, current));
  }
  set["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = 2;
  SyncPlan plan = planSync(set, current, update, 0, pods, kNow);
  CHECK(steps(plan) == Steps{"delete web-3"});
  CHECK(plan.status["currentReplicas"] == 3);  // the deleted one no longer counts
  CHECK(plan.status["currentRevision"] == nameOf(current));
  CHECK(plan.status["updateRevision"] == nameOf(update));

  pods[3] = pod(set, 3, update, "Running", false);
  CHECK(steps(planSync(set, current, update, 0, pods, kNow)).empty());  // web-3 not ready yet
  pods[3] = pod(set, 3, update);
  CHECK(steps(planSync(set, current, update, 0, pods, kNow)) == Steps{"delete web-2"});
  pods[2] = pod(set, 2, update);
  plan = planSync(set, current, update, 0, pods, kNow);
  CHECK(steps(plan).empty());  // below the partition nothing changes
  CHECK(plan.status["updatedReplicas"] == 2);
  CHECK(plan.status["currentReplicas"] == 2);

  SECTION("a missing pod below the partition comes back at the current revision") {
    pods.erase(pods.begin());
    plan = planSync(set, current, update, 0, pods, kNow);
    REQUIRE(steps(plan) == Steps{"create web-0"});
    const json& created = plan.phases[0][0].pod;
    CHECK(created["metadata"]["labels"]["controller-revision-hash"] == nameOf(current));
    CHECK(created["spec"]["containers"][0]["image"] == "nginx:1.25");
  }
  SECTION("at or above it, at the update revision") {
    pods.pop_back();
    plan = planSync(set, current, update, 0, pods, kNow);
    REQUIRE(steps(plan) == Steps{"create web-3"});
    CHECK(plan.phases[0][0].pod["spec"]["containers"][0]["image"] == "nginx:1.26");
  }
  SECTION("OnDelete leaves running pods alone") {
    set["spec"]["updateStrategy"] = {{"type", "OnDelete"}};
    pods[3] = pod(set, 3, current);
    CHECK(steps(planSync(set, current, update, 0, pods, kNow)).empty());
  }
  SECTION("every pod updated and ready completes the rollout") {
    set["spec"]["updateStrategy"]["rollingUpdate"]["partition"] = 0;
    for (int i = 0; i < 4; ++i) {
      pods[i] = pod(set, i, update);
    }
    plan = planSync(set, current, update, 3, pods, kNow);
    CHECK(plan.status == json{{"observedGeneration", 2},
                              {"replicas", 4},
                              {"readyReplicas", 4},
                              {"availableReplicas", 4},
                              {"currentReplicas", 4},
                              {"updatedReplicas", 4},
                              {"currentRevision", nameOf(update)},
                              {"updateRevision", nameOf(update)},
                              {"collisionCount", 3}});
  }
}

TEST_CASE("a set being deleted only reports status", "[statefulset]") {
  json set = statefulSet(3);
  set["metadata"]["deletionTimestamp"] = "2026-01-01T11:59:00Z";
  json rev = revisionNamed(set, 1);
  SyncPlan plan = planSync(set, rev, rev, 0, {pod(set, 0, rev, "Running", false)}, kNow);
  CHECK(steps(plan).empty());
  CHECK(plan.status["replicas"] == 1);
  CHECK_FALSE(plan.status.contains("readyReplicas"));
  CHECK(plan.status["availableReplicas"] == 0);
}

namespace {

json withPolicy(json set, const std::string& whenDeleted, const std::string& whenScaled) {
  set["spec"]["persistentVolumeClaimRetentionPolicy"] = {{"whenDeleted", whenDeleted},
                                                         {"whenScaled", whenScaled}};
  return set;
}

json claimOf(const json& set, int ordinal, json refs = json::array()) {
  json c = claimsFor(set, ordinal)[0];
  if (!refs.empty()) {
    c["metadata"]["ownerReferences"] = std::move(refs);
  }
  return c;
}

std::vector<std::string> ownerKinds(const json& claim) {
  std::vector<std::string> out;
  for (const json& ref : claim["metadata"].value("ownerReferences", json::array())) {
    out.push_back(ref["kind"].get<std::string>() + "/" + ref["name"].get<std::string>() +
                  (ref.value("controller", false) ? "*" : ""));
  }
  return out;
}

}  // namespace

TEST_CASE("claim owners follow the retention policy", "[statefulset]") {
  json rev = revisionNamed(statefulSet(2), 1);
  auto owners = [&](const json& set, int ordinal) {
    json p = pod(set, ordinal, rev);
    json fixed = withPolicyOwners(claimOf(set, ordinal), set, p);
    CHECK(claimOwnersUpToDate(fixed, set, p));
    return ownerKinds(fixed);
  };
  using Kinds = std::vector<std::string>;
  json retain = withPolicy(statefulSet(2), "Retain", "Retain");
  CHECK(owners(retain, 1) == Kinds{});
  CHECK(owners(retain, 3) == Kinds{});
  json withSet = withPolicy(statefulSet(2), "Delete", "Retain");
  CHECK(owners(withSet, 1) == Kinds{"StatefulSet/web*"});
  CHECK(owners(withSet, 3) == Kinds{"StatefulSet/web*"});
  json onScale = withPolicy(statefulSet(2), "Retain", "Delete");
  CHECK(owners(onScale, 1) == Kinds{});
  CHECK(owners(onScale, 3) == Kinds{"Pod/web-3*"});  // condemned: goes with its pod
  json both = withPolicy(statefulSet(2), "Delete", "Delete");
  CHECK(owners(both, 1) == Kinds{"StatefulSet/web*"});
  CHECK(owners(both, 3) == Kinds{"Pod/web-3*"});

  json p = pod(both, 1, rev);
  CHECK_FALSE(claimOwnersUpToDate(claimOf(both, 1), both, p));
  // Back to Retain: our references go, others stay.
  json other = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", "x"}, {"uid", "x-uid"}};
  json owned =
      claimOf(retain, 1, json::array({newControllerRef(retain, "apps/v1", "StatefulSet"), other}));
  CHECK_FALSE(claimOwnersUpToDate(owned, retain, p));
  CHECK(ownerKinds(withPolicyOwners(owned, retain, p)) == Kinds{"ConfigMap/x"});
  // Another controller owns the claim: left alone.
  json foreign = other;
  foreign["controller"] = true;
  CHECK(claimOwnersUpToDate(claimOf(both, 1, json::array({foreign})), both, p));
  // A reference to an earlier set of that name: the garbage collector's business.
  json stale = newControllerRef(both, "apps/v1", "StatefulSet");
  stale["uid"] = "old-uid";
  CHECK(claimOwnersUpToDate(claimOf(both, 1, json::array({stale})), both, p));
}

TEST_CASE("claims are fixed and stale ones hold a pod back", "[statefulset]") {
  json set = withPolicy(statefulSet(1), "Retain", "Delete");
  json rev = revisionNamed(set, 1);
  std::map<std::string, json> store;
  ClaimLookup lookup = [&](const std::string& name) -> std::optional<json> {
    auto it = store.find(name);
    return it == store.end() ? std::nullopt : std::optional<json>(it->second);
  };
  std::vector<json> pods = {pod(set, 0, rev), pod(set, 1, rev)};
  store["www-web-0"] = claimOf(set, 0);
  store["www-web-1"] = claimOf(set, 1);
  // web-1 is condemned: its claim first gets web-1 as owner, then web-1 goes.
  CHECK(steps(planSync(set, rev, rev, 0, pods, kNow, lookup)) ==
        Steps{"owners web-1", "delete web-1"});
  store["www-web-1"] = withPolicyOwners(store["www-web-1"], set, pods[1]);
  CHECK(steps(planSync(set, rev, rev, 0, pods, kNow, lookup)) == Steps{"delete web-1"});

  // Scaled up again while the claim still names the deleted web-1: wait for the collector.
  set["spec"]["replicas"] = 2;
  pods.pop_back();
  CHECK(steps(planSync(set, rev, rev, 0, pods, kNow, lookup)).empty());
  store.erase("www-web-1");
  CHECK(steps(planSync(set, rev, rev, 0, pods, kNow, lookup)) == Steps{"create web-1"});
}
