#include "apiserver/access_reviews.h"

#include "apiserver/request_body.h"
#include "apiserver/response.h"
#include "apiserver/status_response.h"
#include "auth/attributes.h"
#include "auth/authorizer.h"
#include "auth/policy_rule.h"

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

// The review in the request body: JSON, YAML or protobuf (kubectl 1.33 sends protobuf).
// Null when it does not decode to a JSON object.
json parseBody(const httplib::Request& req, std::string_view kind) {
  auto text = requestBodyToJson(req.get_header_value("Content-Type"), req.body,
                                BodyKind{"authorization.k8s.io/v1", kind});
  json body = text.ok() ? json::parse(*text, nullptr, false) : json();
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

// SelfSubjectReview's status.userInfo: uid and extra only when the authenticator set them.
json userInfoJson(const UserInfo& user) {
  json info = {{"username", user.name}, {"groups", user.groups}};
  if (!user.uid.empty()) {
    info["uid"] = user.uid;
  }
  if (!user.extra.empty()) {
    info["extra"] = user.extra;
  }
  return info;
}

// A SelfSubjectRulesReview answered as upstream's RBAC RulesFor: each rule with resources is a
// resource rule, each with nonResourceURLs a non-resource rule; errors met on the way (a
// binding to a missing role) are reported in evaluationError. The answer's spec stays empty,
// as upstream's does.
void answerRulesReview(const auth::RbacLookup& rbac, const httplib::Request& req,
                       httplib::Response& res, const UserInfo& user) {
  json body = parseBody(req, "SelfSubjectRulesReview");
  if (!body.is_object()) {
    sendStatus(res, badRequest("the request body is not a JSON object"));
    return;
  }
  std::string ns = text(body.value("spec", json::object()), "namespace");
  if (ns.empty()) {
    sendStatus(res, badRequest("no namespace on request"));
    return;
  }
  auth::RuleResolver::Rules rules =
      auth::RbacAuthorizer(rbac).rulesFor(auth::User{user.name, user.groups}, ns);
  json resourceRules = json::array(), nonResourceRules = json::array();
  for (const auth::PolicyRule& r : rules.rules) {
    if (!r.resources.empty()) {
      json rule = {{"verbs", r.verbs}};
      for (auto [key, values] : {std::pair{"apiGroups", &r.apiGroups},
                                 std::pair{"resources", &r.resources},
                                 std::pair{"resourceNames", &r.resourceNames}}) {
        if (!values->empty()) {
          rule[key] = *values;
        }
      }
      resourceRules.push_back(std::move(rule));
    }
    if (!r.nonResourceURLs.empty()) {
      nonResourceRules.push_back({{"verbs", r.verbs}, {"nonResourceURLs", r.nonResourceURLs}});
    }
  }
  json status = {{"resourceRules", std::move(resourceRules)},
                 {"nonResourceRules", std::move(nonResourceRules)},
                 {"incomplete", false}};
  if (!rules.errors.empty()) {
    status["evaluationError"] = auth::aggregateErrors(rules.errors);
  }
  sendJson(res, 201, json{{"apiVersion", "authorization.k8s.io/v1"},
                          {"kind", "SelfSubjectRulesReview"},
                          {"metadata", {{"creationTimestamp", nullptr}}},
                          {"spec", json::object()},
                          {"status", std::move(status)}});
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
                                 {"status", {{"userInfo", userInfoJson(user)}}}};
                  sendJson(res, 201, review);
                });
    auto review = [rbac](bool self, bool local) {
      return [rbac, self, local](const httplib::Request& req, httplib::Response& res,
                                 const UserInfo& user) {
        json body = parseBody(req, self    ? "SelfSubjectAccessReview"
                                   : local ? "LocalSubjectAccessReview"
                                           : "SubjectAccessReview");
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
    routes.post("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews",
                [rbac](const httplib::Request& req, httplib::Response& res,
                       const UserInfo& user) { answerRulesReview(*rbac, req, res, user); });
    routes.post("/apis/authorization.k8s.io/v1/subjectaccessreviews", review(false, false));
    routes.post("/apis/authorization.k8s.io/v1/namespaces/([^/]+)/localsubjectaccessreviews",
                review(false, true));
  };
}

}  // namespace tug::apiserver
