// backoffLimitPerIndex, maxFailedIndexes, the FailIndex action and successPolicy of Indexed
// Jobs, decided on plain objects.
#include <catch2/catch.hpp>

#include "controllers/job/index_failures.h"
#include "controllers/job/job_logic.h"
#include "controllers/job/success_policy.h"

using namespace tug::controllers;
using nlohmann::json;

namespace {

const TimePoint kNow = *parseTime("2026-11-27T12:00:00Z");

json indexedJob(int completions, json extra = json::object()) {
  json spec = {
      {"completionMode", "Indexed"},
      {"completions", completions},
      {"parallelism", completions},
      {"backoffLimit", 2147483647},
      {"template", {{"spec", {{"restartPolicy", "Never"}, {"containers", {{{"name", "c"}}}}}}}}};
  spec.update(extra);
  return {{"metadata", {{"name", "work"}, {"namespace", "default"}, {"uid", "job-uid"}}},
          {"spec", spec},
          {"status", {{"startTime", "2026-11-27T11:00:00Z"}}}};
}

// A pod of index `index` that already failed `failures` times before it.
json indexPod(const std::string& name, const std::string& phase, int index, int failures = 0,
              int exitCode = 1) {
  json pod = {{"metadata",
               {{"name", name},
                {"namespace", "default"},
                {"uid", name + "-uid"},
                {"finalizers", {job::kTrackingFinalizer}},
                {"annotations",
                 {{job::kCompletionIndex, std::to_string(index)},
                  {job::kIndexFailureCount, std::to_string(failures)}}}}},
              {"status", {{"phase", phase}}}};
  if (phase == "Failed") {
    pod["status"]["containerStatuses"] = {
        {{"name", "c"},
         {"state",
          {{"terminated", {{"exitCode", exitCode}, {"finishedAt", "2026-11-27T11:59:58Z"}}}}}}};
  }
  return pod;
}

json untracked(json pod) {
  pod["metadata"]["finalizers"] = json::array();
  return pod;
}

std::vector<std::string> names(const std::vector<json>& pods) {
  std::vector<std::string> out;
  for (const json& p : pods) {
    out.push_back(p["metadata"]["name"]);
  }
  std::sort(out.begin(), out.end());
  return out;
}

const json* conditionOf(const json& status, const std::string& type) {
  if (!status.contains("conditions")) {
    return nullptr;
  }
  for (const json& c : status.at("conditions")) {
    if (c["type"] == type) {
      return &c;
    }
  }
  return nullptr;
}

}  // namespace

TEST_CASE("successPolicy rules match on succeeded indexes or counts", "[job]") {
  json j = indexedJob(6, {{"successPolicy",
                           {{"rules",
                             {{{"succeededIndexes", "0,2-3"}},
                              {{"succeededIndexes", "4-5"}, {"succeededCount", 1}},
                              {{"succeededCount", 4}}}}}}});
  CHECK_FALSE(job::matchSuccessPolicy(j, {}, 6));
  CHECK_FALSE(job::matchSuccessPolicy(j, {0, 2}, 6));
  CHECK(job::matchSuccessPolicy(j, {0, 2, 3}, 6) == "Matched rules at index 0");
  // One of 4-5 is enough for the second rule.
  CHECK(job::matchSuccessPolicy(j, {1, 5}, 6) == "Matched rules at index 1");
  CHECK(job::matchSuccessPolicy(j, {0, 1, 2, 3}, 6) == "Matched rules at index 0");
  CHECK(job::matchSuccessPolicy(j, {0, 1, 2}, 6) == std::nullopt);
  j["spec"]["successPolicy"]["rules"][0]["succeededIndexes"] = "0,1";
  CHECK(job::matchSuccessPolicy(j, {0, 1, 2, 3}, 6) == "Matched rules at index 0");
  j["spec"]["successPolicy"]["rules"][0]["succeededIndexes"] = "9";  // beyond completions: skipped
  CHECK(job::matchSuccessPolicy(j, {0, 1, 2, 3}, 6) == "Matched rules at index 2");
  CHECK_FALSE(job::matchSuccessPolicy(indexedJob(6), {0, 1, 2, 3, 4, 5}, 6));
}

TEST_CASE("a successPolicy completes the job early and deletes the rest", "[job]") {
  json j = indexedJob(4, {{"successPolicy", {{"rules", {{{"succeededIndexes", "0,1"}}}}}}});
  j["spec"].erase("backoffLimitPerIndex");
  std::vector<json> pods = {indexPod("a", "Succeeded", 0), indexPod("b", "Succeeded", 1),
                            indexPod("c", "Running", 2), indexPod("d", "Running", 3)};
  job::Decision d = job::decide(j, pods, kNow, true);
  const json* met = conditionOf(d.status, "SuccessCriteriaMet");
  REQUIRE(met != nullptr);
  CHECK((*met)["reason"] == "SuccessPolicy");
  CHECK((*met)["message"] == "Matched rules at index 0");
  CHECK(names(d.podsToDelete) == std::vector<std::string>{"c", "d"});
  CHECK(d.status["terminating"] == 2);
  CHECK(d.status["completedIndexes"] == "0,1");
  CHECK(conditionOf(d.status, "Complete") == nullptr);
  CHECK_FALSE(d.status.contains("failedIndexes"));  // no per-index limit
  // Once the rest is gone and the succeeded pods are counted, Complete follows.
  j["status"] = d.status;
  d = job::decide(j, {untracked(pods[0]), untracked(pods[1])}, kNow, true);
  const json* complete = conditionOf(d.status, "Complete");
  REQUIRE(complete != nullptr);
  CHECK((*complete)["reason"] == "SuccessPolicy");
  CHECK((*complete)["message"] == "Matched rules at index 0");
  CHECK(d.status["succeeded"] == 2);
  CHECK(d.status.contains("completionTime"));
}

