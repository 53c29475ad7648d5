#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "common/status.h"

// From CustomResourceDefinition objects to what the API serves: which names each CRD may use
// (upstream's naming controller), and the resources of the CRDs whose names were accepted.
namespace tug::api {

// What the naming check decided for one CRD: its NamesAccepted condition and
// status.acceptedNames.
struct CrdNames {
  bool accepted = false;
  std::string reason;   // "NoConflicts", "PluralConflict", "KindConflict", ...
  std::string message;  // "no conflicts found", "\"foos\" is already in use", ...
  nlohmann::json acceptedNames = nlohmann::json::object();
};

// The names of every CRD in `crds`, by CRD name. Within a group, a CRD may not take a plural,
// singular, short name, kind or list kind another CRD of the group already uses: a CRD whose
// names were accepted before keeps them, otherwise the older one (creationTimestamp, then
// name) wins. A CRD refused now keeps the names it was
// accepted with before (its status.acceptedNames), as upstream does.
std::map<std::string, CrdNames> decideNames(const std::vector<nlohmann::json>& crds);

// The resources `crd` serves under `acceptedNames`: one per served version, with the version's
// schema, printer columns and subresources. Invalid when a served version's schema cannot be
// built (the CRD then serves nothing; validation refuses such CRDs, so this is data written
// by something else).
Result<std::vector<std::unique_ptr<ResourceInfo>>> customResources(
    const nlohmann::json& crd, const nlohmann::json& acceptedNames);

}  // namespace tug::api
