#include "auth/forbidden.h"

#include "common/go_quote.h"

namespace tug::auth {
namespace {

std::string sanitize(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Upstream's forbiddenMessage: who cannot do what, where.
std::string denial(const Attributes& a) {
  std::string who = "User " + goQuote(a.user.name) + " cannot " + a.verb;
  if (!a.resourceRequest) {
    return who + " path " + goQuote(a.path);
  }
  std::string resource = a.resource;
  if (!a.subresource.empty()) {
    resource += "/" + a.subresource;
  }
  std::string what =
      who + " resource " + goQuote(resource) + " in API group " + goQuote(a.apiGroup);
  if (!a.ns.empty()) {
    return what + " in the namespace " + goQuote(a.ns);
  }
  return what + " at the cluster scope";
}

}  // namespace

std::string forbiddenMessage(const Attributes& request, std::string_view reason) {
  std::string detail = sanitize(denial(request));
  if (!reason.empty()) {
    detail += ": " + std::string(reason);
  }
  // apierrors.NewForbidden: the qualified resource (never the subresource), then the name.
  if (request.resource.empty() && request.apiGroup.empty()) {
    return "forbidden: " + detail;
  }
  std::string qualified = request.resource;
  if (!request.apiGroup.empty()) {
    qualified += "." + request.apiGroup;
  }
  if (request.name.empty()) {
    return qualified + " is forbidden: " + detail;
  }
  return qualified + " " + goQuote(request.name) + " is forbidden: " + detail;
}

Status forbidden(const Attributes& request, std::string_view reason) {
  return Status(Code::kForbidden, forbiddenMessage(request, reason));
}

}  // namespace tug::auth
