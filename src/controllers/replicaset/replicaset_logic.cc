#include "controllers/replicaset/replicaset_logic.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace tug::controllers::replicaset {
namespace {

int phaseOrdinal(const json& pod) {
  std::string phase = podPhase(pod);
  if (phase == "Pending") {
    return 0;
  }
  if (phase == "Unknown") {
    return 1;
  }
  if (phase == "Running") {
    return 2;
  }
  return 0;  // upstream's map yields 0 for anything else
}

// controller.kubernetes.io/pod-deletion-cost, an int32; 0 when absent or unparsable.
int64_t deletionCost(const json& pod) {
  const json* v = at(pod, {"metadata", "annotations", "controller.kubernetes.io/pod-deletion-cost"});
  if (v == nullptr || !v->is_string()) {
    return 0;
  }
  try {
    size_t used = 0;
    int64_t cost = std::stoll(v->get<std::string>(), &used);
    return used == v->get<std::string>().size() ? cost : 0;
  } catch (...) {
    return 0;
  }
}

// floor(log2(now - t)) in nanoseconds, -1 when t is not before now.
int64_t logRank(TimePoint t, TimePoint now) {
  auto d = std::chrono::duration_cast<std::chrono::nanoseconds>(now - t).count();
  return d > 0 ? static_cast<int64_t>(std::log2(static_cast<double>(d))) : -1;
}

struct Ranked {
  json pod;
  int rank = 0;
  bool ready = false;
  std::optional<TimePoint> readySince, created;
};

// True when `a` should be deleted before `b`.
bool deleteFirst(const Ranked& a, const Ranked& b, TimePoint now) {
  std::string na = at(a.pod, {"spec", "nodeName"}) ? a.pod["spec"].value("nodeName", "") : "";
  std::string nb = at(b.pod, {"spec", "nodeName"}) ? b.pod["spec"].value("nodeName", "") : "";
  if (na != nb && (na.empty() || nb.empty())) {
    return na.empty();
  }
  if (phaseOrdinal(a.pod) != phaseOrdinal(b.pod)) {
    return phaseOrdinal(a.pod) < phaseOrdinal(b.pod);
  }
  if (a.ready != b.ready) {
    return !a.ready;
  }
  if (deletionCost(a.pod) != deletionCost(b.pod)) {
    return deletionCost(a.pod) < deletionCost(b.pod);
  }
  if (a.rank != b.rank) {
    return a.rank > b.rank;
  }
  // Later (or unknown) first; within one logarithmic bucket, by uid.
  auto laterFirst = [&](const std::optional<TimePoint>& x,
                        const std::optional<TimePoint>& y) -> std::optional<bool> {
    if (x == y) {
      return std::nullopt;
    }
    if (!x || !y) {
      return !x;
    }
    int64_t diff = logRank(*x, now) - logRank(*y, now);
    if (diff == 0) {
      return uidOf(a.pod) < uidOf(b.pod);
    }
    return diff < 0;
  };
  if (a.ready && b.ready) {
    if (auto r = laterFirst(a.readySince, b.readySince)) {
      return *r;
    }
  }
  if (podMaxRestarts(a.pod) != podMaxRestarts(b.pod)) {
    return podMaxRestarts(a.pod) > podMaxRestarts(b.pod);
  }
  if (auto r = laterFirst(a.created, b.created)) {
    return *r;
  }
  return false;
}

std::string nodeOf(const json& pod) {
  const json* v = at(pod, {"spec", "nodeName"});
  return v != nullptr && v->is_string() ? v->get<std::string>() : "";
}

}  // namespace

int64_t specReplicas(const json& rs) { return intAt(rs, {"spec", "replicas"}, 1); }

