#include "controllers/statefulset/stateful_pods.h"

#include <cctype>
#include <limits>
#include <set>

namespace tug::controllers::statefulset {
namespace {

const json& objectOr(const json& obj, const char* key) {
  static const json kEmpty = json::object();
  auto it = obj.find(key);
  return it != obj.end() && it->is_object() ? *it : kEmpty;
}

const json& specOf(const json& set) { return objectOr(set, "spec"); }

std::string labelOf(const json& pod, const char* key) {
  json labels = labelsOf(pod);
  auto it = labels.find(key);
  return it != labels.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::optional<std::pair<std::string, int>> parentAndOrdinal(const std::string& podName) {
  size_t dash = podName.rfind('-');
  if (dash == std::string::npos || dash + 1 == podName.size()) {
    return std::nullopt;
  }
  int64_t ordinal = 0;
  for (size_t i = dash + 1; i < podName.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(podName[i]))) {
      return std::nullopt;
    }
    ordinal = ordinal * 10 + (podName[i] - '0');
    if (ordinal > std::numeric_limits<int32_t>::max()) {
      return std::nullopt;
    }
  }
  return std::make_pair(podName.substr(0, dash), static_cast<int>(ordinal));
}

int ordinalOf(const json& pod) {
  auto parsed = parentAndOrdinal(nameOf(pod));
  return parsed ? parsed->second : -1;
}

bool isMemberOf(const json& set, const json& pod) {
  auto parsed = parentAndOrdinal(nameOf(pod));
  return parsed && parsed->first == nameOf(set);
}

std::string podName(const json& set, int ordinal) {
  return nameOf(set) + "-" + std::to_string(ordinal);
}

std::string claimName(const json& set, const json& claimTemplate, int ordinal) {
  return nameOf(claimTemplate) + "-" + nameOf(set) + "-" + std::to_string(ordinal);
}

int64_t specReplicas(const json& set) { return intAt(set, {"spec", "replicas"}, 1); }

int startOrdinal(const json& set) {
  return static_cast<int>(intAt(set, {"spec", "ordinals", "start"}, 0));
}

int endOrdinal(const json& set) {
  return startOrdinal(set) + static_cast<int>(specReplicas(set)) - 1;
}

bool inOrdinalRange(const json& set, const json& pod) {
  int ordinal = ordinalOf(pod);
  return ordinal >= startOrdinal(set) && ordinal <= endOrdinal(set);
}

bool allowsBurst(const json& set) {
  return specOf(set).value("podManagementPolicy", "") == "Parallel";
}

bool isOnDelete(const json& set) {
  return objectOr(specOf(set), "updateStrategy").value("type", "") == "OnDelete";
}

int64_t partition(const json& set) {
  return intAt(set, {"spec", "updateStrategy", "rollingUpdate", "partition"}, 0);
}

int64_t minReadySeconds(const json& set) { return intAt(set, {"spec", "minReadySeconds"}, 0); }

bool isCreated(const json& pod) { return !podPhase(pod).empty(); }

bool isFailedOrSucceeded(const json& pod) {
  std::string phase = podPhase(pod);
  return phase == "Failed" || phase == "Succeeded";
}

bool isPending(const json& pod) { return podPhase(pod) == "Pending"; }

bool isTerminating(const json& pod) { return beingDeleted(pod); }

bool isRunningAndReady(const json& pod) { return podPhase(pod) == "Running" && podIsReady(pod); }

bool isRunningAndAvailable(const json& pod, int64_t minReadySeconds, TimePoint now) {
  return podPhase(pod) == "Running" && podIsAvailable(pod, minReadySeconds, now);
}

bool isHealthy(const json& pod) { return isRunningAndReady(pod) && !isTerminating(pod); }

bool isUnavailable(const json& pod, int64_t minReadySeconds, TimePoint now) {
  return !isHealthy(pod) || !podIsAvailable(pod, minReadySeconds, now);
}

std::string podRevision(const json& pod) { return labelOf(pod, kRevisionLabel); }

std::vector<json> claimsFor(const json& set, int ordinal) {
  std::vector<json> claims;
  auto it = specOf(set).find("volumeClaimTemplates");
  if (it == specOf(set).end() || !it->is_array()) {
    return claims;
  }
  const json& matchLabels = objectOr(objectOr(specOf(set), "selector"), "matchLabels");
  for (const json& tmpl : *it) {
    if (!tmpl.is_object()) {
      continue;
    }
    json meta = objectOr(tmpl, "metadata");
    json labels = objectOr(meta, "labels");
    for (const auto& [k, v] : matchLabels.items()) {
      labels[k] = v;
    }
    json claimMeta = {{"name", claimName(set, tmpl, ordinal)}, {"namespace", namespaceOf(set)}};
    if (!labels.empty()) {
      claimMeta["labels"] = labels;
    }
    for (const char* k : {"annotations", "finalizers"}) {
      if (auto m = meta.find(k); m != meta.end() && !m->is_null() && !m->empty()) {
        claimMeta[k] = *m;
      }
    }
    claims.push_back({{"apiVersion", "v1"},
                      {"kind", "PersistentVolumeClaim"},
                      {"metadata", std::move(claimMeta)},
                      {"spec", objectOr(tmpl, "spec")}});
  }
  return claims;
}

bool identityMatches(const json& set, const json& pod) {
  auto parsed = parentAndOrdinal(nameOf(pod));
  return parsed && parsed->first == nameOf(set) && nameOf(pod) == podName(set, parsed->second) &&
         namespaceOf(pod) == namespaceOf(set) && labelOf(pod, kPodNameLabel) == nameOf(pod) &&
         labelOf(pod, kPodIndexLabel) == std::to_string(parsed->second);
}

bool storageMatches(const json& set, const json& pod) {
  int ordinal = ordinalOf(pod);
  if (ordinal < 0) {
    return false;
  }
  const json* volumes = at(pod, {"spec", "volumes"});
  auto it = specOf(set).find("volumeClaimTemplates");
  if (it == specOf(set).end() || !it->is_array()) {
    return true;
  }
  for (const json& tmpl : *it) {
    bool found = false;
    if (volumes != nullptr && volumes->is_array()) {
      for (const json& v : *volumes) {
        if (v.is_object() && v.value("name", "") == nameOf(tmpl)) {
          const json& source = objectOr(v, "persistentVolumeClaim");
          found = source.value("claimName", "") == claimName(set, tmpl, ordinal);
          break;
        }
      }
    }
    if (!found) {
      return false;
    }
  }
  return true;
}

void updateIdentity(const json& set, json& pod) {
  int ordinal = ordinalOf(pod);
  pod["metadata"]["name"] = podName(set, ordinal);
  pod["metadata"]["namespace"] = namespaceOf(set);
  json& labels = pod["metadata"]["labels"];
  if (!labels.is_object()) {
    labels = json::object();
  }
  labels[kPodNameLabel] = nameOf(pod);
  labels[kPodIndexLabel] = std::to_string(ordinal);
}

void updateStorage(const json& set, json& pod) {
  int ordinal = ordinalOf(pod);
  json volumes = json::array();
  std::set<std::string> claimed;
  auto it = specOf(set).find("volumeClaimTemplates");
  if (it != specOf(set).end() && it->is_array()) {
    for (const json& tmpl : *it) {
      claimed.insert(nameOf(tmpl));
      volumes.push_back(
          {{"name", nameOf(tmpl)},
           {"persistentVolumeClaim", {{"claimName", claimName(set, tmpl, ordinal)}}}});
    }
  }
  json& spec = pod["spec"];
  if (!spec.is_object()) {
    spec = json::object();
  }
  if (auto v = spec.find("volumes"); v != spec.end() && v->is_array()) {
    for (const json& volume : *v) {
      if (!volume.is_object() || !claimed.count(volume.value("name", ""))) {
        volumes.push_back(volume);
      }
    }
  }
  if (volumes.empty()) {
    spec.erase("volumes");
  } else {
    spec["volumes"] = std::move(volumes);
  }
}

json newPod(const json& set, int ordinal, const std::string& revision) {
  const json& tmpl = objectOr(specOf(set), "template");
  const json& meta = objectOr(tmpl, "metadata");
  json podMeta = {
      {"name", podName(set, ordinal)},
      {"generateName", nameOf(set) + "-"},
      {"namespace", namespaceOf(set)},
      {"labels", objectOr(meta, "labels")},
      {"ownerReferences", json::array({newControllerRef(set, "apps/v1", "StatefulSet")})}};
  for (const char* k : {"annotations", "finalizers"}) {
    if (auto it = meta.find(k); it != meta.end() && !it->is_null() && !it->empty()) {
      podMeta[k] = *it;
    }
  }
  json pod = {{"apiVersion", "v1"},
              {"kind", "Pod"},
              {"metadata", std::move(podMeta)},
              {"spec", objectOr(tmpl, "spec")}};
  updateIdentity(set, pod);
  pod["spec"]["hostname"] = nameOf(pod);
  std::string service = specOf(set).value("serviceName", "");
  if (!service.empty()) {
    pod["spec"]["subdomain"] = service;
  }
  updateStorage(set, pod);
  pod["metadata"]["labels"][kRevisionLabel] = revision;
  return pod;
}

}  // namespace tug::controllers::statefulset
