#include "auth/attributes.h"

#include <cctype>
#include <string_view>

#include "auth/field_selector.h"

namespace tug::auth {
namespace {

// Leading and trailing slashes are dropped; empty segments inside are kept, as upstream does.
std::vector<std::string> splitPath(std::string_view path) {
  while (!path.empty() && path.front() == '/') {
    path.remove_prefix(1);
  }
  while (!path.empty() && path.back() == '/') {
    path.remove_suffix(1);
  }
  std::vector<std::string> parts;
  if (path.empty()) {
    return parts;
  }
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    parts.emplace_back(path.substr(start, slash - start));
    if (slash == std::string_view::npos) {
      return parts;
    }
    start = slash + 1;
  }
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

std::string verbForMethod(std::string_view method) {
  if (method == "POST") {
    return "create";
  }
  if (method == "GET" || method == "HEAD") {
    return "get";
  }
  if (method == "PUT") {
    return "update";
  }
  if (method == "PATCH") {
    return "patch";
  }
  if (method == "DELETE") {
    return "delete";
  }
  return "";
}

// Upstream's path.IsValidPathSegmentName: a name taken from a field selector must be usable as
// a URL segment, or the request is treated as unnamed.
bool isValidPathSegmentName(std::string_view name) {
  return name != "." && name != ".." && name.find('/') == std::string_view::npos &&
         name.find('%') == std::string_view::npos;
}

// Upstream decodes `watch` with Convert_Slice_string_To_bool: anything but "0" and "false" (in
// any case) is true, even an empty value.
bool watchRequested(const std::optional<std::string>& watch) {
  return watch.has_value() && *watch != "0" && lower(*watch) != "false";
}

// GET of a collection: list or watch, about one object when the field selector names it.
void resolveCollectionGet(const HttpRequest& request, Attributes& a) {
  a.verb = watchRequested(request.watch) ? "watch" : "list";
  if (!request.fieldSelector) {
    return;
  }
  auto name = requiredFieldValue(*request.fieldSelector, "metadata.name");
  if (name.ok() && name->has_value() && isValidPathSegmentName(**name)) {
    a.name = **name;
  }
}

}  // namespace

Result<Attributes> requestAttributes(User user, const HttpRequest& request) {
  Attributes a;
  a.user = std::move(user);
  a.path = request.path;
  a.verb = lower(request.method);

  std::vector<std::string> parts = splitPath(request.path);
  if (parts.size() < 3 || (parts[0] != "api" && parts[0] != "apis")) {
    return a;
  }
  size_t i = 1;
  if (parts[0] == "apis") {
    if (parts.size() < 4) {
      return a;  // /apis/<group>/<version>: discovery, not a resource
    }
    a.apiGroup = parts[i++];
  }
  a.resourceRequest = true;
  a.apiVersion = parts[i++];
  std::vector<std::string> rest(parts.begin() + static_cast<std::ptrdiff_t>(i), parts.end());

  if (rest[0] == "watch" || rest[0] == "proxy") {
    if (rest.size() < 2) {
      return internalError("unable to determine kind and namespace from url, " + request.path);
    }
    a.verb = rest[0];
    rest.erase(rest.begin());
  } else {
    a.verb = verbForMethod(request.method);
  }

  if (rest[0] == "namespaces" && rest.size() > 1) {
    a.ns = rest[1];
    // namespaces/<ns>/status and /finalize are the namespace's own subresources.
    if (rest.size() > 2 && rest[2] != "status" && rest[2] != "finalize") {
      rest.erase(rest.begin(), rest.begin() + 2);
    }
  }

  // rest: <resource>[/<name>[/<subresource>[/anything the handler interprets]]]
  a.resource = rest[0];
  if (rest.size() >= 2) {
    a.name = rest[1];
  }
  if (rest.size() >= 3 && a.verb != "proxy") {
    a.subresource = rest[2];
  }

  if (a.name.empty() && a.verb == "get") {
    resolveCollectionGet(request, a);
  }
  if (a.name.empty() && a.verb == "delete") {
    a.verb = "deletecollection";
  }
  return a;
}

}  // namespace tug::auth
