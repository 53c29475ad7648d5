#pragma once

#include <nlohmann/json.hpp>

// Whether a pod may go to a node by its nodeSelector and node affinity, for everything that
// places pods: the scheduler's filters and scores, and the DaemonSet controller's choice of
// nodes. Upstream keeps this in component-helpers for the same reason.
namespace tug::api {

// One v1.NodeSelectorTerm against a v1.Node: matchExpressions on labels (In, NotIn, Exists,
// DoesNotExist, Gt, Lt) and matchFields on metadata.name (In, NotIn) all hold. A term with
// neither matches nothing; an unknown operator or field matches nothing.
bool nodeSelectorTermMatches(const nlohmann::json& term, const nlohmann::json& node);

// Any of the terms matches (nodeSelectorTerms are ORed). A non-array matches nothing.
bool nodeSelectorTermsMatch(const nlohmann::json& terms, const nlohmann::json& node);

// A pod spec's nodeSelector and its required node affinity both hold for the node. A required
// affinity without terms matches nothing, as upstream.
bool podSpecFitsNode(const nlohmann::json& podSpec, const nlohmann::json& node);

}  // namespace tug::api
