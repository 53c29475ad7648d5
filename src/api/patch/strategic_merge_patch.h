#pragma once

#include <nlohmann/json.hpp>

#include "api/type_node.h"
#include "common/status.h"

// Kubernetes strategic merge patch (application/strategic-merge-patch+json), as upstream's
// apimachinery strategicpatch package applies it on the server, driven by the type graph:
// - a field's patchStrategy "merge" merges its list: objects by patchMergeKey, primitives as
//   a set; lists without it are replaced whole;
// - objects and maps merge member by member, null deletes a member, patchStrategy "replace"
//   replaces a map whole;
// - directives: "$patch": "replace" | "delete" | "merge" in a map, {"$patch": "delete",
//   <key>: v} and {"$patch": "replace"} in a merged list, "$retainKeys": [...],
//   "$deleteFromPrimitiveList/<field>": [...], "$setElementOrder/<field>": [...].
// Where the type graph says nothing (a null node or kAny), members merge as in a JSON merge
// patch and lists are replaced, except that a "$setElementOrder/<field>" directive then
// tells how its list merges: by the one key its entries name, or as a set of primitives
// (kubectl sends the directive for every merged list it changes).
namespace tug::api {

// Applies `patch` to `original`; `schema` is the node of the object's type (nullptr when
// unknown). Errors carry upstream's messages: BadRequest for malformed directives ("invalid
// patch format of setElementOrder list", "map: map[image:x] does not contain declared merge
// key: name", ...), Invalid for "lists of lists are not supported".
// REQUIRES: both are objects and nest no deeper than kMaxPatchDepth.
Result<nlohmann::json> applyStrategicMergePatch(nlohmann::json original, nlohmann::json patch,
                                                const TypeNode* schema);

}  // namespace tug::api
