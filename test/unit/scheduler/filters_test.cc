#include <catch2/catch.hpp>

#include "scheduler/plugins/inter_pod_affinity.h"
#include "scheduler/plugins/node_affinity.h"
#include "scheduler/plugins/node_name.h"
#include "scheduler/plugins/node_ports.h"
#include "scheduler/plugins/node_ready.h"
#include "scheduler/plugins/node_resources_fit.h"
#include "scheduler/plugins/node_unschedulable.h"
#include "scheduler/plugins/pod_topology_spread.h"
#include "scheduler/plugins/taint_toleration.h"
#include "scheduler_fixtures.h"

using namespace tug::scheduler;
using namespace tug::scheduler::testing;
using Code = FilterStatus::Code;

namespace {

FilterStatus run(FilterPlugin& plugin, const json& p, const NodeInfoPtr& node,
                 std::vector<NodeInfoPtr> others = {}) {
  Snapshot snapshot;
  snapshot.nodes = std::move(others);
  snapshot.nodes.push_back(node);
  PodInfoPtr info = makePodInfo(p);
  plugin.preFilter(*info, snapshot);
  return plugin.filter(*info, *node);
}

std::vector<std::string> reasons(const FilterStatus& s) { return s.reasons; }

}  // namespace

TEST_CASE("NodeName: a pod naming a node fits only there", "[scheduler][filter]") {
  NodeNamePlugin plugin;
  json p = pod("web");
  CHECK(run(plugin, p, nodeWith(node("n1"))).ok());
  p["spec"]["nodeName"] = "n2";
  FilterStatus s = run(plugin, p, nodeWith(node("n1")));
  CHECK(s.code == Code::kUnresolvable);
  CHECK(reasons(s) == std::vector<std::string>{"node(s) didn't match the requested node name"});
}

TEST_CASE("NodeUnschedulable: cordoned nodes refuse pods without the toleration",
          "[scheduler][filter]") {
  NodeUnschedulablePlugin plugin;
  json n = node("n1");
  n["spec"]["unschedulable"] = true;
  FilterStatus s = run(plugin, pod("web"), nodeWith(n));
  CHECK(s.code == Code::kUnresolvable);
  CHECK(reasons(s) == std::vector<std::string>{"node(s) were unschedulable"});
  json tolerant = pod("ds");
  tolerant["spec"]["tolerations"] = {{{"key", "node.kubernetes.io/unschedulable"},
                                      {"operator", "Exists"},
                                      {"effect", "NoSchedule"}}};
  CHECK(run(plugin, tolerant, nodeWith(n)).ok());
  CHECK(run(plugin, pod("web"), nodeWith(node("n2"))).ok());
}

TEST_CASE("NodeReady: nodes without Ready=True refuse pods", "[scheduler][filter]") {
  NodeReadyPlugin plugin;
  json n = node("n1");
  CHECK(run(plugin, pod("web"), nodeWith(n)).ok());
  n["status"]["conditions"][0]["status"] = "Unknown";
  CHECK(reasons(run(plugin, pod("web"), nodeWith(n))) ==
        std::vector<std::string>{"node(s) were not ready"});
  n["status"].erase("conditions");
  CHECK_FALSE(run(plugin, pod("web"), nodeWith(n)).ok());
  json tolerant = pod("ds");
  tolerant["spec"]["tolerations"] = {{{"operator", "Exists"}}};
  CHECK(run(plugin, tolerant, nodeWith(n)).ok());
}

TEST_CASE("NodeResourcesFit: requests must fit what the node has left", "[scheduler][filter]") {
  NodeResourcesFitPlugin plugin;
  NodeInfoPtr n = nodeWith(node("n1", "2", "4Gi", json::object(), 3),
                           {pod("a", "1500m", "1Gi"), pod("b", "", "")});
  CHECK(run(plugin, pod("small", "500m", "1Gi"), n).ok());
  FilterStatus cpu = run(plugin, pod("big", "600m", "1Gi"), n);
  CHECK(cpu.code == Code::kUnschedulable);
  CHECK(reasons(cpu) == std::vector<std::string>{"Insufficient cpu"});
  FilterStatus both = run(plugin, pod("both", "1", "3500Mi"), n);
  CHECK(reasons(both) == std::vector<std::string>{"Insufficient cpu", "Insufficient memory"});
  // More than the node has at all: evicting pods cannot help.
  FilterStatus huge = run(plugin, pod("huge", "3", "1Gi"), n);
  CHECK(huge.code == Code::kUnresolvable);
  CHECK(reasons(huge) == std::vector<std::string>{"Insufficient cpu"});
  // Three pods allowed: a third fits, a fourth does not.
  NodeInfoPtr full = nodeWith(node("n2", "2", "4Gi", json::object(), 2), {pod("a"), pod("b")});
  CHECK(reasons(run(plugin, pod("c"), full)) == std::vector<std::string>{"Too many pods"});
  json gpu = pod("gpu");
  gpu["spec"]["containers"][0]["resources"]["requests"]["example.com/gpu"] = "1";
  CHECK(reasons(run(plugin, gpu, n)) == std::vector<std::string>{"Insufficient example.com/gpu"});
}

