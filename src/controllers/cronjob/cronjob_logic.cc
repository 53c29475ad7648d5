#include "controllers/cronjob/cronjob_logic.h"

namespace tug::controllers::cronjob {
namespace {

std::optional<Seconds> timeAt(const json& obj, std::initializer_list<const char*> path) {
  const json* v = at(obj, path);
  if (v == nullptr || !v->is_string()) {
    return std::nullopt;
  }
  auto t = parseTime(v->get<std::string>());
  if (!t) {
    return std::nullopt;
  }
  return std::chrono::floor<std::chrono::seconds>(*t);
}

}  // namespace

std::string jobName(const json& cronJob, Seconds scheduled) {
  return nameOf(cronJob) + "-" +
         std::to_string(
             std::chrono::floor<std::chrono::minutes>(scheduled.time_since_epoch()).count());
}

json jobFromTemplate(const json& cronJob, Seconds scheduled, const TimeZone& zone) {
  const json tmpl = cronJob.value("spec", json::object()).value("jobTemplate", json::object());
  const json meta = tmpl.value("metadata", json::object());
  json labels = meta.value("labels", json::object());
  json annotations = meta.value("annotations", json::object());
  if (!annotations.is_object()) {
    annotations = json::object();
  }
  annotations[kScheduledTimestamp] = formatRfc3339In(scheduled, zone);
  json jobMeta = {
      {"name", jobName(cronJob, scheduled)},
      {"namespace", namespaceOf(cronJob)},
      {"annotations", annotations},
      {"ownerReferences", json::array({newControllerRef(cronJob, "batch/v1", "CronJob")})}};
  if (labels.is_object() && !labels.empty()) {
    jobMeta["labels"] = labels;
  }
  return json{{"apiVersion", "batch/v1"},
              {"kind", "Job"},
              {"metadata", std::move(jobMeta)},
              {"spec", tmpl.value("spec", json::object())}};
}

Due dueScheduleTime(const json& cronJob, const cron::Schedule& schedule, const TimeZone& zone,
                    Seconds now) {
  Seconds earliest = timeAt(cronJob, {"metadata", "creationTimestamp"}).value_or(now);
  if (auto last = timeAt(cronJob, {"status", "lastScheduleTime"})) {
    earliest = *last;
  }
  const json* deadline = at(cronJob, {"spec", "startingDeadlineSeconds"});
  if (deadline != nullptr && deadline->is_number_integer()) {
    Seconds limit = now - std::chrono::seconds(deadline->get<int64_t>());
    earliest = std::max(earliest, limit);
  }
  Due due;
  std::optional<Seconds> t = cron::next(schedule, zone, earliest);
  while (t && *t <= now) {
    due.mostRecent = t;
    if (++due.missed > kMaxMissedReported) {
      break;
    }
    t = cron::next(schedule, zone, *t);
  }
  if (due.missed > kMaxMissedReported) {
    // Enough counted: find the most recent start time from a window just before now.
    for (auto window : {std::chrono::hours(2), std::chrono::hours(48), std::chrono::hours(24 * 32),
                        std::chrono::hours(24 * 367), std::chrono::hours(24 * 366 * 5)}) {
      Seconds from = now - window;
      if (from <= *due.mostRecent) {
        break;
      }
      std::optional<Seconds> found;
      for (auto u = cron::next(schedule, zone, from); u && *u <= now;
           u = cron::next(schedule, zone, *u)) {
        found = u;
      }
      if (found) {
        due.mostRecent = found;
        break;
      }
    }
  }
  return due;
}

Result<TimeZone> zoneOf(const json& cronJob, const cron::Schedule& schedule) {
  const json* zone = at(cronJob, {"spec", "timeZone"});
  if (zone != nullptr && zone->is_string()) {
    return TimeZone::load(zone->get<std::string>());
  }
  return TimeZone::load(schedule.zone);
}

std::string jobFinished(const json& job) {
  for (const char* type : {"Complete", "Failed"}) {
    const json* c = findCondition(job, type);
    if (c != nullptr && c->value("status", "") == "True") {
      return type;
    }
  }
  return "";
}

}  // namespace tug::controllers::cronjob
