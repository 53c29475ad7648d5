#include "apiserver/route_table.h"

namespace tug::apiserver {

void RouteTable::add(const char* method, const std::string& pattern,
                     AuthenticatingHandler handler) {
  routes_.push_back(Route{method, std::regex(pattern), std::move(handler)});
}

const AuthenticatingHandler* RouteTable::find(httplib::Request& req) const {
  for (const Route& r : routes_) {
    if (r.method == req.method && std::regex_match(req.path, req.matches, r.pattern)) {
      return &r.handler;
    }
  }
  return nullptr;
}

}  // namespace tug::apiserver
