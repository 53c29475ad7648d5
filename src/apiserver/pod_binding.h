#pragma once

#include "apiserver/resource_verbs.h"

// POST /api/v1/namespaces/<ns>/pods/<name>/binding: the scheduler's way of placing a pod on a
// node. Registered as the "pods/binding" entry of SubresourceCreators.
namespace tug::apiserver {

// Body: a v1 Binding named as the pod, with target {kind: Node (or empty), name}. Sets the
// pod's spec.nodeName, marks it PodScheduled=True and copies the binding's annotations, in the
// verbs' write loop, so that of two concurrent binds one wins and the other gets 409. Answers
// 201 with a Status Success. Errors as upstream's BindingREST: 404 for a missing pod, 409 for
// a pod already assigned, being deleted, still gated, or whose uid differs from the binding's.
Reply createPodBinding(const VerbContext& ctx, const VerbRequest& req);

}  // namespace tug::apiserver
