#include "scheduler/selectors.h"

#include "api/node_affinity.h"
#include "api/tolerations.h"
#include "common/label_selector.h"

namespace tug::scheduler {

bool labelSelectorMatches(const json& selector, const json& labels) {
  if (!selector.is_object()) {
    return false;
  }
  Result<bool> r = tug::labelSelectorMatches(selector, labels);
  return r.ok() && *r;  // an invalid selector selects nothing
}

bool nodeSelectorTermMatches(const json& term, const NodeInfo& node) {
  return api::nodeSelectorTermMatches(term, node.object());
}

bool nodeSelectorTermsMatch(const json& terms, const NodeInfo& node) {
  return api::nodeSelectorTermsMatch(terms, node.object());
}

bool podMatchesNodeSelectorAndAffinity(const PodInfo& pod, const NodeInfo& node) {
  return api::podSpecFitsNode(pod.spec(), node.object());
}

bool anyToleratesTaint(const json& tolerations, const json& taint) {
  if (!tolerations.is_array()) {
    return false;
  }
  for (const json& t : tolerations) {
    if (api::toleratesTaint(t, taint)) {
      return true;
    }
  }
  return false;
}

}  // namespace tug::scheduler
