#include "scheduler/plugins/pod_topology_spread.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <set>

#include "scheduler/selectors.h"

namespace tug::scheduler {
namespace {

using Constraint = PodTopologySpreadPlugin::Constraint;

bool hasAllKeys(const NodeInfo& node, const std::vector<Constraint>& constraints) {
  std::string value;
  return std::all_of(constraints.begin(), constraints.end(),
                     [&](const Constraint& c) { return node.label(c.topologyKey, &value); });
}

// Counts the matching pods of the pod's namespace in every eligible node's domain (each
// eligible domain is present, possibly with 0).
void countDomains(std::vector<Constraint>& constraints, const PodInfo& pod,
                  const std::vector<NodeInfoPtr>& nodes) {
  for (const NodeInfoPtr& node : nodes) {
    if (!hasAllKeys(*node, constraints)) {
      continue;
    }
    bool affinityOk = podMatchesNodeSelectorAndAffinity(pod, *node);
    for (Constraint& c : constraints) {
      if (c.honorNodeAffinity && !affinityOk) {
        continue;
      }
      std::string value;
      node->label(c.topologyKey, &value);
      int64_t& count = c.counts[value];
      for (const PodInfoPtr& p : node->pods) {
        if (p->ns == pod.ns && !memberObject(p->pod, "metadata").contains("deletionTimestamp") &&
            labelSelectorMatches(c.selector, p->labels())) {
          ++count;
        }
      }
    }
  }
}

}  // namespace

std::vector<Constraint> spreadConstraints(const PodInfo& pod, const char* when) {
  std::vector<Constraint> out;
  const json& list = memberObject(pod.spec(), "topologySpreadConstraints");
  if (!list.is_array()) {
    return out;
  }
  for (const json& item : list) {
    if (!item.is_object() || item.value("whenUnsatisfiable", "") != when) {
      continue;
    }
    Constraint c;
    c.maxSkew = item.value("maxSkew", 1);
    c.topologyKey = item.value("topologyKey", "");
    c.selector = item.contains("labelSelector") ? item["labelSelector"] : json(nullptr);
    if (auto m = item.find("minDomains"); m != item.end() && m->is_number_integer()) {
      c.minDomains = m->get<int64_t>();
    }
    c.honorNodeAffinity = item.value("nodeAffinityPolicy", "Honor") != "Ignore";
    // matchLabelKeys: the pod's own values of those labels narrow the selector.
    const json& keys = memberObject(item, "matchLabelKeys");
    if (keys.is_array() && c.selector.is_object()) {
      for (const json& k : keys) {
        auto v = pod.labels().find(k.get<std::string>());
        if (v != pod.labels().end()) {
          c.selector["matchExpressions"].push_back(
              {{"key", k}, {"operator", "In"}, {"values", json::array({*v})}});
        }
      }
    }
    c.selfMatch = labelSelectorMatches(c.selector, pod.labels());
    out.push_back(std::move(c));
  }
  return out;
}

void PodTopologySpreadPlugin::preFilter(const PodInfo& pod, const Snapshot& snapshot) {
  hard_ = spreadConstraints(pod, "DoNotSchedule");
  if (!hard_.empty()) {
    countDomains(hard_, pod, snapshot.nodes);
  }
}

FilterStatus PodTopologySpreadPlugin::filter(const PodInfo&, const NodeInfo& node) const {
  for (const Constraint& c : hard_) {
    std::string value;
    if (!node.label(c.topologyKey, &value)) {
      return FilterStatus::unresolvable(
          "node(s) didn't match pod topology spread constraints (missing required label)");
    }
    int64_t least = std::numeric_limits<int64_t>::max();
    for (const auto& [domain, count] : c.counts) {
      least = std::min(least, count);
    }
    if (c.counts.empty() || static_cast<int64_t>(c.counts.size()) < c.minDomains) {
      least = 0;
    }
    auto it = c.counts.find(value);
    int64_t here = (it == c.counts.end() ? 0 : it->second) + (c.selfMatch ? 1 : 0);
    if (here - least > c.maxSkew) {
      return FilterStatus::unschedulable("node(s) didn't match pod topology spread constraints");
    }
  }
  return FilterStatus::success();
}

void PodTopologySpreadPlugin::preScore(const PodInfo& pod, const Snapshot& snapshot,
                                       const std::vector<NodeInfoPtr>& feasible) {
  soft_ = spreadConstraints(pod, "ScheduleAnyway");
  if (soft_.empty()) {
    return;
  }
  countDomains(soft_, pod, snapshot.nodes);
  for (Constraint& c : soft_) {
    std::set<std::string> domains;
    for (const NodeInfoPtr& node : feasible) {
      std::string value;
      if (node->label(c.topologyKey, &value)) {
        domains.insert(value);
      }
    }
    c.weight = std::log(static_cast<double>(domains.size() + 2));
  }
}

int64_t PodTopologySpreadPlugin::score(const PodInfo&, const NodeInfo& node) const {
  if (soft_.empty()) {
    return 0;
  }
  if (!hasAllKeys(node, soft_)) {
    return -1;
  }
  double total = 0;
  for (const Constraint& c : soft_) {
    std::string value;
    node.label(c.topologyKey, &value);
    auto it = c.counts.find(value);
    int64_t count = it == c.counts.end() ? 0 : it->second;
    total += static_cast<double>(count) * c.weight + static_cast<double>(c.maxSkew - 1);
  }
  return std::llround(total);
}

void PodTopologySpreadPlugin::normalize(std::vector<int64_t>& scores) const {
  int64_t min = std::numeric_limits<int64_t>::max(), max = 0;
  for (int64_t s : scores) {
    if (s >= 0) {
      min = std::min(min, s);
      max = std::max(max, s);
    }
  }
  for (int64_t& s : scores) {
    if (s < 0) {
      s = 0;
    } else if (max == 0) {
      s = kMaxNodeScore;
    } else {
      s = kMaxNodeScore * (max + min - s) / max;
    }
  }
}

}  // namespace tug::scheduler
