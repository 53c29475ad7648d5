#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "controllers/workload/object_helpers.h"

// spec.backoffLimitPerIndex of Indexed Jobs (upstream's backoff limit per index): each index
// counts its own failures in the batch.kubernetes.io/job-index-failure-count annotation, which
// the pod replacing a failed one carries one higher (failures podFailurePolicy ignores go to
// job-index-ignored-failure-count instead). A pod that fails when its index already failed
// backoffLimitPerIndex times, or that a FailIndex rule matches, fails its index for good:
// status.failedIndexes lists it and no pod replaces it.
//
// The last failed pod of an index keeps its tracking finalizer (is not counted yet) until its
// replacement exists, so that the replacement can read the count from it; the replacement
// waits out a backoff that doubles with the index's failures.
namespace tug::controllers::job {

constexpr const char* kIndexFailureCount = "batch.kubernetes.io/job-index-failure-count";
constexpr const char* kIndexIgnoredFailureCount =
    "batch.kubernetes.io/job-index-ignored-failure-count";

bool hasBackoffLimitPerIndex(const json& job);

// When the pod's containers ended (else when it stopped being ready, else when its deletion
// began), if it says.
std::optional<TimePoint> podFinishedAt(const json& pod);

// Whether the Job counts the pod as failed: phase Failed, or deleted before it succeeded
// (unless only Failed pods are replaced).
bool podConsideredFailed(const json& job, const json& pod);

// What the pods of an Indexed Job with a per-index limit say about their indexes.
struct IndexFailures {
  std::set<int64_t> failed;  // status.failedIndexes and the indexes failed since
  // Per index that waits for a replacement: the failed pod the replacement follows. These pods
  // keep their finalizer for now.
  std::map<int64_t, json> replaced;
};

IndexFailures indexFailures(const json& job, const std::vector<json>& pods, int64_t completions,
                            const std::set<int64_t>& completed,
                            const std::set<int64_t>& activeIndexes);

// The failure-count annotations of the pod that replaces `previous` (nullptr: the index's
// first pod).
json replacementAnnotations(const json& job, const json* previous);

// How long the index of `previous` must still wait before its replacement is created.
std::chrono::milliseconds replacementBackoff(const json& previous, TimePoint now);

}  // namespace tug::controllers::job
