#include "controllers/resourcequota/quota_status.h"

#include <set>

namespace tug::controllers {
namespace {

namespace quota = api::quota;
using nlohmann::json;

const std::vector<quota::Kind>& builtinKinds() {
  static const std::vector<quota::Kind> kKinds = {
      {"", "pods"},    {"", "services"},       {"", "persistentvolumeclaims"},
      {"", "configmaps"}, {"", "secrets"},     {"", "replicationcontrollers"},
      {"", "resourcequotas"}};
  return kKinds;
}

// "count/deployments.apps" -> {"apps", "deployments"}; "count/widgets" -> {"", "widgets"}.
std::optional<quota::Kind> countKind(const std::string& name) {
  if (name.rfind("count/", 0) != 0) {
    return std::nullopt;
  }
  std::string rest = name.substr(6);
  auto dot = rest.find('.');
  if (dot == std::string::npos) {
    return quota::Kind{"", rest};
  }
  return quota::Kind{rest.substr(dot + 1), rest.substr(0, dot)};
}

}  // namespace

std::vector<quota::Kind> countedKinds(const quota::ResourceNames& names) {
  std::vector<quota::Kind> kinds;
  std::set<std::pair<std::string, std::string>> seen;
  for (const quota::Kind& k : builtinKinds()) {
    if (!quota::matchingResources(k, names).empty()) {
      kinds.push_back(k);
      seen.insert({k.group, k.resource});
    }
  }
  for (const std::string& n : names) {
    if (auto k = countKind(n); k && seen.insert({k->group, k->resource}).second) {
      kinds.push_back(*k);
    }
  }
  return kinds;
}

std::optional<json> desiredStatus(const json& q, const ObjectSource& objects,
                                  quota::TimePoint now) {
  const json& spec = q.contains("spec") && q["spec"].is_object() ? q["spec"] : json::object();
  const quota::ResourceList hard =
      quota::resourceListFrom(spec.contains("hard") ? spec["hard"] : json::object());
  const quota::ResourceNames names = quota::namesOf(hard);
  quota::ResourceList used;
  for (const quota::Kind& kind : countedKinds(names)) {
    const quota::ResourceNames matched = quota::matchingResources(kind, names);
    quota::ResourceList sum;
    for (const std::string& n : matched) {
      sum[n] = quota::Amount{};
    }
    bool ok = objects(kind, [&](const json& obj) {
      if (quota::inScopes(q, kind, obj)) {
        sum = quota::add(sum, quota::mask(quota::usageOf(kind, obj, now), matched));
      }
    });
    if (!ok) {
      return std::nullopt;
    }
    used = quota::add(used, sum);
  }
  // Names no kind accounts for keep what admission recorded.
  const json& status = q.contains("status") && q["status"].is_object() ? q["status"] : json::object();
  quota::ResourceList recorded =
      quota::resourceListFrom(status.contains("used") ? status["used"] : json::object());
  for (const auto& [name, amount] : recorded) {
    used.emplace(name, amount);
  }
  json out = json::object();
  out["hard"] = quota::toJson(hard);
  out["used"] = quota::toJson(quota::mask(used, names));
  return out;
}

}  // namespace tug::controllers
