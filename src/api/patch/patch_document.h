#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "common/status.h"

// Patch bodies are untrusted: before anything walks them recursively (the parser's DOM, the
// mergers, dump(), operator==), their nesting is bounded so that a hostile body cannot
// exhaust a request thread's stack.
namespace tug::api {

// Deeper than any Kubernetes object (they nest a few dozen levels) and shallow enough for
// the recursive mergers on an 8 MiB thread stack.
inline constexpr int kMaxPatchDepth = 1000;

// How deeply `text` nests arrays and objects, found by a lexical scan that never recurses.
// Stops counting once `limit` is exceeded (returns limit + 1). Strings are skipped with
// their escapes; the scan does not validate the JSON.
int textNestingDepth(std::string_view text, int limit = kMaxPatchDepth);

// How deeply a parsed document nests (a scalar is 0, [] and {} are 1), without recursion.
int nestingDepth(const nlohmann::json& doc);

// Parses a JSON patch body (any of the JSON patch content types). BadRequest "invalid JSON
// patch" (upstream's words) when it is not JSON, and a BadRequest naming the limit when it
// nests deeper than kMaxPatchDepth.
Result<nlohmann::json> parsePatchDocument(std::string_view text);

}  // namespace tug::api
