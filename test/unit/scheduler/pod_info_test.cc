#include "scheduler/pod_info.h"
#include "scheduler/priority.h"

#include <catch2/catch.hpp>

#include "scheduler_fixtures.h"

using namespace tug::scheduler;
using namespace tug::scheduler::testing;

TEST_CASE("a pod requests the sum of its containers plus overhead", "[scheduler]") {
  json p = pod("web", "250m", "64Mi");
  p["spec"]["containers"].push_back(
      {{"name", "side"}, {"resources", {{"requests", {{"cpu", "0.5"}, {"example.com/gpu", 1}}}}}});
  p["spec"]["overhead"] = {{"cpu", "10m"}, {"memory", "1Mi"}};
  Resources r = podRequests(p);
  CHECK(r.milliCpu == 760);
  CHECK(r.memory == 65 * 1024 * 1024);
  CHECK(r.get("example.com/gpu") == 1);
}

TEST_CASE("init containers count as their largest step, sidecars as running alongside",
          "[scheduler]") {
  json p = pod("web", "100m", "100Mi");
  p["spec"]["initContainers"] = {
      {{"name", "big-init"}, {"resources", {{"requests", {{"cpu", "2"}}}}}},
      {{"name", "sidecar"},
       {"restartPolicy", "Always"},
       {"resources", {{"requests", {{"cpu", "200m"}, {"memory", "50Mi"}}}}}},
      {{"name", "late-init"}, {"resources", {{"requests", {{"memory", "500Mi"}}}}}},
  };
  Resources r = podRequests(p);
  // cpu: max(100m + 200m sidecar, 2 for the first init) = 2; memory: max(100Mi + 50Mi, 500Mi
  // + 50Mi sidecar started before it) = 550Mi.
  CHECK(r.milliCpu == 2000);
  CHECK(r.memory == 550 * 1024 * 1024);
}

TEST_CASE("limits stand for missing requests; scoring defaults fill the rest", "[scheduler]") {
  json p = pod("web");
  p["spec"]["containers"][0]["resources"] = {{"limits", {{"cpu", "1"}}}};
  CHECK(podRequests(p).milliCpu == 1000);
  CHECK(podRequests(p).memory == 0);
  Resources nonZero = podRequests(p, true);
  CHECK(nonZero.milliCpu == 1000);
  CHECK(nonZero.memory == kDefaultMemoryRequest);
  CHECK(podRequests(pod("empty"), true).milliCpu == kDefaultMilliCpuRequest);
}

TEST_CASE("host ports default their address and protocol", "[scheduler]") {
  json p = pod("web");
  p["spec"]["containers"][0]["ports"] = {{{"containerPort", 80}, {"hostPort", 8080}},
                                         {{"containerPort", 53}, {"hostPort", 53},
                                          {"protocol", "UDP"}, {"hostIP", "10.0.0.1"}},
                                         {{"containerPort", 9000}}};
  auto ports = hostPorts(p);
  REQUIRE(ports.size() == 2);
  CHECK(ports[0].ip == "0.0.0.0");
  CHECK(ports[0].protocol == "TCP");
  CHECK(ports[1].conflicts(HostPort{"0.0.0.0", "UDP", 53}));
  CHECK_FALSE(ports[1].conflicts(HostPort{"10.0.0.2", "UDP", 53}));
  CHECK_FALSE(ports[1].conflicts(HostPort{"10.0.0.1", "TCP", 53}));
}

TEST_CASE("a pod's priority comes from its PriorityClass when not set", "[scheduler]") {
  std::vector<json> classes = {
      {{"metadata", {{"name", "high"}}}, {"value", 1000}},
      {{"metadata", {{"name", "everyone"}}}, {"value", 5}, {"globalDefault", true}}};
  json p = pod("web");
  CHECK(podPriority(p, classes) == 5);  // the global default
  CHECK(podPriority(p, {}) == 0);
  p["spec"]["priorityClassName"] = "high";
  CHECK(podPriority(p, classes) == 1000);
  p["spec"]["priorityClassName"] = "system-node-critical";
  CHECK(podPriority(p, classes) == 2000001000);
  p["spec"]["priorityClassName"] = "unknown";
  CHECK(podPriority(p, classes) == 0);
  p["spec"]["priority"] = 7;  // set by admission: wins
  CHECK(podPriority(p, classes) == 7);
}
