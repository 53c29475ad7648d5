#pragma once

#include "apiserver/routes.h"
#include "auth/authorizer.h"
#include "auth/rbac_lookup.h"

// RBAC for every API request: the request's attributes (as upstream parses them from the URL)
// checked against the roles and bindings `lookup` holds; a denial is upstream's 403 Status.
namespace tug::apiserver {

// Upstream's 403 Status for a denied request: message from auth::forbidden, details
// {name, group, kind} from the attributes.
nlohmann::json forbiddenStatus(const auth::Attributes& request, std::string_view reason);

class RbacRequestAuthorizer : public RequestAuthorizer {
 public:
  explicit RbacRequestAuthorizer(const auth::RbacLookup& lookup) : authorizer_(lookup) {}
  std::optional<nlohmann::json> refuse(const UserInfo& user,
                                       const httplib::Request& req) const override;
  auth::Decision authorize(const auth::Attributes& request) const override {
    return authorizer_.authorize(request);
  }

 private:
  auth::RbacAuthorizer authorizer_;
};

}  // namespace tug::apiserver
