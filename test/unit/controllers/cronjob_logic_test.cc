#include "controllers/cronjob/cronjob_logic.h"

#include <catch2/catch.hpp>

using namespace tug::controllers;
using nlohmann::json;
using std::chrono::minutes;

namespace {

cronjob::Seconds at(const char* text) {
  return std::chrono::floor<std::chrono::seconds>(*parseTime(text));
}

json makeCronJob(const std::string& schedule, json status = json::object()) {
  return {{"metadata",
           {{"name", "tick"},
            {"namespace", "default"},
            {"uid", "cj-uid"},
            {"creationTimestamp", "2026-11-27T11:58:30Z"}}},
          {"spec",
           {{"schedule", schedule},
            {"jobTemplate",
             {{"metadata", {{"labels", {{"team", "a"}}}, {"annotations", {{"note", "x"}}}}},
              {"spec", {{"backoffLimit", 2}}}}}}},
          {"status", status}};
}

cronjob::Due due(const json& cj, const char* now) {
  auto s = tug::cron::parse(cj["spec"]["schedule"].get<std::string>());
  REQUIRE(s.ok());
  auto zone = cronjob::zoneOf(cj, *s);
  REQUIRE(zone.ok());
  return cronjob::dueScheduleTime(cj, *s, *zone, at(now));
}

}  // namespace

TEST_CASE("jobs are named after the scheduled minute", "[cronjob]") {
  json cj = makeCronJob("* * * * *");
  CHECK(cronjob::jobName(cj, at("2026-11-27T12:00:00Z")) == "tick-29929680");
  json job = cronjob::jobFromTemplate(cj, at("2026-11-27T12:00:00Z"), tug::TimeZone());
  CHECK(job["metadata"]["name"] == "tick-29929680");
  CHECK(job["metadata"]["labels"]["team"] == "a");
  CHECK(job["metadata"]["annotations"]["note"] == "x");
  CHECK(job["metadata"]["annotations"][cronjob::kScheduledTimestamp] == "2026-11-27T12:00:00Z");
  CHECK(job["metadata"]["ownerReferences"][0]["kind"] == "CronJob");
  CHECK(job["metadata"]["ownerReferences"][0]["controller"] == true);
  CHECK(job["spec"]["backoffLimit"] == 2);
  auto berlin = tug::TimeZone::load("Europe/Berlin");
  json zoned = cronjob::jobFromTemplate(cj, at("2026-11-27T12:00:00Z"), *berlin);
  CHECK(zoned["metadata"]["annotations"][cronjob::kScheduledTimestamp] ==
        "2026-11-27T13:00:00+01:00");
}

TEST_CASE("the most recent start time since the last schedule is due", "[cronjob]") {
  // Created at 11:58:30: nothing is due before 11:59.
  CHECK_FALSE(due(makeCronJob("* * * * *"), "2026-11-27T11:58:50Z").mostRecent);
  cronjob::Due d = due(makeCronJob("* * * * *"), "2026-11-27T12:01:10Z");
  REQUIRE(d.mostRecent);
  CHECK(*d.mostRecent == at("2026-11-27T12:01:00Z"));
  CHECK(d.missed == 3);
  // The last schedule counts from then.
  d = due(makeCronJob("* * * * *", {{"lastScheduleTime", "2026-11-27T12:01:00Z"}}),
          "2026-11-27T12:01:30Z");
  CHECK_FALSE(d.mostRecent);
  // More than 100 missed: reported, and the latest still runs.
  d = due(makeCronJob("*/5 * * * *", {{"lastScheduleTime", "2026-11-20T00:00:00Z"}}),
          "2026-11-27T12:07:00Z");
  CHECK(d.missed > cronjob::kMaxMissedReported);
  REQUIRE(d.mostRecent);
  CHECK(*d.mostRecent == at("2026-11-27T12:05:00Z"));
}

TEST_CASE("a starting deadline bounds how far back start times count", "[cronjob]") {
  json cj = makeCronJob("*/5 * * * *", {{"lastScheduleTime", "2026-11-20T00:00:00Z"}});
  cj["spec"]["startingDeadlineSeconds"] = 200;
  cronjob::Due d = due(cj, "2026-11-27T12:07:00Z");
  REQUIRE(d.mostRecent);
  CHECK(*d.mostRecent == at("2026-11-27T12:05:00Z"));
  CHECK(d.missed == 1);
  d = due(cj, "2026-11-27T12:09:00Z");  // 12:05 is more than 200 s ago
  CHECK_FALSE(d.mostRecent);
}

TEST_CASE("spec.timeZone decides the wall clock", "[cronjob]") {
  json cj = makeCronJob("0 9 * * *", {{"lastScheduleTime", "2026-11-26T00:00:00Z"}});
  cj["spec"]["timeZone"] = "Asia/Tokyo";
  cronjob::Due d = due(cj, "2026-11-27T01:00:00Z");
  REQUIRE(d.mostRecent);
  CHECK(*d.mostRecent == at("2026-11-27T00:00:00Z"));  // 09:00 in Tokyo
  cj["spec"]["timeZone"] = "Nowhere/Atlantis";
  auto s = tug::cron::parse("0 9 * * *");
  CHECK_FALSE(cronjob::zoneOf(cj, *s).ok());
}

TEST_CASE("finished jobs are Complete or Failed", "[cronjob]") {
  json job = {{"status", {{"conditions", {{{"type", "SuccessCriteriaMet"}, {"status", "True"}}}}}}};
  CHECK(cronjob::jobFinished(job) == "");
  job["status"]["conditions"].push_back({{"type", "Complete"}, {"status", "True"}});
  CHECK(cronjob::jobFinished(job) == "Complete");
  json failed = {{"status", {{"conditions", {{{"type", "Failed"}, {"status", "True"}}}}}}};
  CHECK(cronjob::jobFinished(failed) == "Failed");
}
