#include "controllers/disruption/budget_status.h"

#include <map>

#include "api/disruption_budget.h"
#include "controllers/deployment/deployment_util.h"

namespace tug::controllers::disruption {
namespace {

const json* specField(const json& budget, const char* name) {
  const json* v = at(budget, {"spec", name});
  return v != nullptr && !v->is_null() ? v : nullptr;
}

// The sum of the scales of the pods' controllers, each controller counted once.
Result<int64_t> expectedScale(const std::vector<json>& pods, const ScaleFinder& findScale,
                              std::vector<std::string>& unmanaged) {
  std::map<std::string, int64_t> scales;  // by controller uid
  for (const json& pod : pods) {
    const json* ref = controllerOf(pod);
    if (ref == nullptr) {
      unmanaged.push_back(nameOf(pod));
      continue;
    }
    if (scales.count(ref->value("uid", ""))) {
      continue;
    }
    auto found = findScale(*ref, namespaceOf(pod));
    if (!found.ok()) {
      return found.status();
    }
    if (!found->has_value()) {
      return internalError("found no controllers for pod \"" + nameOf(pod) + "\"");
    }
    scales[(*found)->uid] = (*found)->replicas;
  }
  int64_t sum = 0;
  for (const auto& [uid, replicas] : scales) {
    sum += replicas;
  }
  return sum;
}

Result<int64_t> scaled(const json& value, int64_t total) {
  if (value.is_string() && (value.get_ref<const std::string&>().empty() ||
                            value.get_ref<const std::string&>().back() != '%')) {
    return invalid("invalid value for IntOrString: invalid type: string is not a percentage");
  }
  auto v = deployment::scaledValue(value, total, true);
  if (!v) {
    return invalid("invalid value for IntOrString: " + value.dump());
  }
  return *v;
}

std::optional<TimePoint> evictedAt(const json& disrupted, const std::string& pod) {
  auto it = disrupted.find(pod);
  if (it == disrupted.end() || !it->is_string()) {
    return std::nullopt;
  }
  return parseTime(it->get<std::string>());
}

int64_t statusInt(const json& budget, const char* field) {
  return api::pdb::statusInt(budget, field);
}

}  // namespace

std::vector<json> podsForBudget(const json& budget, const std::vector<json>& pods) {
  std::vector<json> out;
  const json* selector = specField(budget, "selector");
  if (selector == nullptr || !selector->is_object()) {
    return out;
  }
  for (const json& pod : pods) {
    if (namespaceOf(pod) == namespaceOf(budget) && selectorMatches(*selector, labelsOf(pod))) {
      out.push_back(pod);
    }
  }
  return out;
}

Result<ExpectedPods> expectedPodCount(const json& budget, const std::vector<json>& pods,
                                      const ScaleFinder& findScale) {
  ExpectedPods out;
  if (const json* maxUnavailable = specField(budget, "maxUnavailable")) {
    auto expected = expectedScale(pods, findScale, out.unmanagedPods);
    if (!expected.ok()) {
      return expected.status();
    }
    auto down = scaled(*maxUnavailable, *expected);
    if (!down.ok()) {
      return down.status();
    }
    out.expected = *expected;
    out.desiredHealthy = std::max<int64_t>(0, *expected - *down);
  } else if (const json* minAvailable = specField(budget, "minAvailable")) {
    if (minAvailable->is_number_integer()) {
      out.desiredHealthy = minAvailable->get<int64_t>();
      out.expected = static_cast<int64_t>(pods.size());
    } else if (minAvailable->is_string()) {
      auto expected = expectedScale(pods, findScale, out.unmanagedPods);
      if (!expected.ok()) {
        return expected.status();
      }
      auto up = scaled(*minAvailable, *expected);
      if (!up.ok()) {
        return up.status();
      }
      out.expected = *expected;
      out.desiredHealthy = *up;
    }
  }
  return out;
}

DisruptedPods disruptedPodMap(const json& budget, const std::vector<json>& pods, TimePoint now) {
  DisruptedPods out;
  const json* recorded = at(budget, {"status", "disruptedPods"});
  if (recorded == nullptr || !recorded->is_object()) {
    return out;
  }
  for (const json& pod : pods) {
    if (beingDeleted(pod)) {
      continue;
    }
    const std::string name = nameOf(pod);
    auto when = evictedAt(*recorded, name);
    if (!when) {
      continue;
    }
    TimePoint expectedDeletion = *when + kDeletionTimeout;
    if (expectedDeletion < now) {
      continue;  // the eviction did not delete it after all: it counts again
    }
    if (!out.recheck || expectedDeletion < *out.recheck) {
      out.recheck = expectedDeletion;
    }
    out.entries[name] = (*recorded)[name];
  }
  return out;
}

int64_t countHealthyPods(const std::vector<json>& pods, const json& disrupted, TimePoint now) {
  int64_t healthy = 0;
  for (const json& pod : pods) {
    if (beingDeleted(pod)) {
      continue;
    }
    if (auto when = evictedAt(disrupted, nameOf(pod)); when && *when + kDeletionTimeout > now) {
      continue;
    }
    if (podIsReady(pod)) {
      ++healthy;
    }
  }
  return healthy;
}

std::optional<json> updatedBudget(const json& budget, const Counts& counts,
                                  const json& disrupted, TimePoint now) {
  int64_t allowed = counts.currentHealthy - counts.desiredHealthy;
  if (counts.expected <= 0 || allowed <= 0) {
    allowed = 0;
  }
  const int64_t generation = intAt(budget, {"metadata", "generation"});
  const json* recorded = at(budget, {"status", "disruptedPods"});
  const json before = recorded != nullptr && recorded->is_object() ? *recorded : json::object();
  if (statusInt(budget, "currentHealthy") == counts.currentHealthy &&
      statusInt(budget, "desiredHealthy") == counts.desiredHealthy &&
      statusInt(budget, "expectedPods") == counts.expected &&
      statusInt(budget, "disruptionsAllowed") == allowed && before == disrupted &&
      statusInt(budget, "observedGeneration") == generation &&
      api::pdb::conditionsAreUpToDate(budget)) {
    return std::nullopt;
  }
  json next = budget;
  json status = {{"currentHealthy", counts.currentHealthy},
                 {"desiredHealthy", counts.desiredHealthy},
                 {"expectedPods", counts.expected},
                 {"disruptionsAllowed", allowed},
                 {"observedGeneration", generation}};
  if (!disrupted.empty()) {
    status["disruptedPods"] = disrupted;
  }
  if (const json* conditions = at(budget, {"status", "conditions"});
      conditions != nullptr && conditions->is_array()) {
    status["conditions"] = *conditions;
  }
  api::pdb::updateDisruptionAllowedCondition(status, formatTime(now));
  next["status"] = std::move(status);
  return next;
}

json failSafeBudget(const json& budget, const std::string& message, TimePoint now) {
  json next = budget;
  json& status = next["status"];
  if (!status.is_object()) {
    status = json::object();
  }
  status["disruptionsAllowed"] = 0;
  api::pdb::setCondition(status,
                         {{"type", api::pdb::kDisruptionAllowed},
                          {"status", "False"},
                          {"reason", api::pdb::kSyncFailed},
                          {"message", message},
                          {"observedGeneration", statusInt(budget, "observedGeneration")}},
                         formatTime(now));
  return next;
}

}  // namespace tug::controllers::disruption
