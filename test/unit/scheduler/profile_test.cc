#include "scheduler/profile.h"

#include <set>

#include <catch2/catch.hpp>

#include "scheduler/fit_error.h"
#include "scheduler/preemption.h"
#include "scheduler_fixtures.h"

using namespace tug::scheduler;
using namespace tug::scheduler::testing;

namespace {

json controlPlane(const std::string& name) {
  json n = node(name, "8", "16Gi");
  n["spec"]["taints"] = {{{"key", "node-role.kubernetes.io/control-plane"}, {"effect", "NoSchedule"}}};
  return n;
}

}  // namespace

TEST_CASE("a cycle picks a feasible node with the best score", "[scheduler][profile]") {
  auto profile = Profile::makeDefault();
  std::mt19937 rng(1);
  Snapshot snapshot{{nodeWith(controlPlane("cp")), nodeWith(node("small", "1", "1Gi")),
                     nodeWith(node("busy", "4", "8Gi"), {pod("a", "3", "6Gi")}),
                     nodeWith(node("free", "4", "8Gi"))}};
  auto result = profile->schedule(*makePodInfo(pod("web", "500m", "512Mi")), snapshot, rng);
  CHECK(result.node == "free");
  CHECK(result.failures.count("cp") == 1);
}

TEST_CASE("equal nodes are picked at random", "[scheduler][profile]") {
  auto profile = Profile::makeDefault();
  std::mt19937 rng(7);
  Snapshot snapshot{{nodeWith(node("n1")), nodeWith(node("n2")), nodeWith(node("n3"))}};
  std::set<std::string> picked;
  for (int i = 0; i < 60; ++i) {
    picked.insert(profile->schedule(*makePodInfo(pod("web", "1", "1Gi")), snapshot, rng).node);
  }
  CHECK(picked.size() == 3);
}

TEST_CASE("the failure message counts reasons as kube-scheduler words them",
          "[scheduler][profile]") {
  auto profile = Profile::makeDefault();
  std::mt19937 rng(1);
  Snapshot snapshot{{nodeWith(controlPlane("cp")), nodeWith(node("w1", "2", "4Gi")),
                     nodeWith(node("w2", "2", "4Gi"))}};
  PodInfoPtr big = makePodInfo(pod("big", "3", "1Gi"));
  auto result = profile->schedule(*big, snapshot, rng);
  REQUIRE(result.node.empty());
  PreemptionResult preemption = evaluatePreemption(*profile, *big, snapshot, result.failures);
  CHECK(preemption.node.empty());
  CHECK(fitErrorMessage(3, result.failures, preemption.message) ==
        "0/3 nodes are available: 1 node(s) had untolerated taint "
        "{node-role.kubernetes.io/control-plane: }, 2 Insufficient cpu. preemption: 0/3 nodes "
        "are available: 3 Preemption is not helpful for scheduling.");
}

TEST_CASE("a full node with pods of equal priority has no preemption victims",
          "[scheduler][profile]") {
  auto profile = Profile::makeDefault();
  std::mt19937 rng(1);
  Snapshot snapshot{{nodeWith(node("w1", "2", "4Gi"), {pod("a", "1500m", "1Gi")})}};
  PodInfoPtr p = makePodInfo(pod("web", "1", "1Gi"));
  auto result = profile->schedule(*p, snapshot, rng);
  REQUIRE(result.node.empty());
  PreemptionResult preemption = evaluatePreemption(*profile, *p, snapshot, result.failures);
  CHECK(fitErrorMessage(1, result.failures, preemption.message) ==
        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 "
        "No preemption victims found for incoming pod.");
  json never = pod("never", "1", "1Gi");
  never["spec"]["preemptionPolicy"] = "Never";
  CHECK(evaluatePreemption(*profile, *makePodInfo(never), snapshot, result.failures).message ==
        "preemption: not eligible due to preemptionPolicy=Never.");
}

TEST_CASE("preemption picks the fewest, least important victims", "[scheduler][profile]") {
  auto profile = Profile::makeDefault();
  std::mt19937 rng(1);
  auto withPriority = [](json p, int priority) {
    p["spec"]["priority"] = priority;
    return p;
  };
  Snapshot snapshot{
      {nodeWith(node("n1", "2", "8Gi"), {withPriority(pod("important", "1", "1Gi"), 100),
                                         withPriority(pod("low-a", "1", "1Gi"), 1)}),
       nodeWith(node("n2", "2", "8Gi"), {withPriority(pod("low-b", "500m", "1Gi"), 5),
                                         withPriority(pod("low-c", "500m", "1Gi"), 5),
                                         withPriority(pod("low-d", "1", "1Gi"), 5)})}};
  PodInfoPtr urgent = makePodInfo(withPriority(pod("urgent", "1", "1Gi"), 1000));
  auto result = profile->schedule(*urgent, snapshot, rng);
  REQUIRE(result.node.empty());
  PreemptionResult preemption = evaluatePreemption(*profile, *urgent, snapshot, result.failures);
  CHECK(preemption.message.empty());
  CHECK(preemption.node == "n1");
  REQUIRE(preemption.victims.size() == 1);
  CHECK(preemption.victims[0]->name == "low-a");
}

TEST_CASE("no nodes: the message counts zero", "[scheduler][profile]") {
  CHECK(fitErrorMessage(0, {}) == "0/0 nodes are available:");
}
