#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "controllers/workload/object_helpers.h"

// The Job controller's decisions on plain objects (upstream pkg/controller/job): which pods to
// create and delete, and the status that follows from the pods a Job owns. Succeeded pods count
// toward completions, failed ones toward backoffLimit; once the Job meets its completions, or
// fails (backoff limit, active deadline, failed indexes), the interim condition
// (SuccessCriteriaMet or FailureTarget) is added and the remaining pods are deleted; the
// terminal condition (Complete or Failed) follows once no pod is left running or terminating,
// as in 1.31. Indexed Jobs may also end early by spec.successPolicy (success_policy.h) and
// retry each index on its own with spec.backoffLimitPerIndex (index_failures.h).
//
// Pods are counted with the batch.kubernetes.io/job-tracking finalizer: a pod that finished
// (or is being deleted before it succeeded) while holding it is first listed in
// status.uncountedTerminatedPods, then its finalizer is removed, and once it no longer holds it
// the pod moves into status.succeeded or status.failed. So a pod is counted exactly once even
// if it is deleted right after it finished.
namespace tug::controllers::job {

constexpr const char* kCompletionIndex = "batch.kubernetes.io/job-completion-index";
// Keeps a Job's pod until the Job's status has counted it.
constexpr const char* kTrackingFinalizer = "batch.kubernetes.io/job-tracking";
constexpr int kMaxPodCreateDeletePerSync = 500;

// "0-2,4" <-> {0,1,2,4}. Parsing skips what does not read as an index below `completions`.
std::set<int64_t> parseIndexes(std::string_view ranges, int64_t completions);
std::string formatIndexes(const std::set<int64_t>& indexes);

// The completion index of a pod of an Indexed Job (annotation, else label), or nullopt.
std::optional<int64_t> podIndex(const json& pod);

bool isIndexed(const json& job);
// The type of the True Complete or Failed condition, or "" while the Job runs.
std::string finishedType(const json& job);

bool hasTrackingFinalizer(const json& pod);
// The strategic merge patch that removes the tracking finalizer.
std::string untrackPatch();

// A pod for the Job's template: generateName "<job>-" ("<job>-<index>-" when indexed), the
// template's labels and annotations, the Job as controller; an indexed pod carries its index
// (annotation, label, hostname "<job>-<index>", JOB_COMPLETION_INDEX in every container) and
// `annotations` (the index's failure counts).
Result<json> podFromTemplate(const json& job, std::optional<int64_t> index,
                             const json& annotations = json());

struct Event {
  std::string type, reason, message;
};

struct Decision {
  json status;                         // the Job's new status
  std::vector<json> podsToDelete;      // active pods to delete
  std::vector<json> podsToUntrack;     // counted pods whose finalizer goes, after the status
  int createCount = 0;                 // pods to create (NonIndexed)
  std::vector<int64_t> createIndexes;  // indexes to create pods for (Indexed)
  std::map<int64_t, json> indexAnnotations;  // what the pod of such an index carries besides
  std::vector<Event> events;           // to record once the status is written
  std::optional<std::chrono::milliseconds> requeueAfter;
};

// What to do for `job` given the pods it owns at `now`. `canManage` false (the cache has not
// seen the controller's last creates or deletes yet) creates and deletes nothing.
Decision decide(const json& job, const std::vector<json>& pods, TimePoint now, bool canManage);

}  // namespace tug::controllers::job
