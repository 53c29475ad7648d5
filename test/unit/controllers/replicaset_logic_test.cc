#include "controllers/replicaset/replicaset_logic.h"

#include <catch2/catch.hpp>

using namespace tug;
using namespace tug::controllers;
using json = nlohmann::json;
using std::chrono::seconds;

namespace {

const TimePoint kNow = *parseTime("2026-01-01T12:00:00Z");

json rs(int replicas, int minReady = 0) {
  return {{"metadata",
           {{"name", "web-abc"}, {"namespace", "ns"}, {"uid", "rs-uid"}, {"generation", 3}}},
          {"spec",
           {{"replicas", replicas},
            {"minReadySeconds", minReady},
            {"selector", {{"matchLabels", {{"app", "web"}}}}},
            {"template",
             {{"metadata",
               {{"labels", {{"app", "web"}, {"tier", "front"}}},
                {"annotations", {{"a", "b"}}}}},
              {"spec", {{"containers", json::array({{{"name", "c"}, {"image", "nginx"}}})}}}}}}}};
}

// A pod named `name` on `node` ("" unscheduled) in `phase`, Ready since `readyAgo` seconds
// (negative: not ready), created `age` seconds ago.
json pod(const std::string& name, const std::string& node, const std::string& phase,
         int readyAgo, int age, const json& labels = {{"app", "web"}, {"tier", "front"}}) {
  json p = {{"metadata",
             {{"name", name},
              {"uid", "uid-" + name},
              {"labels", labels},
              {"creationTimestamp", formatTime(kNow - seconds(age))}}},
            {"spec", {{"nodeName", node}}},
            {"status", {{"phase", phase}}}};
  if (readyAgo >= 0) {
    p["status"]["conditions"] = json::array(
        {{{"type", "Ready"}, {"status", "True"},
          {"lastTransitionTime", formatTime(kNow - seconds(readyAgo))}}});
  }
  return p;
}

std::vector<std::string> names(const std::vector<json>& pods) {
  std::vector<std::string> out;
  for (const json& p : pods) {
    out.push_back(nameOf(p));
  }
  return out;
}

}  // namespace

TEST_CASE("a pod from the template carries labels, generateName and a controller reference",
          "[replicaset]") {
  auto p = replicaset::podFromTemplate(rs(3));
  REQUIRE(p.ok());
  CHECK((*p)["metadata"]["generateName"] == "web-abc-");
  CHECK((*p)["metadata"]["namespace"] == "ns");
  CHECK((*p)["metadata"]["labels"] == json({{"app", "web"}, {"tier", "front"}}));
  CHECK((*p)["metadata"]["annotations"] == json({{"a", "b"}}));
  CHECK((*p)["metadata"]["ownerReferences"] ==
        json::array({{{"apiVersion", "apps/v1"},
                      {"kind", "ReplicaSet"},
                      {"name", "web-abc"},
                      {"uid", "rs-uid"},
                      {"controller", true},
                      {"blockOwnerDeletion", true}}}));
  CHECK((*p)["spec"]["containers"][0]["image"] == "nginx");
  CHECK_FALSE((*p)["metadata"].contains("name"));

  json bare = rs(1);
  bare["spec"]["template"]["metadata"].erase("labels");
  auto refused = replicaset::podFromTemplate(bare);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().message() == "unable to create pods, no labels");
}

