#pragma once

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "apiserver/resource_verbs.h"
#include "common/status.h"

// The scale subresource (autoscaling/v1 Scale) of deployments, replicasets, statefulsets,
// replicationcontrollers and, later, custom resources that declare one: a view of the
// parent's replica count that `kubectl scale` and autoscalers read and write.
namespace tug::apiserver {

// Where a resource keeps what Scale shows. Built-in kinds use the defaults; a CRD's scale
// subresource names its own paths (dotted, from the object's root).
struct ScalePaths {
  std::string specReplicas = "spec.replicas";
  std::string statusReplicas = "status.replicas";
  // A LabelSelector object for built-in kinds; for CRDs a string in selector syntax.
  std::string labelSelector = "spec.selector";
};

// The paths of `info`'s scale: the built-in defaults, or what its CRD version declares.
ScalePaths scalePathsOf(const api::ResourceInfo& info);

// The Scale of `parent` (its name, namespace, uid, resourceVersion and creationTimestamp;
// spec.replicas; status.replicas and the selector as a string).
nlohmann::json scaleOf(const nlohmann::json& parent, const ScalePaths& paths = {});

// Sets the parent's desired replicas from `scale`; BadRequest when spec.replicas is missing or
// not a non-negative integer, Invalid (422 wording of upstream) when negative.
Status applyScale(nlohmann::json& parent, const nlohmann::json& scale,
                  const ScalePaths& paths = {});

// "a=b,c in (d,e),!f": a LabelSelector object written the way upstream formats it.
std::string formatLabelSelector(const nlohmann::json& selector);

// GET and PUT on <resource>/<name>/scale.
Reply getScale(const VerbContext& ctx, const VerbRequest& req);
Reply updateScale(const VerbContext& ctx, const VerbRequest& req);

}  // namespace tug::apiserver
