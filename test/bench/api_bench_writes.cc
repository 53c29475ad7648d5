// Write figures: closed-loop create throughput (API and store alone) and paced create latency.
#include <httplib.h>

#include <atomic>
#include <cstdio>
#include <latch>
#include <thread>
#include <vector>

#include "bench/api_bench_cleanup.h"
#include "bench/api_bench_client.h"
#include "bench/api_bench_figures.h"
#include "bench/api_bench_objects.h"
#include "store/sqlite/sqlite_store.h"

namespace tug::bench {
namespace {

std::string configMapsPath(const std::string& ns) {
  return "/api/v1/namespaces/" + ns + "/configmaps";
}

// Opens the connection (TLS handshake, authentication) before anything is timed.
void warmUp(httplib::SSLClient& client, const std::string& ns) {
  Timed t = timedGet(client, configMapsPath(ns) + "?limit=1");
  require(t.status == 200, "warm-up LIST of " + ns + " answered " + std::to_string(t.status));
}

}  // namespace

CreateThroughput apiCreatesPerSecond(const TugServer& server, const std::string& ns,
                                     int threads, std::chrono::milliseconds duration, int round) {
  return apiPostsPerSecond(server, ns, configMapsPath(ns), 201, threads, duration, round);
}

CreateThroughput apiPostsPerSecond(const TugServer& server, const std::string& ns,
                                   const std::string& path, int expectedStatus, int threads,
                                   std::chrono::milliseconds duration, int round) {
  std::atomic<long> done{0};
  std::atomic<bool> stop{false};
  std::latch connected(threads), go(1);
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&, t] {
      auto client = connectAdmin(server);
      warmUp(*client, ns);
      connected.count_down();
      go.wait();
      char name[64];
      for (long i = 0; !stop.load(std::memory_order_relaxed); ++i) {
        std::snprintf(name, sizeof name, "c%d-%02d-%07ld", round, t, i);
        Timed r = timedPost(*client, path, configMapJson(name));
        if (r.status != expectedStatus) {
          fail("POST of " + std::string(name) + " to " + path + " answered " +
               std::to_string(r.status));
        }
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  connected.wait();
  const double serverBefore = server.cpuSeconds(), clientBefore = processCpuSeconds();
  auto start = Clock::now();
  go.count_down();
  std::this_thread::sleep_for(duration);
  stop = true;
  for (auto& t : ts) {
    t.join();
  }
  const double seconds = secondsSince(start);
  const double creates = static_cast<double>(done.load());
  return CreateThroughput{creates / seconds,
                          (server.cpuSeconds() - serverBefore) * 1e6 / creates,
                          (processCpuSeconds() - clientBefore) * 1e6 / creates};
}

double storeCreatesPerSecond(const std::string& dbPath, int writers, size_t valueBytes,
                             std::chrono::milliseconds duration) {
  store::SqliteOptions options;  // the server's defaults: full durability
  options.path = dbPath;
  auto opened = store::openSqlite(options);
  require(opened.ok(), "opening " + dbPath + ": " + opened.status().toString());
  store::StorePtr s = std::move(*opened);
  const std::string value(valueBytes, 'v');
  std::atomic<long> done{0}, next{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> ts;
  auto start = Clock::now();
  for (int t = 0; t < writers; ++t) {
    ts.emplace_back([&] {
      char key[96];
      while (!stop.load(std::memory_order_relaxed)) {
        std::snprintf(key, sizeof key, "/registry/configmaps/bench/cm-%08ld", next.fetch_add(1));
        auto r = s->create(key, value);
        if (!r.ok()) {
          fail("store create: " + r.status().toString());
        }
        done.fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(duration);
  stop = true;
  for (auto& t : ts) {
    t.join();
  }
  double rate = static_cast<double>(done.load()) / secondsSince(start);
  s->close();
  return rate;
}

std::vector<double> pacedCreateLatenciesMs(const TugServer& server, const std::string& ns,
                                           int perSecond, std::chrono::milliseconds duration,
                                           int threads) {
  const std::string path = configMapsPath(ns);
  const long total = static_cast<long>(perSecond) * duration.count() / 1000;
  const auto interval = std::chrono::nanoseconds(1'000'000'000 / perSecond);
  std::vector<double> latencies(static_cast<size_t>(total));
  std::atomic<long> next{0};
  std::latch connected(threads), go(1);
  Clock::time_point start;  // written before go opens, read after
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t) {
    ts.emplace_back([&] {
      auto client = connectAdmin(server);
      warmUp(*client, ns);
      connected.count_down();
      go.wait();
      for (long i; (i = next.fetch_add(1)) < total;) {
        auto due = start + i * interval;
        std::this_thread::sleep_until(due);
        Timed r = timedPost(*client, path, configMapJson("paced-" + std::to_string(i)));
        if (r.status != 201) {
          fail("paced create " + std::to_string(i) + " answered " + std::to_string(r.status));
        }
        latencies[static_cast<size_t>(i)] =
            std::chrono::duration<double, std::milli>(Clock::now() - due).count();
      }
    });
  }
  connected.wait();
  start = Clock::now();
  go.count_down();
  for (auto& t : ts) {
    t.join();
  }
  return latencies;
}

}  // namespace tug::bench
