#include "apiserver/field_validation.h"

#include "api/crd/custom_resource.h"
#include "api/schema/strict_decoding.h"
#include "api/schema/type_graph.h"
#include "api/schema/unknown_fields.h"
#include "apiserver/object_meta.h"
#include "apiserver/status_response.h"
#include "common/go_quote.h"

namespace tug::apiserver {
namespace {

// Upstream's 422 for a bad fieldValidation, about the options object rather than the target.
Reply badParameter(std::string_view value, std::string_view optionsKind) {
  std::string detail = "Unsupported value: \"" + std::string(value) +
                       "\": supported values: \"\", \"Ignore\", \"Strict\", \"Warn\"";
  nlohmann::json body = statusObject(
      invalid(std::string(optionsKind) + ".meta.k8s.io \"\" is invalid: fieldValidation: " + detail));
  body["details"] = {{"group", "meta.k8s.io"},
                     {"kind", optionsKind},
                     {"causes", {{{"reason", "FieldValueNotSupported"},
                                  {"message", detail},
                                  {"field", "fieldValidation"}}}}};
  return Reply{422, std::move(body)};
}

// The problems in upstream's words and order (see checkFields).
std::vector<std::string> problems(const api::TypeNode& type, bool typed,
                                  std::string_view jsonBody, const nlohmann::json& obj) {
  if (typed && !jsonBody.empty()) {
    return api::strictDecodingErrors(type, jsonBody);
  }
  std::vector<std::string> out;
  if (!jsonBody.empty()) {
    for (const std::string& path : api::duplicateFields(jsonBody)) {
      out.push_back("duplicate field " + goQuote(path));
    }
  }
  for (const std::string& path : api::unknownFields(type, obj)) {
    out.push_back("unknown field " + goQuote(path));
  }
  return out;
}

std::string stringField(const nlohmann::json& obj, const char* key) {
  if (!obj.is_object()) {
    return "";
  }
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

std::optional<FieldValidation> parseFieldValidation(std::string_view value) {
  if (value.empty() || value == "Warn") {
    return FieldValidation::kWarn;
  }
  if (value == "Strict") {
    return FieldValidation::kStrict;
  }
  if (value == "Ignore") {
    return FieldValidation::kIgnore;
  }
  return std::nullopt;
}

FieldCheck checkFields(const api::TypeNode* type, bool typed, const QueryParams& params,
                       std::string_view jsonBody, std::string_view optionsKind,
                       nlohmann::json& obj, std::string_view messagePrefix,
                       const std::vector<std::string>* found) {
  FieldCheck check;
  const std::string value = queryParam(params, "fieldValidation");
  std::optional<FieldValidation> mode = parseFieldValidation(value);
  if (!mode) {
    check.refusal = badParameter(value, optionsKind);
    return check;
  }
  if (type == nullptr) {
    return check;
  }
  if (*mode != FieldValidation::kIgnore) {
    std::vector<std::string> problemsFound =
        found != nullptr ? *found : problems(*type, typed, jsonBody, obj);
    if (*mode == FieldValidation::kStrict && !problemsFound.empty()) {
      std::string message = std::string(messagePrefix) + "strict decoding error: ";
      for (size_t i = 0; i < problemsFound.size(); ++i) {
        message += (i > 0 ? ", " : "") + problemsFound[i];
      }
      check.refusal = Reply{400, statusObject(badRequest(message))};
      return check;
    }
    check.warnings = std::move(problemsFound);
  }
  api::prune(*type, obj);
  return check;
}

Result<ParsedBody> parseBody(const VerbRequest& req) {
  const api::TypeNode* type = api::resourceType(*req.target.info);
  std::optional<FieldValidation> mode =
      parseFieldValidation(queryParam(req.params, "fieldValidation"));
  if (type == nullptr || !mode || *mode == FieldValidation::kIgnore || req.body.empty()) {
    auto obj = parseObject(req.body);
    if (!obj.ok()) {
      return obj.status();
    }
    return ParsedBody{std::move(*obj), std::nullopt};
  }
  api::StrictDecoding decoded = api::decodeStrictly(*type, req.body);
  if (!decoded.parseError.empty()) {
    return badRequest(kNotJson + decoded.parseError);
  }
  return ParsedBody{std::move(decoded.object), std::move(decoded.problems)};
}

FieldCheck validateFields(const VerbRequest& req, nlohmann::json& obj,
                          const std::vector<std::string>* found) {
  const api::ResourceInfo& info = *req.target.info;
  const api::TypeNode* type =
      api::resourceType(info);
  // Upstream's decoder names the kind and version the body claims, then the kind it wanted.
  std::string apiVersion = stringField(obj, "apiVersion");
  std::string version = apiVersion.substr(apiVersion.find('/') + 1);
  std::string kind = stringField(obj, "kind");
  std::string prefix = (kind.empty() ? info.kind : kind) + " in version \"" +
                       (version.empty() ? info.version : version) + "\" cannot be handled as a " +
                       info.kind + ": ";
  return checkFields(type, /*typed=*/true, req.params, req.body,
                     req.target.name.empty() ? "CreateOptions" : "UpdateOptions", obj, prefix,
                     found);
}

std::string warningHeaderValue(std::string_view text) {
  std::string out = "299 - \"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
    }
    // Header values cannot hold line breaks; upstream replaces what is not printable.
    out += (c == '\r' || c == '\n') ? ' ' : c;
  }
  return out + "\"";
}

void addWarningHeaders(httplib::Response& res, const std::vector<std::string>& warnings) {
  for (const std::string& w : warnings) {
    res.set_header("Warning", warningHeaderValue(w));
  }
}

}  // namespace tug::apiserver
