#include "scheduler/profile.h"

#include "scheduler/plugins/inter_pod_affinity.h"
#include "scheduler/plugins/node_affinity.h"
#include "scheduler/plugins/node_name.h"
#include "scheduler/plugins/node_ports.h"
#include "scheduler/plugins/node_ready.h"
#include "scheduler/plugins/node_resources_fit.h"
#include "scheduler/plugins/node_unschedulable.h"
#include "scheduler/plugins/pod_topology_spread.h"
#include "scheduler/plugins/taint_toleration.h"

namespace tug::scheduler {

std::unique_ptr<Profile> Profile::makeDefault() {
  auto p = std::make_unique<Profile>();
  auto taints = std::make_unique<TaintTolerationPlugin>();
  auto nodeAffinity = std::make_unique<NodeAffinityPlugin>();
  auto spread = std::make_unique<PodTopologySpreadPlugin>();
  auto podAffinity = std::make_unique<InterPodAffinityPlugin>();
  auto least = std::make_unique<LeastAllocatedPlugin>();
  auto balanced = std::make_unique<BalancedAllocationPlugin>();
  p->ownedFilters_.push_back(std::make_unique<NodeUnschedulablePlugin>());
  p->ownedFilters_.push_back(std::make_unique<NodeNamePlugin>());
  p->ownedFilters_.push_back(std::make_unique<NodeReadyPlugin>());
  p->ownedFilters_.push_back(std::make_unique<NodePortsPlugin>());
  p->ownedFilters_.push_back(std::make_unique<NodeResourcesFitPlugin>());
  FilterPlugin* unschedulable = p->ownedFilters_[0].get();
  FilterPlugin* nodeName = p->ownedFilters_[1].get();
  FilterPlugin* ready = p->ownedFilters_[2].get();
  FilterPlugin* ports = p->ownedFilters_[3].get();
  FilterPlugin* fit = p->ownedFilters_[4].get();
  p->filters_ = {unschedulable, nodeName,     taints.get(), ready, nodeAffinity.get(),
                 ports,         fit,          spread.get(), podAffinity.get()};
  p->scores_ = {{taints.get(), 3}, {nodeAffinity.get(), 2}, {spread.get(), 2},
                {podAffinity.get(), 2}, {least.get(), 1}, {balanced.get(), 1}};
  // The plugins that both filter and score are owned once, as score plugins.
  p->ownedScores_.push_back(std::move(taints));
  p->ownedScores_.push_back(std::move(nodeAffinity));
  p->ownedScores_.push_back(std::move(spread));
  p->ownedScores_.push_back(std::move(podAffinity));
  p->ownedScores_.push_back(std::move(least));
  p->ownedScores_.push_back(std::move(balanced));
  return p;
}

void Profile::preFilter(const PodInfo& pod, const Snapshot& snapshot) {
  for (FilterPlugin* f : filters_) {
    f->preFilter(pod, snapshot);
  }
}

FilterStatus Profile::runFilters(const PodInfo& pod, const NodeInfo& node) const {
  for (const FilterPlugin* f : filters_) {
    FilterStatus s = f->filter(pod, node);
    if (!s.ok()) {
      return s;
    }
  }
  return FilterStatus::success();
}

std::vector<int64_t> Profile::scoreNodes(const PodInfo& pod, const Snapshot& snapshot,
                                         const std::vector<NodeInfoPtr>& feasible) {
  std::vector<int64_t> total(feasible.size(), 0);
  std::vector<int64_t> scores(feasible.size());
  for (auto& [plugin, weight] : scores_) {
    plugin->preScore(pod, snapshot, feasible);
    for (size_t i = 0; i < feasible.size(); ++i) {
      scores[i] = plugin->score(pod, *feasible[i]);
    }
    plugin->normalize(scores);
    for (size_t i = 0; i < feasible.size(); ++i) {
      total[i] += scores[i] * weight;
    }
  }
  return total;
}

Profile::Result Profile::schedule(const PodInfo& pod, const Snapshot& snapshot,
                                  std::mt19937& rng) {
  Result result;
  preFilter(pod, snapshot);
  std::vector<NodeInfoPtr> feasible;
  for (const NodeInfoPtr& node : snapshot.nodes) {
    FilterStatus s = runFilters(pod, *node);
    if (s.ok()) {
      feasible.push_back(node);
    } else {
      result.failures.emplace(node->name, std::move(s));
    }
  }
  if (feasible.empty()) {
    return result;
  }
  if (feasible.size() == 1) {
    result.node = feasible[0]->name;
    return result;
  }
  std::vector<int64_t> scores = scoreNodes(pod, snapshot, feasible);
  // The best score wins; among equals each is equally likely (reservoir sampling).
  size_t best = 0;
  int ties = 1;
  for (size_t i = 1; i < scores.size(); ++i) {
    if (scores[i] > scores[best]) {
      best = i;
      ties = 1;
    } else if (scores[i] == scores[best]) {
      ++ties;
      if (std::uniform_int_distribution<int>(1, ties)(rng) == 1) {
        best = i;
      }
    }
  }
  result.node = feasible[best]->name;
  return result;
}

}  // namespace tug::scheduler
