#include "apiserver/rbac_authorizer.h"

#include "apiserver/status_response.h"
#include "auth/attributes.h"
#include "auth/forbidden.h"

namespace tug::apiserver {

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
  nlohmann::json body = statusObject(auth::forbidden(*attributes, decision.reason));
  nlohmann::json details = nlohmann::json::object();
  if (!attributes->name.empty()) {
    details["name"] = attributes->name;
  }
  if (!attributes->apiGroup.empty()) {
    details["group"] = attributes->apiGroup;
  }
  if (!attributes->resource.empty()) {
    details["kind"] = attributes->resource;
  }
  body["details"] = std::move(details);
  return body;
}

}  // namespace tug::apiserver
