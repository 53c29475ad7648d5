#include "apiserver/access_reviews.h"

#include "apiserver/response.h"
#include "apiserver/status_response.h"
#include "auth/attributes.h"
#include "auth/authorizer.h"

namespace tug::apiserver {
namespace {

using nlohmann::json;

std::string text(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : "";
}

// The attributes a review's spec asks about, for `user`.
Result<auth::Attributes> specAttributes(const json& spec, auth::User user,
                                        const std::string& forcedNamespace) {
  auth::Attributes a;
  a.user = std::move(user);
  if (auto r = spec.find("resourceAttributes"); r != spec.end() && r->is_object()) {
    a.resourceRequest = true;
    a.verb = text(*r, "verb");
    a.apiGroup = text(*r, "group");
    a.apiVersion = text(*r, "version");
    a.resource = text(*r, "resource");
    a.subresource = text(*r, "subresource");
    a.ns = forcedNamespace.empty() ? text(*r, "namespace") : forcedNamespace;
    a.name = text(*r, "name");
  } else if (auto n = spec.find("nonResourceAttributes"); n != spec.end() && n->is_object()) {
    a.verb = text(*n, "verb");
    a.path = text(*n, "path");
  } else {
    return invalid("spec.resourceAttributes: Required value: exactly one of "
                   "nonResourceAttributes or resourceAttributes must be specified");
  }
  return a;
}

json parseBody(const httplib::Request& req) {
  json body = json::parse(req.body, nullptr, false);
  return body.is_object() ? body : json();
}

void answer(httplib::Response& res, json review, const auth::Decision& decision) {
  review["metadata"] = review.value("metadata", json::object());
  review["metadata"]["creationTimestamp"] = nullptr;
  review["status"] = {{"allowed", decision.allowed}};
  if (!decision.reason.empty()) {
    review["status"]["reason"] = decision.reason;
  }
  sendJson(res, 201, review);
}

// SubjectAccessReview and LocalSubjectAccessReview: about the user the spec names.
auth::User specUser(const json& spec) {
  auth::User u{text(spec, "user"), {}};
  for (const json& g : spec.value("groups", json::array())) {
    if (g.is_string()) {
      u.groups.push_back(g.get<std::string>());
    }
  }
  return u;
}

}  // namespace

RouteInstaller accessReviewRoutes(const auth::RbacLookup& lookup) {
  const auth::RbacLookup* rbac = &lookup;
  return [rbac](Routes& routes) {
    routes.post("/apis/authentication.k8s.io/v1/selfsubjectreviews",
                [](const httplib::Request&, httplib::Response& res, const UserInfo& user) {
                  json review = {{"apiVersion", "authentication.k8s.io/v1"},
                                 {"kind", "SelfSubjectReview"},
                                 {"metadata", {{"creationTimestamp", nullptr}}},
                                 {"status", {{"userInfo", {{"username", user.name},
                                                           {"groups", user.groups}}}}}};
                  sendJson(res, 201, review);
                });
    auto review = [rbac](bool self, bool local) {
      return [rbac, self, local](const httplib::Request& req, httplib::Response& res,
                                 const UserInfo& user) {
        json body = parseBody(req);
        if (!body.is_object()) {
          sendStatus(res, badRequest("the request body is not a JSON object"));
          return;
        }
        const json spec = body.value("spec", json::object());
        std::string ns = local ? req.matches[1].str() : "";
        auto attributes = specAttributes(
            spec, self ? auth::User{user.name, user.groups} : specUser(spec), ns);
        if (!attributes.ok()) {
          sendStatus(res, attributes.status());
          return;
        }
        answer(res, std::move(body), auth::RbacAuthorizer(*rbac).authorize(*attributes));
      };
    };
    routes.post("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews", review(true, false));
    routes.post("/apis/authorization.k8s.io/v1/subjectaccessreviews", review(false, false));
    routes.post("/apis/authorization.k8s.io/v1/namespaces/([^/]+)/localsubjectaccessreviews",
                review(false, true));
  };
}

}  // namespace tug::apiserver
