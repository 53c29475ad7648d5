#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "common/cron_schedule.h"
#include "common/status.h"
#include "common/time_zone.h"
#include "controllers/workload/object_helpers.h"

// The CronJob controller's decisions on plain objects (upstream pkg/controller/cronjob/utils.go):
// which scheduled time is due, and the Job made for it.
namespace tug::controllers::cronjob {

using Seconds = std::chrono::sys_seconds;

constexpr const char* kScheduledTimestamp = "batch.kubernetes.io/cronjob-scheduled-timestamp";
// More missed start times than this is reported (TooManyMissedTimes); the most recent still runs.
constexpr int64_t kMaxMissedReported = 100;

// "<cronjob>-<scheduled time in minutes since the epoch>".
std::string jobName(const json& cronJob, Seconds scheduled);

// The Job for the scheduled time: the template's labels and annotations, the scheduled-time
// annotation (RFC 3339 in the CronJob's zone), the CronJob as controller.
json jobFromTemplate(const json& cronJob, Seconds scheduled, const TimeZone& zone);

struct Due {
  std::optional<Seconds> mostRecent;  // the latest start time not yet run, if any
  int64_t missed = 0;                 // how many start times passed unrun (at least this many)
};

// The start times between the last schedule (or the creation, or now minus
// startingDeadlineSeconds, whichever is latest) and `now`.
Due dueScheduleTime(const json& cronJob, const cron::Schedule& schedule, const TimeZone& zone,
                    Seconds now);

// The zone of spec.timeZone, else of a TZ= prefix in the schedule, else UTC.
Result<TimeZone> zoneOf(const json& cronJob, const cron::Schedule& schedule);

// Complete or Failed with status True: the condition's type, or "".
std::string jobFinished(const json& job);

}  // namespace tug::controllers::cronjob
