#pragma once

#include "apiserver/routes.h"
#include "auth/authorizer.h"
#include "auth/rbac_lookup.h"

// RBAC for every API request: the request's attributes (as upstream parses them from the URL)
// checked against the roles and bindings `lookup` holds; a denial is upstream's 403 Status.
namespace tug::apiserver {

class RbacRequestAuthorizer : public RequestAuthorizer {
 public:
  explicit RbacRequestAuthorizer(const auth::RbacLookup& lookup) : authorizer_(lookup) {}
  std::optional<nlohmann::json> refuse(const UserInfo& user,
                                       const httplib::Request& req) const override;

 private:
  auth::RbacAuthorizer authorizer_;
};

}  // namespace tug::apiserver
