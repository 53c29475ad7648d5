#include "scheduler/affinity_terms.h"

#include <algorithm>

#include "scheduler/selectors.h"

namespace tug::scheduler {
namespace {

AffinityTerm termOf(const json& t, int64_t weight) {
  AffinityTerm term;
  term.labelSelector = t.contains("labelSelector") ? t["labelSelector"] : json(nullptr);
  for (const json& ns : memberObject(t, "namespaces")) {
    if (ns.is_string()) {
      term.namespaces.push_back(ns.get<std::string>());
    }
  }
  auto sel = t.find("namespaceSelector");
  term.allNamespaces = sel != t.end() && sel->is_object() && sel->empty();
  term.topologyKey = t.value("topologyKey", "");
  term.weight = weight;
  return term;
}

}  // namespace

bool AffinityTerm::matches(const PodInfo& pod, const std::string& ownerNamespace) const {
  if (!allNamespaces) {
    bool listed = namespaces.empty()
                      ? pod.ns == ownerNamespace
                      : std::find(namespaces.begin(), namespaces.end(), pod.ns) != namespaces.end();
    if (!listed) {
      return false;
    }
  }
  return labelSelectorMatches(labelSelector, pod.labels());
}

std::vector<AffinityTerm> affinityTerms(const PodInfo& pod, const char* kind, bool required) {
  std::vector<AffinityTerm> out;
  const json& section = memberObject(memberObject(pod.spec(), "affinity"), kind);
  const json& list =
      memberObject(section, required ? "requiredDuringSchedulingIgnoredDuringExecution"
                                     : "preferredDuringSchedulingIgnoredDuringExecution");
  if (!list.is_array()) {
    return out;
  }
  for (const json& t : list) {
    if (!t.is_object()) {
      continue;
    }
    if (required) {
      out.push_back(termOf(t, 0));
    } else {
      out.push_back(termOf(memberObject(t, "podAffinityTerm"), t.value("weight", 0)));
    }
  }
  return out;
}

}  // namespace tug::scheduler
