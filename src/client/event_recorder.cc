#include "client/event_recorder.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>

#include "common/log.h"
#include "common/rfc3339.h"

namespace tug::client {
namespace {

constexpr size_t kMaxBacklog = 1000;
// The spam filter: a burst of 25 events per object, refilled at one per five minutes.
constexpr double kBurst = 25;
constexpr double kRefillPerSecond = 1.0 / 300;
// Objects whose bucket is full again are forgotten once this many are remembered.
constexpr size_t kMaxBuckets = 4096;
// Remembered events, for folding repeats: the oldest are forgotten past this many.
constexpr size_t kMaxSeen = 4096;

// client-go names events "<object name>.<unix nanoseconds in hex>".
std::string eventName(const std::string& objectName) {
  auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                std::chrono::system_clock::now().time_since_epoch())
                .count();
  char buf[32];
  std::snprintf(buf, sizeof buf, "%llx", static_cast<unsigned long long>(ns));
  return objectName + "." + buf;
}

std::string str(const json& obj, const char* field) {
  auto it = obj.find(field);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

Resource eventsResource() { return Resource{"", "v1", "events", true}; }

}  // namespace

json objectReference(const json& obj, std::string_view kind, std::string_view apiVersion) {
  json meta = obj.is_object() ? obj.value("metadata", json::object()) : json::object();
  json ref = {{"kind", kind}, {"apiVersion", apiVersion}, {"name", str(meta, "name")}};
  for (const char* f : {"namespace", "uid", "resourceVersion"}) {
    if (std::string v = str(meta, f); !v.empty()) {
      ref[f] = v;
    }
  }
  return ref;
}

EventRecorder::EventRecorder(Client& client, EventSource source)
    : client_(client), source_(std::move(source)), thread_([this] { run(); }) {}

EventRecorder::~EventRecorder() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

bool EventRecorder::admit(const json& involved) {
  std::string key = str(involved, "uid");
  if (key.empty()) {
    key = str(involved, "kind") + "/" + str(involved, "namespace") + "/" + str(involved, "name");
  }
  const auto now = std::chrono::steady_clock::now();
  auto [it, fresh] = buckets_.try_emplace(key);
  Bucket& b = it->second;
  if (fresh) {
    b.tokens = kBurst;
  } else {
    double elapsed = std::chrono::duration<double>(now - b.updated).count();
    b.tokens = std::min(kBurst, b.tokens + elapsed * kRefillPerSecond);
  }
  b.updated = now;
  if (b.tokens < 1) {
    return false;
  }
  b.tokens -= 1;
  if (buckets_.size() > kMaxBuckets) {
    std::erase_if(buckets_, [&](const auto& kv) {
      double elapsed = std::chrono::duration<double>(now - kv.second.updated).count();
      return kv.second.tokens + elapsed * kRefillPerSecond >= kBurst;
    });
  }
  return true;
}

void EventRecorder::record(const json& involved, std::string_view type, std::string_view reason,
                           std::string_view message, std::string_view action) {
  std::lock_guard lock(mu_);
  if (stopping_ || queue_.size() >= kMaxBacklog || !admit(involved)) {
    return;
  }
  queue_.push_back(Pending{involved, std::string(type), std::string(reason),
                           std::string(message), std::string(action), nowRfc3339()});
  cv_.notify_one();
}

void EventRecorder::flush() {
  std::unique_lock lock(mu_);
  drained_.wait(lock, [this] { return queue_.empty() && !writing_; });
}

void EventRecorder::run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
    if (queue_.empty()) {
      drained_.notify_all();
      return;  // stopping, and everything is written
    }
    Pending e = std::move(queue_.front());
    queue_.pop_front();
    writing_ = true;
    lock.unlock();
    write(e);
    lock.lock();
    writing_ = false;
    if (queue_.empty()) {
      drained_.notify_all();
    }
  }
}

void EventRecorder::write(const Pending& e) {
  const json& obj = e.involved;
  std::string ns = str(obj, "namespace");
  if (ns.empty()) {
    ns = "default";  // events about cluster-scoped objects live in default
  }
  std::string key = str(obj, "kind") + "/" + ns + "/" + str(obj, "name") + "/" +
                    str(obj, "uid") + "\n" + e.type + "\n" + e.reason + "\n" + e.message;
  if (auto it = seen_.find(key); it != seen_.end()) {
    Seen& s = it->second;
    json patch = {{"count", s.count + 1}, {"lastTimestamp", e.time}};
    auto r = client_.patch(eventsResource(), s.ns, s.name, PatchType::kStrategicMerge,
                           patch.dump());
    if (r.ok()) {
      s.count++;
      return;
    }
    seen_.erase(it);  // gone (expired or deleted): write it anew
  }
  json event = {
      {"apiVersion", "v1"},
      {"kind", "Event"},
      {"metadata", {{"name", eventName(str(obj, "name"))}, {"namespace", ns}}},
      {"involvedObject", obj},
      {"reason", e.reason},
      {"message", e.message},
      {"type", e.type},
      {"source", json::object()},
      {"firstTimestamp", e.time},
      {"lastTimestamp", e.time},
      {"count", 1},
      {"eventTime", nullptr},
      {"reportingComponent", source_.component},
      {"reportingInstance", source_.host},
  };
  event["source"]["component"] = source_.component;
  if (!source_.host.empty()) {
    event["source"]["host"] = source_.host;
  }
  if (!e.action.empty()) {
    event["action"] = e.action;
  }
  auto r = client_.create(eventsResource(), ns, event);
  if (!r.ok()) {
    TUG_LOG(kDebug, "events") << "writing event " << e.reason << " about " << str(obj, "name")
                              << ": " << r.status().toString();
    return;
  }
  if (seen_.size() >= kMaxSeen) {
    seen_.clear();
  }
  seen_[key] = Seen{ns, event["metadata"]["name"], 1};
}

}  // namespace tug::client
