#include "apiserver/routes.h"

#include "apiserver/response.h"

namespace tug::apiserver {

httplib::Server::Handler Routes::wrap(Handler h) const {
  const Authenticator* authenticator = &authenticator_;
  return [authenticator, h = std::move(h)](const httplib::Request& req, httplib::Response& res) {
    auto user = authenticator->authenticate(
        Credentials{req.ssl, req.get_header_value("Authorization")});
    if (!user.ok()) {
      sendStatus(res, user.status());
      return;
    }
    if (!user->authenticated) {
      sendStatus(res, Status(Code::kUnauthorized, "Unauthorized"));
      return;
    }
    h(req, res, *user);
  };
}

void Routes::get(const std::string& p, Handler h) { server_.Get(p, wrap(std::move(h))); }
void Routes::post(const std::string& p, Handler h) { server_.Post(p, wrap(std::move(h))); }
void Routes::put(const std::string& p, Handler h) { server_.Put(p, wrap(std::move(h))); }
void Routes::patch(const std::string& p, Handler h) { server_.Patch(p, wrap(std::move(h))); }
void Routes::del(const std::string& p, Handler h) { server_.Delete(p, wrap(std::move(h))); }

}  // namespace tug::apiserver
