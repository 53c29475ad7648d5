#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "controllers/workload/object_helpers.h"

// The DaemonSet controller's decisions as pure functions over JSON objects (upstream's
// pkg/controller/daemon is the specification): which nodes should run a daemon pod, the pod a
// DaemonSet makes for a node (with the daemon tolerations and a node affinity naming the node),
// what each node needs (create, delete surplus, failed or misplaced pods), which old pods a
// rolling update replaces now, the ControllerRevision of a template, and the status.
namespace tug::controllers::daemonset {

inline constexpr const char* kRevisionHashLabel = "controller-revision-hash";
inline constexpr const char* kTemplateGenerationLabel = "pod-template-generation";
inline constexpr const char* kTemplateGenerationAnnotation =
    "deprecated.daemonset.template.generation";
// Upstream's burstReplicas: at most this many creates or deletes per sync.
inline constexpr int kBurstReplicas = 250;

struct NodeFit {
  bool shouldRun = false;              // a daemon pod belongs on the node
  bool shouldContinueRunning = false;  // one already there may stay (no untolerated NoExecute)
};
// Whether `ds` wants a pod on `node`: the template's nodeName (when set), nodeSelector and
// required node affinity fit the node, and its tolerations plus the daemon tolerations
// tolerate every NoSchedule and NoExecute taint.
NodeFit nodeShouldRunDaemonPod(const json& node, const json& ds);

// Adds (or replaces same key/operator/value/effect ones) the tolerations every daemon pod
// carries: not-ready and unreachable NoExecute without tolerationSeconds; disk-, memory- and
// pid-pressure and unschedulable NoSchedule; network-unavailable NoSchedule for hostNetwork.
void addDaemonTolerations(json& podSpec);

// `affinity` with its required node affinity replaced by one term: metadata.name In [node].
json nodeNameAffinity(const json& affinity, const std::string& nodeName);
// The node a daemon pod is for: spec.nodeName, else the node its metadata.name affinity names.
std::string targetNodeName(const json& pod);

// The template generation from the deprecated.daemonset.template.generation annotation.
std::optional<int64_t> templateGeneration(const json& ds);
// The pod carries the current revision hash or the current template generation.
bool podIsUpdated(const json& pod, const std::string& hash, std::optional<int64_t> generation);

// A new pod of `ds` for `nodeName`: the template with the daemon tolerations, the node affinity,
// labels controller-revision-hash and pod-template-generation, generateName "<ds>-" and a
// controller reference. Invalid when the template has no labels.
Result<json> newPod(const json& ds, const std::string& nodeName, const std::string& hash);

// ControllerRevision data: the patch that replaces spec.template with the DaemonSet's.
json revisionData(const json& ds);
// The ControllerRevision "<ds>-<hash>" of the DaemonSet's template at `revision`.
json newRevision(const json& ds, const std::string& hash, int64_t revision);

// Scheduled before unscheduled, then oldest first, then by name.
bool daemonPodBefore(const json& a, const json& b);

using NodePods = std::map<std::string, std::vector<json>>;  // node name -> the DaemonSet's pods

// What the manage step does: create a pod on these nodes, delete these pods. Failed pods are
// reported separately (with their node) so the caller can back off per node before deleting.
struct ManagePlan {
  std::vector<std::string> createOn;
  std::vector<json> remove;
  std::vector<std::pair<std::string, json>> failed;
};
ManagePlan planManage(const json& ds, const std::vector<json>& nodes, const NodePods& pods,
                      const std::string& hash, TimePoint now);

// The rolling update's step: old pods to delete now and (with maxSurge) nodes to start a new
// pod on beside the old one, within maxUnavailable or maxSurge.
struct RolloutPlan {
  std::vector<json> remove;
  std::vector<std::string> createOn;
};
RolloutPlan planRollingUpdate(const json& ds, const std::vector<json>& nodes, NodePods pods,
                              const std::string& hash, TimePoint now);
bool allowsSurge(const json& ds);

// status: desired, current, misscheduled, ready, updated, available, unavailable and
// observedGeneration, keeping collisionCount and conditions; zero optional counts left out.
json calculateStatus(const json& ds, const std::vector<json>& nodes, const NodePods& pods,
                     const std::string& hash, TimePoint now);

}  // namespace tug::controllers::daemonset
