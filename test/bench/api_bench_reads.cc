// Read figures: GET latency of single objects and the time of a large LIST.
#include <httplib.h>

#include <cstdio>
#include <latch>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>
#include <vector>

#include "bench/api_bench_cleanup.h"
#include "bench/api_bench_client.h"
#include "bench/api_bench_figures.h"

namespace tug::bench {

std::vector<double> getLatenciesMs(const TugServer& server, const std::string& ns, int objects,
                                   int threads, std::chrono::milliseconds duration) {
  const std::string prefix = "/api/v1/namespaces/" + ns + "/configmaps/cm-";
  std::vector<std::vector<double>> perThread(static_cast<size_t>(threads));
  std::latch connected(threads), go(1);
  Clock::time_point end;  // written before go opens, read after
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      auto client = connectAdmin(server);
      std::mt19937 random(static_cast<unsigned>(t) + 1);
      std::uniform_int_distribution<int> pick(0, objects - 1);
      require(timedGet(*client, prefix + "0").status == 200, "warm-up GET of cm-0 failed");
      connected.count_down();
      go.wait();
      auto& mine = perThread[static_cast<size_t>(t)];
      while (Clock::now() < end) {
        int i = pick(random);
        Timed r = timedGet(*client, prefix + std::to_string(i));
        if (r.status != 200) {
          fail("GET cm-" + std::to_string(i) + " answered " + std::to_string(r.status));
        }
        mine.push_back(r.ms);
      }
    });
  }
  connected.wait();
  end = Clock::now() + duration;
  go.count_down();
  for (auto& t : ts) {
    t.join();
  }
  std::vector<double> all;
  for (auto& v : perThread) {
    all.insert(all.end(), v.begin(), v.end());
  }
  return all;
}

std::vector<double> listPodsMs(const TugServer& server, const std::string& ns, int expected,
                               int repeats, bool gzip) {
  const std::string path = "/api/v1/namespaces/" + ns + "/pods";
  auto client = connectAdmin(server);
  require(timedGet(*client, path + "?limit=1").status == 200, "warm-up LIST of pods failed");
  std::vector<double> ms;
  std::string body;
  for (int i = 0; i < repeats; ++i) {
    Timed t = timedGet(*client, path, &body, gzip ? "gzip" : nullptr);
    require(t.status == 200, "LIST pods answered " + std::to_string(t.status));
    ms.push_back(t.ms);
  }
  // Checked once, after the clock: parsing 5,000 pods is the client's cost, not the server's.
  auto list = nlohmann::json::parse(body, nullptr, false);
  require(list.is_object() && list["items"].is_array(), "LIST pods did not return a list");
  size_t items = list["items"].size();
  require(items == static_cast<size_t>(expected), "LIST pods returned " + std::to_string(items) +
                                                      " items, not " + std::to_string(expected));
  std::fprintf(stderr, "list%s: %zu pods, %.1f MiB body, %.0f bytes per pod\n",
               gzip ? " (gzip)" : "", items,
               static_cast<double>(body.size()) / (1 << 20),
               static_cast<double>(body.size()) / static_cast<double>(items));
  return ms;
}

}  // namespace tug::bench
