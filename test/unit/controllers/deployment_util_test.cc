#include "controllers/deployment/deployment_util.h"

#include <catch2/catch.hpp>

using namespace tug;
using namespace tug::controllers;
using json = nlohmann::json;
namespace du = tug::controllers::deployment;

namespace {

const TimePoint kNow = *parseTime("2026-01-01T12:00:00Z");

json tmpl(const std::string& image) {
  return {{"metadata", {{"labels", {{"app", "web"}}}}},
          {"spec", {{"containers", json::array({{{"name", "c"}, {"image", image}}})}}}};
}

json makeDeployment(int replicas, const json& surge = "25%", const json& unavailable = "25%") {
  return {{"metadata", {{"name", "web"}, {"namespace", "ns"}, {"uid", "d-uid"}, {"generation", 2}}},
          {"spec",
           {{"replicas", replicas},
            {"selector", {{"matchLabels", {{"app", "web"}}}}},
            {"strategy",
             {{"type", "RollingUpdate"},
              {"rollingUpdate", {{"maxSurge", surge}, {"maxUnavailable", unavailable}}}}},
            {"progressDeadlineSeconds", 600},
            {"template", tmpl("nginx:1")}}}};
}

json replicaSet(const std::string& name, int replicas, int available, const std::string& created,
                const std::string& image = "nginx:0") {
  json t = tmpl(image);
  t["metadata"]["labels"]["pod-template-hash"] = name;
  return {{"metadata", {{"name", name}, {"creationTimestamp", created}}},
          {"spec", {{"replicas", replicas}, {"template", t}}},
          {"status",
           {{"replicas", replicas}, {"availableReplicas", available},
            {"readyReplicas", available}}}};
}

}  // namespace

TEST_CASE("the template hash is stable and moves with the template and collisions",
          "[deployment]") {
  const std::string h = du::computeHash(tmpl("nginx:1"), std::nullopt);
  CHECK(h == du::computeHash(tmpl("nginx:1"), std::nullopt));
  CHECK(h != du::computeHash(tmpl("nginx:2"), std::nullopt));
  CHECK(h != du::computeHash(tmpl("nginx:1"), 1));
  CHECK(du::computeHash(tmpl("nginx:1"), 1) != du::computeHash(tmpl("nginx:1"), 2));
  CHECK(h.find_first_not_of("bcdfghjklmnpqrstvwxz2456789") == std::string::npos);
  CHECK(h.size() >= 1);
  CHECK(h.size() <= 10);
  // Upstream's alphabet, byte by byte: '0' is 48, 48 % 27 = 21 -> '4'; '6' wraps to 'b'.
  CHECK(du::safeEncodeString("0123456789") == "456789bcdf");
}

TEST_CASE("templates compare without the hash label", "[deployment]") {
  json a = tmpl("nginx:1");
  json b = a;
  b["metadata"]["labels"]["pod-template-hash"] = "xyz";
  CHECK(du::equalIgnoreHash(a, b));
  b["metadata"]["creationTimestamp"] = nullptr;  // as clients send templates back
  CHECK(du::equalIgnoreHash(a, b));
  json c = a;
  c["metadata"]["creationTimestamp"] = nullptr;
  CHECK(du::computeHash(a, std::nullopt) == du::computeHash(c, std::nullopt));
  b["spec"]["containers"][0]["image"] = "nginx:2";
  CHECK_FALSE(du::equalIgnoreHash(a, b));
}

TEST_CASE("surge rounds up and unavailability down", "[deployment]") {
  CHECK(du::maxSurge(makeDeployment(10)) == 3);        // 2.5 -> 3
  CHECK(du::maxUnavailable(makeDeployment(10)) == 2);  // 2.5 -> 2
  CHECK(du::maxSurge(makeDeployment(3, 1, 0)) == 1);
  CHECK(du::maxUnavailable(makeDeployment(3, 1, 0)) == 0);
  // Both zero: one pod may be unavailable.
  CHECK(du::maxUnavailable(makeDeployment(3, "0%", "10%")) == 1);
  CHECK(du::maxUnavailable(makeDeployment(2, 0, 5)) == 2);  // never above spec.replicas
  json recreate = makeDeployment(4);
  recreate["spec"]["strategy"] = {{"type", "Recreate"}};
  CHECK(du::maxSurge(recreate) == 0);
  CHECK(du::maxUnavailable(recreate) == 0);
  CHECK(du::scaledValue("33%", 10, true) == 4);
  CHECK(du::scaledValue("33%", 10, false) == 3);
  CHECK_FALSE(du::scaledValue("x%", 10, true).has_value());
}

