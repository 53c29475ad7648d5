#include "apiserver/metrics.h"

#include <dirent.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace tug::apiserver {
namespace {

std::string escapeLabel(const std::string& v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

std::string formatValue(double v) {
  if (std::isinf(v)) {
    return v > 0 ? "+Inf" : "-Inf";
  }
  if (v == std::floor(v) && std::fabs(v) < 1e15) {
    return std::to_string(static_cast<int64_t>(v));
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", v);
  return buf;
}

MetricsText::Labels labelsOf(const RequestLabels& l) {
  return {{"component", "apiserver"}, {"group", l.group},       {"resource", l.resource},
          {"scope", l.scope},         {"subresource", l.subresource}, {"verb", l.verb},
          {"version", l.version}};
}

}  // namespace

void MetricsText::family(const std::string& name, const std::string& type,
                         const std::string& help) {
  out_ += "# HELP " + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

void MetricsText::sample(const std::string& name, const Labels& labels, double value) {
  out_ += name;
  if (!labels.empty()) {
    out_ += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      out_ += (i ? "," : "") + labels[i].first + "=\"" + escapeLabel(labels[i].second) + "\"";
    }
    out_ += '}';
  }
  out_ += ' ' + formatValue(value) + '\n';
}

const RequestLabels& RequestMetrics::capped(const RequestLabels& labels) const {
  if (latencies_.size() < kMaxLabelSets || latencies_.count(labels) != 0) {
    return labels;
  }
  return other_;
}

void RequestMetrics::observe(const RequestLabels& labels, int code, double seconds) {
  std::lock_guard<std::mutex> lock(mu_);
  const RequestLabels& l = capped(labels);
  ++counts_[{l, code}];
  Latency& lat = latencies_[l];
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++lat.buckets[i];
    }
  }
  ++lat.count;
  lat.sum += seconds;
}

void RequestMetrics::longRunningStarted(const RequestLabels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  ++longRunning_[capped(labels)];
}

void RequestMetrics::longRunningEnded(const RequestLabels& labels) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = longRunning_.find(labels);
  if (it == longRunning_.end()) {
    it = longRunning_.find(other_);
  }
  if (it != longRunning_.end()) {
    --it->second;
  }
}

void RequestMetrics::write(MetricsText& out) const {
  std::lock_guard<std::mutex> lock(mu_);
  out.family("apiserver_request_total", "counter",
             "Requests answered, by verb, group, version, resource, scope and HTTP code.");
  for (const auto& [key, n] : counts_) {
    auto labels = labelsOf(key.first);
    labels.insert(labels.begin() + 0, {"code", std::to_string(key.second)});
    out.sample("apiserver_request_total", labels, static_cast<double>(n));
  }
  out.family("apiserver_request_duration_seconds", "histogram",
             "Time to answer a request (for watches: until the stream starts).");
  for (const auto& [l, lat] : latencies_) {
    auto labels = labelsOf(l);
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      auto withLe = labels;
      withLe.push_back({"le", formatValue(kBuckets[i])});
      out.sample("apiserver_request_duration_seconds_bucket", withLe,
                 static_cast<double>(lat.buckets[i]));
    }
    auto inf = labels;
    inf.push_back({"le", "+Inf"});
    out.sample("apiserver_request_duration_seconds_bucket", inf, static_cast<double>(lat.count));
    out.sample("apiserver_request_duration_seconds_sum", labels, lat.sum);
    out.sample("apiserver_request_duration_seconds_count", labels,
               static_cast<double>(lat.count));
  }
  out.family("apiserver_longrunning_requests", "gauge",
             "Long-running requests (watches) open now.");
  for (const auto& [l, n] : longRunning_) {
    out.sample("apiserver_longrunning_requests", labelsOf(l), static_cast<double>(n));
  }
}

void writeProcessMetrics(MetricsText& out) {
  long pageSize = sysconf(_SC_PAGESIZE);
  long ticks = sysconf(_SC_CLK_TCK);
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  out.family("process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  out.sample("process_resident_memory_bytes", {}, static_cast<double>(resident) * pageSize);
  out.family("process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
  out.sample("process_virtual_memory_bytes", {}, static_cast<double>(size) * pageSize);

  // /proc/self/stat: utime and stime are fields 14 and 15, num_threads 20, starttime 22;
  // the command name (field 2) may hold spaces, so count from the closing parenthesis.
  std::ifstream statFile("/proc/self/stat");
  std::string stat((std::istreambuf_iterator<char>(statFile)), std::istreambuf_iterator<char>());
  auto close = stat.rfind(')');
  if (close != std::string::npos) {
    std::istringstream fields(stat.substr(close + 2));
    std::vector<std::string> f;
    for (std::string x; fields >> x;) {
      f.push_back(x);
    }
    // f[0] is field 3 (state).
    if (f.size() > 19) {
      double cpu = (std::stod(f[11]) + std::stod(f[12])) / static_cast<double>(ticks);
      out.family("process_cpu_seconds_total", "counter", "User and system CPU time in seconds.");
      out.sample("process_cpu_seconds_total", {}, cpu);
      out.family("process_threads", "gauge", "Threads of this process.");
      out.sample("process_threads", {}, std::stod(f[17]));
      std::ifstream uptime("/proc/uptime");
      double up = 0;
      uptime >> up;
      double startedAgo = up - std::stod(f[19]) / static_cast<double>(ticks);
      out.family("process_start_time_seconds", "gauge",
                 "Start time of the process since the Unix epoch in seconds.");
      out.sample("process_start_time_seconds", {},
                 std::floor(static_cast<double>(time(nullptr)) - startedAgo));
    }
  }
  size_t fds = 0;
  if (DIR* d = opendir("/proc/self/fd")) {
    while (readdir(d) != nullptr) {
      ++fds;
    }
    closedir(d);
    fds = fds >= 3 ? fds - 3 : 0;  // ".", ".." and the directory's own descriptor
  }
  out.family("process_open_fds", "gauge", "Open file descriptors.");
  out.sample("process_open_fds", {}, static_cast<double>(fds));
}

}  // namespace tug::apiserver
