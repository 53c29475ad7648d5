#include "controllers/job/pod_failure_policy.h"

#include <algorithm>

namespace tug::controllers::job {
namespace {

FailureAction actionOf(const std::string& name) {
  if (name == "FailJob") {
    return FailureAction::kFailJob;
  }
  if (name == "Ignore") {
    return FailureAction::kIgnore;
  }
  if (name == "FailIndex") {
    return FailureAction::kFailIndex;
  }
  return FailureAction::kCount;
}

std::string podName(const json& pod) { return namespaceOf(pod) + "/" + nameOf(pod); }

// The first container (app containers, then init containers) that ended with a non-zero exit
// code the requirement accepts; sets `name` and `code`.
bool exitCodeMatches(const json& pod, const json& req, std::string* name, int64_t* code) {
  const std::string op = req.value("operator", "");
  const json values = req.value("values", json::array());
  const std::string only = req.value("containerName", "");
  for (const char* key : {"containerStatuses", "initContainerStatuses"}) {
    const json* statuses = at(pod, {"status", key});
    if (statuses == nullptr || !statuses->is_array()) {
      continue;
    }
    for (const json& s : *statuses) {
      const json* exit = at(s, {"state", "terminated", "exitCode"});
      if (exit == nullptr || !exit->is_number_integer() || exit->get<int64_t>() == 0) {
        continue;
      }
      if (!only.empty() && s.value("name", "") != only) {
        continue;
      }
      const int64_t c = exit->get<int64_t>();
      const bool listed =
          values.is_array() && std::any_of(values.begin(), values.end(), [c](const json& v) {
            return v.is_number_integer() && v.get<int64_t>() == c;
          });
      if ((op == "In" && listed) || (op == "NotIn" && !listed)) {
        *name = s.value("name", "");
        *code = c;
        return true;
      }
    }
  }
  return false;
}

// The first pattern the pod's conditions meet; sets `type`.
bool conditionMatches(const json& pod, const json& patterns, std::string* type) {
  const json* conditions = at(pod, {"status", "conditions"});
  if (!patterns.is_array() || conditions == nullptr || !conditions->is_array()) {
    return false;
  }
  for (const json& p : patterns) {
    for (const json& c : *conditions) {
      if (c.value("type", "") == p.value("type", "") &&
          c.value("status", "") == p.value("status", "True")) {
        *type = c.value("type", "");
        return true;
      }
    }
  }
  return false;
}

}  // namespace

FailureMatch matchPodFailurePolicy(const json& job, const json& pod) {
  const json* rules = at(job, {"spec", "podFailurePolicy", "rules"});
  if (rules == nullptr || !rules->is_array()) {
    return {};
  }
  for (size_t i = 0; i < rules->size(); ++i) {
    const json& rule = (*rules)[i];
    if (!rule.is_object()) {
      continue;
    }
    const std::string action = rule.value("action", "");
    const std::string tail = " matching " + action + " rule at index " + std::to_string(i);
    if (const json* req = at(rule, {"onExitCodes"}); req != nullptr && req->is_object()) {
      std::string container;
      int64_t code = 0;
      if (exitCodeMatches(pod, *req, &container, &code)) {
        return {actionOf(action), "Container " + container + " for pod " + podName(pod) +
                                      " failed with exit code " + std::to_string(code) + tail};
      }
    } else if (const json* patterns = at(rule, {"onPodConditions"}); patterns != nullptr) {
      std::string type;
      if (conditionMatches(pod, *patterns, &type)) {
        return {actionOf(action), "Pod " + podName(pod) + " has condition " + type + tail};
      }
    }
  }
  return {};
}

}  // namespace tug::controllers::job