TEST_CASE("a rolling update scales the new ReplicaSet up within maxSurge", "[deployment]") {
  json d = makeDeployment(10);  // surge 3
  json old = replicaSet("old", 10, 10, "2026-01-01T10:00:00Z");
  json fresh = replicaSet("new", 0, 0, "2026-01-01T11:00:00Z", "nginx:1");
  CHECK(du::newRSNewReplicas(d, {&old, &fresh}, fresh) == 3);
  fresh["spec"]["replicas"] = 3;
  old["spec"]["replicas"] = 8;
  CHECK(du::newRSNewReplicas(d, {&old, &fresh}, fresh) == 5);
  old["spec"]["replicas"] = 0;
  CHECK(du::newRSNewReplicas(d, {&old, &fresh}, fresh) == 10);  // never above spec.replicas
  json recreate = d;
  recreate["spec"]["strategy"] = {{"type", "Recreate"}};
  CHECK(du::newRSNewReplicas(recreate, {&fresh}, fresh) == 10);
}

TEST_CASE("old ReplicaSets scale down to the minimum availability", "[deployment]") {
  json d = makeDeployment(10);  // maxUnavailable 2: at least 8 available
  json old = replicaSet("old", 10, 10, "2026-01-01T10:00:00Z");
  json fresh = replicaSet("new", 3, 0, "2026-01-01T11:00:00Z", "nginx:1");
  // 13 pods, 3 new ones not available: 13 - 8 - 3 = 2 may go.
  auto plan = du::oldReplicaSetScaleDowns(d, {&old}, fresh);
  REQUIRE(plan.size() == 1);
  CHECK(plan[0] == std::make_pair(std::string("old"), int64_t{8}));

  SECTION("unhealthy old replicas go first") {
    json sick = replicaSet("sick", 4, 1, "2026-01-01T09:00:00Z");
    json healthy = replicaSet("healthy", 6, 6, "2026-01-01T10:00:00Z");
    json ready = replicaSet("new", 3, 3, "2026-01-01T11:00:00Z", "nginx:1");
    // 13 pods, minAvailable 8, new unavailable 0: up to 5 may go; the 3 unhealthy first,
    // then available ones, oldest first, down to 8 available (10 available - 8 = 2).
    auto p = du::oldReplicaSetScaleDowns(d, {&healthy, &sick}, ready);
    REQUIRE(p.size() == 3);
    CHECK(p[0] == std::make_pair(std::string("sick"), int64_t{1}));
    CHECK(p[1] == std::make_pair(std::string("sick"), int64_t{0}));
    CHECK(p[2] == std::make_pair(std::string("healthy"), int64_t{5}));
  }
  SECTION("nothing goes while the minimum is not met") {
    json lean = replicaSet("old", 8, 8, "2026-01-01T10:00:00Z");
    json pending = replicaSet("new", 2, 0, "2026-01-01T11:00:00Z", "nginx:1");
    CHECK(du::oldReplicaSetScaleDowns(d, {&lean}, pending).empty());
  }
}

TEST_CASE("a resize mid-rollout is shared out in proportion", "[deployment]") {
  json d = makeDeployment(20, 3, 2);  // was 10 (max-replicas annotations say 13)
  json old = replicaSet("old", 8, 8, "2026-01-01T10:00:00Z");
  json fresh = replicaSet("new", 5, 0, "2026-01-01T11:00:00Z", "nginx:1");
  for (json* rs : {&old, &fresh}) {
    (*rs)["metadata"]["annotations"] = {{du::kMaxReplicas, "13"}, {du::kDesiredReplicas, "10"}};
  }
  // Allowed 23, now 13: 10 more; old gets 8*23/13 - 8 = 6 (14.15 -> 14), new 5*23/13 - 5 = 4
  // (8.85 -> 9), and nothing is left over.
  auto sizes = du::proportionalSizes(d, {&old, &fresh});
  REQUIRE(sizes.size() == 2);
  CHECK(sizes[0] == std::make_pair(std::string("old"), int64_t{14}));
  CHECK(sizes[1] == std::make_pair(std::string("new"), int64_t{9}));

  json down = makeDeployment(5, 3, 2);
  auto smaller = du::proportionalSizes(down, {&old, &fresh});
  int64_t total = 0;
  for (const auto& s : smaller) {
    total += s.second;
    CHECK(s.second >= 0);
  }
  CHECK(total == 8);  // 5 + maxSurge 3
}

TEST_CASE("revision annotations move forward and keep a history on rollback", "[deployment]") {
  json d = makeDeployment(3);
  d["metadata"]["annotations"] = {{"team", "a"}, {du::kRevision, "4"},
                                  {"kubectl.kubernetes.io/last-applied-configuration", "{}"}};
  json rs = {{"metadata", {{"name", "web-x"}}}};
  CHECK(du::setNewReplicaSetAnnotations(d, rs, "1", false));
  const json& a = rs["metadata"]["annotations"];
  CHECK(a["team"] == "a");
  CHECK(a[du::kRevision] == "1");
  CHECK_FALSE(a.contains("kubectl.kubernetes.io/last-applied-configuration"));
  CHECK(a[du::kDesiredReplicas] == "3");
  CHECK(a[du::kMaxReplicas] == "4");
  CHECK_FALSE(a.contains(du::kRevisionHistory));
  CHECK_FALSE(du::setNewReplicaSetAnnotations(d, rs, "1", true));

  CHECK(du::setNewReplicaSetAnnotations(d, rs, "3", true));
  CHECK(rs["metadata"]["annotations"][du::kRevision] == "3");
  CHECK(rs["metadata"]["annotations"][du::kRevisionHistory] == "1");
  CHECK(du::setNewReplicaSetAnnotations(d, rs, "5", true));
  CHECK(rs["metadata"]["annotations"][du::kRevisionHistory] == "1,3");
  CHECK(du::revisionOf(rs) == 5);
}

