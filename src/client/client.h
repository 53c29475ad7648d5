#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "common/status.h"

// The one way the control plane's parts (scheduler, controllers, kubelet, add-ons) talk to the
// API: typed by resource, objects as JSON, errors as Status codes that mirror the API's (404
// NotFound, 409 Conflict or AlreadyExists, 410 Gone, 422 Invalid, 403 Forbidden, ...). Every
// transport (HTTPS to a server here or elsewhere, or in-process) implements it, so a component
// runs the same wherever it is placed.
namespace tug::client {

using json = nlohmann::json;

// What a call is about: enough to build its URL.
struct Resource {
  std::string group;  // "" for the core group
  std::string version;
  std::string resource;  // plural: "pods"
  bool namespaced = true;

  static Resource of(const api::ResourceInfo& info);
  // A built-in resource by group, version and plural ("apps", "v1", "deployments"); the
  // registry knows its scope. NotFound when there is no such resource.
  static Result<Resource> builtin(std::string_view group, std::string_view version,
                                  std::string_view resource);
};

struct ListOptions {
  std::string labelSelector, fieldSelector;
  int64_t limit = 0;
  std::string continueToken;
  std::string resourceVersion;
  // Watches only: ask for BOOKMARK events (their resourceVersion lets a watch resume late).
  bool allowWatchBookmarks = false;
  int64_t timeoutSeconds = 0;
  // Watches only, and on this side: the events' objects come without metadata.managedFields
  // (the API has no such parameter; the transport leaves the member out as it decodes).
  bool omitManagedFields = false;
};

struct WriteOptions {
  std::string fieldManager;
  bool dryRun = false;
  bool force = false;  // server-side apply: take fields other managers own
};

enum class PatchType { kJson, kMerge, kStrategicMerge, kApply };

struct ObjectList {
  json items = json::array();
  std::string resourceVersion;
  std::string continueToken;
};

// A resource the server serves, as discovery lists it.
struct ServedResource {
  Resource resource;
  std::string kind;
  std::vector<std::string> verbs;
  bool hasVerb(std::string_view verb) const;
};

struct WatchEvent {
  std::string type;  // ADDED, MODIFIED, DELETED, BOOKMARK, ERROR
  json object;
};

// The events of one watch request. next() returns an event, nullopt when `timeout` passed
// without one, or an error when the watch ended: Gone (410: list again), Unavailable (the
// connection or the server ended it: watch again from the last resourceVersion).
class EventStream {
 public:
  virtual ~EventStream() = default;
  virtual Result<std::optional<WatchEvent>> next(std::chrono::milliseconds timeout) = 0;
  virtual void close() = 0;
};

class Client {
 public:
  virtual ~Client() = default;

  virtual Result<json> get(const Resource& r, std::string_view ns, std::string_view name,
                           std::string_view subresource = "") = 0;
  virtual Result<ObjectList> list(const Resource& r, std::string_view ns,
                                  const ListOptions& options = {}) = 0;
  // POST to the collection, or with `name` and `subresource` to a subresource that takes
  // creates (pods/binding, pods/eviction, serviceaccounts/token).
  virtual Result<json> create(const Resource& r, std::string_view ns, const json& obj,
                              const WriteOptions& options = {}, std::string_view name = "",
                              std::string_view subresource = "") = 0;
  // PUT of the object (its metadata.name), or of its status or scale subresource.
  virtual Result<json> update(const Resource& r, std::string_view ns, const json& obj,
                              std::string_view subresource = "",
                              const WriteOptions& options = {}) = 0;
  virtual Result<json> patch(const Resource& r, std::string_view ns, std::string_view name,
                             PatchType type, std::string_view body,
                             std::string_view subresource = "",
                             const WriteOptions& options = {}) = 0;
  // DELETE with DeleteOptions (propagationPolicy, preconditions, ...; {} for none). Returns
  // what the server answered: the object (marked for deletion, or deleted) or a Status.
  virtual Result<json> remove(const Resource& r, std::string_view ns, std::string_view name,
                              const json& deleteOptions = json::object()) = 0;
  // DELETE on the collection: every object the selectors match.
  virtual Status removeCollection(const Resource& r, std::string_view ns,
                                  const ListOptions& selectors = {},
                                  const json& deleteOptions = json::object()) = 0;
  virtual Result<std::unique_ptr<EventStream>> watch(const Resource& r, std::string_view ns,
                                                     const ListOptions& options = {}) = 0;
  // Every resource the server serves now (built-in and custom), in each group's preferred
  // version; subresources are left out.
  virtual Result<std::vector<ServedResource>> serverResources() = 0;
};

// The URL path of a resource's collection or object, with the subresource: the same for
// every transport. `ns` is ignored for cluster-scoped resources.
std::string resourcePath(const Resource& r, std::string_view ns, std::string_view name = "",
                         std::string_view subresource = "");
// "?labelSelector=...&limit=..." (empty when no option is set), values percent-encoded.
std::string listQuery(const ListOptions& options, bool watch);
// The Status code an API answer of `httpCode` with Status body `body` stands for, with the
// server's message.
Status statusFromReply(int httpCode, const json& body);

// `obj` without metadata.managedFields, which is often the largest part of an object and which
// kube-scheduler and kube-controller-manager never read either.
json stripManagedFields(json&& obj);

}  // namespace tug::client
