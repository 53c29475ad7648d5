#pragma once

#include <string>
#include <vector>

#include "scheduler/pod_info.h"

// Pod affinity terms (v1.PodAffinityTerm) as the InterPodAffinity plugin reads them.
namespace tug::scheduler {

struct AffinityTerm {
  json labelSelector;  // null matches no pod
  std::vector<std::string> namespaces;  // empty and !allNamespaces: the owner's namespace
  bool allNamespaces = false;  // namespaceSelector {} (a non-empty selector is not supported)
  std::string topologyKey;
  int64_t weight = 0;  // preferred terms only

  // Whether `pod` is one this term (of a pod in `ownerNamespace`) selects.
  bool matches(const PodInfo& pod, const std::string& ownerNamespace) const;
};

// kind: "podAffinity" or "podAntiAffinity"; required: the
// requiredDuringSchedulingIgnoredDuringExecution terms, else the preferred ones (with weight).
std::vector<AffinityTerm> affinityTerms(const PodInfo& pod, const char* kind, bool required);

}  // namespace tug::scheduler
