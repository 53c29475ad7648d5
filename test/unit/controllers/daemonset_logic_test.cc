#include "controllers/daemonset/daemon_logic.h"

#include <algorithm>

#include <catch2/catch.hpp>

using namespace tug;
using namespace tug::controllers;
using namespace tug::controllers::daemonset;
using json = nlohmann::json;
using std::chrono::seconds;

namespace {

const TimePoint kNow = *parseTime("2026-01-01T12:00:00Z");
constexpr const char* kHash = "newhash";

json daemonSet(const json& podSpec = json::object(), const json& strategy = json()) {
  json spec = {{"containers", json::array({{{"name", "c"}, {"image", "agent:2"}}})}};
  if (podSpec.is_object()) {
    spec.update(podSpec);
  }
  json ds = {{"metadata",
              {{"name", "agent"},
               {"namespace", "kube-system"},
               {"uid", "ds-uid"},
               {"generation", 4},
               {"annotations", {{kTemplateGenerationAnnotation, "2"}}}}},
             {"spec",
              {{"selector", {{"matchLabels", {{"app", "agent"}}}}},
               {"template", {{"metadata", {{"labels", {{"app", "agent"}}}}}, {"spec", spec}}}}}};
  ds["spec"]["updateStrategy"] =
      strategy.is_null()
          ? json{{"type", "RollingUpdate"},
                 {"rollingUpdate", {{"maxUnavailable", 1}, {"maxSurge", 0}}}}
          : strategy;
  return ds;
}

json node(const std::string& name, const json& labels = json::object(),
          const json& taints = json::array()) {
  json n = {{"metadata", {{"name", name}, {"labels", labels}}}, {"spec", json::object()}};
  if (!taints.empty()) {
    n["spec"]["taints"] = taints;
  }
  return n;
}

json taint(const std::string& key, const std::string& effect, const std::string& value = "") {
  json t = {{"key", key}, {"effect", effect}};
  if (!value.empty()) {
    t["value"] = value;
  }
  return t;
}

// A pod of the DaemonSet on `nodeName`, of revision `hash`, ready (and so available) or not.
json pod(const std::string& name, const std::string& nodeName, const std::string& hash,
         bool ready, int age = 100, const std::string& phase = "Running") {
  json p = {{"metadata",
             {{"name", name},
              {"namespace", "kube-system"},
              {"uid", "uid-" + name},
              {"labels", {{"app", "agent"}, {kRevisionHashLabel, hash}}},
              {"creationTimestamp", formatTime(kNow - seconds(age))}}},
            {"spec", {{"nodeName", nodeName}}},
            {"status", {{"phase", phase}}}};
  p["status"]["conditions"] = json::array(
      {{{"type", "Ready"},
        {"status", ready ? "True" : "False"},
        {"lastTransitionTime", formatTime(kNow - seconds(50))}}});
  return p;
}

std::vector<std::string> names(const std::vector<json>& pods) {
  std::vector<std::string> out;
  for (const json& p : pods) {
    out.push_back(nameOf(p));
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

TEST_CASE("daemon pods go to nodes that fit nodeSelector, affinity and taints", "[daemonset]") {
  SECTION("a plain node runs the pod") {
    NodeFit fit = nodeShouldRunDaemonPod(node("n1"), daemonSet());
    CHECK(fit.shouldRun);
    CHECK(fit.shouldContinueRunning);
  }
  SECTION("nodeSelector must match every label") {
    json ds = daemonSet({{"nodeSelector", {{"disk", "ssd"}, {"zone", "a"}}}});
    CHECK(nodeShouldRunDaemonPod(node("n", {{"disk", "ssd"}, {"zone", "a"}}), ds).shouldRun);
    NodeFit fit = nodeShouldRunDaemonPod(node("n", {{"disk", "ssd"}}), ds);
    CHECK_FALSE(fit.shouldRun);
    CHECK_FALSE(fit.shouldContinueRunning);
  }
  SECTION("required node affinity: terms are ORed, expressions ANDed") {
    json affinity = {{"nodeAffinity",
                      {{"requiredDuringSchedulingIgnoredDuringExecution",
                        {{"nodeSelectorTerms",
                          json::array({{{"matchExpressions",
                                         json::array({{{"key", "arch"},
                                                       {"operator", "In"},
                                                       {"values", {"arm64"}}},
                                                      {{"key", "gpu"},
                                                       {"operator", "DoesNotExist"}}})}},
                                       {{"matchFields",
                                         json::array({{{"key", "metadata.name"},
                                                       {"operator", "In"},
                                                       {"values", {"special"}}}})}}})}}}}}};
    json ds = daemonSet({{"affinity", affinity}});
    CHECK(nodeShouldRunDaemonPod(node("a", {{"arch", "arm64"}}), ds).shouldRun);
    CHECK_FALSE(nodeShouldRunDaemonPod(node("b", {{"arch", "arm64"}, {"gpu", "1"}}), ds).shouldRun);
    CHECK_FALSE(nodeShouldRunDaemonPod(node("c", {{"arch", "amd64"}}), ds).shouldRun);
    CHECK(nodeShouldRunDaemonPod(node("special", {{"arch", "amd64"}}), ds).shouldRun);
  }
  SECTION("a template nodeName pins the pod to that node") {
    json ds = daemonSet({{"nodeName", "n2"}});
    CHECK_FALSE(nodeShouldRunDaemonPod(node("n1"), ds).shouldRun);
    CHECK(nodeShouldRunDaemonPod(node("n2"), ds).shouldRun);
  }
  SECTION("an untolerated NoSchedule taint keeps new pods off but lets running ones stay") {
    json tainted = node("n", {}, json::array({taint("dedicated", "NoSchedule", "infra")}));
    NodeFit fit = nodeShouldRunDaemonPod(tainted, daemonSet());
    CHECK_FALSE(fit.shouldRun);
    CHECK(fit.shouldContinueRunning);
    json tolerant = daemonSet({{"tolerations", json::array({{{"key", "dedicated"},
                                                             {"operator", "Equal"},
                                                             {"value", "infra"},
                                                             {"effect", "NoSchedule"}}})}});
    CHECK(nodeShouldRunDaemonPod(tainted, tolerant).shouldRun);
  }
  SECTION("an untolerated NoExecute taint removes running pods too") {
    NodeFit fit = nodeShouldRunDaemonPod(
        node("n", {}, json::array({taint("evict", "NoExecute")})), daemonSet());
    CHECK_FALSE(fit.shouldRun);
    CHECK_FALSE(fit.shouldContinueRunning);
  }
  SECTION("PreferNoSchedule is ignored") {
    CHECK(nodeShouldRunDaemonPod(node("n", {}, json::array({taint("x", "PreferNoSchedule")})),
                                 daemonSet())
              .shouldRun);
  }
  SECTION("the daemon tolerations cover not-ready, unreachable, pressure and cordoned nodes") {
    json taints = json::array({taint("node.kubernetes.io/not-ready", "NoExecute"),
                               taint("node.kubernetes.io/unreachable", "NoExecute"),
                               taint("node.kubernetes.io/unschedulable", "NoSchedule"),
                               taint("node.kubernetes.io/disk-pressure", "NoSchedule"),
                               taint("node.kubernetes.io/memory-pressure", "NoSchedule"),
                               taint("node.kubernetes.io/pid-pressure", "NoSchedule")});
    CHECK(nodeShouldRunDaemonPod(node("n", {}, taints), daemonSet()).shouldRun);
    json unavailable =
        node("n", {}, json::array({taint("node.kubernetes.io/network-unavailable", "NoSchedule")}));
    CHECK_FALSE(nodeShouldRunDaemonPod(unavailable, daemonSet()).shouldRun);
    CHECK(nodeShouldRunDaemonPod(unavailable, daemonSet({{"hostNetwork", true}})).shouldRun);
  }
}

TEST_CASE("daemon tolerations are added once and replace same-key ones", "[daemonset]") {
  json spec = {{"tolerations", json::array({{{"key", "node.kubernetes.io/not-ready"},
                                             {"operator", "Exists"},
                                             {"effect", "NoExecute"},
                                             {"tolerationSeconds", 300}},
                                            {{"key", "mine"}, {"operator", "Exists"}}})}};
  addDaemonTolerations(spec);
  addDaemonTolerations(spec);
  const json& t = spec["tolerations"];
  REQUIRE(t.size() == 7);
  CHECK(t[0] == json{{"key", "node.kubernetes.io/not-ready"},
                     {"operator", "Exists"},
                     {"effect", "NoExecute"}});
  CHECK(t[1] == json{{"key", "mine"}, {"operator", "Exists"}});
  CHECK(t[2]["key"] == "node.kubernetes.io/unreachable");
  CHECK(t[6] == json{{"key", "node.kubernetes.io/unschedulable"},
                     {"operator", "Exists"},
                     {"effect", "NoSchedule"}});
  for (const json& x : t) {
    CHECK(x["key"] != "node.kubernetes.io/network-unavailable");
  }
  json host = {{"hostNetwork", true}};
  addDaemonTolerations(host);
  CHECK(host["tolerations"].back()["key"] == "node.kubernetes.io/network-unavailable");
}

TEST_CASE("a daemon pod names its node by affinity and carries revision labels", "[daemonset]") {
  json ds = daemonSet({{"affinity",
                        {{"nodeAffinity",
                          {{"requiredDuringSchedulingIgnoredDuringExecution",
                            {{"nodeSelectorTerms", json::array({{{"matchExpressions",
                                                                  json::array()}}})}}}}},
                         {"podAntiAffinity", {{"x", 1}}}}}});
  auto p = newPod(ds, "n7", kHash);
  REQUIRE(p.ok());
  CHECK((*p)["metadata"]["generateName"] == "agent-");
  CHECK((*p)["metadata"]["labels"] ==
        json{{"app", "agent"}, {kRevisionHashLabel, kHash}, {kTemplateGenerationLabel, "2"}});
  CHECK((*p)["metadata"]["ownerReferences"][0]["kind"] == "DaemonSet");
  CHECK((*p)["metadata"]["ownerReferences"][0]["controller"] == true);
  const json& affinity = (*p)["spec"]["affinity"];
  CHECK(affinity["podAntiAffinity"] == json{{"x", 1}});
  CHECK(affinity["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] ==
        json{{"nodeSelectorTerms",
              json::array({{{"matchFields", json::array({{{"key", "metadata.name"},
                                                           {"operator", "In"},
                                                           {"values", {"n7"}}}})}}})}});
  CHECK(targetNodeName(*p) == "n7");
  CHECK((*p)["spec"]["tolerations"].size() == 6);

  json noLabels = daemonSet();
  noLabels["spec"]["template"]["metadata"].erase("labels");
  CHECK_FALSE(newPod(noLabels, "n", kHash).ok());
}

TEST_CASE("a ControllerRevision holds a patch that replaces the template", "[daemonset]") {
  json r = newRevision(daemonSet(), kHash, 3);
  CHECK(r["metadata"]["name"] == std::string("agent-") + kHash);
  CHECK(r["metadata"]["labels"] == json{{"app", "agent"}, {kRevisionHashLabel, kHash}});
  CHECK(r["revision"] == 3);
  CHECK(r["data"]["spec"]["template"]["$patch"] == "replace");
  CHECK(r["data"]["spec"]["template"]["spec"]["containers"][0]["image"] == "agent:2");
  CHECK(r["data"] == revisionData(daemonSet()));
  CHECK(r["data"] != revisionData(daemonSet({{"hostNetwork", true}})));
}

TEST_CASE("manage creates where missing, prunes extras and misplaced pods", "[daemonset]") {
  std::vector<json> nodes = {node("n1"), node("n2"), node("n3", {}, json::array({taint(
                                                                        "e", "NoExecute")}))};
  NodePods pods;
  pods["n2"] = {pod("old", "n2", kHash, true, 300), pod("young", "n2", kHash, true, 10)};
  pods["n3"] = {pod("evicted", "n3", kHash, true)};
  pods["n4"] = {pod("gone-bound", "n4", kHash, true)};
  json unscheduled = pod("gone-unbound", "", kHash, false);
  pods["n5"] = {unscheduled};
  ManagePlan plan = planManage(daemonSet(), nodes, pods, kHash, kNow);
  CHECK(plan.createOn == std::vector<std::string>{"n1"});
  // The oldest pod on a node stays; a pod for a vanished node stays only once bound.
  CHECK(names(plan.remove) == std::vector<std::string>{"evicted", "gone-unbound", "young"});
  CHECK(plan.failed.empty());

  SECTION("failed pods are reported for deletion, succeeded ones deleted") {
    NodePods p2;
    p2["n1"] = {pod("dead", "n1", kHash, false, 100, "Failed")};
    p2["n2"] = {pod("done", "n2", kHash, false, 100, "Succeeded")};
    ManagePlan plan2 = planManage(daemonSet(), {node("n1"), node("n2")}, p2, kHash, kNow);
    REQUIRE(plan2.failed.size() == 1);
    CHECK(plan2.failed[0].first == "n1");
    CHECK(names(plan2.remove) == std::vector<std::string>{"done"});
    CHECK(plan2.createOn.empty());  // the next pass creates once they are gone
  }
}

TEST_CASE("with surge, a node keeps an old pod only until its new one is available",
          "[daemonset]") {
  json surge = {{"type", "RollingUpdate"},
                {"rollingUpdate", {{"maxUnavailable", 0}, {"maxSurge", 1}}}};
  json ds = daemonSet(json::object(), surge);
  NodePods pods;
  pods["n1"] = {pod("old", "n1", "old", true, 300), pod("new", "n1", kHash, false, 10),
                pod("newer", "n1", kHash, false, 5)};
  ManagePlan plan = planManage(ds, {node("n1")}, pods, kHash, kNow);
  CHECK(names(plan.remove) == std::vector<std::string>{"newer"});

  pods["n1"][1] = pod("new", "n1", kHash, true, 10);
  plan = planManage(ds, {node("n1")}, pods, kHash, kNow);
  CHECK(names(plan.remove) == std::vector<std::string>{"newer", "old"});

  pods["n1"] = {pod("old", "n1", "old", false, 300), pod("new", "n1", kHash, false, 10)};
  plan = planManage(ds, {node("n1")}, pods, kHash, kNow);
  CHECK(names(plan.remove) == std::vector<std::string>{"old"});
}

TEST_CASE("rolling update replaces old pods within maxUnavailable", "[daemonset]") {
  std::vector<json> nodes = {node("n1"), node("n2"), node("n3"), node("n4")};
  NodePods pods;
  pods["n1"] = {pod("a", "n1", "old", true)};
  pods["n2"] = {pod("b", "n2", "old", true)};
  pods["n3"] = {pod("c", "n3", "old", false)};
  pods["n4"] = {pod("d", "n4", "old", true)};

  SECTION("an unavailable old pod goes at once, besides maxUnavailable healthy ones") {
    RolloutPlan plan = planRollingUpdate(daemonSet(), nodes, pods, kHash, kNow);
    CHECK(names(plan.remove) == std::vector<std::string>{"a", "c"});
    CHECK(plan.createOn.empty());
  }
  SECTION("a new pod not yet available uses up the budget") {
    pods["n1"] = {pod("a2", "n1", kHash, false)};
    RolloutPlan plan = planRollingUpdate(daemonSet(), nodes, pods, kHash, kNow);
    CHECK(names(plan.remove) == std::vector<std::string>{"c"});
  }
  SECTION("a node still waiting for its pod counts as unavailable") {
    pods.erase("n1");
    RolloutPlan plan = planRollingUpdate(daemonSet(), nodes, pods, kHash, kNow);
    CHECK(names(plan.remove) == std::vector<std::string>{"c"});
  }
  SECTION("percentages round up") {
    json ds = daemonSet(json::object(), {{"type", "RollingUpdate"},
                             {"rollingUpdate", {{"maxUnavailable", "50%"}, {"maxSurge", 0}}}});
    RolloutPlan plan = planRollingUpdate(ds, nodes, pods, kHash, kNow);
    CHECK(names(plan.remove) == std::vector<std::string>{"a", "b", "c"});
  }
  SECTION("pods of the current template generation count as updated") {
    pods["n1"] = {pod("a3", "n1", "other", true)};
    pods["n1"][0]["metadata"]["labels"][kTemplateGenerationLabel] = "2";
    RolloutPlan plan = planRollingUpdate(daemonSet(), nodes, pods, kHash, kNow);
    CHECK(names(plan.remove) == std::vector<std::string>{"b", "c"});
  }
  SECTION("with maxSurge, new pods start beside old ones, which go once those are available") {
    json ds = daemonSet(json::object(), {{"type", "RollingUpdate"},
                             {"rollingUpdate", {{"maxUnavailable", 0}, {"maxSurge", 1}}}});
    RolloutPlan plan = planRollingUpdate(ds, nodes, pods, kHash, kNow);
    CHECK(plan.remove.empty());
    CHECK(plan.createOn == std::vector<std::string>{"n3", "n1"});  // unavailable ones first

    pods["n1"].push_back(pod("a-new", "n1", kHash, true, 10));
    plan = planRollingUpdate(ds, nodes, pods, kHash, kNow);
    CHECK(names(plan.remove) == std::vector<std::string>{"a"});
    CHECK(plan.createOn == std::vector<std::string>{"n3", "n2"});
  }
}

TEST_CASE("status counts desired, current, misscheduled, ready and updated", "[daemonset]") {
  std::vector<json> nodes = {node("n1"), node("n2"), node("n3"),
                             node("n4", {}, json::array({taint("t", "NoSchedule")}))};
  NodePods pods;
  pods["n1"] = {pod("a", "n1", kHash, true)};
  pods["n2"] = {pod("b", "n2", "old", true)};
  pods["n4"] = {pod("d", "n4", kHash, true)};
  json ds = daemonSet();
  ds["status"] = {{"collisionCount", 1}};
  json status = calculateStatus(ds, nodes, pods, kHash, kNow);
  CHECK(status == json{{"desiredNumberScheduled", 3},
                       {"currentNumberScheduled", 2},
                       {"numberMisscheduled", 1},
                       {"numberReady", 2},
                       {"numberAvailable", 2},
                       {"numberUnavailable", 1},
                       {"updatedNumberScheduled", 1},
                       {"observedGeneration", 4},
                       {"collisionCount", 1}});

  SECTION("minReadySeconds delays availability") {
    ds["spec"]["minReadySeconds"] = 60;  // the pods have been ready for 50 s
    json s = calculateStatus(ds, nodes, pods, kHash, kNow);
    CHECK(s["numberReady"] == 2);
    CHECK_FALSE(s.contains("numberAvailable"));
    CHECK(s["numberUnavailable"] == 3);
  }
}
