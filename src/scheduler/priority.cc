#include "scheduler/priority.h"

namespace tug::scheduler {
namespace {

constexpr int32_t kSystemClusterCritical = 2000000000;
constexpr int32_t kSystemNodeCritical = 2000001000;

}  // namespace

int32_t podPriority(const json& pod, const std::vector<json>& priorityClasses) {
  const json& spec = memberObject(pod, "spec");
  if (auto p = spec.find("priority"); p != spec.end() && p->is_number_integer()) {
    return p->get<int32_t>();
  }
  std::string name = spec.value("priorityClassName", "");
  const json* fallback = nullptr;
  for (const json& pc : priorityClasses) {
    if (!name.empty() && memberObject(pc, "metadata").value("name", "") == name) {
      return pc.value("value", 0);
    }
    if (pc.value("globalDefault", false)) {
      fallback = &pc;
    }
  }
  if (name == "system-cluster-critical") {
    return kSystemClusterCritical;
  }
  if (name == "system-node-critical") {
    return kSystemNodeCritical;
  }
  return name.empty() && fallback != nullptr ? fallback->value("value", 0) : 0;
}

}  // namespace tug::scheduler
