#include "controllers/job/job_logic.h"

#include <catch2/catch.hpp>

#include "controllers/job/pod_failure_policy.h"
#include "controllers/job/ttl_after_finished_controller.h"

using namespace tug::controllers;
using nlohmann::json;

namespace {

const TimePoint kNow = *parseTime("2026-11-27T12:00:00Z");

json makeJob(json spec, json status = json::object()) {
  json tmpl = {{"metadata", {{"labels", {{"batch.kubernetes.io/job-name", "work"}}}}},
               {"spec", {{"restartPolicy", "Never"}, {"containers", {{{"name", "c"}}}}}}};
  spec["template"] = tmpl;
  return {{"metadata", {{"name", "work"}, {"namespace", "default"}, {"uid", "job-uid"}}},
          {"spec", spec},
          {"status", status}};
}

json makePod(const std::string& name, const std::string& phase, int index = -1,
             bool ready = false) {
  json pod = {{"metadata",
               {{"name", name},
                {"namespace", "default"},
                {"uid", name + "-uid"},
                {"finalizers", {job::kTrackingFinalizer}}}},
              {"status", {{"phase", phase}}}};
  if (index >= 0) {
    pod["metadata"]["annotations"][job::kCompletionIndex] = std::to_string(index);
  }
  if (ready) {
    pod["status"]["conditions"] = {{{"type", "Ready"}, {"status", "True"}}};
  }
  if (phase == "Failed") {
    pod["status"]["containerStatuses"] = {
        {{"state", {{"terminated", {{"exitCode", 1}, {"finishedAt", "2026-11-27T11:59:58Z"}}}}}}};
  }
  return pod;
}

// The pod once the controller removed its tracking finalizer.
json untracked(json pod) {
  pod["metadata"]["finalizers"] = json::array();
  return pod;
}

std::vector<std::string> types(const json& status) {
  std::vector<std::string> out;
  for (const json& c : status.value("conditions", json::array())) {
    out.push_back(c["type"].get<std::string>() + "=" + c["status"].get<std::string>());
  }
  return out;
}

}  // namespace

TEST_CASE("completed indexes are written and read as ranges", "[job]") {
  CHECK(job::formatIndexes({}) == "");
  CHECK(job::formatIndexes({0, 1, 2, 4}) == "0-2,4");
  CHECK(job::formatIndexes({3}) == "3");
  CHECK(job::formatIndexes({0, 2, 4, 5, 6, 9}) == "0,2,4-6,9");
  CHECK(job::parseIndexes("0-2,4", 10) == std::set<int64_t>{0, 1, 2, 4});
  CHECK(job::parseIndexes("", 10).empty());
  // Indexes beyond completions and garbage are ignored.
  CHECK(job::parseIndexes("1,8-12,x,3-y", 10) == std::set<int64_t>{1, 8, 9});
  // Two adjacent indexes are written as a pair, as upstream does.
  CHECK(job::formatIndexes(job::parseIndexes("5,0-1,3", 6)) == "0,1,3,5");
  CHECK(job::formatIndexes({1, 2, 4, 5, 6}) == "1,2,4-6");
}

TEST_CASE("a new job gets parallelism pods and a start time", "[job]") {
  json j = makeJob({{"parallelism", 2}, {"completions", 3}, {"backoffLimit", 6}});
  job::Decision d = job::decide(j, {}, kNow, true);
  CHECK(d.createCount == 2);
  CHECK(d.status["startTime"] == "2026-11-27T12:00:00Z");
  CHECK(d.status["ready"] == 0);
  CHECK(d.status["terminating"] == 0);
  CHECK_FALSE(d.status.contains("active"));
  // Nothing is created while the cache has not caught up.
  CHECK(job::decide(j, {}, kNow, false).createCount == 0);
}

TEST_CASE("succeeded pods count toward completions once their finalizer is off", "[job]") {
  json j =
      makeJob({{"parallelism", 2}, {"completions", 3}}, {{"startTime", "2026-11-27T11:00:00Z"}});
  job::Decision d =
      job::decide(j, {makePod("a", "Succeeded"), makePod("b", "Running", -1, true)}, kNow, true);
  CHECK(d.createCount == 1);  // 3 - 1 succeeded = 2 wanted, 1 running
  // Listed first, its finalizer removed next, counted after that.
  CHECK_FALSE(d.status.contains("succeeded"));
  CHECK(d.status["uncountedTerminatedPods"] == json{{"succeeded", {"a-uid"}}});
  REQUIRE(d.podsToUntrack.size() == 1);
  CHECK(d.podsToUntrack[0]["metadata"]["name"] == "a");
  CHECK(d.status["active"] == 1);
  CHECK(d.status["ready"] == 1);
  j["status"] = d.status;
  d = job::decide(j, {untracked(makePod("a", "Succeeded")), makePod("b", "Running", -1, true)},
                  kNow, true);
  CHECK(d.status["succeeded"] == 1);
  CHECK(d.status["uncountedTerminatedPods"] == json::object());
  CHECK(d.podsToUntrack.empty());
  // Counted pods stay counted when they are deleted.
  j["status"] = d.status;
  d = job::decide(j, {makePod("b", "Running", -1, true)}, kNow, true);
  CHECK(d.status["succeeded"] == 1);
}

