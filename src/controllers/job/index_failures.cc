#include "controllers/job/index_failures.h"

#include <algorithm>
#include <climits>

#include "controllers/job/job_logic.h"
#include "controllers/job/pod_failure_policy.h"

namespace tug::controllers::job {
namespace {

// Upstream's backoff before a pod replaces a failed one: 10 s, doubling, at most 6 minutes.
constexpr std::chrono::seconds kBackoffBase{10}, kBackoffMax{360};

// An annotation's count; 0 when it is absent or not a number between 0 and 2^31-1.
int64_t countAnnotation(const json& pod, const char* key) {
  const json* v = at(pod, {"metadata", "annotations", key});
  if (v == nullptr || !v->is_string()) {
    return 0;
  }
  const std::string text = v->get<std::string>();
  if (text.empty() || text.size() > 10 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return 0;
  }
  const int64_t n = std::stoll(text);
  return n > INT32_MAX ? 0 : n;
}

bool onlyFailedPhase(const json& job) {
  const json* replacement = at(job, {"spec", "podReplacementPolicy"});
  return replacement != nullptr && replacement->is_string() && *replacement == "Failed";
}

// Whether the failed pod ends its index: a FailIndex rule, or a counted failure when the index
// already used up its retries.
bool failsIndex(const json& job, const json& pod) {
  FailureAction action = FailureAction::kCount;
  if (podPhase(pod) == "Failed") {
    action = matchPodFailurePolicy(job, pod).action;
  }
  if (action == FailureAction::kFailIndex) {
    return true;
  }
  return action != FailureAction::kIgnore &&
         countAnnotation(pod, kIndexFailureCount) >= intAt(job, {"spec", "backoffLimitPerIndex"});
}

}  // namespace

bool hasBackoffLimitPerIndex(const json& job) {
  const json* limit = at(job, {"spec", "backoffLimitPerIndex"});
  return isIndexed(job) && limit != nullptr && limit->is_number_integer();
}

std::optional<TimePoint> podFinishedAt(const json& pod) {
  std::optional<TimePoint> last;
  const json* statuses = at(pod, {"status", "containerStatuses"});
  if (statuses != nullptr && statuses->is_array()) {
    for (const json& s : *statuses) {
      const json* t = at(s, {"state", "terminated", "finishedAt"});
      if (t != nullptr && t->is_string()) {
        if (auto parsed = parseTime(t->get<std::string>()); parsed && (!last || *parsed > *last)) {
          last = parsed;
        }
      }
    }
  }
  if (!last) {
    if (const json* ready = findCondition(pod, "Ready");
        ready && ready->value("status", "") == "False") {
      last = parseTime(ready->value("lastTransitionTime", ""));
    }
  }
  if (!last) {
    // Deleted before its containers said: when its grace period began.
    if (auto deleted = parseTime(metaString(pod, "deletionTimestamp"))) {
      last =
          *deleted - std::chrono::seconds(intAt(pod, {"metadata", "deletionGracePeriodSeconds"}));
    }
  }
  return last;
}

bool podConsideredFailed(const json& job, const json& pod) {
  const std::string phase = podPhase(pod);
  if (phase == "Failed") {
    return true;
  }
  return !onlyFailedPhase(job) && beingDeleted(pod) && phase != "Succeeded";
}

IndexFailures indexFailures(const json& job, const std::vector<json>& pods, int64_t completions,
                            const std::set<int64_t>& completed,
                            const std::set<int64_t>& activeIndexes) {
  IndexFailures out;
  const json* listed = at(job, {"status", "failedIndexes"});
  if (listed != nullptr && listed->is_string()) {
    out.failed = parseIndexes(listed->get<std::string>(), completions);
  }
  std::vector<const json*> failedPods;
  for (const json& pod : pods) {
    auto index = podIndex(pod);
    if (!index || *index >= completions || !hasTrackingFinalizer(pod) ||
        !podConsideredFailed(job, pod)) {
      continue;
    }
    failedPods.push_back(&pod);
    if (failsIndex(job, pod)) {
      out.failed.insert(*index);
    }
  }
  // Of the failed pods of an index still to run, the one with the most failures (the latest
  // when they tie) is the one its replacement follows.
  for (const json* pod : failedPods) {
    const int64_t index = *podIndex(*pod);
    if (completed.count(index) || out.failed.count(index) || activeIndexes.count(index)) {
      continue;
    }
    auto it = out.replaced.find(index);
    if (it == out.replaced.end()) {
      out.replaced.emplace(index, *pod);
      continue;
    }
    auto total = [](const json& p) {
      return countAnnotation(p, kIndexFailureCount) + countAnnotation(p, kIndexIgnoredFailureCount);
    };
    const auto finished = podFinishedAt(*pod), previous = podFinishedAt(it->second);
    if (total(it->second) <= total(*pod) && !(finished && previous && *finished < *previous)) {
      it->second = *pod;
    }
  }
  return out;
}

json replacementAnnotations(const json& job, const json* previous) {
  if (previous == nullptr) {
    return {{kIndexFailureCount, "0"}};
  }
  int64_t failures = countAnnotation(*previous, kIndexFailureCount);
  int64_t ignored = countAnnotation(*previous, kIndexIgnoredFailureCount);
  const bool ignoredNow = podPhase(*previous) == "Failed" &&
                          matchPodFailurePolicy(job, *previous).action == FailureAction::kIgnore;
  (ignoredNow ? ignored : failures) += 1;
  json out = {{kIndexFailureCount, std::to_string(failures)}};
  if (ignored > 0) {
    out[kIndexIgnoredFailureCount] = std::to_string(ignored);
  }
  return out;
}

std::chrono::milliseconds replacementBackoff(const json& previous, TimePoint now) {
  const int64_t failures = countAnnotation(previous, kIndexFailureCount) +
                           countAnnotation(previous, kIndexIgnoredFailureCount) + 1;
  std::chrono::milliseconds delay = kBackoffBase;
  for (int64_t i = 1; i < failures && delay < kBackoffMax; ++i) {
    delay *= 2;
  }
  delay = std::min<std::chrono::milliseconds>(delay, kBackoffMax);
  const TimePoint finished = podFinishedAt(previous).value_or(now);
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(finished + delay - now);
  return std::max(std::chrono::milliseconds(0), left);
}

}  // namespace tug::controllers::job
