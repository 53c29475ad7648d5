#include "controllers/job/job_controller.h"

#include <atomic>

#include "common/log.h"
#include "controllers/job/job_logic.h"
#include "controllers/workload/batch.h"
#include "controllers/workload/controller_ref.h"
#include "controllers/workload/sync_worker.h"

namespace tug::controllers {
namespace {

constexpr const char* kLog = "job-controller";
const client::Resource kPods{"", "v1", "pods", true};
const client::Resource kJobs{"batch", "v1", "jobs", true};

std::string keyOf(const json& obj) { return client::keyOf(namespaceOf(obj), nameOf(obj)); }

json jobRef(const json& job) { return client::objectReference(job, "Job", "batch/v1"); }

}  // namespace

JobController::JobController(client::Client& client, client::Informer& pods, client::Informer& jobs,
                             Options options)
    : client_(client),
      pods_(pods),
      jobs_(jobs),
      options_(options),
      events_(client, client::EventSource{"job-controller", ""}) {
  handlers_ +=
      jobs_.addHandlers(client::EventHandlers{[this](const json& job) { queue_.add(keyOf(job)); },
                                              [this](const json& old, const json& now) {
                                                if (uidOf(old) != uidOf(now)) {
                                                  expectations_.forget(keyOf(old));
                                                }
                                                queue_.add(keyOf(now));
                                              },
                                              [this](const json& job) {
                                                expectations_.forget(keyOf(job));
                                                queue_.add(keyOf(job));
                                              }});
  handlers_ += pods_.addHandlers(client::EventHandlers{
      [this](const json& pod) { podEvent(pod, true, false); },
      [this](const json& old, const json& now) {
        if (metaString(old, "resourceVersion") != metaString(now, "resourceVersion")) {
          podEvent(now, false, false);
        }
      },
      [this](const json& pod) { podEvent(pod, false, true); }});
}

JobController::~JobController() { stop(); }

void JobController::start() {
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] {
      runSyncWorker(queue_, kLog, "job", [this](const std::string& key) { return sync(key); });
    });
  }
  workers_.emplace_back([this] {
    runSyncWorker(orphans_, kLog, "pod",
                  [this](const std::string& key) { return syncOrphan(key); });
  });
}

void JobController::stop() {
  queue_.shutDown();
  orphans_.shutDown();
  for (auto& w : workers_) {
    if (w.joinable()) {
      w.join();
    }
  }
  workers_.clear();
}

std::optional<json> JobController::ownerJob(const json& pod) const {
  const json* ref = controllerOf(pod);
  if (ref == nullptr || ref->value("kind", "") != "Job") {
    return std::nullopt;
  }
  auto job = jobs_.get(namespaceOf(pod), ref->value("name", ""));
  if (!job || uidOf(*job) != ref->value("uid", "")) {
    return std::nullopt;
  }
  return job;
}

void JobController::podEvent(const json& pod, bool added, bool deleted) {
  auto job = ownerJob(pod);
  if (!job) {
    // A pod whose Job is gone keeps no tracking finalizer.
    if (!deleted && job::hasTrackingFinalizer(pod)) {
      orphans_.add(keyOf(pod));
    }
    return;
  }
  const std::string key = keyOf(*job);
  if (added) {
    expectations_.creationObserved(key);
  }
  if (deleted || beingDeleted(pod)) {
    expectations_.deletionObserved(key, keyOf(pod));
  }
  queue_.add(key);
}

Status JobController::sync(const std::string& key) {
  auto [ns, name] = client::splitKey(key);
  auto job = jobs_.get(ns, name);
  if (!job) {
    expectations_.forget(key);
    return Status::ok();
  }
  const bool canManage = expectations_.satisfied(key) && !beingDeleted(*job);
  const json selector = job->value("spec", json::object()).value("selector", json::object());
  const std::string uid = uidOf(*job);
  std::vector<json> candidates;
  pods_.forEach(ns, [&](const json& pod) {
    const json* ref = controllerOf(pod);
    if (ref != nullptr ? ref->value("uid", "") == uid
                       : podIsActive(pod) && selectorMatches(selector, labelsOf(pod))) {
      candidates.push_back(pod);
    }
  });
  ClaimTarget target{client_,
                     kPods,
                     *job,
                     selector,
                     newControllerRef(*job, "batch/v1", "Job"),
                     [this, &job, ns = ns, name = name]() -> Result<bool> {
                       auto fresh = client_.get(kJobs, ns, name);
                       if (!fresh.ok()) {
                         return fresh.status().code() == Code::kNotFound ? Result<bool>(false)
                                                                         : fresh.status();
                       }
                       return uidOf(*fresh) == uidOf(*job) && !beingDeleted(*fresh);
                     }};
  auto owned = claim(target, candidates);
  if (!owned.ok()) {
    return owned.status();
  }
  const auto now = std::chrono::system_clock::now();
  job::Decision d = job::decide(*job, *owned, now, canManage);
  if (!job::finishedType(*job).empty()) {
    return untrack(d.podsToUntrack);
  }

  Status manageStatus = deletePods(*job, key, d.podsToDelete);
  int created = 0;
  if (manageStatus.isOk() && (d.createCount > 0 || !d.createIndexes.empty())) {
    manageStatus =
        createPods(*job, key, d.createCount, d.createIndexes, d.indexAnnotations, created);
  }
  if (created > 0) {
    d.status["active"] = intAt(d.status, {"active"}) + created;
  }
  auto updated = writeStatus(*job, d.status);
  if (!updated.ok()) {
    return updated.status();
  }
  // Counted in the status just written: the pods may go now.
  if (Status s = untrack(d.podsToUntrack); !s.isOk()) {
    return s;
  }
  for (const job::Event& e : d.events) {
    events_.record(jobRef(*updated), e.type, e.reason, e.message);
  }
  if (d.requeueAfter) {
    queue_.addAfter(key, *d.requeueAfter + std::chrono::milliseconds(100));
  }
  return manageStatus;
}