TEST_CASE("a job completes once every pod is counted", "[job]") {
  json j =
      makeJob({{"parallelism", 2}, {"completions", 3}}, {{"startTime", "2026-11-27T11:00:00Z"}});
  std::vector<json> pods = {makePod("a", "Succeeded"), makePod("b", "Succeeded"),
                            makePod("c", "Succeeded")};
  job::Decision d = job::decide(j, pods, kNow, true);
  CHECK(d.createCount == 0);
  CHECK(types(d.status) == std::vector<std::string>{"SuccessCriteriaMet=True"});
  CHECK(d.podsToUntrack.size() == 3);
  j["status"] = d.status;
  for (json& p : pods) {
    p = untracked(p);
  }
  d = job::decide(j, pods, kNow, true);
  CHECK(types(d.status) == std::vector<std::string>{"SuccessCriteriaMet=True", "Complete=True"});
  CHECK(d.status["succeeded"] == 3);
  CHECK(d.status["conditions"][1]["reason"] == "CompletionsReached");
  CHECK(d.status["completionTime"] == "2026-11-27T12:00:00Z");
  REQUIRE(d.events.size() == 1);
  CHECK(d.events[0].reason == "Completed");
  CHECK(d.events[0].message == "Job completed");
  // A finished job lets go of any pod still holding the finalizer.
  j["status"] = d.status;
  d = job::decide(j, {makePod("late", "Succeeded")}, kNow, true);
  CHECK(d.podsToUntrack.size() == 1);
}

TEST_CASE("the terminal condition waits for pods to terminate", "[job]") {
  json j =
      makeJob({{"parallelism", 2}, {"completions", 1}}, {{"startTime", "2026-11-27T11:00:00Z"}});
  job::Decision d =
      job::decide(j, {makePod("a", "Succeeded"), makePod("b", "Running")}, kNow, true);
  CHECK(types(d.status) == std::vector<std::string>{"SuccessCriteriaMet=True"});
  REQUIRE(d.podsToDelete.size() == 1);
  CHECK(d.podsToDelete[0]["metadata"]["name"] == "b");
  CHECK(d.status["terminating"] == 1);
  CHECK_FALSE(d.status.contains("completionTime"));
  // While it terminates it is counted as failed; once it is gone, Complete follows.
  j["status"] = d.status;
  json deleting = makePod("b", "Running");
  deleting["metadata"]["deletionTimestamp"] = "2026-11-27T12:00:00Z";
  d = job::decide(j, {untracked(makePod("a", "Succeeded")), deleting}, kNow, true);
  CHECK(types(d.status) == std::vector<std::string>{"SuccessCriteriaMet=True"});
  CHECK(d.status["uncountedTerminatedPods"] == json{{"failed", {"b-uid"}}});
  CHECK(d.podsToUntrack.size() == 1);
  j["status"] = d.status;
  d = job::decide(j, {untracked(makePod("a", "Succeeded"))}, kNow + std::chrono::seconds(5), true);
  CHECK(types(d.status) == std::vector<std::string>{"SuccessCriteriaMet=True", "Complete=True"});
  // The deleted pod was running: it counts as failed.
  CHECK(d.status["failed"] == 1);
  CHECK(d.status["succeeded"] == 1);
}