TEST_CASE("each index retries up to backoffLimitPerIndex, then fails alone", "[job]") {
  json j = indexedJob(3, {{"backoffLimitPerIndex", 1}});
  // The first pods of each index carry a failure count of 0.
  job::Decision d = job::decide(j, {}, kNow, true);
  CHECK(d.createIndexes == std::vector<int64_t>{0, 1, 2});
  CHECK(d.indexAnnotations[1] == json{{job::kIndexFailureCount, "0"}});
  CHECK(d.status["failedIndexes"] == "");
  auto pod = job::podFromTemplate(j, 1, d.indexAnnotations[1]);
  CHECK((*pod)["metadata"]["annotations"][job::kIndexFailureCount] == "0");
  CHECK((*pod)["metadata"]["annotations"][job::kCompletionIndex] == "1");

  // Index 1 fails: its pod stays uncounted until the replacement exists, which waits 10 s.
  json failed = indexPod("b", "Failed", 1);
  std::vector<json> pods = {indexPod("a", "Running", 0), failed, indexPod("c", "Running", 2)};
  d = job::decide(j, pods, kNow, true);
  CHECK(d.createIndexes.empty());
  REQUIRE(d.requeueAfter);
  CHECK(*d.requeueAfter == std::chrono::milliseconds(8000));
  CHECK(d.podsToUntrack.empty());
  CHECK(d.status["uncountedTerminatedPods"] == json::object());
  CHECK(d.status["failedIndexes"] == "");
  CHECK(conditionOf(d.status, "FailureTarget") == nullptr);
  d = job::decide(j, pods, kNow + std::chrono::seconds(9), true);
  CHECK(d.createIndexes == std::vector<int64_t>{1});
  CHECK(d.indexAnnotations[1] == json{{job::kIndexFailureCount, "1"}});

  // The replacement runs: the failed pod is counted now.
  pods.push_back(indexPod("b2", "Running", 1, 1));
  d = job::decide(j, pods, kNow + std::chrono::seconds(10), true);
  CHECK(names(d.podsToUntrack) == std::vector<std::string>{"b"});
  CHECK(d.status["uncountedTerminatedPods"] == json{{"failed", {"b-uid"}}});
  j["status"] = d.status;
  pods[1] = untracked(failed);
  d = job::decide(j, pods, kNow + std::chrono::seconds(10), true);
  CHECK(d.status["failed"] == 1);

  // The replacement fails too: index 1 has used its retry and is failed for good.
  j["status"] = d.status;
  pods[3] = indexPod("b2", "Failed", 1, 1);
  d = job::decide(j, pods, kNow + std::chrono::seconds(60), true);
  CHECK(d.status["failedIndexes"] == "1");
  CHECK(d.createIndexes.empty());
  CHECK(conditionOf(d.status, "FailureTarget") == nullptr);  // 0 and 2 still run
  CHECK(names(d.podsToUntrack) == std::vector<std::string>{"b2"});
  j["status"] = d.status;
  pods[3] = untracked(pods[3]);

  // Once the other indexes succeeded, the job fails for its failed index.
  pods[0] = indexPod("a", "Succeeded", 0);
  pods[2] = indexPod("c", "Succeeded", 2);
  d = job::decide(j, pods, kNow + std::chrono::seconds(70), true);
  CHECK(d.status["completedIndexes"] == "0,2");
  CHECK(d.status["failedIndexes"] == "1");
  const json* target = conditionOf(d.status, "FailureTarget");
  REQUIRE(target != nullptr);
  CHECK((*target)["reason"] == "FailedIndexes");
  CHECK((*target)["message"] == "Job has failed indexes");
  REQUIRE(d.events.size() == 1);
  CHECK(d.events[0].reason == "FailedIndexes");
  j["status"] = d.status;
  pods[0] = untracked(pods[0]);
  pods[2] = untracked(pods[2]);
  d = job::decide(j, pods, kNow + std::chrono::seconds(71), true);
  const json* failedCondition = conditionOf(d.status, "Failed");
  REQUIRE(failedCondition != nullptr);
  CHECK((*failedCondition)["reason"] == "FailedIndexes");
  CHECK(d.status["failed"] == 2);
  CHECK(d.status["succeeded"] == 2);
  CHECK(d.status["failedIndexes"] == "1");
}

