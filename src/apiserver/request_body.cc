#include "apiserver/request_body.h"

#include <nlohmann/json.hpp>

#include "api/protobuf/kubernetes_protobuf.h"
#include "api/yaml_json.h"

namespace tug::apiserver {
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kYaml = "application/yaml";
constexpr std::string_view kProtobuf = "application/vnd.kubernetes.protobuf";

// "Application/JSON; charset=utf-8" -> "application/json".
std::string mediaType(std::string_view contentType) {
  std::string_view type = contentType.substr(0, contentType.find(';'));
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) {
    type.remove_prefix(1);
  }
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) {
    type.remove_suffix(1);
  }
  std::string lower(type);
  for (char& c : lower) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return lower;
}

bool endsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

// Strings decoded from YAML or protobuf may hold bytes that are not UTF-8; Go's encoder writes
// them as U+FFFD, and so does this.
std::string dumpJson(const nlohmann::json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status unsupportedMediaType(const BodyKind& kind) {
  std::string accepted = std::string(kJson) + ", " + std::string(kYaml);
  if (kind.protobuf) {
    accepted += ", " + std::string(kProtobuf);
  }
  return Status(Code::kUnsupported,
                "the body of the request was in an unknown format - accepted media types "
                "include: " +
                    accepted);
}

// Decoding errors read as upstream's: the kind the URL wanted, then the cause.
Status undecodable(const BodyKind& kind, const Status& cause) {
  return badRequest("the object provided is unrecognized (must be of type " +
                    std::string(kind.kind) + "): " + cause.message());
}

}  // namespace

Result<std::string> requestBodyToJson(std::string_view contentType, std::string_view body,
                                      const BodyKind& kind) {
  const std::string type = mediaType(contentType);
  if (type.empty() || type == kJson || endsWith(type, "+json")) {
    return std::string(body);
  }
  if (type == kYaml) {
    auto j = api::yamlToJson(body);
    if (!j.ok()) {
      return undecodable(kind, j.status());
    }
    return dumpJson(*j);
  }
  if (type == kProtobuf && kind.protobuf) {
    auto j = api::protobuf::decodeKubernetesProtobuf(body, kind.apiVersion, kind.kind);
    if (!j.ok()) {
      return undecodable(kind, j.status());
    }
    return dumpJson(*j);
  }
  return unsupportedMediaType(kind);
}

}  // namespace tug::apiserver