TEST_CASE("NodeAffinity: nodeSelector and required node affinity", "[scheduler][filter]") {
  NodeAffinityPlugin plugin;
  NodeInfoPtr ssd = nodeWith(node("n1", "4", "8Gi", {{"disk", "ssd"}, {"cores", "16"}}));
  NodeInfoPtr hdd = nodeWith(node("n2", "4", "8Gi", {{"disk", "hdd"}, {"cores", "4"}}));
  json p = pod("web");
  p["spec"]["nodeSelector"] = {{"disk", "ssd"}};
  CHECK(run(plugin, p, ssd).ok());
  FilterStatus s = run(plugin, p, hdd);
  CHECK(s.code == Code::kUnresolvable);
  CHECK(reasons(s) == std::vector<std::string>{"node(s) didn't match Pod's node affinity/selector"});

  auto withTerms = [](json terms) {
    json q = pod("q");
    q["spec"]["affinity"]["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = {
        {"nodeSelectorTerms", terms}};
    return q;
  };
  auto expr = [](const char* key, const char* op, json values = json::array()) {
    json e = {{"key", key}, {"operator", op}};
    if (!values.empty()) {
      e["values"] = values;
    }
    return e;
  };
  json in = withTerms({{{"matchExpressions", {expr("disk", "In", {"ssd", "nvme"})}}}});
  CHECK(run(plugin, in, ssd).ok());
  CHECK_FALSE(run(plugin, in, hdd).ok());
  json notIn = withTerms({{{"matchExpressions", {expr("disk", "NotIn", {"ssd"})}}}});
  CHECK_FALSE(run(plugin, notIn, ssd).ok());
  CHECK(run(plugin, notIn, hdd).ok());
  json exists = withTerms({{{"matchExpressions", {expr("cores", "Exists")}}}});
  CHECK(run(plugin, exists, hdd).ok());
  json missing = withTerms({{{"matchExpressions", {expr("gpu", "DoesNotExist")}}}});
  CHECK(run(plugin, missing, hdd).ok());
  json gt = withTerms({{{"matchExpressions", {expr("cores", "Gt", {"8"})}}}});
  CHECK(run(plugin, gt, ssd).ok());
  CHECK_FALSE(run(plugin, gt, hdd).ok());
  json lt = withTerms({{{"matchExpressions", {expr("cores", "Lt", {"8"})}}}});
  CHECK(run(plugin, lt, hdd).ok());
  CHECK_FALSE(run(plugin, withTerms({{{"matchExpressions", {expr("disk", "Gt", {"1"})}}}}), ssd)
                  .ok());  // not a number
  json byName = withTerms({{{"matchFields", {expr("metadata.name", "In", {"n2"})}}}});
  CHECK(run(plugin, byName, hdd).ok());
  CHECK_FALSE(run(plugin, byName, ssd).ok());
  // Terms are ORed, expressions within a term ANDed; an empty term matches nothing.
  json either = withTerms({{{"matchExpressions", {expr("disk", "In", {"hdd"})}}},
                           {{"matchFields", {expr("metadata.name", "In", {"n1"})}}}});
  CHECK(run(plugin, either, ssd).ok());
  CHECK(run(plugin, either, hdd).ok());
  json both = withTerms({{{"matchExpressions",
                           {expr("disk", "In", {"ssd"}), expr("cores", "Lt", {"8"})}}}});
  CHECK_FALSE(run(plugin, both, ssd).ok());
  CHECK_FALSE(run(plugin, withTerms({json::object()}), ssd).ok());
}

