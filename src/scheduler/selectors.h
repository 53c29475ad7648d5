#pragma once

#include <string>

#include "scheduler/node_info.h"

// The matching rules the plugins share: label selectors, node selector terms, tolerations.
namespace tug::scheduler {

// metav1.LabelSelector against labels, by tug::labelSelectorMatches. A null selector matches
// nothing, an empty one everything, an invalid one nothing.
bool labelSelectorMatches(const json& selector, const json& labels);

// api::nodeSelectorTermMatches and friends on the node the NodeInfo holds.
bool nodeSelectorTermMatches(const json& term, const NodeInfo& node);
// Any of the terms matches (nodeSelectorTerms are ORed).
bool nodeSelectorTermsMatch(const json& terms, const NodeInfo& node);

// The pod's spec.nodeSelector and required node affinity both hold for the node.
bool podMatchesNodeSelectorAndAffinity(const PodInfo& pod, const NodeInfo& node);

// Whether any of the tolerations tolerates the taint (api::toleratesTaint).
bool anyToleratesTaint(const json& tolerations, const json& taint);

}  // namespace tug::scheduler
