#pragma once

#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

// Authorization: RBAC over roles and bindings held as JSON, as Kubernetes 1.31 evaluates them.
namespace tug::auth {

// Who is asking, as authentication established it. The API server's UserInfo maps to this one
// field for field; authorization needs nothing else about a user.
struct User {
  std::string name;
  std::vector<std::string> groups;
};

// What a request asks to do, as upstream's authorizer.Attributes describe it. Resource requests
// are matched by verb, API group, resource (with subresource), namespace and name; the others
// by verb and path.
struct Attributes {
  User user;
  // For resources: get, list, watch, create, update, patch, delete, deletecollection, proxy (and
  // bind, escalate, ... when the server asks itself). For other paths: the HTTP method in lower
  // case.
  std::string verb;
  bool resourceRequest = false;
  std::string apiGroup, apiVersion, resource, subresource;
  std::string ns;    // "" for cluster-scoped requests
  std::string name;  // "" for collections and creates
  std::string path;  // the URL path; what non-resource rules match
};

// The parts of an HTTP request that decide its attributes.
struct HttpRequest {
  std::string method;                        // GET, HEAD, POST, PUT, PATCH, DELETE, ...
  std::string path;                          // the URL path, without the query
  std::optional<std::string> watch;          // the first `watch` query value, when given
  std::optional<std::string> fieldSelector;  // the first `fieldSelector` query value
};

// The attributes of a request, parsed from its URL exactly as upstream's RequestInfoFactory
// does, so that a rule means here what it means to a Kubernetes cluster. In particular:
//   * /api/<v>/... and /apis/<group>/<v>/... with a resource are resource requests; every other
//     path (/version, /healthz, /apis/apps/v1) is not;
//   * /api/v1/namespaces/<ns> names the namespace <ns> *in* namespace <ns>, so that a
//     RoleBinding there can grant reading its own namespace;
//   * GET of a collection is list, or watch when `watch` is neither "0" nor "false"; a list or
//     watch with fieldSelector `metadata.name=<n>` is about the object <n> (so resourceNames
//     rules can allow it); DELETE of a collection is deletecollection;
//   * the deprecated /watch/ and /proxy/ prefixes give the verbs watch and proxy.
// Internal (upstream answers 500) for a bare /api/v1/watch or /api/v1/proxy.
Result<Attributes> requestAttributes(User user, const HttpRequest& request);

}  // namespace tug::auth