TEST_CASE("conditions keep their transition time while the status holds", "[deployment]") {
  json status = json::object();
  du::setCondition(status, du::newCondition("Progressing", "True", "NewReplicaSetCreated", "m",
                                            kNow));
  du::setCondition(status, du::newCondition("Progressing", "True", "ReplicaSetUpdated", "m2",
                                            kNow + std::chrono::seconds(60)));
  const json* c = du::getCondition(status, "Progressing");
  REQUIRE(c != nullptr);
  CHECK((*c)["reason"] == "ReplicaSetUpdated");
  CHECK((*c)["lastTransitionTime"] == "2026-01-01T12:00:00Z");
  CHECK((*c)["lastUpdateTime"] == "2026-01-01T12:01:00Z");
  du::removeCondition(status, "Progressing");
  CHECK_FALSE(status.contains("conditions"));
}

TEST_CASE("status adds up the ReplicaSets and judges availability", "[deployment]") {
  json d = makeDeployment(4, 1, 1);
  json old = replicaSet("old", 1, 1, "2026-01-01T10:00:00Z");
  json fresh = replicaSet("new", 4, 2, "2026-01-01T11:00:00Z", "nginx:1");
  json s = du::calculateStatus({&old, &fresh}, &fresh, d, kNow);
  CHECK(s["observedGeneration"] == 2);
  CHECK(s["replicas"] == 5);
  CHECK(s["updatedReplicas"] == 4);
  CHECK(s["readyReplicas"] == 3);
  CHECK(s["availableReplicas"] == 3);
  CHECK(s["unavailableReplicas"] == 2);
  CHECK(du::getCondition(s, "Available")->value("status", "") == "True");  // 3 >= 4 - 1
  CHECK_FALSE(du::deploymentComplete(d, s));

  json lean = replicaSet("new", 4, 1, "2026-01-01T11:00:00Z", "nginx:1");
  json s2 = du::calculateStatus({&lean}, &lean, d, kNow);
  CHECK(du::getCondition(s2, "Available")->value("reason", "") == "MinimumReplicasUnavailable");

  json done = replicaSet("new", 4, 4, "2026-01-01T11:00:00Z", "nginx:1");
  CHECK(du::deploymentComplete(d, du::calculateStatus({&done}, &done, d, kNow)));
}

TEST_CASE("progress is judged against the last status and the deadline", "[deployment]") {
  json d = makeDeployment(3);
  d["status"] = {{"replicas", 3}, {"updatedReplicas", 1}, {"availableReplicas", 2}};
  CHECK(du::deploymentProgressing(d, {{"replicas", 3}, {"updatedReplicas", 2},
                                      {"availableReplicas", 2}}));
  CHECK_FALSE(du::deploymentProgressing(d, d["status"]));

  json status = d["status"];
  du::setCondition(status, du::newCondition("Progressing", "True", "ReplicaSetUpdated", "m",
                                            kNow));
  CHECK_FALSE(du::deploymentTimedOut(d, status, kNow + std::chrono::seconds(600)));
  CHECK(du::deploymentTimedOut(d, status, kNow + std::chrono::seconds(601)));
  d["spec"]["progressDeadlineSeconds"] = 2147483647;
  CHECK_FALSE(du::deploymentTimedOut(d, status, kNow + std::chrono::hours(1000)));
}

TEST_CASE("the new ReplicaSet is the oldest one with the deployment's template",
          "[deployment]") {
  json d = makeDeployment(3);
  json a = replicaSet("a", 1, 1, "2026-01-01T10:00:00Z", "nginx:0");
  json b = replicaSet("b", 1, 1, "2026-01-01T11:00:00Z", "nginx:1");
  json c = replicaSet("c", 1, 1, "2026-01-01T12:00:00Z", "nginx:1");
  CHECK(du::findNewReplicaSet(d, {&c, &a, &b}) == &b);
  CHECK(du::findNewReplicaSet(d, {&a}) == nullptr);
  CHECK(du::findActiveOrLatest(&b, {&a}) == nullptr);  // two active
  a["spec"]["replicas"] = 0;
  CHECK(du::findActiveOrLatest(&b, {&a}) == &b);
}
