#include "scheduler/fit_error.h"

#include <algorithm>
#include <vector>

namespace tug::scheduler {

std::string fitErrorMessage(size_t numNodes, const NodeStatuses& statuses,
                            const std::string& postFilter) {
  std::map<std::string, int> histogram;
  for (const auto& [node, status] : statuses) {
    for (const std::string& reason : status.reasons) {
      histogram[reason]++;
    }
  }
  std::vector<std::string> parts;
  for (const auto& [reason, count] : histogram) {
    parts.push_back(std::to_string(count) + " " + reason);
  }
  // Upstream sorts the "<count> <reason>" strings themselves.
  std::sort(parts.begin(), parts.end());
  std::string message = "0/" + std::to_string(numNodes) + " nodes are available:";
  if (!parts.empty()) {
    message += " ";
    for (size_t i = 0; i < parts.size(); ++i) {
      message += (i == 0 ? "" : ", ") + parts[i];
    }
    message += ".";
  }
  if (!postFilter.empty()) {
    message += " " + postFilter;
  }
  return message;
}

std::string preemptionMessage(size_t numNodes, const NodeStatuses& statuses) {
  return "preemption: " + fitErrorMessage(numNodes, statuses);
}

}  // namespace tug::scheduler
