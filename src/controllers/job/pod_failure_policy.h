#pragma once

#include <string>

#include "controllers/workload/object_helpers.h"

// A Job's spec.podFailurePolicy applied to one failed pod (upstream's matchPodFailurePolicy):
// the rules are tried in order; a rule matches on a container that ended with a non-zero exit
// code In (or NotIn) its values, optionally only for the named container, or on a pod
// condition of the given type and status. Its action says what the failure means: FailJob
// ends the Job, Ignore does not count it against backoffLimit, Count (also when nothing
// matches) counts it, FailIndex fails the pod's index (backoffLimitPerIndex, index_failures.h).
namespace tug::controllers::job {

enum class FailureAction { kCount, kIgnore, kFailJob, kFailIndex };

struct FailureMatch {
  FailureAction action = FailureAction::kCount;
  std::string message;  // upstream's words, for the FailJob condition; empty when no rule matched
};

// The rule that `pod` (in phase Failed) meets in the Job's policy; Count without a policy.
FailureMatch matchPodFailurePolicy(const json& job, const json& pod);

}  // namespace tug::controllers::job
