#include "controllers/job/ttl_after_finished_controller.h"

#include "common/log.h"
#include "controllers/job/job_logic.h"
#include "controllers/workload/sync_worker.h"

namespace tug::controllers {
namespace {

constexpr const char* kLog = "ttl-after-finished-controller";
const client::Resource kJobs{"batch", "v1", "jobs", true};

}  // namespace

std::optional<TimePoint> ttlExpiry(const json& job) {
  const json* ttl = at(job, {"spec", "ttlSecondsAfterFinished"});
  const std::string type = job::finishedType(job);
  if (ttl == nullptr || !ttl->is_number_integer() || type.empty() || beingDeleted(job)) {
    return std::nullopt;
  }
  std::optional<TimePoint> finished;
  if (const json* c = findCondition(job, type)) {
    finished = parseTime(c->value("lastTransitionTime", ""));
  }
  if (!finished) {
    const json* done = at(job, {"status", "completionTime"});
    finished =
        done != nullptr && done->is_string() ? parseTime(done->get<std::string>()) : std::nullopt;
  }
  if (!finished) {
    return std::nullopt;
  }
  return *finished + std::chrono::seconds(ttl->get<int64_t>());
}

TtlAfterFinishedController::TtlAfterFinishedController(client::Client& client,
                                                       client::Informer& jobs)
    : client_(client), jobs_(jobs) {
  handlers_ += jobs_.addHandlers(client::EventHandlers{
      [this](const json& job) { enqueue(job); },
      [this](const json&, const json& now) { enqueue(now); }, [](const json&) {}});
}

TtlAfterFinishedController::~TtlAfterFinishedController() { stop(); }

void TtlAfterFinishedController::start() {
  for (int i = 0; i < 2; ++i) {
    workers_.emplace_back([this] {
      runSyncWorker(queue_, kLog, "job", [this](const std::string& key) { return sync(key); });
    });
  }
}

void TtlAfterFinishedController::stop() {
  queue_.shutDown();
  for (auto& w : workers_) {
    if (w.joinable()) {
      w.join();
    }
  }
  workers_.clear();
}

void TtlAfterFinishedController::enqueue(const json& job) {
  if (ttlExpiry(job)) {
    queue_.add(client::keyOf(namespaceOf(job), nameOf(job)));
  }
}

Status TtlAfterFinishedController::sync(const std::string& key) {
  auto [ns, name] = client::splitKey(key);
  auto cached = jobs_.get(ns, name);
  if (!cached) {
    return Status::ok();
  }
  auto expiry = ttlExpiry(*cached);
  if (!expiry) {
    return Status::ok();
  }
  auto now = std::chrono::system_clock::now();
  if (*expiry > now) {
    queue_.addAfter(key, std::chrono::duration_cast<std::chrono::milliseconds>(*expiry - now) +
                             std::chrono::milliseconds(100));
    return Status::ok();
  }
  // The TTL may have changed since the cache was filled: decide on a fresh read.
  auto fresh = client_.get(kJobs, ns, name);
  if (!fresh.ok()) {
    return fresh.status().code() == Code::kNotFound ? Status::ok() : fresh.status();
  }
  expiry = ttlExpiry(*fresh);
  if (!expiry || *expiry > now) {
    return Status::ok();
  }
  json options = {{"propagationPolicy", "Foreground"}, {"preconditions", {{"uid", uidOf(*fresh)}}}};
  auto r = client_.remove(kJobs, ns, name, options);
  if (!r.ok() && r.status().code() != Code::kNotFound && r.status().code() != Code::kConflict) {
    return r.status();
  }
  TUG_LOG(kInfo, kLog) << "deleted job " << key << ": its time to live after finishing ended";
  return Status::ok();
}

}  // namespace tug::controllers
