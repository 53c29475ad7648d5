#include "apiserver/resource_errors.h"

#include "apiserver/resource_path.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {

Status resourceNotFound(const api::ResourceInfo& info, std::string_view name) {
  return notFound(qualifiedResource(info) + " \"" + std::string(name) + "\" not found");
}

Status resourceExists(const api::ResourceInfo& info, std::string_view name) {
  return alreadyExists(qualifiedResource(info) + " \"" + std::string(name) + "\" already exists");
}

Status resourceConflict(const api::ResourceInfo& info, std::string_view name) {
  return resourceConflict(info, name,
                          "the object has been modified; please apply your changes to the "
                          "latest version and try again");
}

Status resourceConflict(const api::ResourceInfo& info, std::string_view name,
                        std::string_view why) {
  return conflict("Operation cannot be fulfilled on " + qualifiedResource(info) + " \"" +
                  std::string(name) + "\": " + std::string(why));
}

Status verbNotSupported(std::string_view verb, const api::ResourceInfo& info) {
  return Status(Code::kUnsupported, std::string(verb) +
                                        " is not supported on resources of kind \"" +
                                        qualifiedResource(info) + "\"");
}

nlohmann::json errorBody(const Status& status, const api::ResourceInfo& info,
                         std::string_view name) {
  nlohmann::json body = statusObject(status);
  switch (status.code()) {
    case Code::kNotFound:
    case Code::kAlreadyExists:
    case Code::kConflict:
    case Code::kInvalid:
    case Code::kUnsupported: {
      nlohmann::json details = nlohmann::json::object();
      if (!name.empty()) {
        details["name"] = std::string(name);
      }
      if (!info.group.empty()) {
        details["group"] = info.group;
      }
      details["kind"] = status.code() == Code::kInvalid ? info.kind : info.resource;
      body["details"] = std::move(details);
      break;
    }
    default:
      break;
  }
  return body;
}

}  // namespace tug::apiserver
