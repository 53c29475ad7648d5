// The API server's figures: a real `tug server` driven over HTTPS by keep-alive clients, as
// kubectl and controllers drive it. Prints "BENCH <name> <value> <unit>" lines; what each
// figure means is in docs/design/apiserver.md ("API benchmark").
#include <httplib.h>
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "bench/api_bench_cleanup.h"
#include "bench/api_bench_client.h"
#include "bench/api_bench_figures.h"
#include "bench/api_bench_objects.h"
#include "bench/bench_util.h"
#include "common/log.h"

using namespace tug::bench;

namespace {

constexpr int kRepeats = 3;
constexpr int kPods = 5000;
constexpr int kWatchers = 1000;
constexpr int kIdleConfigMaps = 1000;
constexpr int kWatchWrites = 300;
std::chrono::milliseconds measureFor{3000};

// A thousand watches need a thousand sockets on each side; the default soft limit is 1024.
void raiseOpenFileLimit() {
  rlimit l{};
  if (getrlimit(RLIMIT_NOFILE, &l) == 0 && l.rlim_cur < l.rlim_max) {
    l.rlim_cur = l.rlim_max;
    setrlimit(RLIMIT_NOFILE, &l);
  }
}

std::string configMaps(const std::string& ns) { return "/api/v1/namespaces/" + ns + "/configmaps"; }

// Throughput of creates through the API against the store alone, alternating, on one disk.
void createThroughput(const TugServer& server) {
  createNamespace(server, "bench");
  std::vector<double> api, store, serverCpu, clientCpu;
  size_t storedBytes = 0;
  for (int round = 0; round < kRepeats; ++round) {
    CreateThroughput t = apiCreatesPerSecond(server, "bench", 32, measureFor, round);
    api.push_back(t.perSecond);
    serverCpu.push_back(t.serverCpuUs);
    clientCpu.push_back(t.clientCpuUs);
    if (storedBytes == 0) {  // the store's values are as large as a stored ConfigMap
      auto client = connectAdmin(server);
      std::string body;
      require(timedGet(*client, configMaps("bench") + "/c0-00-0000000", &body).status == 200,
              "GET of a created ConfigMap failed");
      storedBytes = body.size();
    }
    TrackedScratchDir dir;
    store.push_back(storeCreatesPerSecond(dir.file("store.db"), 32, storedBytes, measureFor));
    std::fprintf(stderr, "create round %d: api %.0f/s, store %.0f/s (%zu-byte values)\n", round + 1,
                 api.back(), store.back(), storedBytes);
  }
  report("api_create_per_s_c32", median(api), "ops/s");
  report("store_create_per_s_w32", median(store), "ops/s");
  report("api_to_store_create_ratio", median(api) / median(store), "x");
  // Where the machine's CPU went: a client on the same machine competes with the server.
  report("api_create_server_cpu_us", median(serverCpu), "us");
  report("api_create_client_cpu_us", median(clientCpu), "us");
  // The same requests to a resource that does not exist: read, authenticated, authorized and
  // answered 404 before any JSON is parsed or anything stored. What HTTPS alone allows here,
  // with its client on the same machine: no create can be faster.
  std::vector<double> floor, floorCpu;
  for (int round = 0; round < kRepeats; ++round) {
    CreateThroughput t = apiPostsPerSecond(server, "bench", "/api/v1/namespaces/bench/nothings",
                                           404, 32, measureFor, round);
    floor.push_back(t.perSecond);
    floorCpu.push_back(t.serverCpuUs);
  }
  report("api_post_404_per_s_c32", median(floor), "ops/s");
  report("api_post_404_server_cpu_us", median(floorCpu), "us");
  report("api_post_404_to_store_ratio", median(floor) / median(store), "x");
}

void pacedCreates(const TugServer& server) {
  createNamespace(server, "bench-paced");
  auto ms = pacedCreateLatenciesMs(server, "bench-paced", 200, std::chrono::seconds(5), 8);
  std::fprintf(stderr, "paced creates: %zu, p50 %.2f ms, p99 %.2f ms, max %.2f ms\n", ms.size(),
               percentile(ms, 50), percentile(ms, 99), percentile(ms, 100));
  report("api_create_p99_ms_at_200_per_s", percentile(ms, 99), "ms");
}

void gets(const TugServer& server) {
  constexpr int kObjects = 200;
  createNamespace(server, "bench-get");
  createMany(server, configMaps("bench-get"), kObjects, 8,
             [](int i) { return configMapJson("cm-" + std::to_string(i)); });
  auto ms = getLatenciesMs(server, "bench-get", kObjects, 4, measureFor);
  std::fprintf(stderr, "gets: %zu, p50 %.2f ms, p99 %.2f ms\n", ms.size(), percentile(ms, 50),
               percentile(ms, 99));
  report("api_get_p99_ms", percentile(ms, 99), "ms");
}

void watchLatency(const TugServer& server) {
  createNamespace(server, "bench-watch");
  auto ms = watchLatenciesMs(server, "bench-watch", kWatchWrites);
  std::fprintf(stderr, "watch events: %zu, p50 %.2f ms, p99 %.2f ms\n", ms.size(),
               percentile(ms, 50), percentile(ms, 99));
  report("api_watch_latency_p99_ms", percentile(ms, 99), "ms");
}

void listPods(const TugServer& server) {
  createNamespace(server, "bench-pods");
  auto start = Clock::now();
  const std::string pods = "/api/v1/namespaces/bench-pods/pods";
  // Created as a controller creates them; the running status comes afterwards, as from a
  // kubelet (a create keeps only a pending status).
  double cpu = server.cpuSeconds();
  createMany(server, pods, kPods, 32, podJson);
  const double createCpuUs = (server.cpuSeconds() - cpu) * 1e6 / kPods;
  cpu = server.cpuSeconds();
  mergePatchMany(
      server, kPods, 32, [&](int i) { return pods + "/" + podName(i) + "/status"; },
      podStatusPatch);
  const double patchCpuUs = (server.cpuSeconds() - cpu) * 1e6 / kPods;
  std::fprintf(stderr, "list: created %d pods and patched their status in %.1f s\n", kPods,
               secondsSince(start));
  // A pod's create (as a controller's) and its running status (as a kubelet's merge patch to
  // /status): the server CPU of the two writes every pod costs.
  report("api_pod_create_server_cpu_us", createCpuUs, "us");
  report("api_pod_status_patch_server_cpu_us", patchCpuUs, "us");
  auto ms = listPodsMs(server, "bench-pods", kPods, kRepeats);
  report("api_list_5000_pods_ms", median(ms), "ms");
  // What kubectl and other Go clients see: they accept gzip, and a body this large is sent so.
  auto gz = listPodsMs(server, "bench-pods", kPods, kRepeats, true);
  report("api_list_5000_pods_gzip_ms", median(gz), "ms");
}

// A fresh server (the whole control plane) holding 1,000 ConfigMaps, idle; then the same
// server with 1,000 watches open.
void memory(bool idle, bool watchers) {
  TugServer server;
  createNamespace(server, "bench");
  createMany(server, configMaps("bench"), kIdleConfigMaps, 8,
             [](int i) { return configMapJson("cm-" + std::to_string(i)); });
  if (idle) {
    std::this_thread::sleep_for(std::chrono::seconds(5));
    report("server_idle_rss_mib", server.rssMib(), "MiB");
  }
  if (watchers) {
    report("api_watchers_1000_rss_mib", rssWithWatchersMib(server, "bench", kWatchers), "MiB");
  }
}

}  // namespace

