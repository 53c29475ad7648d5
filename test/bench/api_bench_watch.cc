// Watch figures: event latency on one watch, and the memory of many open watches.
#include <httplib.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "bench/api_bench_cleanup.h"
#include "bench/api_bench_client.h"
#include "bench/api_bench_figures.h"
#include "bench/api_bench_objects.h"

namespace tug::bench {
namespace {

using OnLine = std::function<void(const std::string& line, Clock::time_point arrived)>;

// One watch request on its own connection and thread. Each complete line of the stream (one
// event) goes to `onLine` with the time its last bytes arrived.
class WatchStream {
 public:
  WatchStream(const TugServer& server, std::string path, OnLine onLine)
      : client_(connectAdmin(server)), path_(std::move(path)), onLine_(std::move(onLine)) {
    client_->set_read_timeout(std::chrono::seconds(600));  // a quiet watch is not a failure
    thread_ = std::thread([this] { run(); });
  }

  ~WatchStream() {
    stop();
    thread_.join();
  }

  // The response's status once its headers arrived (0 until then).
  int status() const { return status_.load(); }
  // True once the request has ended, for whatever reason.
  bool ended() const { return ended_.load(); }

  // Shuts the connection down under the blocked read; the request then ends. Only call once
  // status() is known: before the request is in flight there is nothing to shut down.
  void stop() {
    if (!ended_.load()) {
      client_->stop();
    }
  }

 private:
  void run() {
    httplib::Headers accept = {{"Accept", "application/json"}};
    client_->Get(
        path_.c_str(), accept,
        [this](const httplib::Response& r) {
          status_ = r.status;
          return true;
        },
        [this](const char* data, size_t n) {
          auto now = Clock::now();
          buffer_.append(data, n);
          for (size_t eol; (eol = buffer_.find('\n')) != std::string::npos;) {
            if (onLine_) {
              onLine_(buffer_.substr(0, eol), now);
            }
            buffer_.erase(0, eol + 1);
          }
          return true;
        });
    ended_ = true;
  }

  ClientPtr client_;
  std::string path_;
  OnLine onLine_;
  std::string buffer_;
  std::atomic<int> status_{0};
  std::atomic<bool> ended_{false};
  std::thread thread_;
};

std::string watchPath(const TugServer& server, const std::string& ns) {
  const std::string path = "/api/v1/namespaces/" + ns + "/configmaps";
  // From the current revision: no initial ADDED events for objects already there.
  return path +
         "?watch=1&timeoutSeconds=600&resourceVersion=" + collectionResourceVersion(server, path);
}

template <typename Done>
void waitFor(Done done, std::chrono::seconds limit, const std::string& what) {
  auto deadline = Clock::now() + limit;
  while (!done()) {
    require(Clock::now() < deadline, "timed out waiting for " + what);
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace

std::vector<double> watchLatenciesMs(const TugServer& server, const std::string& ns, int writes) {
  std::vector<Clock::time_point> seen(static_cast<size_t>(writes));
  std::vector<Clock::time_point> acked(static_cast<size_t>(writes));
  std::atomic<int> seenCount{0}, warmSeen{0};
  WatchStream watch(server, watchPath(server, ns), [&](const std::string& line, auto arrived) {
    auto event = nlohmann::json::parse(line, nullptr, false);
    if (!event.is_object() || event.value("type", "") != "ADDED") {
      fail("unexpected watch event: " + line.substr(0, 300));
    }
    std::string name = event["object"]["metadata"].value("name", "");
    if (name == "warm") {
      warmSeen = 1;
    } else if (name.rfind("w-", 0) == 0) {
      seen[static_cast<size_t>(std::stoi(name.substr(2)))] = arrived;
      seenCount.fetch_add(1, std::memory_order_release);
    }
  });
  auto client = connectAdmin(server);
  const std::string path = "/api/v1/namespaces/" + ns + "/configmaps";
  // The first object proves the watch is established (and warms both connections).
  require(timedPost(*client, path, configMapJson("warm")).status == 201, "create warm failed");
  waitFor([&] { return warmSeen.load() == 1; }, std::chrono::seconds(30), "the first event");
  for (int i = 0; i < writes; ++i) {
    Timed r = timedPost(*client, path, configMapJson("w-" + std::to_string(i)));
    acked[static_cast<size_t>(i)] = Clock::now();
    require(r.status == 201, "create w-" + std::to_string(i) + ": " + std::to_string(r.status));
  }
  waitFor([&] { return seenCount.load(std::memory_order_acquire) == writes; },
          std::chrono::seconds(30), "every watch event");
  std::vector<double> ms;
  for (size_t i = 0; i < seen.size(); ++i) {
    // An event may arrive before the writer reads its own response: that is 0 ms late.
    ms.push_back(
        std::max(0.0, std::chrono::duration<double, std::milli>(seen[i] - acked[i]).count()));
  }
  return ms;
}

double rssWithWatchersMib(const TugServer& server, const std::string& ns, int count) {
  const std::string path = watchPath(server, ns);
  std::vector<std::unique_ptr<WatchStream>> watches;
  auto start = Clock::now();
  for (int i = 0; i < count; ++i) {
    watches.push_back(std::make_unique<WatchStream>(server, path, nullptr));
  }
  auto opened = [&] {
    int n = 0;
    for (auto& w : watches) {
      int s = w->status();
      if ((s != 0 && s != 200) || w->ended()) {
        fail("watch " + std::to_string(n) + " ended or answered " + std::to_string(s));
      }
      n += s == 200;
    }
    return n == count;
  };
  waitFor(opened, std::chrono::seconds(120), std::to_string(count) + " watches to open");
  std::fprintf(stderr, "watchers: %d open after %.1f s\n", count, secondsSince(start));
  std::this_thread::sleep_for(std::chrono::seconds(1));
  require(opened(), "watches closed");  // still open a second later
  double rss = server.rssMib();
  for (auto& w : watches) {
    w->stop();
  }
  watches.clear();  // joins
  return rss;
}

}  // namespace tug::bench
