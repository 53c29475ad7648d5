#pragma once

#include "apiserver/resource_verbs.h"

// POST /api/v1/namespaces/<ns>/pods/<name>/eviction: deletes a pod unless that would take one
// of its PodDisruptionBudgets below what it allows. Registered as the "pods/eviction" entry of
// SubresourceCreators. Upstream's EvictionREST is the specification.
namespace tug::apiserver {

// Body: a policy/v1 (or v1beta1) Eviction named as the pod, with optional deleteOptions
// (preconditions, gracePeriodSeconds, dryRun; dryRun may also come as a query parameter).
// A pod that is Succeeded, Failed, Pending or already being deleted is deleted without looking
// at budgets. Otherwise the one budget that selects the pod must allow a disruption: its
// status.disruptionsAllowed goes down by one and the pod is recorded in status.disruptedPods
// (a compare-and-swap write, retried on conflict) before the pod is deleted. An unready pod
// may go without spending a disruption when the budget is healthy (or its
// unhealthyPodEvictionPolicy is AlwaysAllow). Answers 201 with a Status Success; 404 for a
// missing pod; 429 TooManyRequests (cause DisruptionBudget) when the budget allows nothing or
// its status is behind its spec; 500 when more than one budget selects the pod.
Reply createPodEviction(const VerbContext& ctx, const VerbRequest& req);

}  // namespace tug::apiserver