// Usage: api_bench [milliseconds per throughput figure]
//                  [only: start|create|paced|get|watch|list|idle|watchers]
int main(int argc, char** argv) {
  cleanUpOnSignals();
  raiseOpenFileLimit();
  tug::log::setLevel(tug::log::Level::kWarn);
  if (argc > 1) {
    measureFor = std::chrono::milliseconds(std::atoi(argv[1]));
  }
  std::string only = argc > 2 ? argv[2] : "";
  auto want = [&](const char* part) { return only.empty() || only == part; };
  std::vector<double> starts;
  {
    // The API server alone, as upstream benchmarks its apiserver: no controller acts on the
    // objects written (the pods' owner does not exist, which the garbage collector would
    // act on). The memory figures below are of the whole server.
    TugServer server({"--disable-controller-manager", "--disable-scheduler"});
    if (want("create")) {
      createThroughput(server);
    }
    if (want("paced")) {
      pacedCreates(server);
    }
    if (want("get")) {
      gets(server);
    }
    if (want("watch")) {
      watchLatency(server);
    }
    if (want("list")) {
      listPods(server);
    }
  }
  if (want("idle") || want("watchers")) {
    memory(want("idle"), want("watchers"));
  }
  // The whole server's start: the median of kRepeats when asked for, else one.
  const size_t startRuns = want("start") ? kRepeats : 1;
  while (starts.size() < startRuns) {
    starts.push_back(TugServer().startMs());
  }
  report("server_start_ms", median(starts), "ms");
  return 0;
}