TEST_CASE("TaintToleration: NoSchedule and NoExecute taints need a toleration",
          "[scheduler][filter]") {
  TaintTolerationPlugin plugin;
  json n = node("cp");
  n["spec"]["taints"] = {{{"key", "node-role.kubernetes.io/control-plane"}, {"effect", "NoSchedule"}}};
  FilterStatus s = run(plugin, pod("web"), nodeWith(n));
  CHECK(s.code == Code::kUnresolvable);
  CHECK(reasons(s) == std::vector<std::string>{
                          "node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }"});
  json tolerant = pod("t");
  tolerant["spec"]["tolerations"] = {{{"key", "node-role.kubernetes.io/control-plane"},
                                      {"operator", "Exists"},
                                      {"effect", "NoSchedule"}}};
  CHECK(run(plugin, tolerant, nodeWith(n)).ok());

  json gpu = node("gpu");
  gpu["spec"]["taints"] = {{{"key", "dedicated"}, {"value", "gpu"}, {"effect", "NoExecute"}},
                           {{"key", "soft"}, {"effect", "PreferNoSchedule"}}};
  CHECK(reasons(run(plugin, pod("web"), nodeWith(gpu))) ==
        std::vector<std::string>{"node(s) had untolerated taint {dedicated: gpu}"});
  json equal = pod("e");
  equal["spec"]["tolerations"] = {{{"key", "dedicated"}, {"operator", "Equal"}, {"value", "gpu"}}};
  CHECK(run(plugin, equal, nodeWith(gpu)).ok());  // PreferNoSchedule does not filter
  equal["spec"]["tolerations"][0]["value"] = "cpu";
  CHECK_FALSE(run(plugin, equal, nodeWith(gpu)).ok());
  json wrongEffect = pod("w");
  wrongEffect["spec"]["tolerations"] = {
      {{"key", "dedicated"}, {"operator", "Exists"}, {"effect", "NoSchedule"}}};
  CHECK_FALSE(run(plugin, wrongEffect, nodeWith(gpu)).ok());
}

TEST_CASE("NodePorts: host ports must be free", "[scheduler][filter]") {
  NodePortsPlugin plugin;
  json web = pod("web");
  web["spec"]["containers"][0]["ports"] = {{{"containerPort", 80}, {"hostPort", 8080}}};
  NodeInfoPtr busy = nodeWith(node("n1"), {web});
  json other = pod("other");
  other["spec"]["containers"][0]["ports"] = {{{"containerPort", 81}, {"hostPort", 8080}}};
  FilterStatus s = run(plugin, other, busy);
  CHECK(s.code == Code::kUnschedulable);
  CHECK(reasons(s) ==
        std::vector<std::string>{"node(s) didn't have free ports for the requested pod ports"});
  other["spec"]["containers"][0]["ports"][0]["protocol"] = "UDP";
  CHECK(run(plugin, other, busy).ok());
  CHECK(run(plugin, pod("plain"), busy).ok());
}

namespace {

json withPodAffinity(json p, const char* kind, json selector, const char* topologyKey) {
  p["spec"]["affinity"][kind]["requiredDuringSchedulingIgnoredDuringExecution"] = {
      {{"labelSelector", {{"matchLabels", selector}}}, {"topologyKey", topologyKey}}};
  return p;
}

}  // namespace

TEST_CASE("InterPodAffinity: required affinity by topology domain", "[scheduler][filter]") {
  InterPodAffinityPlugin plugin;
  NodeInfoPtr a1 = nodeWith(node("a1", "4", "8Gi", {{"zone", "a"}}), {pod("db", "", "", {{"app", "db"}})});
  NodeInfoPtr a2 = nodeWith(node("a2", "4", "8Gi", {{"zone", "a"}}));
  NodeInfoPtr b1 = nodeWith(node("b1", "4", "8Gi", {{"zone", "b"}}));
  NodeInfoPtr bare = nodeWith(node("x"));
  json web = withPodAffinity(pod("web"), "podAffinity", {{"app", "db"}}, "zone");
  CHECK(run(plugin, web, a2, {a1, b1}).ok());
  FilterStatus s = run(plugin, web, b1, {a1, a2});
  CHECK(s.code == Code::kUnresolvable);
  CHECK(reasons(s) == std::vector<std::string>{"node(s) didn't match pod affinity rules"});
  CHECK_FALSE(run(plugin, web, bare, {a1}).ok());
  // The first pod of a group that selects itself may go anywhere with the key.
  json first = withPodAffinity(pod("first", "", "", {{"app", "cache"}}), "podAffinity",
                               {{"app", "cache"}}, "zone");
  CHECK(run(plugin, first, b1, {a1}).ok());
  CHECK_FALSE(run(plugin, first, bare, {a1}).ok());
}

