#include "apiserver/resource_path.h"

#include <vector>

namespace tug::apiserver {
namespace {

std::vector<std::string> splitPath(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) {
      slash = path.size();
    }
    parts.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

Status notAResource() { return notFound("the server could not find the requested resource"); }

// Subresources of a namespace that share the shape of namespaces/<ns>/<resource>.
bool isNamespaceSubresource(std::string_view s) { return s == "status" || s == "finalize"; }

}  // namespace

Result<ResourcePath> parseResourcePath(std::string_view path) {
  if (path.empty() || path[0] != '/') {
    return notAResource();
  }
  std::vector<std::string> parts = splitPath(path.substr(1));
  // A trailing slash (python sends them) adds nothing.
  if (!parts.empty() && parts.back().empty()) {
    parts.pop_back();
  }
  ResourcePath out;
  size_t i = 0;
  if (parts.size() >= 2 && parts[0] == "api") {
    out.version = parts[1];
    i = 2;
  } else if (parts.size() >= 3 && parts[0] == "apis") {
    out.group = parts[1];
    out.version = parts[2];
    i = 3;
  } else {
    return notAResource();
  }
  std::vector<std::string> rest(parts.begin() + static_cast<std::ptrdiff_t>(i), parts.end());
  // The deprecated watch prefix: /api/v1/watch/namespaces/<ns>/pods[/<name>].
  if (rest.size() >= 2 && rest[0] == "watch") {
    out.legacyWatch = true;
    rest.erase(rest.begin());
  }
  if (rest.size() >= 3 && rest[0] == "namespaces" &&
      !(rest.size() == 3 && isNamespaceSubresource(rest[2]))) {
    out.ns = rest[1];
    out.namespacedUrl = true;
    rest.erase(rest.begin(), rest.begin() + 2);
  }
  if (rest.empty() || rest.size() > 3) {
    return notAResource();
  }
  for (const std::string& p : rest) {
    if (p.empty()) {
      return notAResource();
    }
  }
  out.resource = rest[0];
  if (rest.size() > 1) {
    out.name = rest[1];
  }
  if (rest.size() > 2) {
    if (out.legacyWatch) {
      return notAResource();  // subresources cannot be watched
    }
    out.subresource = rest[2];
  }
  return out;
}

bool isValidPathSegmentName(std::string_view name) {
  if (name.empty() || name == "." || name == "..") {
    return false;
  }
  for (char c : name) {
    if (c == '/' || c == '%' || c <= ' ' || c > '~') {
      return false;
    }
  }
  return true;
}

Result<ResourceTarget> resolveResourcePath(const api::ResourceRegistry& registry,
                                           const ResourcePath& path) {
  const api::ResourceInfo* info = registry.find(path.group, path.version, path.resource);
  if (info == nullptr || (path.namespacedUrl && !info->namespaced)) {
    return notAResource();
  }
  if (!path.subresource.empty() && info->subresource(path.subresource) == nullptr) {
    return notAResource();
  }
  for (const std::string* s : {&path.ns, &path.name}) {
    if (!s->empty() && !isValidPathSegmentName(*s)) {
      return badRequest("invalid name in the request path: \"" + *s + "\"");
    }
  }
  return ResourceTarget{info, path.ns, path.name, path.subresource};
}

std::string qualifiedResource(const api::ResourceInfo& info) {
  return info.group.empty() ? info.resource : info.resource + "." + info.group;
}

}  // namespace tug::apiserver
