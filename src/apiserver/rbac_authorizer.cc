#include "apiserver/rbac_authorizer.h"

#include "apiserver/status_response.h"
#include "auth/attributes.h"
#include "auth/forbidden.h"

namespace tug::apiserver {

nlohmann::json forbiddenStatus(const auth::Attributes& request, std::string_view reason) {
  nlohmann::json body = statusObject(auth::forbidden(request, reason));
  nlohmann::json details = nlohmann::json::object();
  if (!request.name.empty()) {
    details["name"] = request.name;
  }
  if (!request.apiGroup.empty()) {
    details["group"] = request.apiGroup;
  }
  if (!request.resource.empty()) {
    details["kind"] = request.resource;
  }
  body["details"] = std::move(details);
  return body;
}

std::optional<nlohmann::json> RbacRequestAuthorizer::refuse(const UserInfo& user,
                                                            const httplib::Request& req) const {
  auth::HttpRequest request{req.method, req.path, std::nullopt, std::nullopt};
  if (req.has_param("watch")) {
    request.watch = req.get_param_value("watch");
  }
  if (req.has_param("fieldSelector")) {
    request.fieldSelector = req.get_param_value("fieldSelector");
  }
  auto attributes = auth::requestAttributes(auth::User{user.name, user.groups}, request);
  if (!attributes.ok()) {
    return statusObject(attributes.status());
  }
  auth::Decision decision = authorizer_.authorize(*attributes);
  if (decision.allowed) {
    return std::nullopt;
  }
  return forbiddenStatus(*attributes, decision.reason);
}

}  // namespace tug::apiserver
