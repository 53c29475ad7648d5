#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/resource_registry.h"
#include "apiserver/resource_path.h"
#include "apiserver/user_info.h"
#include "common/status.h"
#include "store/store.h"

// The REST verbs on stored resources, free of HTTP: each takes a resolved request and answers
// with an HTTP code and a JSON body (the object, a list, or a metav1.Status). One file per verb.
namespace tug::apiserver {

using QueryParams = std::multimap<std::string, std::string>;

class ServiceAllocation;
class RequesterAdmission;
class NamespaceStates;
class WatchedKeys;

// What the DefaultTolerationSeconds admission gives every new pod: how long it stays bound
// to a node that is not ready or unreachable before it is evicted.
struct PodDefaults {
  int64_t notReadyTolerationSeconds = 300;
  int64_t unreachableTolerationSeconds = 300;
};

struct VerbContext {
  store::Store& store;
  const api::ResourceRegistry& registry;
  // Owns `registry` when it is a snapshot of the served registry (which changes with CRDs):
  // a request that outlives its handler (a watch) keeps it, and so the ResourceInfo it uses.
  std::shared_ptr<const api::ResourceRegistry> registryOwner = nullptr;
  // Cluster IPs and node ports for Services; nullptr: Services are stored as given.
  ServiceAllocation* services = nullptr;
  PodDefaults podDefaults{};
  // Checks that depend on who writes (RBAC escalation, node restriction); nullptr: none.
  const RequesterAdmission* admission = nullptr;
  // Which namespaces exist and which are being deleted; nullptr: the store is read each time.
  const NamespaceStates* namespaces = nullptr;
  // The ResourceQuotas' keys ("<namespace>/<name>"), for the quota check every write makes;
  // nullptr: the store is read each time.
  const WatchedKeys* quotas = nullptr;
  // The LimitRanges' keys, likewise, for the defaults and limits of every pod create.
  const WatchedKeys* limitRanges = nullptr;
};

struct VerbRequest {
  ResourceTarget target;
  QueryParams params;
  std::string body;
  std::string contentType;  // the request's Content-Type header
  std::string userAgent;    // names the field manager of writes without a fieldManager
  std::string accept;  // the Accept header: JSON, Table or PartialObjectMetadata
  // Who asks (set for requests that came over HTTP; admission checks that depend on the
  // requester, such as RBAC escalation or node restriction, read it).
  const UserInfo* user = nullptr;
};

struct Reply {
  int code = 200;
  nlohmann::json body;
  std::vector<std::string> warnings;  // sent as Warning headers (field validation, ...)
  // `body` as JSON text already, when the verb has it at hand (a create serves the text it
  // stored): sent instead of printing `body` again. Code that changes `body` resets it.
  std::optional<std::vector<std::uint8_t>> encoded;
};

Reply getResource(const VerbContext& ctx, const VerbRequest& req);
Reply listResources(const VerbContext& ctx, const VerbRequest& req);
Reply createResource(const VerbContext& ctx, const VerbRequest& req);
Reply updateResource(const VerbContext& ctx, const VerbRequest& req);
Reply updateStatus(const VerbContext& ctx, const VerbRequest& req);
Reply deleteResource(const VerbContext& ctx, const VerbRequest& req);
Reply deleteCollection(const VerbContext& ctx, const VerbRequest& req);
// PATCH on an object or its status; the Content-Type (VerbRequest::contentType) picks the
// patch type. See resource_patch.cc.
Reply patchResource(const VerbContext& ctx, const VerbRequest& req);

// Shared by the verbs.

// Turns the stored object (`current`, with its resourceVersion) into the one to write in
// `next` (a copy of `current` on entry); an error Status becomes the reply.
using Mutation = std::function<Status(nlohmann::json& next, const nlohmann::json& current)>;
// The write loop of PUT and PATCH: read, check `expected` (0: unconditional), mutate, write
// if anything changed (dryRun=All: write nothing), and on a conflict with another writer
// read and mutate again when unconditional. Answers 200 with the written object.
Reply writeUpdate(const VerbContext& ctx, const VerbRequest& req, store::Revision expected,
                  const Mutation& mutate);
// The main resource's step of PUT and PATCH: `given` becomes `next`, checked by admission
// (whose 422 goes to `reply`, as a Status cannot carry its causes) and with server-managed
// metadata and, for resources with a status subresource, .status kept from `current`.
Status takeObject(nlohmann::json& next, const nlohmann::json& current, nlohmann::json given,
                  const api::ResourceInfo& info, std::optional<Reply>& reply);
// The status subresource's step: only .status comes from `given`.
void takeStatus(nlohmann::json& next, const nlohmann::json& given);

// PUT on namespaces/<name>/finalize: only spec.finalizers changes (the namespace controller
// removes "kubernetes" there once the namespace is empty).
Reply updateFinalize(const VerbContext& ctx, const VerbRequest& req);

// Whether a delete only marks the object: it has finalizers, or it is a namespace whose
// spec.finalizers are not done (its content is still being removed).
bool awaitsFinalizers(const api::ResourceInfo& info, const nlohmann::json& obj);

// The objects a list request selects, decoded, with where the list stopped.
struct Listed {
  std::vector<nlohmann::json> items;
  store::Revision revision = 0;
  std::string continueToken;
  std::optional<int64_t> remaining;  // known only when nothing was filtered out
};
// Reads the target's collection honouring labelSelector, fieldSelector, limit, continue,
// resourceVersion and resourceVersionMatch. Errors: BadRequest for bad parameters, Gone
// (410 Expired) for a compacted revision or continue token.
Result<Listed> listMatching(const VerbContext& ctx, const VerbRequest& req);

// The Status reply for an error about the request's target object.
Reply errorReply(const Status& status, const ResourceTarget& target);
// Go's strconv.ParseBool, as upstream reads boolean parameters (watch, force, ...):
// 1 t T true TRUE True / 0 f F false FALSE False; nullopt for anything else.
std::optional<bool> parseGoBool(std::string_view value);
// The first value of a query parameter, or "" when absent.
std::string queryParam(const QueryParams& params, const std::string& key);
// dryRun=All (any number of times): true; absent: false; anything else: BadRequest.
Result<bool> dryRunParam(const QueryParams& params);
// The object at the target's key; NotFound with upstream's message when it is absent.
Result<store::KeyValue> readObject(const VerbContext& ctx, const ResourceTarget& target);
// For writes into a namespace: a reply when the namespace is missing (404 about the
// namespace) or being deleted (403, as upstream refuses new content there).
std::optional<Reply> namespaceRefusal(const VerbContext& ctx, const ResourceTarget& target);
// The store key of the target object (or of its namespace's/resource's prefix without a name).
std::string targetKey(const ResourceTarget& target);
// Maps the store's NotFound/AlreadyExists/Conflict about the target to upstream's messages.
Status describeStoreError(const Status& s, const ResourceTarget& target, std::string_view name);

}  // namespace tug::apiserver