TEST_CASE("more failed indexes than maxFailedIndexes fail the job at once", "[job]") {
  json j = indexedJob(4, {{"backoffLimitPerIndex", 0}, {"maxFailedIndexes", 1}});
  std::vector<json> pods = {indexPod("a", "Failed", 0), indexPod("b", "Running", 1),
                            indexPod("c", "Running", 2), indexPod("d", "Running", 3)};
  // One failed index is allowed; no pod replaces it.
  job::Decision d = job::decide(j, pods, kNow, true);
  CHECK(d.status["failedIndexes"] == "0");
  CHECK(conditionOf(d.status, "FailureTarget") == nullptr);
  CHECK(d.createIndexes.empty());
  CHECK(d.podsToDelete.empty());
  pods[2] = indexPod("c", "Failed", 2);
  d = job::decide(j, pods, kNow, true);
  CHECK(d.status["failedIndexes"] == "0,2");
  const json* target = conditionOf(d.status, "FailureTarget");
  REQUIRE(target != nullptr);
  CHECK((*target)["reason"] == "MaxFailedIndexesExceeded");
  CHECK((*target)["message"] == "Job has exceeded the specified maximal number of failed indexes");
  CHECK(names(d.podsToDelete) == std::vector<std::string>{"b", "d"});
  CHECK(d.status["terminating"] == 2);
}

TEST_CASE("a FailIndex rule fails the index at once; ignored failures count apart", "[job]") {
  json rules = {{{"action", "FailIndex"}, {"onExitCodes", {{"operator", "In"}, {"values", {42}}}}},
                {{"action", "Ignore"}, {"onExitCodes", {{"operator", "In"}, {"values", {3}}}}}};
  json j = indexedJob(3, {{"backoffLimitPerIndex", 5},
                          {"podReplacementPolicy", "Failed"},
                          {"podFailurePolicy", {{"rules", rules}}}});
  std::vector<json> pods = {indexPod("a", "Failed", 0, 0, 42), indexPod("b", "Failed", 1, 2, 3),
                            indexPod("c", "Running", 2)};
  job::Decision d = job::decide(j, pods, kNow + std::chrono::seconds(600), true);
  CHECK(d.status["failedIndexes"] == "0");
  // Index 1's failure was ignored: its replacement keeps the count and notes the ignored one.
  CHECK(d.createIndexes == std::vector<int64_t>{1});
  CHECK(d.indexAnnotations[1] ==
        json{{job::kIndexFailureCount, "2"}, {job::kIndexIgnoredFailureCount, "1"}});
  CHECK(names(d.podsToUntrack) == std::vector<std::string>{"a"});
  CHECK(d.status["uncountedTerminatedPods"] == json{{"failed", {"a-uid"}}});
}

TEST_CASE("the replacement of an index waits out a backoff doubling with its failures", "[job]") {
  json pod = indexPod("b", "Failed", 1, 2);  // third failure: 40 s after it finished
  CHECK(job::replacementBackoff(pod, kNow) == std::chrono::milliseconds(38000));
  CHECK(job::replacementBackoff(pod, kNow + std::chrono::seconds(60)).count() == 0);
  pod["metadata"]["annotations"][job::kIndexFailureCount] = "20";
  CHECK(job::replacementBackoff(pod, kNow) == std::chrono::milliseconds(358000));  // 6 min cap
  // A pod deleted while it ran counts from when its grace period began.
  json deleted = indexPod("d", "Running", 0);
  deleted["metadata"]["deletionTimestamp"] = "2026-11-27T12:00:30Z";
  deleted["metadata"]["deletionGracePeriodSeconds"] = 30;
  CHECK(job::replacementBackoff(deleted, kNow + std::chrono::seconds(4)) ==
        std::chrono::milliseconds(6000));
  // A count that does not parse reads as 0.
  pod["metadata"]["annotations"][job::kIndexFailureCount] = "-4";
  CHECK(job::replacementBackoff(pod, kNow) == std::chrono::milliseconds(8000));
}

TEST_CASE("a finished per-index job holds no failed pod back", "[job]") {
  json j = indexedJob(2, {{"backoffLimitPerIndex", 2}, {"activeDeadlineSeconds", 10}});
  // Past the deadline: index 0's failed pod would wait for a replacement, but none comes.
  std::vector<json> pods = {indexPod("a", "Failed", 0), indexPod("b", "Running", 1)};
  job::Decision d = job::decide(j, pods, kNow, true);
  const json* target = conditionOf(d.status, "FailureTarget");
  REQUIRE(target != nullptr);
  CHECK((*target)["reason"] == "DeadlineExceeded");
  CHECK(names(d.podsToUntrack) == std::vector<std::string>{"a"});
  CHECK(d.status["uncountedTerminatedPods"] == json{{"failed", {"a-uid"}}});
  CHECK(names(d.podsToDelete) == std::vector<std::string>{"b"});
  CHECK(d.createIndexes.empty());
}
