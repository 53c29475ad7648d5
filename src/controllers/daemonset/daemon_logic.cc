#include "controllers/daemonset/daemon_logic.h"

#include <algorithm>
#include <set>

#include "api/node_affinity.h"
#include "api/tolerations.h"
#include "common/parse_int.h"
#include "controllers/deployment/deployment_util.h"

namespace tug::controllers::daemonset {
namespace {

std::string str(const json& obj, const char* key) {
  if (!obj.is_object()) {
    return "";
  }
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

const json& emptyObject() {
  static const json kEmpty = json::object();
  return kEmpty;
}

const json& objectAt(const json& obj, std::initializer_list<const char*> path) {
  const json* v = at(obj, path);
  return v != nullptr && v->is_object() ? *v : emptyObject();
}

const json& templateSpec(const json& ds) { return objectAt(ds, {"spec", "template", "spec"}); }

// Whether some NoSchedule or NoExecute taint (only NoExecute when asked) is not tolerated.
bool hasUntoleratedTaint(const json& node, const json& tolerations, bool noExecuteOnly) {
  const json* taints = at(node, {"spec", "taints"});
  if (taints == nullptr || !taints->is_array()) {
    return false;
  }
  for (const json& taint : *taints) {
    const std::string effect = str(taint, "effect");
    if (effect != "NoExecute" && (noExecuteOnly || effect != "NoSchedule")) {
      continue;
    }
    bool tolerated = tolerations.is_array() &&
                     std::any_of(tolerations.begin(), tolerations.end(), [&](const json& t) {
                       return api::toleratesTaint(t, taint);
                     });
    if (!tolerated) {
      return true;
    }
  }
  return false;
}

bool sameToleration(const json& a, const json& b) {
  for (const char* k : {"key", "effect", "operator", "value"}) {
    if (str(a, k) != str(b, k)) {
      return false;
    }
  }
  return true;
}

void addOrUpdateToleration(json& spec, const json& toleration) {
  json& list = spec["tolerations"];
  if (!list.is_array()) {
    list = json::array();
  }
  json next = json::array();
  bool replaced = false;
  for (const json& t : list) {
    if (sameToleration(t, toleration)) {
      if (t == toleration) {
        return;
      }
      next.push_back(toleration);
      replaced = true;
    } else {
      next.push_back(t);
    }
  }
  if (!replaced) {
    next.push_back(toleration);
  }
  list = std::move(next);
}

json existsToleration(const char* key, const char* effect) {
  return {{"key", key}, {"operator", "Exists"}, {"effect", effect}};
}

int64_t minReadySeconds(const json& ds) { return intAt(ds, {"spec", "minReadySeconds"}, 0); }

// The pods of a node that are not being deleted: the current-revision one and the old one.
// nullopt when there are several of either (manage cleans that up first).
struct NodeRevisions {
  const json* updated = nullptr;
  const json* old = nullptr;
};
std::optional<NodeRevisions> splitByRevision(const std::vector<json>& pods, const std::string& hash,
                                             std::optional<int64_t> generation) {
  NodeRevisions r;
  for (const json& pod : pods) {
    if (beingDeleted(pod)) {
      continue;
    }
    const json*& slot = podIsUpdated(pod, hash, generation) ? r.updated : r.old;
    if (slot != nullptr) {
      return std::nullopt;
    }
    slot = &pod;
  }
  return r;
}

const json* rollingUpdateOf(const json& ds) {
  if (str(objectAt(ds, {"spec", "updateStrategy"}), "type") != "RollingUpdate") {
    return nullptr;
  }
  return at(ds, {"spec", "updateStrategy", "rollingUpdate"});
}

int64_t scaled(const json& ds, const char* field, int64_t desired) {
  const json* ru = rollingUpdateOf(ds);
  if (ru == nullptr || !ru->is_object()) {
    return 0;
  }
  return deployment::scaledValue(ru->value(field, json()), desired, true).value_or(0);
}

// With surge two pods may share a node only while the oldest new one is not yet available and
// the oldest old one is ready; every other pod goes. REQUIRES: `running` sorted oldest first.
void pruneSurgedNode(const json& ds, const std::vector<json>& running, const std::string& hash,
                     TimePoint now, std::vector<json>& remove) {
  const auto generation = templateGeneration(ds);
  const json* oldestNew = nullptr;
  const json* oldestOld = nullptr;
  for (const json& pod : running) {
    const json*& slot = podIsUpdated(pod, hash, generation) ? oldestNew : oldestOld;
    if (slot == nullptr) {
      slot = &pod;
    } else {
      remove.push_back(pod);
    }
  }
  if (oldestNew != nullptr && oldestOld != nullptr &&
      (!podIsReady(*oldestOld) || podIsAvailable(*oldestNew, minReadySeconds(ds), now))) {
    remove.push_back(*oldestOld);
  }
}

}  // namespace

NodeFit nodeShouldRunDaemonPod(const json& node, const json& ds) {
  json spec = templateSpec(ds);
  const std::string wanted = str(spec, "nodeName");
  if (!wanted.empty() && wanted != nameOf(node)) {
    return {};
  }
  if (!api::podSpecFitsNode(spec, node)) {
    return {};
  }
  addDaemonTolerations(spec);
  if (hasUntoleratedTaint(node, spec["tolerations"], false)) {
    return {false, !hasUntoleratedTaint(node, spec["tolerations"], true)};
  }
  return {true, true};
}

void addDaemonTolerations(json& spec) {
  addOrUpdateToleration(spec, existsToleration("node.kubernetes.io/not-ready", "NoExecute"));
  addOrUpdateToleration(spec, existsToleration("node.kubernetes.io/unreachable", "NoExecute"));
  for (const char* key : {"node.kubernetes.io/disk-pressure", "node.kubernetes.io/memory-pressure",
                          "node.kubernetes.io/pid-pressure", "node.kubernetes.io/unschedulable"}) {
    addOrUpdateToleration(spec, existsToleration(key, "NoSchedule"));
  }
  if (spec.value("hostNetwork", false) == true) {
    addOrUpdateToleration(spec,
                          existsToleration("node.kubernetes.io/network-unavailable", "NoSchedule"));
  }
}

json nodeNameAffinity(const json& affinity, const std::string& nodeName) {
  json out = affinity.is_object() ? affinity : json::object();
  json requirement = {{"key", "metadata.name"},
                     {"operator", "In"},
                     {"values", json::array({nodeName})}};
  json terms = json::array({{{"matchFields", json::array({std::move(requirement)})}}});
  if (!out["nodeAffinity"].is_object()) {
    out["nodeAffinity"] = json::object();
  }
  out["nodeAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"] = {
      {"nodeSelectorTerms", std::move(terms)}};
  return out;
}

std::string targetNodeName(const json& pod) {
  std::string node = str(objectAt(pod, {"spec"}), "nodeName");
  if (!node.empty()) {
    return node;
  }
  const json* terms = at(pod, {"spec", "affinity", "nodeAffinity",
                               "requiredDuringSchedulingIgnoredDuringExecution",
                               "nodeSelectorTerms"});
  if (terms == nullptr || !terms->is_array()) {
    return "";
  }
  for (const json& term : *terms) {
    const json* fields = at(term, {"matchFields"});
    if (fields == nullptr || !fields->is_array()) {
      continue;
    }
    for (const json& f : *fields) {
      const json values = f.is_object() ? f.value("values", json()) : json();
      if (str(f, "key") == "metadata.name" && str(f, "operator") == "In" && values.is_array() &&
          values.size() == 1 && values[0].is_string()) {
        return values[0].get<std::string>();
      }
    }
  }
  return "";
}

std::optional<int64_t> templateGeneration(const json& ds) {
  const json* v = at(ds, {"metadata", "annotations", kTemplateGenerationAnnotation});
  if (v == nullptr || !v->is_string()) {
    return std::nullopt;
  }
  return parseInt64(v->get<std::string>());
}

bool podIsUpdated(const json& pod, const std::string& hash, std::optional<int64_t> generation) {
  const json labels = labelsOf(pod);
  const bool generationMatches =
      generation && str(labels, kTemplateGenerationLabel) == std::to_string(*generation);
  const bool hashMatches = !hash.empty() && str(labels, kRevisionHashLabel) == hash;
  return generationMatches || hashMatches;
}

Result<json> newPod(const json& ds, const std::string& nodeName, const std::string& hash) {
  const json& tmpl = objectAt(ds, {"spec", "template"});
  json meta = tmpl.value("metadata", json::object());
  json labels = meta.value("labels", json::object());
  if (!labels.is_object() || labels.empty()) {
    return invalid("unable to create pods, no labels");
  }
  if (auto generation = templateGeneration(ds)) {
    labels[kTemplateGenerationLabel] = std::to_string(*generation);
  }
  if (!hash.empty()) {
    labels[kRevisionHashLabel] = hash;
  }
  json podMeta = {{"generateName", nameOf(ds) + "-"},
                  {"namespace", namespaceOf(ds)},
                  {"labels", std::move(labels)},
                  {"ownerReferences", json::array({newControllerRef(ds, "apps/v1", "DaemonSet")})}};
  for (const char* k : {"annotations", "finalizers"}) {
    if (auto it = meta.find(k); it != meta.end() && !it->is_null() && !it->empty()) {
      podMeta[k] = *it;
    }
  }
  json spec = tmpl.value("spec", json::object());
  addDaemonTolerations(spec);
  spec["affinity"] = nodeNameAffinity(spec.value("affinity", json()), nodeName);
  return json{{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", std::move(podMeta)},
              {"spec", std::move(spec)}};
}

json revisionData(const json& ds) {
  json tmpl = objectAt(ds, {"spec", "template"});
  tmpl["$patch"] = "replace";
  return {{"spec", {{"template", std::move(tmpl)}}}};
}

json newRevision(const json& ds, const std::string& hash, int64_t revision) {
  json labels = objectAt(ds, {"spec", "template", "metadata", "labels"});
  labels[kRevisionHashLabel] = hash;
  json meta = {{"name", nameOf(ds) + "-" + hash},
               {"namespace", namespaceOf(ds)},
               {"labels", std::move(labels)},
               {"ownerReferences", json::array({newControllerRef(ds, "apps/v1", "DaemonSet")})}};
  if (const json* a = at(ds, {"metadata", "annotations"}); a && a->is_object() && !a->empty()) {
    meta["annotations"] = *a;
  }
  return {{"apiVersion", "apps/v1"},
          {"kind", "ControllerRevision"},
          {"metadata", std::move(meta)},
          {"data", revisionData(ds)},
          {"revision", revision}};
}

bool daemonPodBefore(const json& a, const json& b) {
  const bool aScheduled = !str(objectAt(a, {"spec"}), "nodeName").empty();
  const bool bScheduled = !str(objectAt(b, {"spec"}), "nodeName").empty();
  if (aScheduled != bScheduled) {
    return aScheduled;
  }
  auto ta = parseTime(metaString(a, "creationTimestamp"));
  auto tb = parseTime(metaString(b, "creationTimestamp"));
  if (ta == tb) {
    return nameOf(a) < nameOf(b);
  }
  return ta < tb;
}

bool allowsSurge(const json& ds) { return scaled(ds, "maxSurge", 1) > 0; }

ManagePlan planManage(const json& ds, const std::vector<json>& nodes, const NodePods& pods,
                      const std::string& hash, TimePoint now) {
  ManagePlan plan;
  const bool surge = allowsSurge(ds);
  std::set<std::string> known;
  for (const json& node : nodes) {
    const std::string name = nameOf(node);
    known.insert(name);
    const NodeFit fit = nodeShouldRunDaemonPod(node, ds);
    auto it = pods.find(name);
    const bool exists = it != pods.end() && !it->second.empty();
    if (fit.shouldRun && !exists) {
      plan.createOn.push_back(name);
      continue;
    }
    if (!exists) {
      continue;
    }
    if (!fit.shouldContinueRunning) {
      for (const json& pod : it->second) {
        if (!beingDeleted(pod)) {
          plan.remove.push_back(pod);
        }
      }
      continue;
    }
    std::vector<json> running;
    for (const json& pod : it->second) {
      if (beingDeleted(pod)) {
        continue;
      }
      const std::string phase = podPhase(pod);
      if (phase == "Failed") {
        plan.failed.emplace_back(name, pod);
      } else if (phase == "Succeeded") {
        plan.remove.push_back(pod);
      } else {
        running.push_back(pod);
      }
    }
    if (running.size() <= 1) {
      if (running.empty() && surge && fit.shouldRun) {
        plan.createOn.push_back(name);
      }
      continue;
    }
    std::sort(running.begin(), running.end(), daemonPodBefore);
    if (!surge) {
      plan.remove.insert(plan.remove.end(), running.begin() + 1, running.end());
      continue;
    }
    pruneSurgedNode(ds, running, hash, now, plan.remove);
  }
  // Pods for nodes that are gone and that no scheduler has placed yet never will be.
  for (const auto& [node, list] : pods) {
    if (known.count(node)) {
      continue;
    }
    for (const json& pod : list) {
      if (str(objectAt(pod, {"spec"}), "nodeName").empty() && !beingDeleted(pod)) {
        plan.remove.push_back(pod);
      }
    }
  }
  return plan;
}

namespace {

struct RolloutInputs {
  const std::string& hash;
  std::optional<int64_t> generation;
  int64_t minReady;
  TimePoint now;
  bool available(const json& pod) const { return podIsAvailable(pod, minReady, now); }
};

// maxSurge 0: an unavailable old pod goes at once; healthy old pods go while fewer than
// maxUnavailable nodes are unavailable.
RolloutPlan replaceWithinUnavailable(const NodePods& pods, const RolloutInputs& in,
                                     int64_t maxUnavailable) {
  RolloutPlan plan;
  int64_t unavailable = 0;
  std::vector<json> candidates;
  for (const auto& [node, list] : pods) {
    auto split = splitByRevision(list, in.hash, in.generation);
    if (!split || (split->updated == nullptr) == (split->old == nullptr)) {
      ++unavailable;  // manage creates or prunes here first
    } else if (split->updated != nullptr) {
      unavailable += in.available(*split->updated) ? 0 : 1;
    } else if (!in.available(*split->old)) {
      plan.remove.push_back(*split->old);
    } else if (unavailable < maxUnavailable) {
      candidates.push_back(*split->old);
    }
  }
  int64_t budget = std::clamp<int64_t>(maxUnavailable - unavailable, 0,
                                       static_cast<int64_t>(candidates.size()));
  plan.remove.insert(plan.remove.end(), candidates.begin(), candidates.begin() + budget);
  return plan;
}

// maxSurge > 0: a new pod starts beside the old one (at once when the old one is unavailable,
// else within maxSurge); the old one goes when the new one is available.
RolloutPlan replaceWithinSurge(const NodePods& pods, const RolloutInputs& in, int64_t maxSurge) {
  RolloutPlan plan;
  int64_t surging = 0;
  std::vector<std::string> candidates;
  for (const auto& [node, list] : pods) {
    auto split = splitByRevision(list, in.hash, in.generation);
    if (!split) {
      ++surging;
    } else if (split->old == nullptr) {
      // nothing to replace; manage creates the pod when there is none
    } else if (split->updated == nullptr) {
      if (!in.available(*split->old)) {
        plan.createOn.push_back(node);
      } else if (surging < maxSurge) {
        candidates.push_back(node);
      }
    } else if (!in.available(*split->updated)) {
      ++surging;  // waiting for the new pod
    } else {
      plan.remove.push_back(*split->old);
    }
  }
  int64_t budget =
      std::clamp<int64_t>(maxSurge - surging, 0, static_cast<int64_t>(candidates.size()));
  plan.createOn.insert(plan.createOn.end(), candidates.begin(), candidates.begin() + budget);
  return plan;
}

}  // namespace

RolloutPlan planRollingUpdate(const json& ds, const std::vector<json>& nodes, NodePods pods,
                              const std::string& hash, TimePoint now) {
  int64_t desired = 0;
  for (const json& node : nodes) {
    if (nodeShouldRunDaemonPod(node, ds).shouldRun) {
      ++desired;
      pods.try_emplace(nameOf(node));  // a node still without its pod counts as unavailable
    }
  }
  int64_t maxUnavailable = scaled(ds, "maxUnavailable", desired);
  const int64_t maxSurge = scaled(ds, "maxSurge", desired);
  if (desired > 0 && maxUnavailable == 0 && maxSurge == 0) {
    maxUnavailable = 1;
  }
  const RolloutInputs in{hash, templateGeneration(ds), minReadySeconds(ds), now};
  return maxSurge == 0 ? replaceWithinUnavailable(pods, in, maxUnavailable)
                       : replaceWithinSurge(pods, in, maxSurge);
}

json calculateStatus(const json& ds, const std::vector<json>& nodes, const NodePods& pods,
                     const std::string& hash, TimePoint now) {
  int64_t desired = 0, current = 0, misscheduled = 0, ready = 0, available = 0, updated = 0;
  const auto generation = templateGeneration(ds);
  for (const json& node : nodes) {
    const bool shouldRun = nodeShouldRunDaemonPod(node, ds).shouldRun;
    auto it = pods.find(nameOf(node));
    const bool scheduled = it != pods.end() && !it->second.empty();
    if (!shouldRun) {
      misscheduled += scheduled ? 1 : 0;
      continue;
    }
    ++desired;
    if (!scheduled) {
      continue;
    }
    ++current;
    const json& pod = *std::min_element(it->second.begin(), it->second.end(), daemonPodBefore);
    if (podIsReady(pod)) {
      ++ready;
      available += podIsAvailable(pod, minReadySeconds(ds), now) ? 1 : 0;
    }
    updated += podIsUpdated(pod, hash, generation) ? 1 : 0;
  }
  json status = {{"currentNumberScheduled", current},
                 {"numberMisscheduled", misscheduled},
                 {"desiredNumberScheduled", desired},
                 {"numberReady", ready}};
  auto putNonZero = [&](const char* key, int64_t v) {
    if (v != 0) {
      status[key] = v;
    }
  };
  putNonZero("observedGeneration", intAt(ds, {"metadata", "generation"}));
  putNonZero("updatedNumberScheduled", updated);
  putNonZero("numberAvailable", available);
  putNonZero("numberUnavailable", desired - available);
  const json& old = objectAt(ds, {"status"});
  for (const char* key : {"collisionCount", "conditions"}) {
    if (auto it = old.find(key); it != old.end() && !it->is_null()) {
      status[key] = *it;
    }
  }
  return status;
}

}  // namespace tug::controllers::daemonset
