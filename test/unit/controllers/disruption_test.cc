#include <catch2/catch.hpp>

#include "controllers/disruption/budget_status.h"

using namespace tug;
using namespace tug::controllers;
using namespace tug::controllers::disruption;
using nlohmann::json;

namespace {

const TimePoint kNow = *parseTime("2026-01-01T12:00:00Z");

json pod(const std::string& name, bool ready, const std::string& owner = "rs-uid") {
  json p = {{"metadata", {{"name", name}, {"namespace", "default"}, {"labels", {{"app", "web"}}}}},
            {"status",
             {{"phase", "Running"},
              {"conditions", {{{"type", "Ready"}, {"status", ready ? "True" : "False"}}}}}}};
  if (!owner.empty()) {
    p["metadata"]["ownerReferences"] = {{{"apiVersion", "apps/v1"},
                                          {"kind", "ReplicaSet"},
                                          {"name", "web-rs"},
                                          {"uid", owner},
                                          {"controller", true}}};
  }
  return p;
}

json budget(json spec) {
  if (!spec.contains("selector")) {
    spec["selector"] = {{"matchLabels", {{"app", "web"}}}};
  }
  return {{"metadata", {{"name", "web-pdb"}, {"namespace", "default"}, {"generation", 1}}},
          {"spec", spec}};
}

// Every ReplicaSet has 5 replicas; "gone" finds nothing.
ScaleFinder fiveEach() {
  return [](const json& ref, const std::string&) -> Result<std::optional<ControllerScale>> {
    if (ref.value("uid", "") == "gone") {
      return std::optional<ControllerScale>();
    }
    return std::optional<ControllerScale>(ControllerScale{ref.value("uid", ""), 5});
  };
}

}  // namespace

TEST_CASE("a budget selects the pods of its namespace that its selector matches",
          "[disruption]") {
  json other = pod("c", true);
  other["metadata"]["labels"] = {{"app", "db"}};
  json elsewhere = pod("d", true);
  elsewhere["metadata"]["namespace"] = "prod";
  std::vector<json> pods = {pod("a", true), pod("b", false), other, elsewhere};
  CHECK(podsForBudget(budget({{"minAvailable", 1}}), pods).size() == 2);
  SECTION("an empty selector selects every pod of the namespace") {
    CHECK(podsForBudget(budget({{"selector", json::object()}}), pods).size() == 3);
  }
  SECTION("no selector selects none") {
    json b = budget({});
    b["spec"].erase("selector");
    CHECK(podsForBudget(b, pods).empty());
  }
}

TEST_CASE("an integer minAvailable expects the pods found", "[disruption]") {
  std::vector<json> pods = {pod("a", true), pod("b", true), pod("c", false)};
  auto e = expectedPodCount(budget({{"minAvailable", 2}}), pods, fiveEach());
  REQUIRE(e.ok());
  CHECK(e->expected == 3);
  CHECK(e->desiredHealthy == 2);
}

TEST_CASE("percentages and maxUnavailable count the controllers' scale", "[disruption]") {
  std::vector<json> pods = {pod("a", true), pod("b", true), pod("c", true, "other-rs")};
  SECTION("minAvailable 50% of two ReplicaSets of 5 rounds up") {
    auto e = expectedPodCount(budget({{"minAvailable", "45%"}}), pods, fiveEach());
    REQUIRE(e.ok());
    CHECK(e->expected == 10);
    CHECK(e->desiredHealthy == 5);
  }
  SECTION("maxUnavailable 1") {
    auto e = expectedPodCount(budget({{"maxUnavailable", 1}}), pods, fiveEach());
    REQUIRE(e.ok());
    CHECK(e->expected == 10);
    CHECK(e->desiredHealthy == 9);
  }
  SECTION("maxUnavailable 15% rounds up the pods that may be down") {
    auto e = expectedPodCount(budget({{"maxUnavailable", "15%"}}), pods, fiveEach());
    REQUIRE(e.ok());
    CHECK(e->desiredHealthy == 8);
  }
  SECTION("pods without a controller are left out and named") {
    pods.push_back(pod("bare", true, ""));
    auto e = expectedPodCount(budget({{"maxUnavailable", "100%"}}), pods, fiveEach());
    REQUIRE(e.ok());
    CHECK(e->expected == 10);
    CHECK(e->desiredHealthy == 0);
    CHECK(e->unmanagedPods == std::vector<std::string>{"bare"});
  }
  SECTION("a controller that cannot be found is an error") {
    pods.push_back(pod("orphan", true, "gone"));
    auto e = expectedPodCount(budget({{"maxUnavailable", 1}}), pods, fiveEach());
    REQUIRE_FALSE(e.ok());
    CHECK(e.status().message() == "found no controllers for pod \"orphan\"");
  }
  SECTION("a string that is no percentage is an error") {
    auto e = expectedPodCount(budget({{"maxUnavailable", "3"}}), pods, fiveEach());
    CHECK_FALSE(e.ok());
  }
}

