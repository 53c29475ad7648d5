#include "scheduler/preemption.h"

#include <algorithm>
#include <limits>
#include <optional>

namespace tug::scheduler {
namespace {

struct Candidate {
  std::string node;
  std::vector<PodInfoPtr> victims;
};

// Whether the pod fits `node` once `without` is replaced by `node` in the snapshot.
bool fitsWith(Profile& profile, const PodInfo& pod, const Snapshot& snapshot, size_t index,
              const NodeInfoPtr& node) {
  Snapshot changed = snapshot;
  changed.nodes[index] = node;
  profile.preFilter(pod, changed);
  return profile.runFilters(pod, *node).ok();
}

// Lower-priority pods of the node that must go for the pod to fit, or a status saying why
// preemption does not help there.
std::optional<Candidate> victimsOn(Profile& profile, const PodInfo& pod, const Snapshot& snapshot,
                                   size_t index, FilterStatus* why) {
  const NodeInfo& original = *snapshot.nodes[index];
  auto reduced = std::make_shared<NodeInfo>(original);
  std::vector<PodInfoPtr> potential;
  for (const PodInfoPtr& p : original.pods) {
    if (p->priority < pod.priority) {
      potential.push_back(p);
      reduced->removePod(p->key);
    }
  }
  if (potential.empty()) {
    *why = FilterStatus::unresolvable("No preemption victims found for incoming pod");
    return std::nullopt;
  }
  if (!fitsWith(profile, pod, snapshot, index, reduced)) {
    *why = profile.runFilters(pod, *reduced);
    return std::nullopt;
  }
  // Spare the most important pods first: give each back while the pod still fits.
  std::stable_sort(
      potential.begin(), potential.end(),
      [](const PodInfoPtr& a, const PodInfoPtr& b) { return a->priority > b->priority; });
  Candidate c{original.name, {}};
  for (const PodInfoPtr& p : potential) {
    auto trial = std::make_shared<NodeInfo>(*reduced);
    trial->addPod(p);
    if (fitsWith(profile, pod, snapshot, index, trial)) {
      reduced = trial;
    } else {
      c.victims.push_back(p);
    }
  }
  return c;
}

int32_t highestPriority(const Candidate& c) {
  int32_t h = std::numeric_limits<int32_t>::min();
  for (const PodInfoPtr& p : c.victims) {
    h = std::max(h, p->priority);
  }
  return h;
}

}  // namespace

PreemptionResult evaluatePreemption(Profile& profile, const PodInfo& pod, const Snapshot& snapshot,
                                    const NodeStatuses& failures) {
  PreemptionResult result;
  if (memberObject(pod.spec(), "preemptionPolicy") == "Never") {
    result.message = "preemption: not eligible due to preemptionPolicy=Never.";
    return result;
  }
  NodeStatuses statuses;
  std::vector<Candidate> candidates;
  for (size_t i = 0; i < snapshot.nodes.size(); ++i) {
    const std::string& name = snapshot.nodes[i]->name;
    auto failure = failures.find(name);
    if (failure == failures.end()) {
      continue;
    }
    if (failure->second.code == FilterStatus::Code::kUnresolvable) {
      statuses[name] = FilterStatus::unresolvable("Preemption is not helpful for scheduling");
      continue;
    }
    FilterStatus why;
    if (auto c = victimsOn(profile, pod, snapshot, i, &why)) {
      candidates.push_back(std::move(*c));
    } else {
      statuses[name] = std::move(why);
    }
  }
  if (candidates.empty()) {
    result.message = preemptionMessage(failures.size(), statuses);
    return result;
  }
  // The candidate whose most important victim matters least, then the fewest victims.
  auto best = std::min_element(candidates.begin(), candidates.end(),
                               [](const Candidate& a, const Candidate& b) {
                                 int32_t pa = highestPriority(a), pb = highestPriority(b);
                                 if (pa != pb) {
                                   return pa < pb;
                                 }
                                 return a.victims.size() < b.victims.size();
                               });
  result.node = best->node;
  result.victims = best->victims;
  return result;
}

}  // namespace tug::scheduler