Result<json> podFromTemplate(const json& rs) {
  const json* tmpl = at(rs, {"spec", "template"});
  if (tmpl == nullptr || !tmpl->is_object()) {
    return invalid("unable to create pods, no template");
  }
  json meta = tmpl->value("metadata", json::object());
  json labels = meta.value("labels", json::object());
  if (!labels.is_object() || labels.empty()) {
    return invalid("unable to create pods, no labels");
  }
  json podMeta = {{"generateName", nameOf(rs) + "-"},
                  {"namespace", namespaceOf(rs)},
                  {"labels", labels},
                  {"ownerReferences", json::array({newControllerRef(rs, "apps/v1", "ReplicaSet")})}};
  for (const char* k : {"annotations", "finalizers"}) {
    if (auto it = meta.find(k); it != meta.end() && !it->is_null() && !it->empty()) {
      podMeta[k] = *it;
    }
  }
  return json{{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", std::move(podMeta)},
              {"spec", tmpl->value("spec", json::object())}};
}

std::vector<json> podsToDelete(std::vector<json> pods, const std::vector<json>& related,
                               int diff, TimePoint now) {
  diff = std::clamp(diff, 0, static_cast<int>(pods.size()));
  if (diff == static_cast<int>(pods.size())) {
    return pods;
  }
  std::map<std::string, int> onNode;
  for (const json& p : related) {
    if (podIsActive(p)) {
      ++onNode[nodeOf(p)];
    }
  }
  std::vector<Ranked> ranked;
  ranked.reserve(pods.size());
  for (json& p : pods) {
    Ranked r;
    r.rank = onNode[nodeOf(p)];
    r.ready = podIsReady(p);
    r.readySince = podReadySince(p);
    const json* c = at(p, {"metadata", "creationTimestamp"});
    r.created = c != nullptr && c->is_string() ? parseTime(c->get<std::string>()) : std::nullopt;
    r.pod = std::move(p);
    ranked.push_back(std::move(r));
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [&](const Ranked& a, const Ranked& b) { return deleteFirst(a, b, now); });
  std::vector<json> out;
  for (int i = 0; i < diff; ++i) {
    out.push_back(std::move(ranked[i].pod));
  }
  return out;
}

json calculateStatus(const json& rs, const std::vector<json>& pods,
                     const std::optional<ManageError>& error, TimePoint now) {
  const json* tmplLabels = at(rs, {"spec", "template", "metadata", "labels"});
  const int64_t minReady = intAt(rs, {"spec", "minReadySeconds"}, 0);
  int64_t fullyLabeled = 0, ready = 0, available = 0;
  for (const json& pod : pods) {
    json labels = labelsOf(pod);
    bool full = true;
    if (tmplLabels != nullptr && tmplLabels->is_object()) {
      for (const auto& [k, v] : tmplLabels->items()) {
        auto it = labels.find(k);
        if (it == labels.end() || *it != v) {
          full = false;
          break;
        }
      }
    }
    fullyLabeled += full ? 1 : 0;
    if (podIsReady(pod)) {
      ++ready;
      if (podIsAvailable(pod, minReady, now)) {
        ++available;
      }
    }
  }
  json status = {{"replicas", static_cast<int64_t>(pods.size())}};
  if (fullyLabeled > 0) {
    status["fullyLabeledReplicas"] = fullyLabeled;
  }
  if (ready > 0) {
    status["readyReplicas"] = ready;
  }
  if (available > 0) {
    status["availableReplicas"] = available;
  }
  if (int64_t gen = intAt(rs, {"metadata", "generation"}, 0); gen > 0) {
    status["observedGeneration"] = gen;
  }
  json conditions = json::array();
  const json* existing = at(rs, {"status", "conditions"});
  bool hadFailure = false;
  if (existing != nullptr && existing->is_array()) {
    for (const json& c : *existing) {
      if (c.is_object() && c.value("type", "") == "ReplicaFailure") {
        hadFailure = true;
        if (error) {
          conditions.push_back(c);  // upstream keeps the first failure as it was
        }
      } else {
        conditions.push_back(c);
      }
    }
  }
  if (error && !hadFailure) {
    conditions.push_back({{"type", "ReplicaFailure"},
                          {"status", "True"},
                          {"lastTransitionTime", formatTime(now)},
                          {"reason", error->creating ? "FailedCreate" : "FailedDelete"},
                          {"message", error->message}});
  }
  if (!conditions.empty()) {
    status["conditions"] = std::move(conditions);
  }
  return status;
}

}  // namespace tug::controllers::replicaset
