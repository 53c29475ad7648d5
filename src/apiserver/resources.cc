#include "apiserver/resources.h"

#include <memory>
#include <optional>
#include <string_view>

#include "apiserver/encoded_json.h"
#include "apiserver/field_validation.h"
#include "apiserver/namespace_states.h"
#include "apiserver/request_body.h"
#include "apiserver/resource_errors.h"
#include "apiserver/resource_path.h"
#include "apiserver/resource_scale.h"
#include "apiserver/resource_verbs.h"
#include "apiserver/resource_watch.h"
#include "apiserver/response.h"
#include "apiserver/service_allocation.h"
#include "apiserver/status_response.h"
#include "apiserver/table_response.h"
#include "apiserver/watched_keys.h"

namespace tug::apiserver {
namespace {

// Resource URLs: anything with at least a resource segment after the group version. The
// discovery documents (/api, /api/v1, /apis/<g>/<v>) are shorter and stay with discovery.
constexpr const char* kCorePattern = R"(/api/[^/]+/[^/]+.*)";
constexpr const char* kGroupPattern = R"(/apis/[^/]+/[^/]+/[^/]+.*)";

enum class Method { kGet, kPost, kPut, kDelete, kPatch };

struct Dispatch {
  const char* verb;  // the discovery verb the request needs
  Reply (*run)(const VerbContext&, const VerbRequest&);
  bool streams = false;  // answered by a stream instead of `run` (watch)
};

// Which verb a request is, by method and URL shape, as upstream's request info decides.
// nullptr run: the combination is not served (yet); the verb names it in the 405.
Dispatch route(Method m, const ResourceTarget& t, const QueryParams& params) {
  const bool named = !t.name.empty();
  const bool status = t.subresource == "status";
  const bool scale = t.subresource == "scale";
  switch (m) {
    case Method::kGet:
      if (!named) {
        return parseGoBool(queryParam(params, "watch")).value_or(false) ? Dispatch{"watch", nullptr, true}
                                                   : Dispatch{"list", listResources};
      }
      if (scale) {
        return Dispatch{"get", getScale};
      }
      return Dispatch{"get", t.subresource.empty() || status ? getResource : nullptr};
    case Method::kPost:
      return Dispatch{"create", !named ? createResource : nullptr};
    case Method::kPut:
      if (!named) {
        return Dispatch{"update", nullptr};
      }
      return Dispatch{"update", status                  ? updateStatus
                                : scale                 ? updateScale
                                : t.subresource == "finalize" ? updateFinalize
                                : t.subresource.empty() ? updateResource
                                                        : nullptr};
    case Method::kDelete:
      if (!named) {
        return Dispatch{"deletecollection", deleteCollection};
      }
      return Dispatch{"delete", t.subresource.empty() ? deleteResource : nullptr};
    case Method::kPatch:
      return Dispatch{"patch",
                      named && (t.subresource.empty() || status || scale) ? patchResource : nullptr};
  }
  return Dispatch{"get", nullptr};
}

bool verbAllowed(const ResourceTarget& t, std::string_view verb) {
  if (t.subresource.empty()) {
    return t.info->hasVerb(verb);
  }
  const api::SubresourceInfo* sub = t.info->subresource(t.subresource);
  return sub != nullptr &&
         std::find(sub->verbs.begin(), sub->verbs.end(), verb) != sub->verbs.end();
}

// POST and PUT bodies in JSON, YAML or protobuf, as JSON text for the verbs. PATCH bodies are
// checked by the patch verb, which knows which patch types the resource takes.
Result<std::string> acceptableBody(const httplib::Request& req, const ResourceTarget& target) {
  const api::SubresourceInfo* sub =
      target.subresource.empty() ? nullptr : target.info->subresource(target.subresource);
  std::string apiVersion = target.info->groupVersion();
  std::string kind = target.info->kind;
  if (sub != nullptr && !sub->kind.empty()) {
    kind = sub->kind;
    if (!sub->version.empty()) {
      apiVersion = sub->group.empty() ? sub->version : sub->group + "/" + sub->version;
    }
  }
  return requestBodyToJson(req.get_header_value("Content-Type"), req.body,
                           BodyKind{apiVersion, kind, target.info->builtin});
}

// Unsupported is a body in a media type the resource does not take: upstream's 415.
Reply sendUnsupportedMediaType(const Status& status) {
  if (status.code() != Code::kUnsupported) {
    return Reply{httpCode(status.code()), statusObject(status)};
  }
  nlohmann::json body = statusObject(status);
  body["code"] = 415;
  body["reason"] = "UnsupportedMediaType";
  return Reply{415, std::move(body)};
}

// The deprecated /watch/ URLs become the watch they stand for: ?watch=true, and a named
// object becomes a field selector on its name.
void legacyWatchParams(ResourceTarget& target, QueryParams& params) {
  params.erase("watch");
  params.emplace("watch", "true");
  if (!target.name.empty()) {
    std::string selector = queryParam(params, "fieldSelector");
    params.erase("fieldSelector");
    params.emplace("fieldSelector", (selector.empty() ? "" : selector + ",") +
                                        "metadata.name=" + target.name);
    target.name.clear();
  }
}

// The handler of a POST to a named object's subresource, or nullptr when none is served.
const SubresourceCreate* subresourceCreator(const SubresourceCreators& creators,
                                            const ResourceTarget& t) {
  if (t.name.empty() || t.subresource.empty() || !t.info->builtin) {
    return nullptr;
  }
  auto it = creators.find(t.info->resource + "/" + t.subresource);
  return it == creators.end() ? nullptr : &it->second;
}

// nullopt when the request is answered by a stream already set up on `res`.
std::optional<Reply> serve(const VerbContext& ctx, const SubresourceCreators& creators,
                           Method method, const httplib::Request& req, httplib::Response& res,
                           const UserInfo& user) {
  auto path = parseResourcePath(req.path);
  if (!path.ok()) {
    return Reply{404, statusObject(path.status())};
  }
  auto target = resolveResourcePath(ctx.registry, *path);
  if (!target.ok()) {
    return Reply{httpCode(target.status().code()), statusObject(target.status())};
  }
  // A namespaced object needs its namespace in the URL; only collections span namespaces.
  if (target->info->namespaced && target->ns.empty() && !target->name.empty()) {
    return Reply{404, statusObject(notFound("the server could not find the requested resource"))};
  }
  QueryParams params(req.params.begin(), req.params.end());
  // Authorization reads any watch value but "0" and "false" as a watch; a value Go's ParseBool
  // does not read is refused (as upstream's decoder does) rather than served as a list.
  if (std::string w = queryParam(params, "watch"); params.count("watch") && !parseGoBool(w)) {
    return Reply{400, statusObject(badRequest("invalid value for watch: \"" + w + "\""))};
  }
  if (path->legacyWatch) {
    if (method != Method::kGet) {
      return Reply{404, statusObject(notFound("the server could not find the requested resource"))};
    }
    legacyWatchParams(*target, params);
  }
  Dispatch d = route(method, *target, params);
  const SubresourceCreate* creator =
      method == Method::kPost ? subresourceCreator(creators, *target) : nullptr;
  // Resources without get (tokenreviews, bindings, ...) are not stored objects: their
  // handlers come with their features.
  bool stored = target->info->hasVerb("get");
  bool crossNamespaceWrite = target->info->namespaced && target->ns.empty() &&
                             (method == Method::kPost || method == Method::kDelete);
  bool served = d.run != nullptr || d.streams || creator != nullptr;
  if (!verbAllowed(*target, d.verb) || !served || !stored || crossNamespaceWrite) {
    return errorReply(verbNotSupported(d.verb, *target->info), *target);
  }
  if (d.streams) {
    // httplib gzips a JSON response whenever the client accepts gzip (Go clients always do),
    // and its compressor holds events back until a block fills: a watch must not be delayed,
    // so it is served uncompressed, as upstream does. httplib reads Accept-Encoding after the
    // handler returns, from its own (non-const) request object.
    const_cast<httplib::Request&>(req).headers.erase("Accept-Encoding");
    VerbRequest watch{*target, std::move(params), req.body};
    watch.accept = req.get_header_value("Accept");
    return startWatch(ctx, watch, res);
  }
  if (method == Method::kGet) {
    // Reads answer in the form Accept asks for: JSON, a Table, or PartialObjectMetadata.
    VerbRequest read{*target, std::move(params), req.body};
    read.accept = req.get_header_value("Accept");
    return renderAsAccepted(d.run(ctx, read), read);
  }
  std::string body = req.body;
  if (method == Method::kPost || method == Method::kPut) {
    auto json = acceptableBody(req, *target);
    if (!json.ok()) {
      return sendUnsupportedMediaType(json.status());
    }
    body = std::move(*json);
  }
  VerbRequest write{*target, std::move(params), std::move(body),
                    req.get_header_value("Content-Type"), req.get_header_value("User-Agent")};
  write.user = &user;
  if (creator != nullptr) {
    if (auto refused = admitSubresourceCreate(ctx, write)) {
      return *refused;
    }
  }
  return creator != nullptr ? (*creator)(ctx, write) : d.run(ctx, write);
}

// What admission reads of the store on every write, kept in memory from watches.
struct WatchedState {
  NamespaceStates namespaces;
  WatchedKeys quotas;
  WatchedKeys limitRanges;

