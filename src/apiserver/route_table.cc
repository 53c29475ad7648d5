#include "apiserver/route_table.h"

#include <string_view>

namespace tug::apiserver {
namespace {

// The pattern's leading plain characters: a path that does not start with them cannot match,
// which a string compare tells far sooner than std::regex does.
std::string literalPrefix(const std::string& pattern) {
  size_t n = pattern.find_first_of(".[]()*+?{}|^$\\");
  std::string prefix = pattern.substr(0, n);
  if (n != std::string::npos && !prefix.empty() && std::string_view("?*{").find(pattern[n]) !=
                                                       std::string_view::npos) {
    prefix.pop_back();  // the quantifier makes the last character optional
  }
  return prefix;
}

}  // namespace

void RouteTable::add(const char* method, const std::string& pattern,
                     AuthenticatingHandler handler) {
  routes_.push_back(Route{method, literalPrefix(pattern), std::regex(pattern), std::move(handler)});
}

const AuthenticatingHandler* RouteTable::find(httplib::Request& req) const {
  for (const Route& r : routes_) {
    if (r.method == req.method && req.path.compare(0, r.literal.size(), r.literal) == 0 &&
        std::regex_match(req.path, req.matches, r.pattern)) {
      return &r.handler;
    }
  }
  return nullptr;
}

}  // namespace tug::apiserver
