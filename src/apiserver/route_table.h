#pragma once

#include <httplib.h>

#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "apiserver/user_info.h"

namespace tug::apiserver {

// A route's handler with authentication and authorization around it. `known` is the user when
// the caller already knows who it is (a request from inside the process); nullptr means
// authenticate the request's credentials.
using AuthenticatingHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const UserInfo* known)>;

// The API routes again, for requests that arrive without a connection: httplib keeps its
// routes to itself, so Routes records each one here too, in the same order.
class RouteTable {
 public:
  void add(const char* method, const std::string& pattern, AuthenticatingHandler handler);
  // The first route of `method` whose pattern matches all of `req.path`, as httplib picks
  // it; fills `req.matches`. nullptr when none does.
  const AuthenticatingHandler* find(httplib::Request& req) const;

 private:
  struct Route {
    std::string method;
    std::string literal;  // what every path the pattern matches starts with
    std::regex pattern;
    AuthenticatingHandler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace tug::apiserver
