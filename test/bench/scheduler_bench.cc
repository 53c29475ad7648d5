// The scheduler's throughput: a real `tug server` holds 100 nodes and 3000 pending pods; a
// scheduler of the same library the server runs (under its own name, so the server's own
// scheduler leaves these pods alone) places them all, binding each through the API. Prints
// "BENCH scheduler_pods_per_s <value> pods/s": pods bound per second, from the scheduler's
// start until the last bind; and "BENCH scheduler_cycles_per_s": the scheduling cycles alone,
// in process, without the API writes that bound the first figure.
#include <atomic>
#include <cstdio>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "bench/api_bench_cleanup.h"
#include "bench/api_bench_server.h"
#include "bench/bench_util.h"
#include "client/https_client.h"
#include "scheduler/cache.h"
#include "scheduler/profile.h"
#include "scheduler/scheduler.h"

using namespace tug;
using namespace tug::bench;

namespace {

constexpr int kNodes = 100;
constexpr int kPods = 3000;
constexpr int kCreators = 8;
constexpr const char* kSchedulerName = "bench-scheduler";

client::Endpoint adminEndpoint(const TugServer& server) {
  return client::Endpoint{"127.0.0.1", server.port(), server.tlsFile("server-ca.crt"),
                          server.tlsFile("client-admin.crt"), server.tlsFile("client-admin.key"),
                          "", "scheduler-bench"};
}

void createNodes(client::Client& c) {
  client::Resource nodes{"", "v1", "nodes", false};
  for (int i = 0; i < kNodes; ++i) {
    std::string name = "node-" + std::to_string(i);
    client::json node = {{"apiVersion", "v1"},
                         {"kind", "Node"},
                         {"metadata",
                          {{"name", name},
                           {"labels", {{"kubernetes.io/hostname", name},
                                       {"topology.kubernetes.io/zone", "z" + std::to_string(i % 3)}}}}}};
    require(c.create(nodes, "", node).ok(), "creating " + name);
    client::json status = {
        {"status",
         {{"allocatable", {{"cpu", "32"}, {"memory", "64Gi"}, {"pods", "110"}}},
          {"capacity", {{"cpu", "32"}, {"memory", "64Gi"}, {"pods", "110"}}},
          {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}};
    require(c.patch(nodes, "", name, client::PatchType::kMerge, status.dump(), "status").ok(),
            "writing the status of " + name);
  }
}

void createPods(const client::Endpoint& endpoint) {
  std::atomic<int> next{0};
  std::vector<std::thread> creators;
  for (int t = 0; t < kCreators; ++t) {
    creators.emplace_back([&] {
      client::HttpsClient c(endpoint);
      client::Resource pods{"", "v1", "pods", true};
      for (int i = next++; i < kPods; i = next++) {
        client::json pod = {
            {"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", "pod-" + std::to_string(i)}, {"labels", {{"app", "bench"}}}}},
            {"spec",
             {{"schedulerName", kSchedulerName},
              {"containers",
               {{{"name", "c"},
                 {"image", "registry.k8s.io/pause:3.9"},
                 {"resources", {{"requests", {{"cpu", "100m"}, {"memory", "128Mi"}}}}}}}}}}};
        require(c.create(pods, "default", pod).ok(), "creating a pod");
      }
    });
  }
  for (auto& t : creators) {
    t.join();
  }
}

// Every pod bound, and no node holding more than it can.
void checkPlacement(const client::Endpoint& endpoint) {
  client::HttpsClient c(endpoint);
  std::map<std::string, int> perNode;
  size_t pods = 0;
  client::ListOptions page{.limit = 500};
  do {
    auto list = c.list(client::Resource{"", "v1", "pods", true}, "default", page);
    require(list.ok(), "listing pods: " + list.status().toString());
    for (const auto& p : list->items) {
      std::string node = p["spec"].value("nodeName", "");
      require(!node.empty(), "a pod was left unscheduled");
      perNode[node]++;
      pods++;
    }
    page.continueToken = list->continueToken;
  } while (!page.continueToken.empty());
  int most = 0;
  for (const auto& [node, count] : perNode) {
    most = std::max(most, count);
  }
  require(most <= 110, "a node got more pods than it allows");
  std::fprintf(stderr, "placed %zu pods on %zu nodes, at most %d on one\n", pods,
               perNode.size(), most);
}

// The scheduling cycles alone, in process: the same nodes and pods, each pod placed by the
// default profile on a snapshot of the cache and assumed there, with no API in between.
double cyclesPerSecond() {
  scheduler::Cache cache;
  for (int i = 0; i < kNodes; ++i) {
    std::string name = "node-" + std::to_string(i);
    cache.setNode({{"metadata",
                    {{"name", name},
                     {"labels", {{"kubernetes.io/hostname", name},
                                 {"topology.kubernetes.io/zone", "z" + std::to_string(i % 3)}}}}},
                   {"status",
                    {{"allocatable", {{"cpu", "32"}, {"memory", "64Gi"}, {"pods", "110"}}},
                     {"conditions", {{{"type", "Ready"}, {"status", "True"}}}}}}});
  }
  auto profile = scheduler::Profile::makeDefault();
  std::mt19937 rng(1);
  auto start = Clock::now();
  for (int i = 0; i < kPods; ++i) {
    client::json pod = {
        {"metadata", {{"name", "pod-" + std::to_string(i)}, {"namespace", "default"},
                      {"labels", {{"app", "bench"}}}}},
        {"spec",
         {{"containers",
           {{{"name", "c"},
             {"resources", {{"requests", {{"cpu", "100m"}, {"memory", "128Mi"}}}}}}}}}}};
    auto info = scheduler::makePodInfo(pod);
    auto result = profile->schedule(*info, cache.snapshot(), rng);
    require(!result.node.empty(), "a pod found no node in process");
    pod["spec"]["nodeName"] = result.node;
    cache.assumePod(scheduler::makePodInfo(std::move(pod)), result.node);
  }
  return kPods / secondsSince(start);
}

}  // namespace

int main() {
  cleanUpOnSignals();
  TugServer server;
  client::Endpoint endpoint = adminEndpoint(server);
  client::HttpsClient admin(endpoint);
  auto started = Clock::now();
  createNodes(admin);
  createPods(endpoint);
  std::fprintf(stderr, "created %d nodes and %d pods in %.1fs\n", kNodes, kPods,
               secondsSince(started));

  client::HttpsClient schedulerClient(endpoint);
  scheduler::SchedulerOptions options;
  options.schedulerName = kSchedulerName;
  options.bindWorkers = 32;
  scheduler::Scheduler sched(schedulerClient, options);
  auto start = Clock::now();
  sched.start();
  require(sched.waitForSync(std::chrono::seconds(30)), "the scheduler's informers did not sync");
  while (sched.scheduledCount() < kPods) {
    require(secondsSince(start) < 300, "the pods were not all bound within 5 minutes");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  double seconds = secondsSince(start);
  sched.stop();
  std::fprintf(stderr, "bound %d pods in %.2fs (%lld unschedulable attempts)\n", kPods, seconds,
               static_cast<long long>(sched.failedCount()));
  checkPlacement(endpoint);
  report("scheduler_pods_per_s", kPods / seconds, "pods/s");
  report("scheduler_cycles_per_s", cyclesPerSecond(), "pods/s");
  return 0;
}