TEST_CASE("failures beyond the backoff limit fail the job", "[job]") {
  json j = makeJob({{"parallelism", 1}, {"completions", 1}, {"backoffLimit", 1}},
                   {{"startTime", "2026-11-27T11:00:00Z"}});
  // One failure: within the limit, the next pod waits out the 10 s backoff.
  job::Decision d = job::decide(j, {makePod("a", "Failed")}, kNow, true);
  CHECK(types(d.status).empty());
  CHECK(d.status["uncountedTerminatedPods"] == json{{"failed", {"a-uid"}}});
  CHECK(d.createCount == 0);
  REQUIRE(d.requeueAfter);
  CHECK(*d.requeueAfter == std::chrono::milliseconds(8000));
  d = job::decide(j, {makePod("a", "Failed")}, kNow + std::chrono::seconds(9), true);
  CHECK(d.createCount == 1);
  // Two failures with backoffLimit 1: failed.
  d = job::decide(j, {makePod("a", "Failed"), makePod("b", "Failed")}, kNow, true);
  CHECK(types(d.status) == std::vector<std::string>{"FailureTarget=True"});
  REQUIRE(d.events.size() == 1);
  CHECK(d.events[0].type == "Warning");
  CHECK(d.events[0].reason == "BackoffLimitExceeded");
  j["status"] = d.status;
  d = job::decide(j, {untracked(makePod("a", "Failed")), untracked(makePod("b", "Failed"))}, kNow,
                  true);
  CHECK(types(d.status) == std::vector<std::string>{"FailureTarget=True", "Failed=True"});
  CHECK(d.status["conditions"][1]["reason"] == "BackoffLimitExceeded");
  CHECK(d.status["conditions"][1]["message"] == "Job has reached the specified backoff limit");
  CHECK(d.status["failed"] == 2);
  CHECK_FALSE(d.status.contains("completionTime"));
  CHECK(d.events.empty());  // reported when FailureTarget was added
}

TEST_CASE("the active deadline fails a running job", "[job]") {
  json j = makeJob({{"parallelism", 1}, {"completions", 1}, {"activeDeadlineSeconds", 30}},
                   {{"startTime", "2026-11-27T11:59:40Z"}});
  job::Decision d = job::decide(j, {makePod("a", "Running")}, kNow, true);
  CHECK(types(d.status).empty());
  REQUIRE(d.requeueAfter);
  CHECK(*d.requeueAfter == std::chrono::milliseconds(10000));
  d = job::decide(j, {makePod("a", "Running")}, kNow + std::chrono::seconds(10), true);
  CHECK(types(d.status) == std::vector<std::string>{"FailureTarget=True"});
  CHECK(d.status["conditions"][0]["reason"] == "DeadlineExceeded");
  CHECK(d.podsToDelete.size() == 1);
}

TEST_CASE("a suspended job keeps no pods and resumes with a new start time", "[job]") {
  json j = makeJob({{"parallelism", 2}, {"completions", 2}, {"suspend", true}});
  job::Decision d = job::decide(j, {makePod("a", "Running")}, kNow, true);
  CHECK(d.podsToDelete.size() == 1);
  CHECK(d.createCount == 0);
  CHECK(types(d.status) == std::vector<std::string>{"Suspended=True"});
  CHECK(d.status["conditions"][0]["reason"] == "JobSuspended");
  j["status"] = d.status;
  j["spec"]["suspend"] = false;
  d = job::decide(j, {}, kNow + std::chrono::seconds(60), true);
  CHECK(d.createCount == 2);
  CHECK(types(d.status) == std::vector<std::string>{"Suspended=False"});
  CHECK(d.status["conditions"][0]["reason"] == "JobResumed");
  CHECK(d.status["startTime"] == "2026-11-27T12:01:00Z");
}

TEST_CASE("an indexed job creates the missing indexes", "[job]") {
  json j = makeJob({{"parallelism", 2}, {"completions", 5}, {"completionMode", "Indexed"}},
                   {{"startTime", "2026-11-27T11:00:00Z"}, {"completedIndexes", "0"}});
  job::Decision d =
      job::decide(j, {makePod("a", "Succeeded", 2), makePod("b", "Running", 1)}, kNow, true);
  CHECK(d.createIndexes == std::vector<int64_t>{3});
  CHECK(d.status["completedIndexes"] == "0,2");
  CHECK(d.status["succeeded"] == 1);  // index 2 is counted once its finalizer is off
  std::vector<json> pods = {makePod("a", "Succeeded", 1), makePod("b", "Succeeded", 2),
                            makePod("c", "Succeeded", 3), makePod("d", "Succeeded", 4)};
  d = job::decide(j, pods, kNow, true);
  CHECK(d.status["completedIndexes"] == "0-4");
  CHECK(types(d.status) == std::vector<std::string>{"SuccessCriteriaMet=True"});
  j["status"] = d.status;
  for (json& p : pods) {
    p = untracked(p);
  }
  d = job::decide(j, pods, kNow, true);
  CHECK(d.status["succeeded"] == 5);
  CHECK(d.status["completedIndexes"] == "0-4");
  CHECK(types(d.status) == std::vector<std::string>{"SuccessCriteriaMet=True", "Complete=True"});
}

