#pragma once

#include <array>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

namespace tug::apiserver {

// Writes the Prometheus text exposition format (version 0.0.4): one # HELP and # TYPE per
// family, then its samples. Label values are escaped.
class MetricsText {
 public:
  using Labels = std::vector<std::pair<std::string, std::string>>;

  void family(const std::string& name, const std::string& type, const std::string& help);
  void sample(const std::string& name, const Labels& labels, double value);
  const std::string& text() const { return out_; }

 private:
  std::string out_;
};

// Adds figures of one component (the store, the connection threads, the process) to /metrics.
using MetricsCollector = std::function<void(MetricsText&)>;

// The labels upstream's apiserver_request_* families carry.
struct RequestLabels {
  std::string verb;  // GET, LIST, WATCH, POST, PUT, PATCH, APPLY, DELETE, DELETECOLLECTION
  std::string group, version, resource, subresource;
  std::string scope;  // resource, namespace, cluster; "" for non-resource paths

  auto tie() const { return std::tie(verb, group, version, resource, subresource, scope); }
  bool operator<(const RequestLabels& o) const { return tie() < o.tie(); }
};

// Request counts by code, latencies and open long-running requests (watches), by labels.
// Thread-safe. Label sets are capped so that made-up URLs cannot grow memory without bound:
// past the cap, requests are counted under resource "other".
class RequestMetrics {
 public:
  static constexpr std::array<double, 16> kBuckets = {
      0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0, 1.5, 2, 4, 8, 15, 60};
  static constexpr size_t kMaxLabelSets = 2000;

  void observe(const RequestLabels& labels, int code, double seconds);
  void longRunningStarted(const RequestLabels& labels);
  void longRunningEnded(const RequestLabels& labels);
  void write(MetricsText& out) const;

 private:
  struct Latency {
    std::array<uint64_t, kBuckets.size()> buckets{};
    uint64_t count = 0;
    double sum = 0;
  };
  const RequestLabels& capped(const RequestLabels& labels) const;

  mutable std::mutex mu_;
  std::map<std::pair<RequestLabels, int>, uint64_t> counts_;
  std::map<RequestLabels, Latency> latencies_;
  std::map<RequestLabels, int64_t> longRunning_;
  RequestLabels other_{"", "", "", "other", "", ""};
};

// Figures of this process: resident memory, threads, open files, start time.
void writeProcessMetrics(MetricsText& out);

}  // namespace tug::apiserver
