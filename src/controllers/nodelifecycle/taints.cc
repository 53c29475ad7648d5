#include "controllers/nodelifecycle/taints.h"

#include <algorithm>

#include "api/tolerations.h"

namespace tug::controllers::nodelifecycle {
namespace {

std::string text(const json& obj, const char* key) {
  if (!obj.is_object()) {
    return "";
  }
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool managed(const json& taint) {
  std::string key = text(taint, "key");
  return key == kNotReady || key == kUnreachable || key == kUnschedulable;
}

bool sameTaint(const json& a, const json& b) {
  return text(a, "key") == text(b, "key") && text(a, "effect") == text(b, "effect");
}

}  // namespace

std::string readyStatus(const json& node) {
  const json& status = node.contains("status") ? node["status"] : json();
  if (!status.is_object() || !status.contains("conditions") || !status["conditions"].is_array()) {
    return "";
  }
  for (const json& c : status["conditions"]) {
    if (text(c, "type") == "Ready") {
      return text(c, "status");
    }
  }
  return "";
}

std::vector<json> conditionTaints(const json& node) {
  std::vector<json> taints;
  std::string ready = readyStatus(node);
  const char* key = ready == "False" ? kNotReady : ready == "Unknown" ? kUnreachable : nullptr;
  if (key != nullptr) {
    taints.push_back({{"key", key}, {"effect", "NoSchedule"}});
    taints.push_back({{"key", key}, {"effect", "NoExecute"}});
  }
  const json& spec = node.contains("spec") ? node["spec"] : json();
  if (spec.is_object() && spec.value("unschedulable", false)) {
    taints.push_back({{"key", kUnschedulable}, {"effect", "NoSchedule"}});
  }
  return taints;
}

json withManagedTaints(const json& node, const std::vector<json>& wanted, const std::string& now) {
  json current = json::array();
  if (node.contains("spec") && node["spec"].is_object() && node["spec"].contains("taints") &&
      node["spec"]["taints"].is_array()) {
    current = node["spec"]["taints"];
  }
  json out = json::array();
  for (const json& t : current) {
    if (!managed(t)) {
      out.push_back(t);
    }
  }
  for (json w : wanted) {
    auto kept = std::find_if(current.begin(), current.end(),
                             [&](const json& t) { return sameTaint(t, w); });
    if (kept != current.end()) {
      out.push_back(*kept);
      continue;
    }
    if (text(w, "effect") == "NoExecute") {
      w["timeAdded"] = now;
    }
    out.push_back(std::move(w));
  }
  return out;
}

std::optional<int64_t> secondsAllowed(const json& pod, const json& taints) {
  json tolerations = json::array();
  if (pod.contains("spec") && pod["spec"].is_object() && pod["spec"].contains("tolerations") &&
      pod["spec"]["tolerations"].is_array()) {
    tolerations = pod["spec"]["tolerations"];
  }
  std::optional<int64_t> allowed;
  bool limited = false;
  if (!taints.is_array()) {
    return std::nullopt;
  }
  for (const json& taint : taints) {
    if (text(taint, "effect") != "NoExecute") {
      continue;
    }
    bool tolerated = false;
    for (const json& t : tolerations) {
      if (!api::toleratesTaint(t, taint)) {
        continue;
      }
      tolerated = true;
      auto seconds = t.find("tolerationSeconds");
      if (seconds != t.end() && seconds->is_number_integer()) {
        int64_t s = std::max<int64_t>(0, seconds->get<int64_t>());
        allowed = limited ? std::min(*allowed, s) : s;
        limited = true;
      }
    }
    if (!tolerated) {
      return 0;
    }
  }
  return limited ? allowed : std::nullopt;
}

}  // namespace tug::controllers::nodelifecycle