TEST_CASE("surplus pods go in upstream's order", "[replicaset]") {
  SECTION("unscheduled, then pending, then not ready, then ready") {
    std::vector<json> pods = {pod("ready", "n1", "Running", 100, 200),
                              pod("notready", "n1", "Running", -1, 200),
                              pod("pending", "n1", "Pending", -1, 200),
                              pod("unscheduled", "", "Pending", -1, 200)};
    CHECK(names(replicaset::podsToDelete(pods, pods, 3, kNow)) ==
          std::vector<std::string>{"unscheduled", "pending", "notready"});
  }
  SECTION("a lower deletion cost goes first") {
    json cheap = pod("cheap", "n1", "Running", 100, 200);
    cheap["metadata"]["annotations"] = {{"controller.kubernetes.io/pod-deletion-cost", "-5"}};
    std::vector<json> pods = {pod("plain", "n2", "Running", 100, 200), cheap};
    CHECK(names(replicaset::podsToDelete(pods, pods, 1, kNow)) ==
          std::vector<std::string>{"cheap"});
  }
  SECTION("pods doubled up on a node go before lone ones") {
    std::vector<json> pods = {pod("alone", "n1", "Running", 100, 200),
                              pod("twin1", "n2", "Running", 100, 200),
                              pod("twin2", "n2", "Running", 100, 200)};
    auto doomed = names(replicaset::podsToDelete(pods, pods, 1, kNow));
    CHECK((doomed[0] == "twin1" || doomed[0] == "twin2"));
  }
  SECTION("ready for less time goes first, in logarithmic buckets") {
    std::vector<json> pods = {pod("old", "n1", "Running", 4000, 5000),
                              pod("young", "n2", "Running", 10, 5000)};
    CHECK(names(replicaset::podsToDelete(pods, pods, 1, kNow)) ==
          std::vector<std::string>{"young"});
  }
  SECTION("more restarts go first, then newer pods") {
    json restarted = pod("restarted", "n1", "Running", 100, 9000);
    restarted["status"]["containerStatuses"] = json::array({{{"restartCount", 3}}});
    std::vector<json> pods = {pod("newer", "n2", "Running", 100, 10), restarted,
                              pod("older", "n3", "Running", 100, 100000)};
    CHECK(names(replicaset::podsToDelete(pods, pods, 2, kNow)) ==
          std::vector<std::string>{"restarted", "newer"});
  }
  SECTION("deleting all of them keeps the given order") {
    std::vector<json> pods = {pod("a", "n1", "Running", 100, 200), pod("b", "", "Pending", -1, 1)};
    CHECK(names(replicaset::podsToDelete(pods, pods, 5, kNow)) ==
          std::vector<std::string>{"a", "b"});
  }
}

TEST_CASE("status counts labelled, ready and available pods", "[replicaset]") {
  std::vector<json> pods = {pod("a", "n1", "Running", 100, 200),
                            pod("b", "n1", "Running", 5, 200),
                            pod("c", "n1", "Pending", -1, 200, {{"app", "web"}})};
  json status = replicaset::calculateStatus(rs(3, 10), pods, std::nullopt, kNow);
  CHECK(status == json({{"replicas", 3},
                        {"fullyLabeledReplicas", 2},
                        {"readyReplicas", 2},
                        {"availableReplicas", 1},
                        {"observedGeneration", 3}}));

  json empty = replicaset::calculateStatus(rs(0), {}, std::nullopt, kNow);
  CHECK(empty == json({{"replicas", 0}, {"observedGeneration", 3}}));
}

TEST_CASE("a failed create sets ReplicaFailure until a sync succeeds", "[replicaset]") {
  json set = rs(2);
  json failed = replicaset::calculateStatus(
      set, {}, replicaset::ManageError{true, "exceeded quota: q"}, kNow);
  REQUIRE(failed["conditions"].size() == 1);
  CHECK(failed["conditions"][0]["type"] == "ReplicaFailure");
  CHECK(failed["conditions"][0]["status"] == "True");
  CHECK(failed["conditions"][0]["reason"] == "FailedCreate");
  CHECK(failed["conditions"][0]["message"] == "exceeded quota: q");

  set["status"] = failed;
  json again = replicaset::calculateStatus(
      set, {}, replicaset::ManageError{true, "another"}, kNow + seconds(30));
  CHECK(again["conditions"] == failed["conditions"]);  // the first failure stays as it was

  json healed = replicaset::calculateStatus(set, {}, std::nullopt, kNow);
  CHECK_FALSE(healed.contains("conditions"));

  json deleting = replicaset::calculateStatus(rs(0), {},
                                              replicaset::ManageError{false, "nope"}, kNow);
  CHECK(deleting["conditions"][0]["reason"] == "FailedDelete");
}