TEST_CASE("InterPodAffinity: anti-affinity both ways", "[scheduler][filter]") {
  InterPodAffinityPlugin plugin;
  NodeInfoPtr a1 = nodeWith(node("a1", "4", "8Gi", {{"zone", "a"}}),
                            {pod("web-1", "", "", {{"app", "web"}})});
  NodeInfoPtr a2 = nodeWith(node("a2", "4", "8Gi", {{"zone", "a"}}));
  NodeInfoPtr b1 = nodeWith(node("b1", "4", "8Gi", {{"zone", "b"}}));
  json web2 = withPodAffinity(pod("web-2", "", "", {{"app", "web"}}), "podAntiAffinity",
                              {{"app", "web"}}, "zone");
  FilterStatus s = run(plugin, web2, a2, {a1, b1});
  CHECK(s.code == Code::kUnschedulable);
  CHECK(reasons(s) == std::vector<std::string>{"node(s) didn't match pod anti-affinity rules"});
  CHECK(run(plugin, web2, b1, {a1, a2}).ok());

  // An existing pod's anti-affinity keeps matching pods out of its domain.
  NodeInfoPtr guarded = nodeWith(node("g1", "4", "8Gi", {{"zone", "g"}}),
                                 {withPodAffinity(pod("loner"), "podAntiAffinity",
                                                  {{"app", "noisy"}}, "zone")});
  NodeInfoPtr g2 = nodeWith(node("g2", "4", "8Gi", {{"zone", "g"}}));
  FilterStatus existing = run(plugin, pod("noisy", "", "", {{"app", "noisy"}}), g2, {guarded});
  CHECK(existing.code == Code::kUnschedulable);
  CHECK(reasons(existing) ==
        std::vector<std::string>{"node(s) didn't satisfy existing pods anti-affinity rules"});
  CHECK(run(plugin, pod("quiet", "", "", {{"app", "quiet"}}), g2, {guarded}).ok());
  // Other namespaces are not selected unless the term names them.
  json elsewhere = pod("noisy", "", "", {{"app", "noisy"}});
  elsewhere["metadata"]["namespace"] = "other";
  CHECK(run(plugin, elsewhere, g2, {guarded}).ok());
}

TEST_CASE("PodTopologySpread: DoNotSchedule keeps the skew within maxSkew",
          "[scheduler][filter]") {
  PodTopologySpreadPlugin plugin;
  json labels = {{"app", "web"}};
  NodeInfoPtr a = nodeWith(node("a", "4", "8Gi", {{"zone", "a"}}),
                           {pod("w1", "", "", labels), pod("w2", "", "", labels)});
  NodeInfoPtr b = nodeWith(node("b", "4", "8Gi", {{"zone", "b"}}), {pod("w3", "", "", labels)});
  NodeInfoPtr c = nodeWith(node("c", "4", "8Gi", {{"zone", "c"}}));
  NodeInfoPtr nolabel = nodeWith(node("d"));
  json p = pod("w4", "", "", labels);
  p["spec"]["topologySpreadConstraints"] = {{{"maxSkew", 1},
                                             {"topologyKey", "zone"},
                                             {"whenUnsatisfiable", "DoNotSchedule"},
                                             {"labelSelector", {{"matchLabels", labels}}}}};
  CHECK(run(plugin, p, c, {a, b}).ok());
  FilterStatus onA = run(plugin, p, a, {b, c});
  CHECK(onA.code == Code::kUnschedulable);
  CHECK(reasons(onA) ==
        std::vector<std::string>{"node(s) didn't match pod topology spread constraints"});
  CHECK_FALSE(run(plugin, p, b, {a, c}).ok());  // b would have 2 against c's 0
  FilterStatus missing = run(plugin, p, nolabel, {a, b, c});
  CHECK(missing.code == Code::kUnresolvable);
  CHECK(reasons(missing) == std::vector<std::string>{
                                "node(s) didn't match pod topology spread constraints (missing "
                                "required label)"});
  p["spec"]["topologySpreadConstraints"][0]["maxSkew"] = 2;
  CHECK(run(plugin, p, b, {a, c}).ok());
}