  WatchedState(store::Store& store, const api::ResourceRegistry& registry)
      : namespaces(store, collectionKey(registry, "namespaces")),
        quotas(store, collectionKey(registry, "resourcequotas"), noDigest),
        limitRanges(store, collectionKey(registry, "limitranges"), noDigest) {}

  static std::string noDigest(const store::KeyValue&) { return std::string(); }

  // "/registry/<resource>/": the prefix of a built-in core resource's keys.
  static std::string collectionKey(const api::ResourceRegistry& registry, const char* resource) {
    return api::storageKey(*registry.find("", "v1", resource), "", "");
  }
};

Handler handler(store::Store& store, const ApiCatalog& catalog,
                std::shared_ptr<const SubresourceCreators> creators,
                std::shared_ptr<ServiceAllocation> services, PodDefaults podDefaults,
                Method method, const RequesterAdmission* admission,
                std::shared_ptr<const WatchedState> watched) {
  return [&store, &catalog, creators, services, podDefaults, method, admission, watched](
             const httplib::Request& req, httplib::Response& res, const UserInfo& user) {
    auto registry = catalog.snapshot();
    VerbContext ctx{store,
                    *registry,
                    registry,
                    services.get(),
                    podDefaults,
                    admission,
                    &watched->namespaces,
                    &watched->quotas,
                    &watched->limitRanges};
    std::optional<Reply> reply;
    try {
      reply = serve(ctx, *creators, method, req, res, user);
    } catch (const nlohmann::json::exception& e) {
      // Shapes the verbs did not expect (a label that is a number, ...) are the client's.
      reply = Reply{400, statusObject(badRequest(std::string("malformed object: ") + e.what()))};
    }
    if (reply) {
      addWarningHeaders(res, reply->warnings);
      sendJson(req, res, reply->code,
               reply->encoded ? encodedJson(std::move(*reply->encoded)) : std::move(reply->body));
    }
  };
}

}  // namespace

RouteInstaller resourcesInstaller(store::Store& store, const ApiCatalog& catalog,
                                  SubresourceCreators creators, const ServiceRanges& ranges,
                                  const PodDefaults& podDefaults,
                                  const RequesterAdmission* admission) {
  auto shared = std::make_shared<const SubresourceCreators>(std::move(creators));
  auto services = std::make_shared<ServiceAllocation>(store, ranges);
  auto watched = std::make_shared<const WatchedState>(store, *catalog.snapshot());
  return [&store, &catalog, shared, services, podDefaults, admission, watched](Routes& routes) {
    for (const char* pattern : {kCorePattern, kGroupPattern}) {
      for (Method m : {Method::kGet, Method::kPost, Method::kPut, Method::kDelete,
                       Method::kPatch}) {
        Handler h =
            handler(store, catalog, shared, services, podDefaults, m, admission, watched);
        switch (m) {
          case Method::kGet: routes.get(pattern, std::move(h)); break;
          case Method::kPost: routes.post(pattern, std::move(h)); break;
          case Method::kPut: routes.put(pattern, std::move(h)); break;
          case Method::kDelete: routes.del(pattern, std::move(h)); break;
          case Method::kPatch: routes.patch(pattern, std::move(h)); break;
        }
      }
    }
  };
}

Status bootstrapNamespaces(store::Store& store, const api::ResourceRegistry& registry) {
  const api::ResourceInfo* info = registry.find("", "v1", "namespaces");
  if (info == nullptr) {
    return internalError("the registry has no namespaces resource");
  }
  VerbContext ctx{store, registry};
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    ResourceTarget target{info, "", "", ""};
    nlohmann::json body = {{"metadata", {{"name", name}}}};
    // Recorded in managedFields as upstream's server records what it creates itself.
    Reply r = createResource(ctx, VerbRequest{target, {{"fieldManager", "kube-apiserver"}},
                                              body.dump()});
    if (r.code != 201 && r.code != 409) {
      return Status(Code::kInternal, "creating namespace " + std::string(name) + ": " +
                                         r.body.value("message", r.body.dump()));
    }
  }
  return Status::ok();
}

}  // namespace tug::apiserver
