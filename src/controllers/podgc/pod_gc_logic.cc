#include "controllers/podgc/pod_gc_logic.h"

#include <algorithm>
#include <tuple>

namespace tug::controllers::podgc {
namespace {

std::string str(const json& obj, const char* a, const char* b) {
  if (!obj.is_object()) {
    return "";
  }
  auto outer = obj.find(a);
  if (outer == obj.end() || !outer->is_object()) {
    return "";
  }
  auto inner = outer->find(b);
  return inner != outer->end() && inner->is_string() ? inner->get<std::string>() : "";
}

bool evicted(const json& pod) { return str(pod, "status", "reason") == "Evicted"; }

}  // namespace

bool isTerminal(const json& pod) {
  const std::string phase = str(pod, "status", "phase");
  return phase == "Succeeded" || phase == "Failed";
}

std::vector<json> terminatedToDelete(const std::vector<json>& pods, int64_t threshold) {
  if (threshold <= 0) {
    return {};
  }
  std::vector<const json*> finished;
  for (const json& p : pods) {
    if (isTerminal(p)) {
      finished.push_back(&p);
    }
  }
  if (static_cast<int64_t>(finished.size()) <= threshold) {
    return {};
  }
  auto order = [](const json* p) {
    // RFC 3339 timestamps in UTC with seconds compare as strings.
    return std::make_tuple(!evicted(*p), str(*p, "metadata", "creationTimestamp"),
                           str(*p, "metadata", "namespace"), str(*p, "metadata", "name"));
  };
  std::sort(finished.begin(), finished.end(),
            [&](const json* a, const json* b) { return order(a) < order(b); });
  std::vector<json> out;
  const size_t count = finished.size() - static_cast<size_t>(threshold);
  for (size_t i = 0; i < count; ++i) {
    out.push_back(*finished[i]);
  }
  return out;
}

std::set<std::string> missingNodes(const std::vector<json>& pods,
                                   const std::set<std::string>& nodes) {
  std::set<std::string> missing;
  for (const json& p : pods) {
    std::string node = str(p, "spec", "nodeName");
    if (!node.empty() && !nodes.count(node)) {
      missing.insert(node);
    }
  }
  return missing;
}

std::vector<json> unscheduledTerminating(const std::vector<json>& pods) {
  std::vector<json> out;
  for (const json& p : pods) {
    if (!str(p, "metadata", "deletionTimestamp").empty() && str(p, "spec", "nodeName").empty()) {
      out.push_back(p);
    }
  }
  return out;
}

json failedStatus(const json& pod, const std::string& message, const std::string& now) {
  json status = pod.is_object() && pod.contains("status") && pod["status"].is_object()
                    ? pod["status"]
                    : json::object();
  bool changed = false;
  if (!isTerminal(pod)) {
    status["phase"] = "Failed";
    changed = true;
  }
  json condition = {{"type", "DisruptionTarget"},
                    {"status", "True"},
                    {"reason", "DeletionByPodGC"},
                    {"message", message},
                    {"lastTransitionTime", now}};
  json conditions = status.value("conditions", json::array());
  if (!conditions.is_array()) {
    conditions = json::array();
  }
  auto same = std::find_if(conditions.begin(), conditions.end(), [](const json& c) {
    return c.is_object() && c.value("type", "") == "DisruptionTarget";
  });
  if (same == conditions.end()) {
    conditions.push_back(condition);
    changed = true;
  } else if (same->value("status", "") != "True" ||
             same->value("reason", "") != "DeletionByPodGC" ||
             same->value("message", "") != message) {
    *same = condition;
    changed = true;
  }
  if (!changed) {
    return nullptr;
  }
  status["conditions"] = conditions;
  return status;
}

}  // namespace tug::controllers::podgc
