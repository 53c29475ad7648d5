#include "apiserver/resource_verbs.h"

#include "apiserver/namespace_states.h"
#include "apiserver/object_meta.h"
#include "apiserver/resource_errors.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {

Reply errorReply(const Status& status, const ResourceTarget& target) {
  return Reply{httpCode(status.code()), errorBody(status, *target.info, target.name)};
}

std::optional<bool> parseGoBool(std::string_view v) {
  for (const char* t : {"1", "t", "T", "true", "TRUE", "True"}) {
    if (v == t) {
      return true;
    }
  }
  for (const char* f : {"0", "f", "F", "false", "FALSE", "False"}) {
    if (v == f) {
      return false;
    }
  }
  return std::nullopt;
}

std::string queryParam(const QueryParams& params, const std::string& key) {
  auto it = params.find(key);
  return it == params.end() ? std::string() : it->second;
}

Result<bool> dryRunParam(const QueryParams& params) {
  auto [begin, end] = params.equal_range("dryRun");
  bool dryRun = false;
  for (auto it = begin; it != end; ++it) {
    if (it->second != "All") {
      return badRequest("Invalid dry run value: \"" + it->second + "\": valid value is \"All\"");
    }
    dryRun = true;
  }
  return dryRun;
}

std::string targetKey(const ResourceTarget& target) {
  return api::storageKey(*target.info, target.info->namespaced ? target.ns : "", target.name);
}

Status describeStoreError(const Status& s, const ResourceTarget& target, std::string_view name) {
  switch (s.code()) {
    case Code::kNotFound:
      return resourceNotFound(*target.info, name);
    case Code::kAlreadyExists:
      return resourceExists(*target.info, name);
    case Code::kConflict:
      return resourceConflict(*target.info, name);
    default:
      return s;
  }
}

Result<store::KeyValue> readObject(const VerbContext& ctx, const ResourceTarget& target) {
  auto kv = ctx.store.get(targetKey(target));
  if (!kv.ok()) {
    return describeStoreError(kv.status(), target, target.name);
  }
  return kv;
}

std::optional<Reply> namespaceRefusal(const VerbContext& ctx, const ResourceTarget& target) {
  if (!target.info->namespaced) {
    return std::nullopt;
  }
  const api::ResourceInfo* nsInfo = ctx.registry.find("", "v1", "namespaces");
  ResourceTarget ns{nsInfo, "", target.ns, ""};
  auto known = ctx.namespaces != nullptr ? ctx.namespaces->state(target.ns)
                                         : NamespaceStates::State::kUnknown;
  bool terminating = known == NamespaceStates::State::kTerminating;
  if (known == NamespaceStates::State::kUnknown) {  // not seen yet: the store decides
    auto kv = readObject(ctx, ns);
    if (!kv.ok()) {
      return errorReply(kv.status(), ns);
    }
    // Every write into a namespace asks; one field is read rather than the whole namespace.
    terminating = !storedMetaString(*kv, "deletionTimestamp").empty();
  }
  if (terminating) {
    return errorReply(Status(Code::kForbidden, qualifiedResource(*target.info) +
                                                   " is forbidden: unable to create new content "
                                                   "in namespace " +
                                                   target.ns + " because it is being terminated"),
                      target);
  }
  return std::nullopt;
}

bool awaitsFinalizers(const api::ResourceInfo& info, const nlohmann::json& obj) {
  auto nonEmptyArray = [](const nlohmann::json& parent, const char* object, const char* key) {
    auto o = parent.find(object);
    if (o == parent.end() || !o->is_object()) {
      return false;
    }
    auto f = o->find(key);
    return f != o->end() && f->is_array() && !f->empty();
  };
  if (nonEmptyArray(obj, "metadata", "finalizers")) {
    return true;
  }
  return info.group.empty() && info.resource == "namespaces" &&
         nonEmptyArray(obj, "spec", "finalizers");
}

}  // namespace tug::apiserver
