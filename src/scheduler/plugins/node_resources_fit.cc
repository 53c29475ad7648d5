#include "scheduler/plugins/node_resources_fit.h"

#include <algorithm>
#include <cmath>

namespace tug::scheduler {
namespace {

struct Check {
  std::string resource;
  int64_t requested, used, allocatable;
};

}  // namespace

FilterStatus NodeResourcesFitPlugin::filter(const PodInfo& pod, const NodeInfo& node) const {
  FilterStatus status;
  bool unresolvable = false;
  auto insufficient = [&](const std::string& reason, bool beyondAllocatable) {
    status.reasons.push_back(reason);
    unresolvable = unresolvable || beyondAllocatable;
  };
  if (static_cast<int64_t>(node.pods.size()) + 1 > node.allowedPods) {
    insufficient("Too many pods", false);
  }
  const Resources& want = pod.requests;
  if (!want.isZero()) {
    std::vector<Check> checks = {
        {"cpu", want.milliCpu, node.requested.milliCpu, node.allocatable.milliCpu},
        {"memory", want.memory, node.requested.memory, node.allocatable.memory},
        {"ephemeral-storage", want.ephemeralStorage, node.requested.ephemeralStorage,
         node.allocatable.ephemeralStorage},
    };
    for (const auto& [name, amount] : want.scalar) {
      checks.push_back({name, amount, node.requested.get(name), node.allocatable.get(name)});
    }
    for (const Check& c : checks) {
      if (c.allocatable < c.requested + c.used) {
        insufficient("Insufficient " + c.resource, c.requested > c.allocatable);
      }
    }
  }
  if (status.reasons.empty()) {
    return FilterStatus::success();
  }
  status.code = unresolvable ? FilterStatus::Code::kUnresolvable
                             : FilterStatus::Code::kUnschedulable;
  return status;
}

int64_t LeastAllocatedPlugin::score(const PodInfo& pod, const NodeInfo& node) const {
  auto free = [](int64_t requested, int64_t allocatable) -> int64_t {
    if (allocatable <= 0 || requested > allocatable) {
      return 0;
    }
    return (allocatable - requested) * kMaxNodeScore / allocatable;
  };
  int64_t cpu = free(node.nonZeroRequested.milliCpu + pod.nonZeroRequests.milliCpu,
                     node.allocatable.milliCpu);
  int64_t memory = free(node.nonZeroRequested.memory + pod.nonZeroRequests.memory,
                        node.allocatable.memory);
  return (cpu + memory) / 2;
}

int64_t BalancedAllocationPlugin::score(const PodInfo& pod, const NodeInfo& node) const {
  auto fraction = [](int64_t requested, int64_t allocatable) {
    if (allocatable <= 0) {
      return 1.0;
    }
    return std::min(1.0, static_cast<double>(requested) / static_cast<double>(allocatable));
  };
  double cpu = fraction(node.requested.milliCpu + pod.requests.milliCpu, node.allocatable.milliCpu);
  double memory = fraction(node.requested.memory + pod.requests.memory, node.allocatable.memory);
  // The standard deviation of two fractions is half their distance.
  double deviation = std::abs(cpu - memory) / 2;
  return static_cast<int64_t>((1 - deviation) * static_cast<double>(kMaxNodeScore));
}

}  // namespace tug::scheduler