TEST_CASE("healthy pods are ready, not being deleted and not just evicted", "[disruption]") {
  json deleting = pod("d", true);
  deleting["metadata"]["deletionTimestamp"] = "2026-01-01T11:59:00Z";
  std::vector<json> pods = {pod("a", true), pod("b", true), pod("c", false), deleting};
  CHECK(countHealthyPods(pods, json::object(), kNow) == 2);
  CHECK(countHealthyPods(pods, {{"a", "2026-01-01T11:59:30Z"}}, kNow) == 1);
  // An eviction older than the deletion timeout no longer holds the pod out.
  CHECK(countHealthyPods(pods, {{"a", "2026-01-01T11:57:00Z"}}, kNow) == 2);
}

TEST_CASE("disrupted pods are kept until deleted, gone or two minutes old", "[disruption]") {
  json deleting = pod("deleting", true);
  deleting["metadata"]["deletionTimestamp"] = "2026-01-01T11:59:00Z";
  json b = budget({{"minAvailable", 1}});
  b["status"]["disruptedPods"] = {{"recent", "2026-01-01T11:59:30Z"},
                                  {"stale", "2026-01-01T11:57:59Z"},
                                  {"deleting", "2026-01-01T11:59:40Z"},
                                  {"gone", "2026-01-01T11:59:50Z"}};
  std::vector<json> pods = {pod("recent", true), pod("stale", true), deleting};
  DisruptedPods d = disruptedPodMap(b, pods, kNow);
  CHECK(d.entries == json{{"recent", "2026-01-01T11:59:30Z"}});
  REQUIRE(d.recheck);
  CHECK(*d.recheck == *parseTime("2026-01-01T12:01:30Z"));
}

TEST_CASE("the status allows what is healthy beyond the desired count", "[disruption]") {
  json b = budget({{"minAvailable", 2}});
  auto next = updatedBudget(b, Counts{3, 2, 3}, json::object(), kNow);
  REQUIRE(next);
  const json& s = (*next)["status"];
  CHECK(s["disruptionsAllowed"] == 1);
  CHECK(s["currentHealthy"] == 3);
  CHECK(s["desiredHealthy"] == 2);
  CHECK(s["expectedPods"] == 3);
  CHECK(s["observedGeneration"] == 1);
  CHECK_FALSE(s.contains("disruptedPods"));
  REQUIRE(s["conditions"].size() == 1);
  CHECK(s["conditions"][0]["type"] == "DisruptionAllowed");
  CHECK(s["conditions"][0]["status"] == "True");
  CHECK(s["conditions"][0]["reason"] == "SufficientPods");
  CHECK(s["conditions"][0]["lastTransitionTime"] == "2026-01-01T12:00:00Z");

  SECTION("an up-to-date status is not written again") {
    CHECK_FALSE(updatedBudget(*next, Counts{3, 2, 3}, json::object(), kNow));
  }
  SECTION("too few healthy pods allow nothing, with InsufficientPods") {
    auto worse = updatedBudget(*next, Counts{1, 2, 3}, json::object(), kNow + std::chrono::seconds(5));
    REQUIRE(worse);
    CHECK((*worse)["status"]["disruptionsAllowed"] == 0);
    CHECK((*worse)["status"]["conditions"][0]["status"] == "False");
    CHECK((*worse)["status"]["conditions"][0]["reason"] == "InsufficientPods");
    CHECK((*worse)["status"]["conditions"][0]["lastTransitionTime"] == "2026-01-01T12:00:05Z");
  }
  SECTION("nothing is allowed while no pods are expected") {
    auto none = updatedBudget(b, Counts{3, 0, 0}, json::object(), kNow);
    REQUIRE(none);
    CHECK((*none)["status"]["disruptionsAllowed"] == 0);
  }
  SECTION("a new generation is observed") {
    json changed = *next;
    changed["metadata"]["generation"] = 2;
    auto again = updatedBudget(changed, Counts{3, 2, 3}, json::object(), kNow);
    REQUIRE(again);
    CHECK((*again)["status"]["observedGeneration"] == 2);
    CHECK((*again)["status"]["conditions"][0]["observedGeneration"] == 2);
  }
}

TEST_CASE("a budget whose status cannot be computed allows nothing", "[disruption]") {
  json b = budget({{"maxUnavailable", 1}});
  b["status"] = {{"disruptionsAllowed", 2}, {"observedGeneration", 1}};
  json failed = failSafeBudget(b, "found no controllers for pod \"x\"", kNow);
  CHECK(failed["status"]["disruptionsAllowed"] == 0);
  const json& c = failed["status"]["conditions"][0];
  CHECK(c["type"] == "DisruptionAllowed");
  CHECK(c["status"] == "False");
  CHECK(c["reason"] == "SyncFailed");
  CHECK(c["message"] == "found no controllers for pod \"x\"");
}
