#include "api/disruption_budget.h"

namespace tug::api::pdb {
namespace {

const json* findCondition(const json& status, const std::string& type) {
  auto conditions = status.find("conditions");
  if (conditions == status.end() || !conditions->is_array()) {
    return nullptr;
  }
  for (const json& c : *conditions) {
    if (c.is_object() && c.value("type", "") == type) {
      return &c;
    }
  }
  return nullptr;
}

int64_t intOf(const json& obj, const char* field) {
  auto it = obj.find(field);
  return it != obj.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

}  // namespace

void setCondition(json& status, json condition, const std::string& now) {
  json& conditions = status["conditions"];
  if (!conditions.is_array()) {
    conditions = json::array();
  }
  const std::string type = condition.value("type", "");
  for (json& c : conditions) {
    if (!c.is_object() || c.value("type", "") != type) {
      continue;
    }
    if (c.value("status", "") != condition.value("status", "") ||
        !c.contains("lastTransitionTime")) {
      c["lastTransitionTime"] = now;
    }
    c["status"] = condition["status"];
    c["reason"] = condition.value("reason", "");
    c["message"] = condition.value("message", "");
    c["observedGeneration"] = condition.value("observedGeneration", int64_t{0});
    return;
  }
  condition["lastTransitionTime"] = now;
  conditions.push_back(std::move(condition));
}

void updateDisruptionAllowedCondition(json& status, const std::string& now) {
  const bool allowed = intOf(status, "disruptionsAllowed") > 0;
  setCondition(status,
               {{"type", kDisruptionAllowed},
                {"status", allowed ? "True" : "False"},
                {"reason", allowed ? kSufficientPods : kInsufficientPods},
                {"message", ""},
                {"observedGeneration", intOf(status, "observedGeneration")}},
               now);
}

bool conditionsAreUpToDate(const json& budget) {
  static const json kEmpty = json::object();
  auto it = budget.find("status");
  const json& status = it != budget.end() && it->is_object() ? *it : kEmpty;
  const json* c = findCondition(status, kDisruptionAllowed);
  if (c == nullptr) {
    return false;
  }
  int64_t generation = 0;
  if (auto meta = budget.find("metadata"); meta != budget.end() && meta->is_object()) {
    generation = intOf(*meta, "generation");
  }
  if (intOf(status, "observedGeneration") != generation) {
    return false;
  }
  if (intOf(status, "disruptionsAllowed") > 0) {
    return c->value("status", "") == "True" && c->value("reason", "") == kSufficientPods;
  }
  return c->value("status", "") == "False" && c->value("reason", "") == kInsufficientPods;
}

int64_t statusInt(const json& budget, const char* field) {
  auto it = budget.find("status");
  return it != budget.end() && it->is_object() ? intOf(*it, field) : 0;
}

}  // namespace tug::api::pdb
