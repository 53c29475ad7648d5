#include "apiserver/routes.h"

#include <chrono>
#include <variant>

#include "apiserver/impersonation.h"
#include "apiserver/request_labels.h"
#include "apiserver/response.h"

namespace tug::apiserver {

namespace {

void authenticateAndServe(const Authenticator& authenticator,
                          const RequestAuthorizer* authorizer, const Handler& h,
                          const httplib::Request& req, httplib::Response& res,
                          const UserInfo* known) {
  Result<UserInfo> user = known != nullptr ? Result<UserInfo>(*known)
                                           : authenticator.authenticate(Credentials{
                                                 req.ssl, req.get_header_value("Authorization")});
  if (!user.ok()) {
    sendStatus(res, user.status());
    return;
  }
  // A request without credentials is system:anonymous, which RBAC lets read what
  // system:public-info-viewer holds (/healthz, /livez, /readyz, /version); anything else it
  // may not do is 401, not upstream's 403, so that a client without credentials learns that
  // it needs some.
  const bool anonymous = !user->authenticated;
  auto unauthorized = [&res] { sendStatus(res, Status(Code::kUnauthorized, "Unauthorized")); };
  if (authorizer == nullptr) {
    if (anonymous) {
      unauthorized();
      return;
    }
    h(req, res, *user);
    return;
  }
  // Requests from inside the process are authorized like any other: RBAC decides.
  auto acting = impersonate(*user, req.headers, req.target.empty() ? req.path : req.target,
                            [authorizer](const auth::Attributes& a) {
                              return authorizer->authorize(a);
                            });
  if (auto* refusal = std::get_if<ImpersonationRefusal>(&acting)) {
    if (anonymous) {
      unauthorized();
      return;
    }
    res.status = refusal->code;
    res.set_content(refusal->body, refusal->contentType);
    return;
  }
  const UserInfo& who = std::get<UserInfo>(acting);
  if (auto refusal = authorizer->refuse(who, req)) {
    if (anonymous) {
      unauthorized();
      return;
    }
    sendJson(res, refusal->value("code", 403), *refusal);
    return;
  }
  h(req, res, who);
}

}  // namespace

AuthenticatingHandler Routes::wrap(Handler h) const {
  const Authenticator* authenticator = &authenticator_;
  const RequestAuthorizer* authorizer = authorizer_;
  RequestMetrics* metrics = metrics_;
  return [authenticator, authorizer, metrics, h = std::move(h)](
             const httplib::Request& req, httplib::Response& res, const UserInfo* known) {
    if (metrics == nullptr) {
      authenticateAndServe(*authenticator, authorizer, h, req, res, known);
      return;
    }
    auto start = std::chrono::steady_clock::now();
    authenticateAndServe(*authenticator, authorizer, h, req, res, known);
    RequestLabels labels = requestLabels(req);
    metrics->observe(labels, res.status,
                     std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                         .count());
    if (res.content_provider_) {
      // A stream (a watch): open until httplib releases its provider.
      metrics->longRunningStarted(labels);
      auto release = std::move(res.content_provider_resource_releaser_);
      res.content_provider_resource_releaser_ = [metrics, labels,
                                                 release = std::move(release)](bool ok) {
        if (release) {
          release(ok);
        }
        metrics->longRunningEnded(labels);
      };
    }
  };
}

void Routes::add(const char* method, const std::string& pattern, Handler h) {
  AuthenticatingHandler handler = wrap(std::move(h));
  if (table_ != nullptr) {
    table_->add(method, pattern, handler);
  }
  auto fromConnection = [handler](const httplib::Request& req, httplib::Response& res) {
    handler(req, res, nullptr);
  };
  std::string m = method;
  if (m == "GET") {
    server_.Get(pattern, fromConnection);
  } else if (m == "POST") {
    server_.Post(pattern, fromConnection);
  } else if (m == "PUT") {
    server_.Put(pattern, fromConnection);
  } else if (m == "PATCH") {
    server_.Patch(pattern, fromConnection);
  } else {
    server_.Delete(pattern, fromConnection);
  }
}

void Routes::get(const std::string& p, Handler h) { add("GET", p, std::move(h)); }
void Routes::post(const std::string& p, Handler h) { add("POST", p, std::move(h)); }
void Routes::put(const std::string& p, Handler h) { add("PUT", p, std::move(h)); }
void Routes::patch(const std::string& p, Handler h) { add("PATCH", p, std::move(h)); }
void Routes::del(const std::string& p, Handler h) { add("DELETE", p, std::move(h)); }

}  // namespace tug::apiserver
