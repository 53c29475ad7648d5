#include "controllers/cronjob/cronjob_controller.h"

#include <algorithm>
#include <ctime>
#include <set>

#include "common/cron_schedule.h"
#include "common/log.h"
#include "controllers/cronjob/cronjob_logic.h"
#include "controllers/workload/sync_worker.h"

namespace tug::controllers {
namespace {

constexpr const char* kLog = "cronjob-controller";
const client::Resource kJobs{"batch", "v1", "jobs", true};
const client::Resource kCronJobs{"batch", "v1", "cronjobs", true};

std::string keyOf(const json& obj) { return client::keyOf(namespaceOf(obj), nameOf(obj)); }

json cronRef(const json& cj) { return client::objectReference(cj, "CronJob", "batch/v1"); }

json activeRef(const json& job) {
  return {{"kind", "Job"},
          {"namespace", namespaceOf(job)},
          {"name", nameOf(job)},
          {"uid", uidOf(job)},
          {"apiVersion", "batch/v1"},
          {"resourceVersion", metaString(job, "resourceVersion")}};
}

json& activeList(json& cj) {
  json& active = cj["status"]["active"];
  if (!active.is_array()) {
    active = json::array();
  }
  return active;
}

bool inActive(json& cj, const std::string& uid) {
  for (const json& ref : activeList(cj)) {
    if (ref.value("uid", "") == uid) {
      return true;
    }
  }
  return false;
}

void removeActive(json& cj, const std::string& uid) {
  json& active = activeList(cj);
  json kept = json::array();
  for (const json& ref : active) {
    if (ref.value("uid", "") != uid) {
      kept.push_back(ref);
    }
  }
  active = kept;
}

// RFC 1123 with a numeric zone, as Go's time.RFC1123Z writes a UTC time.
std::string rfc1123z(cronjob::Seconds t) {
  std::time_t tt = t.time_since_epoch().count();
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

std::string startOf(const json& job) {
  const json* t = at(job, {"status", "startTime"});
  return t != nullptr && t->is_string() ? t->get<std::string>()
                                        : metaString(job, "creationTimestamp");
}

}  // namespace

CronJobController::CronJobController(client::Client& client, client::Informer& jobs,
                                     client::Informer& cronJobs)
    : client_(client),
      jobs_(jobs),
      cronJobs_(cronJobs),
      events_(client, client::EventSource{"cronjob-controller", ""}) {
  handlers_ += cronJobs_.addHandlers(client::EventHandlers{
      [this](const json& cj) { queue_.add(keyOf(cj)); },
      [this](const json&, const json& now) { queue_.add(keyOf(now)); }, [](const json&) {}});
  handlers_ += jobs_.addHandlers(
      client::EventHandlers{[this](const json& job) { jobEvent(job); },
                            [this](const json&, const json& now) { jobEvent(now); },
                            [this](const json& job) { jobEvent(job); }});
}

CronJobController::~CronJobController() { stop(); }

void CronJobController::start() {
  for (int i = 0; i < 2; ++i) {
    workers_.emplace_back([this] {
      runSyncWorker(queue_, kLog, "cronjob", [this](const std::string& key) { return sync(key); });
    });
  }
}

void CronJobController::stop() {
  queue_.shutDown();
  for (auto& w : workers_) {
    if (w.joinable()) {
      w.join();
    }
  }
  workers_.clear();
}

void CronJobController::jobEvent(const json& job) {
  const json* ref = controllerOf(job);
  if (ref != nullptr && ref->value("kind", "") == "CronJob") {
    queue_.add(client::keyOf(namespaceOf(job), ref->value("name", "")));
  }
}

std::vector<json> CronJobController::ownedJobs(const json& cronJob) const {
  std::vector<json> owned;
  const std::string uid = uidOf(cronJob);
  jobs_.forEach(namespaceOf(cronJob), [&](const json& job) {
    const json* ref = controllerOf(job);
    if (ref != nullptr && ref->value("uid", "") == uid) {
      owned.push_back(job);
    }
  });
  return owned;
}

Status CronJobController::sync(const std::string& key) {
  auto [ns, name] = client::splitKey(key);
  auto cached = cronJobs_.get(ns, name);
  if (!cached || beingDeleted(*cached)) {
    return Status::ok();
  }
  json cronJob = *cached;
  const std::vector<json> jobs = ownedJobs(cronJob);
  if (Status s = reconcileActive(cronJob, jobs); !s.isOk()) {
    return s;
  }
  auto requeue = schedule(cronJob);
  cleanupFinished(cronJob, ownedJobs(cronJob));
  if (Status s = writeStatus(*cached, cronJob); !s.isOk()) {
    return s;
  }
  if (!requeue.ok()) {
    return requeue.status();
  }
  if (*requeue) {
    queue_.addAfter(key, **requeue);
  }
  return Status::ok();
}

Status CronJobController::reconcileActive(json& cronJob, const std::vector<json>& jobs) {
  std::set<std::string> children;
  for (const json& job : jobs) {
    const std::string uid = uidOf(job);
    children.insert(uid);
    const bool found = inActive(cronJob, uid);
    const std::string finished = cronjob::jobFinished(job);
    if (!found && finished.empty()) {
      events_.record(cronRef(cronJob), "Warning", "UnexpectedJob",
                     "Saw a job that the controller did not create or forgot: " + nameOf(job));
    } else if (found && !finished.empty()) {
      removeActive(cronJob, uid);
      events_.record(cronRef(cronJob), "Normal", "SawCompletedJob",
                     "Saw completed job: " + nameOf(job) + ", condition: " + finished);
    }
    if (finished == "Complete") {
      const json* done = at(job, {"status", "completionTime"});
      if (done != nullptr && done->is_string()) {
        const json* last = at(cronJob, {"status", "lastSuccessfulTime"});
        auto lastTime = last != nullptr && last->is_string() ? parseTime(last->get<std::string>())
                                                             : std::nullopt;
        auto doneTime = parseTime(done->get<std::string>());
        if (doneTime && (!lastTime || *doneTime > *lastTime)) {
          cronJob["status"]["lastSuccessfulTime"] = *done;
        }
      }
    }
  }
  // Active Jobs the cache does not show may be gone, or the cache may be behind: ask.
  for (const json& ref : json(activeList(cronJob))) {
    const std::string uid = ref.value("uid", "");
    if (children.count(uid)) {
      continue;
    }
    auto got = client_.get(kJobs, namespaceOf(cronJob), ref.value("name", ""));
    if (got.ok() && uidOf(*got) == uid) {
      continue;
    }
    if (!got.ok() && got.status().code() != Code::kNotFound) {
      return got.status();
    }
    events_.record(cronRef(cronJob), "Warning", "MissingJob",
                   "Active job went missing: " + ref.value("name", ""));
    removeActive(cronJob, uid);
  }
  return Status::ok();
}

Result<std::optional<std::chrono::milliseconds>> CronJobController::schedule(json& cronJob) {
  using std::chrono::milliseconds;
  const json spec = cronJob.value("spec", json::object());
  if (spec.value("suspend", false)) {
    return std::optional<milliseconds>();
  }
  const std::string text = spec.value("schedule", "");
  auto sched = cron::parse(text);
  if (!sched.ok()) {
    events_.record(cronRef(cronJob), "Warning", "UnparseableSchedule",
                   "unparseable schedule: \"" + text + "\" : " + sched.status().message());
    return std::optional<milliseconds>();
  }
  auto zone = cronjob::zoneOf(cronJob, *sched);
  if (!zone.ok()) {
    events_.record(
        cronRef(cronJob), "Warning", "UnknownTimeZone",
        "invalid timeZone: \"" + spec.value("timeZone", "") + "\": " + zone.status().message());
    return std::optional<milliseconds>();
  }
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  auto untilNext = [&]() -> std::optional<milliseconds> {
    auto next = cron::next(*sched, *zone, now);
    if (!next) {
      return std::nullopt;
    }
    return std::chrono::duration_cast<milliseconds>(*next - std::chrono::system_clock::now()) +
           milliseconds(100);
  };
  cronjob::Due due = cronjob::dueScheduleTime(cronJob, *sched, *zone, now);
  if (due.missed > cronjob::kMaxMissedReported) {
    events_.record(cronRef(cronJob), "Warning", "TooManyMissedTimes",
                   "too many missed start times: " + std::to_string(due.missed) +
                       ". Set or decrease .spec.startingDeadlineSeconds or check clock skew");
  }
  if (!due.mostRecent) {
    return untilNext();
  }
  const cronjob::Seconds scheduled = *due.mostRecent;
  const json* deadline = at(cronJob, {"spec", "startingDeadlineSeconds"});
  if (deadline != nullptr && deadline->is_number_integer() &&
      scheduled + std::chrono::seconds(deadline->get<int64_t>()) < now) {
    events_.record(cronRef(cronJob), "Warning", "MissSchedule",
                   "Missed scheduled time to start a job: " + rfc1123z(scheduled));
    return untilNext();
  }
  const std::string name = cronjob::jobName(cronJob, scheduled);
  for (const json& ref : activeList(cronJob)) {
    if (ref.value("name", "") == name) {
      return untilNext();
    }
  }
  const json* last = at(cronJob, {"status", "lastScheduleTime"});
  if (last != nullptr && last->is_string()) {
    auto lastTime = parseTime(last->get<std::string>());
    if (lastTime && std::chrono::floor<std::chrono::seconds>(*lastTime) == scheduled) {
      return untilNext();
    }
  }
  const std::string policy = spec.value("concurrencyPolicy", "Allow");
  if (policy == "Forbid" && !activeList(cronJob).empty()) {
    events_.record(cronRef(cronJob), "Normal", "JobAlreadyActive",
                   "Not starting job because prior execution is running and concurrency policy "
                   "is Forbid");
    return untilNext();
  }
  if (policy == "Replace") {
    for (const json& ref : json(activeList(cronJob))) {
      if (Status s = deleteJob(cronJob, ref); !s.isOk()) {
        return s;
      }
    }
  }
  auto created = client_.create(kJobs, namespaceOf(cronJob),
                                cronjob::jobFromTemplate(cronJob, scheduled, *zone));
  if (!created.ok()) {
    if (created.status().code() == Code::kAlreadyExists) {
      // Made by an earlier pass whose status write was lost: record it now.
      auto existing = client_.get(kJobs, namespaceOf(cronJob), name);
      const json* ref = existing.ok() ? controllerOf(*existing) : nullptr;
      if (ref != nullptr && ref->value("uid", "") == uidOf(cronJob)) {
        if (!inActive(cronJob, uidOf(*existing)) && cronjob::jobFinished(*existing).empty()) {
          activeList(cronJob).push_back(activeRef(*existing));
        }
        cronJob["status"]["lastScheduleTime"] = formatTime(scheduled);
      }
      return untilNext();
    }
    if (created.status().message().find("because it is being terminated") == std::string::npos) {
      events_.record(cronRef(cronJob), "Warning", "FailedCreate",
                     "Error creating job: " + created.status().message());
    }
    return created.status();
  }
  events_.record(cronRef(cronJob), "Normal", "SuccessfulCreate", "Created job " + nameOf(*created));
  activeList(cronJob).push_back(activeRef(*created));
  cronJob["status"]["lastScheduleTime"] = formatTime(scheduled);
  return untilNext();
}

void CronJobController::cleanupFinished(json& cronJob, const std::vector<json>& jobs) {
  const json spec = cronJob.value("spec", json::object());
  for (const char* type : {"Complete", "Failed"}) {
    const char* limitKey = std::string_view(type) == "Complete" ? "successfulJobsHistoryLimit"
                                                                : "failedJobsHistoryLimit";
    const json* limit = at(spec, {limitKey});
    if (limit == nullptr || !limit->is_number_integer()) {
      continue;
    }
    std::vector<json> finished;
    for (const json& job : jobs) {
      if (cronjob::jobFinished(job) == type && !beingDeleted(job)) {
        finished.push_back(job);
      }
    }
    const int64_t keep = limit->get<int64_t>();
    if (static_cast<int64_t>(finished.size()) <= keep) {
      continue;
    }
    std::stable_sort(finished.begin(), finished.end(),
                     [](const json& a, const json& b) { return startOf(a) < startOf(b); });
    for (size_t i = 0; i < finished.size() - static_cast<size_t>(keep); ++i) {
      if (Status s = deleteJob(cronJob, finished[i]); !s.isOk()) {
        TUG_LOG(kWarn, kLog) << "cronjob " << keyOf(cronJob) << ": deleting job "
                             << nameOf(finished[i]) << ": " << s.message();
      }
    }
  }
}

Status CronJobController::deleteJob(json& cronJob, const json& jobOrRef) {
  const std::string name =
      jobOrRef.contains("metadata") ? nameOf(jobOrRef) : jobOrRef.value("name", "");
  const std::string uid =
      jobOrRef.contains("metadata") ? uidOf(jobOrRef) : jobOrRef.value("uid", "");
  auto r =
      client_.remove(kJobs, namespaceOf(cronJob), name, json{{"propagationPolicy", "Background"}});
  if (!r.ok() && r.status().code() != Code::kNotFound) {
    events_.record(cronRef(cronJob), "Warning", "FailedDelete",
                   "Deleted job: " + r.status().message());
    return r.status();
  }
  removeActive(cronJob, uid);
  events_.record(cronRef(cronJob), "Normal", "SuccessfulDelete", "Deleted job " + name);
  return Status::ok();
}

Status CronJobController::writeStatus(const json& before, const json& after) {
  json status = after.value("status", json::object());
  if (status.contains("active") && status["active"].empty()) {
    status.erase("active");
  }
  if (before.value("status", json::object()) == status) {
    return Status::ok();
  }
  json next = before;
  next["status"] = status;
  // A conflict means the cache was behind: the sync runs again on the fresh object (the Job it
  // may have created is then found by name and not created twice).
  return client_.update(kCronJobs, namespaceOf(before), next, "status").status();
}

}  // namespace tug::controllers