TEST_CASE("pods from the template carry the job's marks", "[job]") {
  json j = makeJob({{"completionMode", "Indexed"}, {"completions", 3}});
  auto pod = job::podFromTemplate(j, 2);
  REQUIRE(pod.ok());
  CHECK((*pod)["metadata"]["generateName"] == "work-2-");
  CHECK((*pod)["metadata"]["annotations"][job::kCompletionIndex] == "2");
  CHECK((*pod)["metadata"]["labels"][job::kCompletionIndex] == "2");
  CHECK((*pod)["metadata"]["labels"]["batch.kubernetes.io/job-name"] == "work");
  CHECK((*pod)["spec"]["hostname"] == "work-2");
  CHECK((*pod)["spec"]["containers"][0]["env"][0]["name"] == "JOB_COMPLETION_INDEX");
  const json& ref = (*pod)["metadata"]["ownerReferences"][0];
  CHECK(ref["kind"] == "Job");
  CHECK(ref["apiVersion"] == "batch/v1");
  CHECK(ref["uid"] == "job-uid");
  CHECK(ref["controller"] == true);
  CHECK((*pod)["metadata"]["finalizers"] == json{job::kTrackingFinalizer});
  auto plain = job::podFromTemplate(makeJob({{"completions", 1}}), std::nullopt);
  CHECK((*plain)["metadata"]["generateName"] == "work-");
  CHECK_FALSE((*plain)["spec"].contains("hostname"));
}

TEST_CASE("finished jobs expire their TTL after the terminal condition", "[job]") {
  json j = makeJob({{"ttlSecondsAfterFinished", 100}});
  CHECK_FALSE(ttlExpiry(j));
  j["status"]["conditions"] = {
      {{"type", "Complete"}, {"status", "True"}, {"lastTransitionTime", "2026-11-27T12:00:00Z"}}};
  REQUIRE(ttlExpiry(j));
  CHECK(*ttlExpiry(j) == kNow + std::chrono::seconds(100));
  j["spec"].erase("ttlSecondsAfterFinished");
  CHECK_FALSE(ttlExpiry(j));
}

TEST_CASE("restarts of OnFailure pods count toward the backoff limit", "[job]") {
  json j = makeJob({{"parallelism", 1}, {"completions", 1}, {"backoffLimit", 2}},
                   {{"startTime", "2026-11-27T11:00:00Z"}});
  j["spec"]["template"]["spec"]["restartPolicy"] = "OnFailure";
  json pod = makePod("a", "Running");
  pod["status"]["containerStatuses"] = {{{"restartCount", 1}}};
  CHECK(types(job::decide(j, {pod}, kNow, true).status).empty());
  pod["status"]["containerStatuses"][0]["restartCount"] = 2;
  job::Decision d = job::decide(j, {pod}, kNow, true);
  CHECK(types(d.status) == std::vector<std::string>{"FailureTarget=True"});
  CHECK(d.status["conditions"][0]["reason"] == "BackoffLimitExceeded");
  CHECK(d.podsToDelete.size() == 1);
}

TEST_CASE("a work-queue job completes when one pod succeeded and none runs", "[job]") {
  json j = makeJob({{"parallelism", 3}}, {{"startTime", "2026-11-27T11:00:00Z"}});
  CHECK(job::decide(j, {}, kNow, true).createCount == 3);
  // One succeeded: no more pods, the running ones finish on their own.
  job::Decision d =
      job::decide(j, {makePod("a", "Succeeded"), makePod("b", "Running")}, kNow, true);
  CHECK(d.createCount == 0);
  CHECK(d.podsToDelete.empty());
  CHECK(types(d.status).empty());
  j["status"]["succeeded"] = 2;  // both counted
  d = job::decide(j, {untracked(makePod("a", "Succeeded")), untracked(makePod("b", "Succeeded"))},
                  kNow, true);
  CHECK(types(d.status) == std::vector<std::string>{"SuccessCriteriaMet=True", "Complete=True"});
}

TEST_CASE("lowering parallelism deletes the surplus, pods not ready first", "[job]") {
  json j =
      makeJob({{"parallelism", 1}, {"completions", 5}}, {{"startTime", "2026-11-27T11:00:00Z"}});
  job::Decision d = job::decide(
      j, {makePod("ready", "Running", -1, true), makePod("starting", "Running")}, kNow, true);
  REQUIRE(d.podsToDelete.size() == 1);
  CHECK(d.podsToDelete[0]["metadata"]["name"] == "starting");
  CHECK(d.status["active"] == 1);
  CHECK(d.status["terminating"] == 1);
}

