#pragma once

#include <httplib.h>

#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "apiserver/authenticator.h"
#include "apiserver/metrics.h"
#include "apiserver/route_table.h"
#include "apiserver/user_info.h"
#include "auth/attributes.h"
#include "auth/authorizer.h"

namespace tug::apiserver {

// Decides whether an authenticated user may make a request: nullopt to let it through, or the
// 403 Status object to answer with. The seam where RBAC sits.
class RequestAuthorizer {
 public:
  virtual ~RequestAuthorizer() = default;
  virtual std::optional<nlohmann::json> refuse(const UserInfo& user,
                                               const httplib::Request& req) const = 0;
  // Questions the server asks itself about a user (may the requester impersonate "x"?).
  // Denies unless overridden.
  virtual auth::Decision authorize(const auth::Attributes&) const { return auth::Decision{}; }
};

// A handler for a request whose user is authenticated.
using Handler =
    std::function<void(const httplib::Request&, httplib::Response&, const UserInfo& user)>;

// Where API handlers are registered. Every route added here authenticates first (bad
// credentials get a 401 Status), applies impersonation headers, then asks the authorizer;
// a request without credentials is system:anonymous, and whatever the authorizer refuses it
// (or every request, without an authorizer) is 401 too. Patterns are
// httplib's regular expressions over the path, matched in the order they were added. Each
// route goes to the server and, when there is one, to `table` for in-process requests.
class Routes {
 public:
  // `metrics` (optional) counts every request and times it; `authorizer` (optional) decides
  // what each authenticated user may do.
  Routes(httplib::Server& server, const Authenticator& authenticator,
         RequestMetrics* metrics = nullptr, const RequestAuthorizer* authorizer = nullptr,
         RouteTable* table = nullptr)
      : server_(server), authenticator_(authenticator), metrics_(metrics),
        authorizer_(authorizer), table_(table) {}

  void get(const std::string& pattern, Handler h);
  void post(const std::string& pattern, Handler h);
  void put(const std::string& pattern, Handler h);
  void patch(const std::string& pattern, Handler h);
  void del(const std::string& pattern, Handler h);

 private:
  AuthenticatingHandler wrap(Handler h) const;
  // Adds the route to the server and the table.
  void add(const char* method, const std::string& pattern, Handler h);

  httplib::Server& server_;
  const Authenticator& authenticator_;
  RequestMetrics* metrics_;
  const RequestAuthorizer* authorizer_;
  RouteTable* table_;
};

// Adds a component's routes (discovery, resources, ...). Installed in order before the
// catch-all that answers 404.
using RouteInstaller = std::function<void(Routes&)>;

}  // namespace tug::apiserver
