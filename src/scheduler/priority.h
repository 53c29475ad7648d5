#pragma once

#include <cstdint>
#include <vector>

#include "scheduler/pod_info.h"

// A pod's priority, as upstream's Priority admission would have set it: spec.priority when
// present, else the value of its priorityClassName, else the globalDefault class's, else 0.
// The two system classes (system-cluster-critical, system-node-critical) are known even when
// no PriorityClass object exists for them.
namespace tug::scheduler {

int32_t podPriority(const json& pod, const std::vector<json>& priorityClasses);

}  // namespace tug::scheduler