Status JobController::createPods(const json& job, const std::string& key, int count,
                                 const std::vector<int64_t>& indexes,
                                 const std::map<int64_t, json>& annotations, int& created) {
  const bool indexed = !indexes.empty();
  const int total = indexed ? static_cast<int>(indexes.size()) : count;
  std::vector<json> pods;
  for (int i = 0; i < total; ++i) {
    std::optional<int64_t> index;
    json extra;
    if (indexed) {
      index = indexes[i];
      if (auto it = annotations.find(indexes[i]); it != annotations.end()) {
        extra = it->second;
      }
    }
    auto pod = job::podFromTemplate(job, index, extra);
    if (!pod.ok()) {
      return pod.status();
    }
    pods.push_back(std::move(*pod));
  }
  expectations_.expectCreations(key, total);
  std::atomic<int> next{0};
  BatchResult result = slowStartBatch(total, 1, options_.createParallelism, [&]() -> Status {
    const json& pod = pods[next++];
    auto r = client_.create(kPods, namespaceOf(job), pod);
    if (r.ok()) {
      events_.record(jobRef(job), "Normal", "SuccessfulCreate", "Created pod: " + nameOf(*r));
      return Status::ok();
    }
    if (r.status().message().find("because it is being terminated") != std::string::npos) {
      return Status::ok();
    }
    events_.record(jobRef(job), "Warning", "FailedCreate",
                   "Error creating: " + r.status().message());
    return r.status();
  });
  for (int skipped = total - result.successes; skipped > 0; --skipped) {
    expectations_.creationObserved(key);
  }
  created = result.successes;
  return result.firstError;
}

Status JobController::deletePods(const json& job, const std::string& key,
                                 const std::vector<json>& pods) {
  if (pods.empty()) {
    return Status::ok();
  }
  std::vector<std::string> keys;
  for (const json& p : pods) {
    keys.push_back(keyOf(p));
  }
  expectations_.expectDeletions(key, keys);
  return parallelFor(static_cast<int>(pods.size()), options_.createParallelism,
                     [&](int i) -> Status {
                       auto r = client_.remove(kPods, namespaceOf(pods[i]), nameOf(pods[i]));
                       if (r.ok()) {
                         events_.record(jobRef(job), "Normal", "SuccessfulDelete",
                                        "Deleted pod: " + nameOf(pods[i]));
                         return Status::ok();
                       }
                       expectations_.deletionObserved(key, keys[i]);
                       if (r.status().code() == Code::kNotFound) {
                         return Status::ok();
                       }
                       events_.record(jobRef(job), "Warning", "FailedDelete",
                                      "Error deleting: " + r.status().message());
                       return r.status();
                     });
}

Status JobController::untrack(const std::vector<json>& pods) {
  return parallelFor(
      static_cast<int>(pods.size()), options_.createParallelism, [&](int i) -> Status {
        auto r = client_.patch(kPods, namespaceOf(pods[i]), nameOf(pods[i]),
                               client::PatchType::kStrategicMerge, job::untrackPatch());
        return r.ok() || r.status().code() == Code::kNotFound ? Status::ok() : r.status();
      });
}

Status JobController::syncOrphan(const std::string& podKey) {
  auto [ns, name] = client::splitKey(podKey);
  auto pod = pods_.get(ns, name);
  if (!pod || !job::hasTrackingFinalizer(*pod)) {
    return Status::ok();
  }
  const json* ref = controllerOf(*pod);
  if (ref != nullptr && ref->value("kind", "") == "Job") {
    auto job = client_.get(kJobs, ns, ref->value("name", ""));
    if (job.ok() && uidOf(*job) == ref->value("uid", "") && job::finishedType(*job).empty()) {
      queue_.add(keyOf(*job));  // its Job counts it
      return Status::ok();
    }
    if (!job.ok() && job.status().code() != Code::kNotFound) {
      return job.status();
    }
  }
  return untrack({*pod});
}

Result<json> JobController::writeStatus(const json& job, const json& status) {
  if (job.value("status", json::object()) == status) {
    return job;
  }
  // A conflict means the cache was behind: the sync runs again on the fresh object.
  json next = job;
  next["status"] = status;
  return client_.update(kJobs, namespaceOf(job), next, "status");
}

}  // namespace tug::controllers
