#include "apiserver/routes.h"

#include <chrono>

#include "apiserver/request_labels.h"
#include "apiserver/response.h"

namespace tug::apiserver {

namespace {

void authenticateAndServe(const Authenticator& authenticator,
                          const RequestAuthorizer* authorizer, const Handler& h,
                          const httplib::Request& req, httplib::Response& res) {
  auto user =
      authenticator.authenticate(Credentials{req.ssl, req.get_header_value("Authorization")});
  if (!user.ok()) {
    sendStatus(res, user.status());
    return;
  }
  if (!user->authenticated) {
    sendStatus(res, Status(Code::kUnauthorized, "Unauthorized"));
    return;
  }
  if (authorizer != nullptr) {
    if (auto refusal = authorizer->refuse(*user, req)) {
      sendJson(res, refusal->value("code", 403), *refusal);
      return;
    }
  }
  h(req, res, *user);
}

}  // namespace

httplib::Server::Handler Routes::wrap(Handler h) const {
  const Authenticator* authenticator = &authenticator_;
  const RequestAuthorizer* authorizer = authorizer_;
  RequestMetrics* metrics = metrics_;
  return [authenticator, authorizer, metrics, h = std::move(h)](const httplib::Request& req,
                                                                httplib::Response& res) {
    if (metrics == nullptr) {
      authenticateAndServe(*authenticator, authorizer, h, req, res);
      return;
    }
    auto start = std::chrono::steady_clock::now();
    authenticateAndServe(*authenticator, authorizer, h, req, res);
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

void Routes::get(const std::string& p, Handler h) { server_.Get(p, wrap(std::move(h))); }
void Routes::post(const std::string& p, Handler h) { server_.Post(p, wrap(std::move(h))); }
void Routes::put(const std::string& p, Handler h) { server_.Put(p, wrap(std::move(h))); }
void Routes::patch(const std::string& p, Handler h) { server_.Patch(p, wrap(std::move(h))); }
void Routes::del(const std::string& p, Handler h) { server_.Delete(p, wrap(std::move(h))); }

}  // namespace tug::apiserver
