#include "client/client.h"

#include <algorithm>

namespace tug::client {
namespace {

std::string percentEncode(std::string_view s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

}  // namespace

bool ServedResource::hasVerb(std::string_view verb) const {
  return std::find(verbs.begin(), verbs.end(), verb) != verbs.end();
}

Resource Resource::of(const api::ResourceInfo& info) {
  return Resource{info.group, info.version, info.resource, info.namespaced};
}

Result<Resource> Resource::builtin(std::string_view group, std::string_view version,
                                   std::string_view resource) {
  const api::ResourceInfo* info = api::ResourceRegistry::builtin().find(group, version, resource);
  if (info == nullptr) {
    return notFound("no resource " + std::string(resource) + " in " +
                    (group.empty() ? std::string(version)
                                   : std::string(group) + "/" + std::string(version)));
  }
  return of(*info);
}

std::string resourcePath(const Resource& r, std::string_view ns, std::string_view name,
                         std::string_view subresource) {
  std::string path = r.group.empty() ? "/api/" + r.version : "/apis/" + r.group + "/" + r.version;
  if (r.namespaced && !ns.empty()) {
    path += "/namespaces/" + std::string(ns);
  }
  path += "/" + r.resource;
  if (!name.empty()) {
    path += "/" + std::string(name);
    if (!subresource.empty()) {
      path += "/" + std::string(subresource);
    }
  }
  return path;
}

std::string listQuery(const ListOptions& o, bool watch) {
  std::string q;
  auto add = [&](const char* key, const std::string& value) {
    if (!value.empty()) {
      q += (q.empty() ? "?" : "&") + std::string(key) + "=" + percentEncode(value);
    }
  };
  add("labelSelector", o.labelSelector);
  add("fieldSelector", o.fieldSelector);
  add("limit", o.limit > 0 ? std::to_string(o.limit) : "");
  add("continue", o.continueToken);
  add("resourceVersion", o.resourceVersion);
  if (watch) {
    add("watch", "true");
    add("allowWatchBookmarks", o.allowWatchBookmarks ? "true" : "");
    add("timeoutSeconds", o.timeoutSeconds > 0 ? std::to_string(o.timeoutSeconds) : "");
  }
  return q;
}

Status statusFromReply(int httpCode, const json& body) {
  std::string message = body.is_object() && body.contains("message") && body["message"].is_string()
                            ? body["message"].get<std::string>()
                            : "the server answered " + std::to_string(httpCode);
  std::string reason = body.is_object() ? body.value("reason", "") : "";
  switch (httpCode) {
    case 400: return Status(Code::kBadRequest, message);
    case 401: return Status(Code::kUnauthorized, message);
    case 403: return Status(Code::kForbidden, message);
    case 404: return Status(Code::kNotFound, message);
    case 405:
    case 415: return Status(Code::kUnsupported, message);
    case 409:
      return Status(reason == "AlreadyExists" ? Code::kAlreadyExists : Code::kConflict, message);
    case 410: return Status(Code::kGone, message);
    case 413: return Status(Code::kTooLarge, message);
    case 422: return Status(Code::kInvalid, message);
    case 504: return Status(Code::kTimeout, message);
    case 500: return Status(Code::kInternal, message);
    default: return Status(Code::kUnavailable, message);
  }
}

json stripManagedFields(json&& obj) {
  if (auto m = obj.find("metadata"); m != obj.end() && m->is_object()) {
    m->erase("managedFields");
  }
  return std::move(obj);
}

}  // namespace tug::client