namespace {

json failedWith(const std::string& name, const std::string& container, int exitCode) {
  json pod = makePod(name, "Failed");
  pod["status"]["containerStatuses"] = {
      {{"name", container},
       {"state", {{"terminated", {{"exitCode", exitCode}, {"finishedAt", "2026-11-27T11:59:58Z"}}}}}}};
  return pod;
}

json policyJob(json rules, int backoffLimit = 0) {
  return makeJob({{"parallelism", 1},
                  {"completions", 1},
                  {"backoffLimit", backoffLimit},
                  {"podReplacementPolicy", "Failed"},
                  {"podFailurePolicy", {{"rules", rules}}}});
}

}  // namespace

TEST_CASE("podFailurePolicy rules match exit codes and pod conditions in order", "[job]") {
  json rules = {{{"action", "Ignore"}, {"onPodConditions", {{{"type", "DisruptionTarget"}, {"status", "True"}}}}},
                {{"action", "FailJob"},
                 {"onExitCodes", {{"containerName", "main"}, {"operator", "In"}, {"values", {42}}}}},
                {{"action", "Count"}, {"onExitCodes", {{"operator", "NotIn"}, {"values", {1, 2}}}}}};
  json j = policyJob(rules);
  auto m = job::matchPodFailurePolicy(j, failedWith("p", "main", 42));
  CHECK(m.action == job::FailureAction::kFailJob);
  CHECK(m.message ==
        "Container main for pod default/p failed with exit code 42 matching FailJob rule at index 1");
  // The container name narrows the rule: 42 from another container falls to the NotIn rule.
  CHECK(job::matchPodFailurePolicy(j, failedWith("p", "side", 42)).action ==
        job::FailureAction::kCount);
  CHECK(job::matchPodFailurePolicy(j, failedWith("p", "main", 1)).message.empty());
  json disrupted = failedWith("d", "main", 42);
  disrupted["status"]["conditions"] = {{{"type", "DisruptionTarget"}, {"status", "True"}}};
  auto d = job::matchPodFailurePolicy(j, disrupted);
  CHECK(d.action == job::FailureAction::kIgnore);
  CHECK(d.message == "Pod default/d has condition DisruptionTarget matching Ignore rule at index 0");
  // Without a policy every failure counts.
  CHECK(job::matchPodFailurePolicy(makeJob({}), failedWith("p", "main", 42)).action ==
        job::FailureAction::kCount);
}

TEST_CASE("a FailJob rule fails the job at once; an ignored failure is not counted", "[job]") {
  json rules = {{{"action", "FailJob"}, {"onExitCodes", {{"operator", "In"}, {"values", {42}}}}},
                {{"action", "Ignore"}, {"onExitCodes", {{"operator", "In"}, {"values", {3}}}}}};
  // backoffLimit 6: only the policy can fail it after one failure.
  json j = policyJob(rules, 6);
  auto d = job::decide(j, {failedWith("p", "c", 42)}, kNow, true);
  const json* target = nullptr;
  for (const json& c : d.status["conditions"]) {
    if (c["type"] == "FailureTarget") {
      target = &c;
    }
  }
  REQUIRE(target != nullptr);
  CHECK((*target)["reason"] == "PodFailurePolicy");
  CHECK((*target)["message"] ==
        "Container c for pod default/p failed with exit code 42 matching FailJob rule at index 0");
  CHECK(d.createCount == 0);

  // backoffLimit 0: an ignored failure neither fails the job nor delays the replacement.
  json k = policyJob(rules, 0);
  auto e = job::decide(k, {failedWith("q", "c", 3)}, kNow, true);
  CHECK(types(e.status) == std::vector<std::string>{});
  CHECK(e.createCount == 1);
  CHECK(e.status["uncountedTerminatedPods"].value("failed", json::array()).empty());
  REQUIRE(e.podsToUntrack.size() == 1);  // judged once: its finalizer goes
  // Once untracked it still does not count.
  k["status"] = e.status;
  auto f = job::decide(k, {untracked(failedWith("q", "c", 3))}, kNow, true);
  CHECK_FALSE(f.status.contains("failed"));
  CHECK(types(f.status) == std::vector<std::string>{});
  // A failure the policy counts fails it against backoffLimit 0.
  auto g = job::decide(k, {failedWith("r", "c", 1)}, kNow, true);
  REQUIRE_FALSE(types(g.status).empty());
  CHECK(types(g.status)[0] == "FailureTarget=True");
}
