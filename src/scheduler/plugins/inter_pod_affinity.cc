#include "scheduler/plugins/inter_pod_affinity.h"

#include <algorithm>
#include <limits>

namespace tug::scheduler {
namespace {

// Required affinity of existing pods counts towards the score with this weight (upstream's
// default hardPodAffinityWeight).
constexpr int64_t kHardPodAffinityWeight = 1;

bool isTerminating(const PodInfo& p) {
  return memberObject(p.pod, "metadata").contains("deletionTimestamp");
}

}  // namespace

int64_t InterPodAffinityPlugin::countAt(const DomainCounts& counts, const NodeInfo& node) {
  int64_t total = 0;
  for (const auto& [key, values] : counts) {
    std::string value;
    if (node.label(key, &value)) {
      auto it = values.find(value);
      if (it != values.end()) {
        total += it->second;
      }
    }
  }
  return total;
}

void InterPodAffinityPlugin::preFilter(const PodInfo& pod, const Snapshot& snapshot) {
  affinity_ = affinityTerms(pod, "podAffinity", true);
  antiAffinity_ = affinityTerms(pod, "podAntiAffinity", true);
  existingAnti_.clear();
  antiCounts_.clear();
  affinityCounts_.assign(affinity_.size(), DomainCounts{});
  anyPodMatchesAffinity_ = false;
  for (const NodeInfoPtr& node : snapshot.nodes) {
    for (const PodInfoPtr& existing : node->pods) {
      if (existing->hasRequiredAntiAffinity) {
        for (const AffinityTerm& t : affinityTerms(*existing, "podAntiAffinity", true)) {
          std::string value;
          if (t.matches(pod, existing->ns) && node->label(t.topologyKey, &value)) {
            existingAnti_[t.topologyKey][value]++;
          }
        }
      }
      if (affinity_.empty() && antiAffinity_.empty()) {
        continue;
      }
      bool matchesAll = !affinity_.empty() &&
                        std::all_of(affinity_.begin(), affinity_.end(), [&](const AffinityTerm& t) {
                          return t.matches(*existing, pod.ns);
                        });
      if (matchesAll) {
        anyPodMatchesAffinity_ = true;
        for (size_t i = 0; i < affinity_.size(); ++i) {
          std::string value;
          if (node->label(affinity_[i].topologyKey, &value)) {
            affinityCounts_[i][affinity_[i].topologyKey][value]++;
          }
        }
      }
      for (const AffinityTerm& t : antiAffinity_) {
        std::string value;
        if (t.matches(*existing, pod.ns) && node->label(t.topologyKey, &value)) {
          antiCounts_[t.topologyKey][value]++;
        }
      }
    }
  }
}

FilterStatus InterPodAffinityPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
  if (!affinity_.empty()) {
    bool satisfied = true;
    for (size_t i = 0; i < affinity_.size() && satisfied; ++i) {
      std::string value;
      if (!node.label(affinity_[i].topologyKey, &value)) {
        satisfied = false;
      } else if (countAt(affinityCounts_[i], node) == 0) {
        satisfied = false;
      }
    }
    if (!satisfied && !anyPodMatchesAffinity_) {
      // The first pod of a group that selects itself may start the group anywhere its
      // topology keys exist.
      satisfied = std::all_of(affinity_.begin(), affinity_.end(), [&](const AffinityTerm& t) {
        std::string value;
        return t.matches(pod, pod.ns) && node.label(t.topologyKey, &value);
      });
    }
    if (!satisfied) {
      return FilterStatus::unresolvable("node(s) didn't match pod affinity rules");
    }
  }
  if (countAt(antiCounts_, node) > 0) {
    return FilterStatus::unschedulable("node(s) didn't match pod anti-affinity rules");
  }
  if (countAt(existingAnti_, node) > 0) {
    return FilterStatus::unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");
  }
  return FilterStatus::success();
}

void InterPodAffinityPlugin::preScore(const PodInfo& pod, const Snapshot& snapshot,
                                      const std::vector<NodeInfoPtr>&) {
  preferred_.clear();
  std::vector<AffinityTerm> likes = affinityTerms(pod, "podAffinity", false);
  std::vector<AffinityTerm> dislikes = affinityTerms(pod, "podAntiAffinity", false);
  auto add = [&](const NodeInfo& node, const AffinityTerm& t, int64_t weight) {
    std::string value;
    if (weight != 0 && node.label(t.topologyKey, &value)) {
      preferred_[t.topologyKey][value] += weight;
    }
  };
  for (const NodeInfoPtr& node : snapshot.nodes) {
    for (const PodInfoPtr& existing : node->pods) {
      bool relevant = !likes.empty() || !dislikes.empty() || existing->hasAffinity;
      if (!relevant || isTerminating(*existing)) {
        continue;
      }
      for (const AffinityTerm& t : likes) {
        if (t.matches(*existing, pod.ns)) {
          add(*node, t, t.weight);
        }
      }
      for (const AffinityTerm& t : dislikes) {
        if (t.matches(*existing, pod.ns)) {
          add(*node, t, -t.weight);
        }
      }
      if (!existing->hasAffinity) {
        continue;
      }
      for (const AffinityTerm& t : affinityTerms(*existing, "podAffinity", false)) {
        if (t.matches(pod, existing->ns)) {
          add(*node, t, t.weight);
        }
      }
      for (const AffinityTerm& t : affinityTerms(*existing, "podAntiAffinity", false)) {
        if (t.matches(pod, existing->ns)) {
          add(*node, t, -t.weight);
        }
      }
      for (const AffinityTerm& t : affinityTerms(*existing, "podAffinity", true)) {
        if (t.matches(pod, existing->ns)) {
          add(*node, t, kHardPodAffinityWeight);
        }
      }
    }
  }
}

int64_t InterPodAffinityPlugin::score(const PodInfo&, const NodeInfo& node) const {
  return countAt(preferred_, node);
}

void InterPodAffinityPlugin::normalize(std::vector<int64_t>& scores) const {
  if (scores.empty()) {
    return;
  }
  auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
  int64_t min = *lo, diff = *hi - *lo;
  for (int64_t& s : scores) {
    s = diff > 0 ? kMaxNodeScore * (s - min) / diff : 0;
  }
}

}  // namespace tug::scheduler
