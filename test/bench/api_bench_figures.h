#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "bench/api_bench_server.h"

// One function per measurement of the API benchmark; api_bench.cc runs them and reports the
// figures. Each fails the benchmark (api_bench_cleanup.h) when the server answers wrongly.
namespace tug::bench {

// api_bench_writes.cc

// What closed-loop creating achieved: creates per second, and the CPU time the server and the
// clients (this process) spent on each create while the clock ran.
struct CreateThroughput {
  double perSecond = 0;
  double serverCpuUs = 0;
  double clientCpuUs = 0;
};

// ConfigMaps created by `threads` closed-loop clients (each on its own keep-alive connection,
// connected before the clock starts) in namespace `ns` over `duration`. `round` keeps names
// unique across calls.
CreateThroughput apiCreatesPerSecond(const TugServer& server, const std::string& ns,
                                     int threads, std::chrono::milliseconds duration, int round);

// The same closed loop POSTing the same ConfigMaps to `path` (warmed up with a LIST of
// namespace `ns`), each answered with `expectedStatus`.
CreateThroughput apiPostsPerSecond(const TugServer& server, const std::string& ns,
                                   const std::string& path, int expectedStatus, int threads,
                                   std::chrono::milliseconds duration, int round);

// Creates per second of the store alone: a SqliteStore at `dbPath` with the server's default
// options, `writers` threads creating keys with values of `valueBytes` bytes.
double storeCreatesPerSecond(const std::string& dbPath, int writers, size_t valueBytes,
                             std::chrono::milliseconds duration);

// Open-loop ConfigMap creates: request i is due at start + i / perSecond; its latency runs from
// when it was due to its response, so a server that falls behind is charged for the queue.
std::vector<double> pacedCreateLatenciesMs(const TugServer& server, const std::string& ns,
                                           int perSecond, std::chrono::milliseconds duration,
                                           int threads);

// api_bench_reads.cc

// GETs of the `objects` existing ConfigMaps cm-0 .. in `ns`, at random, from `threads` clients.
std::vector<double> getLatenciesMs(const TugServer& server, const std::string& ns, int objects,
                                   int threads, std::chrono::milliseconds duration);

// Milliseconds for one full JSON LIST of the pods in `ns` (no limit), body read included, once
// per repeat. Checks that each list holds `expected` items. With `gzip`, the request accepts a
// gzip body (as Go clients do) and the time includes inflating it.
std::vector<double> listPodsMs(const TugServer& server, const std::string& ns, int expected,
                               int repeats, bool gzip = false);

// api_bench_watch.cc

// One watch on the ConfigMaps of `ns`; `writes` creates one after another; for each, the time
// from its create's response to its event at the watch.
std::vector<double> watchLatenciesMs(const TugServer& server, const std::string& ns, int writes);

// Opens `count` watches on the ConfigMaps of `ns` (a connection and a thread each), checks that
// every one got 200 and stays open, and returns the server's resident memory (MiB) with all
// of them open.
double rssWithWatchersMib(const TugServer& server, const std::string& ns, int count);

}  // namespace tug::bench
