#pragma once

#include <cstddef>

#include <nlohmann/json.hpp>

#include "common/status.h"

// RFC 6902 JSON patch (application/json-patch+json): a list of add, remove, replace, move,
// copy and test operations on JSON pointers. Behaviour and messages follow the json-patch
// library the upstream API server uses, including its leniencies: "replace" of a missing
// object member adds it, and "test" of a missing member passes when the value is null.
namespace tug::api {

// Upstream refuses longer patches (413).
inline constexpr size_t kMaxJsonPatchOperations = 10000;
// Copies may not add more than this many JSON values in total: a handful of copy operations
// that each double a subtree would otherwise exhaust memory.
inline constexpr size_t kMaxJsonPatchCopiedValues = 200000;

// Applies `ops` (the parsed patch body) to `doc`. Errors:
// - BadRequest when `ops` is not a list of operation objects, worded as upstream's decoder;
// - TooLarge beyond kMaxJsonPatchOperations;
// - Invalid when an operation does not apply ("testing value /a failed: test failed", "add
//   operation does not apply: doc is missing path: \"/a/b\": missing value", ...).
// REQUIRES: `doc` and `ops` nest no deeper than kMaxPatchDepth; the result does not either.
Result<nlohmann::json> applyJsonPatch(nlohmann::json doc, const nlohmann::json& ops);

}  // namespace tug::api
