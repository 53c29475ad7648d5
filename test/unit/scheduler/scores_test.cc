#include <catch2/catch.hpp>

#include "scheduler/plugins/inter_pod_affinity.h"
#include "scheduler/plugins/node_affinity.h"
#include "scheduler/plugins/node_resources_fit.h"
#include "scheduler/plugins/pod_topology_spread.h"
#include "scheduler/plugins/taint_toleration.h"
#include "scheduler_fixtures.h"

using namespace tug::scheduler;
using namespace tug::scheduler::testing;

namespace {

// Normalized scores of the plugin for the pod on each node, in order.
std::vector<int64_t> scores(ScorePlugin& plugin, const json& p, std::vector<NodeInfoPtr> nodes) {
  Snapshot snapshot{nodes};
  PodInfoPtr info = makePodInfo(p);
  plugin.preScore(*info, snapshot, nodes);
  std::vector<int64_t> out;
  for (const NodeInfoPtr& n : nodes) {
    out.push_back(plugin.score(*info, *n));
  }
  plugin.normalize(out);
  return out;
}

}  // namespace

TEST_CASE("LeastAllocated prefers the node with the most room left", "[scheduler][score]") {
  LeastAllocatedPlugin plugin;
  NodeInfoPtr empty = nodeWith(node("empty", "4", "4Gi"));
  NodeInfoPtr busy = nodeWith(node("busy", "4", "4Gi"), {pod("a", "2", "2Gi")});
  auto s = scores(plugin, pod("web", "1", "1Gi"), {empty, busy});
  CHECK(s == std::vector<int64_t>{75, 25});
  // Pods without requests still count upstream's defaults (100m, 200Mi).
  auto d = scores(plugin, pod("none"), {empty});
  CHECK(d[0] == ((4000 - 100) * 100 / 4000 + (4096 - 200) * 100 / 4096) / 2);
}

TEST_CASE("BalancedAllocation prefers cpu and memory used alike", "[scheduler][score]") {
  BalancedAllocationPlugin plugin;
  NodeInfoPtr cpuHeavy = nodeWith(node("c", "4", "4Gi"), {pod("a", "3", "0")});
  NodeInfoPtr even = nodeWith(node("e", "4", "4Gi"), {pod("b", "1", "1Gi")});
  auto s = scores(plugin, pod("web", "1", "1Gi"), {cpuHeavy, even});
  CHECK(s[1] == 100);
  CHECK(s[0] == 62);  // fractions 1 and 0.25: 100 * (1 - 0.375)
}

TEST_CASE("preferred node affinity ranks by matched weight", "[scheduler][score]") {
  NodeAffinityPlugin plugin;
  json p = pod("web");
  p["spec"]["affinity"]["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"] = {
      {{"weight", 80},
       {"preference", {{"matchExpressions", {{{"key", "disk"}, {"operator", "In"}, {"values", {"ssd"}}}}}}}},
      {{"weight", 20},
       {"preference", {{"matchExpressions", {{{"key", "zone"}, {"operator", "Exists"}}}}}}}};
  auto s = scores(plugin, p,
                  {nodeWith(node("both", "4", "8Gi", {{"disk", "ssd"}, {"zone", "a"}})),
                   nodeWith(node("ssd", "4", "8Gi", {{"disk", "ssd"}})),
                   nodeWith(node("zone", "4", "8Gi", {{"zone", "b"}})), nodeWith(node("none"))});
  CHECK(s == std::vector<int64_t>{100, 80, 20, 0});
}

TEST_CASE("untolerated PreferNoSchedule taints lower the score", "[scheduler][score]") {
  TaintTolerationPlugin plugin;
  json soft = node("soft");
  soft["spec"]["taints"] = {{{"key", "spot"}, {"effect", "PreferNoSchedule"}}};
  json two = node("two");
  two["spec"]["taints"] = {{{"key", "spot"}, {"effect", "PreferNoSchedule"}},
                           {{"key", "old"}, {"effect", "PreferNoSchedule"}}};
  std::vector<NodeInfoPtr> nodes = {nodeWith(node("clean")), nodeWith(soft), nodeWith(two)};
  CHECK(scores(plugin, pod("web"), nodes) == std::vector<int64_t>{100, 50, 0});
  json tolerant = pod("t");
  tolerant["spec"]["tolerations"] = {{{"key", "spot"}, {"operator", "Exists"}}};
  CHECK(scores(plugin, tolerant, nodes) == std::vector<int64_t>{100, 100, 0});
}

TEST_CASE("preferred pod affinity and anti-affinity rank domains", "[scheduler][score]") {
  InterPodAffinityPlugin plugin;
  NodeInfoPtr withDb = nodeWith(node("a", "4", "8Gi", {{"zone", "a"}}), {pod("db", "", "", {{"app", "db"}})});
  NodeInfoPtr sameZone = nodeWith(node("a2", "4", "8Gi", {{"zone", "a"}}));
  NodeInfoPtr other = nodeWith(node("b", "4", "8Gi", {{"zone", "b"}}));
  json p = pod("web");
  p["spec"]["affinity"]["podAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"] = {
      {{"weight", 50},
       {"podAffinityTerm",
        {{"labelSelector", {{"matchLabels", {{"app", "db"}}}}}, {"topologyKey", "zone"}}}}};
  CHECK(scores(plugin, p, {withDb, sameZone, other}) == std::vector<int64_t>{100, 100, 0});
  json q = pod("web");
  q["spec"]["affinity"]["podAntiAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"] = {
      {{"weight", 50},
       {"podAffinityTerm",
        {{"labelSelector", {{"matchLabels", {{"app", "db"}}}}}, {"topologyKey", "zone"}}}}};
  CHECK(scores(plugin, q, {withDb, sameZone, other}) == std::vector<int64_t>{0, 0, 100});
}

TEST_CASE("ScheduleAnyway spread prefers the emptier domains", "[scheduler][score]") {
  PodTopologySpreadPlugin plugin;
  json labels = {{"app", "web"}};
  NodeInfoPtr a = nodeWith(node("a", "4", "8Gi", {{"zone", "a"}}),
                           {pod("w1", "", "", labels), pod("w2", "", "", labels)});
  NodeInfoPtr b = nodeWith(node("b", "4", "8Gi", {{"zone", "b"}}), {pod("w3", "", "", labels)});
  NodeInfoPtr c = nodeWith(node("c", "4", "8Gi", {{"zone", "c"}}));
  json p = pod("w4", "", "", labels);
  p["spec"]["topologySpreadConstraints"] = {{{"maxSkew", 1},
                                             {"topologyKey", "zone"},
                                             {"whenUnsatisfiable", "ScheduleAnyway"},
                                             {"labelSelector", {{"matchLabels", labels}}}}};
  auto s = scores(plugin, p, {a, b, c});
  CHECK(s[2] == 100);
  CHECK(s[2] > s[1]);
  CHECK(s[1] > s[0]);
}
