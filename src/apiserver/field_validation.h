#pragma once

#include <httplib.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/type_node.h"
#include "apiserver/resource_verbs.h"

// Server-side field validation (?fieldValidation=Strict|Warn|Ignore) of the objects POST, PUT
// and PATCH write: unknown and duplicate fields are refused (Strict), reported in Warning
// headers (Warn, the default) or passed over (Ignore); in every mode unknown fields are pruned
// from what is stored.
namespace tug::apiserver {

enum class FieldValidation { kIgnore, kWarn, kStrict };

// What validation decided for one request.
struct FieldCheck {
  std::optional<Reply> refusal;       // 400 (Strict found problems) or 422 (bad parameter)
  std::vector<std::string> warnings;  // Warn: one per problem, for the reply's headers
};

// The step create and update take once the body is parsed into `obj`: checks req.body (the
// raw JSON) against the kind of req.target and prunes `obj`. Built-in kinds only; other kinds
// pass unchanged. The options kind in a 422 is CreateOptions for a collection, UpdateOptions
// for a named object.
// `found` (if given) is what ParsedBody found in req.body.
FieldCheck validateFields(const VerbRequest& req, nlohmann::json& obj,
                          const std::vector<std::string>* found = nullptr);

// A create's or update's body, parsed. When its kind has a schema and the request's
// fieldValidation checks fields, the problems validateFields looks for are found in the same
// reading of the text (a second reading cost as much as the parse).
struct ParsedBody {
  nlohmann::json object;
  std::optional<std::vector<std::string>> problems;
};
// BadRequest, worded as parseObject words it, when the body is not JSON.
Result<ParsedBody> parseBody(const VerbRequest& req);

// The same for callers that know more: `type` is the kind's graph (nullptr: nothing to check
// or prune); `typed` says how problems are ordered (built-in kinds: in the order the decoder
// meets them; custom resources: duplicates first, then unknown fields, as upstream's pruning
// reports them); `jsonBody` is the text whose duplicates count ("" when it is not JSON, as
// for YAML apply patches); `optionsKind` is CreateOptions, UpdateOptions or PatchOptions;
// `messagePrefix` goes before "strict decoding error: ..." in a Strict refusal; `found`, the
// problems already found in jsonBody.
FieldCheck checkFields(const api::TypeNode* type, bool typed, const QueryParams& params,
                       std::string_view jsonBody, std::string_view optionsKind,
                       nlohmann::json& obj, std::string_view messagePrefix = "",
                       const std::vector<std::string>* found = nullptr);

// fieldValidation's value; "" is Warn. Anything else: nullopt.
std::optional<FieldValidation> parseFieldValidation(std::string_view value);

// The value of a Warning header for `text`: 299 - "<text, quotes and backslashes escaped>".
std::string warningHeaderValue(std::string_view text);
// Adds one Warning header per warning.
void addWarningHeaders(httplib::Response& res, const std::vector<std::string>& warnings);

}  // namespace tug::apiserver
