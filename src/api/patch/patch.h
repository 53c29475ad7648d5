#pragma once

#include <optional>
#include <string_view>

#include <nlohmann/json.hpp>

#include "api/type_node.h"
#include "common/status.h"

// The patch content types of a PATCH request and the one entry point the API server calls
// for the three JSON-bodied ones. Server-side apply (apply-patch+yaml) is elsewhere.
namespace tug::api {

enum class PatchType {
  kJsonPatch,            // application/json-patch+json (RFC 6902)
  kMergePatch,           // application/merge-patch+json (RFC 7386)
  kStrategicMergePatch,  // application/strategic-merge-patch+json
  kApplyPatch,           // application/apply-patch+yaml (server-side apply)
};

// The patch type a Content-Type header names, parameters ("; charset=utf-8") ignored;
// nullopt for any other media type.
std::optional<PatchType> patchTypeFromContentType(std::string_view contentType);

// Parses `body` and applies it to `original` (an object) as a JSON, merge or strategic merge
// patch; `schema` is the object's type node for a strategic merge patch (nullptr: unknown).
// The result may be any JSON value (a JSON patch can replace the root with an array); the
// caller checks that it is still an object of its kind. Errors: BadRequest for bodies that
// do not parse, nest too deeply or are not a patch of their type ("invalid JSON patch",
// "Invalid JSON Patch", ...); TooLarge for too many JSON patch operations; Invalid for
// patches that do not apply (a failed test, a missing path, lists of lists).
// REQUIRES: type is not kApplyPatch; `original` nests no deeper than kMaxPatchDepth.
Result<nlohmann::json> applyPatch(PatchType type, const nlohmann::json& original,
                                  std::string_view body, const TypeNode* schema);

}  // namespace tug::api
