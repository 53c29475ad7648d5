#include "controllers/workload/event_recorder.h"

#include <cstdio>

namespace tug::controllers {
namespace {

const client::Resource kEvents{"", "v1", "events", true};
constexpr double kBurst = 25;
constexpr double kRefillPerSecond = 1.0 / 300;
constexpr size_t kMaxPending = 1000;

}  // namespace

EventRecorder::EventRecorder(client::Client& client, std::string component)
    : client_(client), component_(std::move(component)) {
  thread_ = std::thread([this] { run(); });
}

EventRecorder::~EventRecorder() { stop(); }

void EventRecorder::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool EventRecorder::admit(const std::string& key) {
  const auto now = std::chrono::steady_clock::now();
  auto [it, fresh] = buckets_.try_emplace(key);
  Bucket& b = it->second;
  if (!fresh) {
    double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(kBurst, b.tokens + elapsed * kRefillPerSecond);
  }
  b.updated = now;
  if (b.tokens < 1) {
    return false;
  }
  b.tokens -= 1;
  return true;
}

void EventRecorder::record(const json& object, std::string_view apiVersion, std::string_view kind,
                           std::string_view type, std::string_view reason, std::string message) {
  const auto now = std::chrono::system_clock::now();
  const std::string name = nameOf(object);
  const std::string ns = namespaceOf(object).empty() ? "default" : namespaceOf(object);
  // Upstream names events "<object>.<unix nanoseconds in hex>".
  char suffix[24];
  std::snprintf(suffix, sizeof suffix, "%llx",
                static_cast<unsigned long long>(
                    std::chrono::duration_cast<std::chrono::nanoseconds>(now.time_since_epoch())
                        .count()));
  json involved = {{"apiVersion", apiVersion}, {"kind", kind},     {"name", name},
                   {"namespace", ns},          {"uid", uidOf(object)}};
  if (std::string rv = metaString(object, "resourceVersion"); !rv.empty()) {
    involved["resourceVersion"] = rv;
  }
  const std::string t = formatTime(now);
  json event = {{"apiVersion", "v1"},
                {"kind", "Event"},
                {"metadata", {{"name", name + "." + suffix}, {"namespace", ns}}},
                {"involvedObject", involved},
                {"reason", reason},
                {"message", std::move(message)},
                {"type", type},
                {"source", {{"component", component_}}},
                {"firstTimestamp", t},
                {"lastTimestamp", t},
                {"count", 1},
                {"reportingComponent", component_},
                {"reportingInstance", ""}};
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ || pending_.size() >= kMaxPending || !admit(uidOf(object) + "/" + name)) {
      return;
    }
    pending_.push_back(std::move(event));
  }
  wake_.notify_one();
}

void EventRecorder::run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    wake_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
    if (stopping_) {
      return;
    }
    json event = std::move(pending_.front());
    pending_.pop_front();
    lock.unlock();
    (void)client_.create(kEvents, event["metadata"].value("namespace", ""), event);
    lock.lock();
  }
}

}  // namespace tug::controllers
