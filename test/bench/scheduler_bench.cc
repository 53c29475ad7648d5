// The scheduler's throughput: a real `tug server` with 100 hollow nodes (test/tools/hollow_nodes:
// fake kubelets that keep their Leases fresh and turn bound pods Running and Ready), and 3000
// pending pods that its own scheduler (in the server's process) has found no room for: their
// nodeSelector names a label no node has yet. The nodes are then labelled and the scheduler
// places every pod, binding each through the API while the hollow kubelets start them. Prints
// "BENCH scheduler_pods_per_s <value> pods/s": pods bound per second, from the first uncordon
// until the last bind is seen on a watch; and "BENCH scheduler_cycles_per_s": the scheduling
// cycles alone, in this process, without the API writes that bound the first figure; and
// "BENCH server_rss_mib_100_nodes_3000_pods": the server's resident memory holding that cluster.
#include <atomic>
#include <cstdio>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bench/api_bench_cleanup.h"
#include "bench/api_bench_server.h"
#include "bench/bench_util.h"
#include "bench/hollow_fleet.h"
#include "client/https_client.h"
#include "client/informer.h"
#include "scheduler/cache.h"
#include "scheduler/profile.h"

using namespace tug;
using namespace tug::bench;

namespace {

constexpr int kNodes = 100;
constexpr int kPods = 3000;
constexpr int kCreators = 8;
const client::Resource kNodesResource{"", "v1", "nodes", false};
const client::Resource kPodsResource{"", "v1", "pods", true};

client::Endpoint adminEndpoint(const TugServer& server) {
  return client::Endpoint{"127.0.0.1",
                          server.port(),
                          server.tlsFile("server-ca.crt"),
                          server.tlsFile("client-admin.crt"),
                          server.tlsFile("client-admin.key"),
                          "",
                          "scheduler-bench"};
}

void createPods(const client::Endpoint& endpoint) {
  std::atomic<int> next{0};
  std::vector<std::thread> creators;
  for (int t = 0; t < kCreators; ++t) {
    creators.emplace_back([&] {
      client::HttpsClient c(endpoint);
      const client::Resource& pods = kPodsResource;
      for (int i = next++; i < kPods; i = next++) {
        client::json pod = {
            {"apiVersion", "v1"},
            {"kind", "Pod"},
            {"metadata", {{"name", "pod-" + std::to_string(i)}, {"labels", {{"app", "bench"}}}}},
            {"spec",
             {{"nodeSelector", {{"bench.tug.dev/open", "true"}}},
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
  std::fprintf(stderr, "placed %zu pods on %zu nodes, at most %d on one\n", pods, perNode.size(),
               most);
}

// The scheduling cycles alone, in process: the same nodes and pods, each pod placed by the
// default profile on a snapshot of the cache and assumed there, with no API in between.
double cyclesPerSecond() {
  scheduler::Cache cache;
  for (int i = 0; i < kNodes; ++i) {
    std::string name = "node-" + std::to_string(i);
    cache.setNode({{"metadata",
                    {{"name", name},
                     {"labels",
                      {{"kubernetes.io/hostname", name},
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
        {"metadata",
         {{"name", "pod-" + std::to_string(i)},
          {"namespace", "default"},
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

// Until the scheduler has tried every pod once and found no node (PodScheduled=False).
void waitUntilAllTried(client::Client& c) {
  auto start = Clock::now();
  while (true) {
    int tried = 0;
    client::ListOptions page{.labelSelector = "app=bench", .limit = 1000};
    do {
      auto list = c.list(kPodsResource, "default", page);
      require(list.ok(), "listing pods: " + list.status().toString());
      for (const auto& p : list->items) {
        for (const auto& cond : p["status"].value("conditions", client::json::array())) {
          if (cond.value("type", "") == "PodScheduled" && cond.value("status", "") == "False") {
            tried++;
          }
        }
      }
      page.continueToken = list->continueToken;
    } while (!page.continueToken.empty());
    if (tried == kPods) {
      return;
    }
    require(secondsSince(start) < 120, "the scheduler did not try every pod within 2 minutes");
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  }
}

// Counts the pods a watch has seen bound.
class BoundPods {
 public:
  explicit BoundPods(client::Client& c) : informer_(c, kPodsResource, "default") {
    auto seen = [this](const client::json& pod) {
      if (!pod["spec"].value("nodeName", "").empty()) {
        std::lock_guard<std::mutex> lock(mu_);
        bound_.insert(pod["metadata"].value("name", ""));
      }
    };
    handlers_ = informer_.addHandlers(client::EventHandlers{
        seen, [seen](const client::json&, const client::json& pod) { seen(pod); }, nullptr});
    informer_.start();
    require(informer_.waitForSync(std::chrono::seconds(30)), "the pod watch did not sync");
  }
  ~BoundPods() { informer_.stop(); }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu_);
    return bound_.size();
  }

 private:
  client::Informer informer_;
  std::mutex mu_;
  std::set<std::string> bound_;
  client::HandlerRegistration handlers_;  // last: goes first
};

// Gives every node the label the pods select (a label, not a cordon: uncordoning leaves the
// unschedulable taint until node lifecycle removes it), from kCreators clients.
void openNodes(const client::Endpoint& endpoint) {
  const std::string patch = R"({"metadata":{"labels":{"bench.tug.dev/open":"true"}}})";
  std::atomic<int> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < kCreators; ++t) {
    workers.emplace_back([&] {
      client::HttpsClient c(endpoint);
      for (int i = next++; i < kNodes; i = next++) {
        require(c.patch(kNodesResource, "", "node-" + std::to_string(i), client::PatchType::kMerge,
                        patch)
                    .ok(),
                "labelling a node");
      }
    });
  }
  for (auto& t : workers) {
    t.join();
  }
}

}  // namespace

int main() {
  cleanUpOnSignals();
  TugServer server;
  client::Endpoint endpoint = adminEndpoint(server);
  client::HttpsClient admin(endpoint);
  auto started = Clock::now();
  HollowFleet fleet(server, {"--nodes", std::to_string(kNodes), "--prefix", "node-", "--cpu", "32",
                             "--memory", "64Gi", "--max-pods", "110"});
  createPods(endpoint);
  std::fprintf(stderr, "started %d hollow nodes and created %d pods in %.1fs\n", kNodes, kPods,
               secondsSince(started));
  waitUntilAllTried(admin);
  // Past the first retry backoff (1 s): every pod waits only for a change in the cluster.
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  std::fprintf(stderr, "the scheduler found no room for any pod, %.1fs after the start\n",
               secondsSince(started));

  BoundPods bound(admin);
  require(bound.count() == 0, "a pod was bound to a cordoned node");
  auto start = Clock::now();
  double cpuBefore = server.cpuSeconds();
  openNodes(endpoint);
  while (bound.count() < static_cast<size_t>(kPods)) {
    require(secondsSince(start) < 300, "the pods were not all bound within 5 minutes");
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  double seconds = secondsSince(start);
  // The server's CPU time for the work, which a busy machine does not inflate as it does
  // the wall-clock figure.
  double cpu = server.cpuSeconds() - cpuBefore;
  std::fprintf(stderr, "bound %d pods in %.2fs; the server used %.2f s of CPU (%.2f ms a pod)\n",
               kPods, seconds, cpu, cpu * 1000 / kPods);
  checkPlacement(endpoint);
  report("scheduler_pods_per_s", kPods / seconds, "pods/s");
  // Once the controllers have caught up with the binds: the server holding the whole cluster.
  std::this_thread::sleep_for(std::chrono::seconds(5));
  report("server_rss_mib_100_nodes_3000_pods", server.rssMib(), "MiB");
  report("scheduler_cycles_per_s", cyclesPerSecond(), "pods/s");
  return 0;
}
