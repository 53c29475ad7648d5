#include "apiserver/object_meta.h"
#include "apiserver/resource_errors.h"
#include "apiserver/resource_verbs.h"
#include "apiserver/service_allocation.h"

namespace tug::apiserver {
namespace {

// An unconditional delete re-reads and retries when another write slips in between.
constexpr int kUnconditionalAttempts = 16;

// The parts of a DeleteOptions body this server honours.
struct DeleteOptions {
  std::string uid, resourceVersion;  // preconditions
  bool dryRun = false;
};

// The body is optional (kubectl sends one, python often does not); dryRun may also come as a
// query parameter.
Result<DeleteOptions> parseDeleteOptions(const VerbRequest& req) {
  DeleteOptions o;
  auto dry = dryRunParam(req.params);
  if (!dry.ok()) {
    return dry.status();
  }
  o.dryRun = *dry;
  if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    return o;
  }
  auto body = parseObject(req.body);
  if (!body.ok()) {
    return body.status();
  }
  if (!body->is_object()) {
    return badRequest("DeleteOptions must be a JSON object");
  }
  try {
    if (auto p = body->find("preconditions"); p != body->end() && p->is_object()) {
      o.uid = p->value("uid", "");
      o.resourceVersion = p->value("resourceVersion", "");
    }
    if (auto d = body->find("dryRun"); d != body->end() && d->is_array()) {
      for (const auto& v : *d) {
        if (v != "All") {
          return badRequest("Invalid dry run value: " + v.dump() + ": valid value is \"All\"");
        }
        o.dryRun = true;
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return badRequest(std::string("invalid DeleteOptions: ") + e.what());
  }
  return o;
}

Status checkPreconditions(const DeleteOptions& o, const nlohmann::json& obj,
                          const ResourceTarget& target) {
  std::string uid = metaString(obj, "uid");
  if (!o.uid.empty() && o.uid != uid) {
    return resourceConflict(
        *target.info, target.name,
        "Precondition failed: UID in precondition: " + o.uid + ", UID in object meta: " + uid);
  }
  std::string rv = metaString(obj, "resourceVersion");
  if (!o.resourceVersion.empty() && o.resourceVersion != rv) {
    return resourceConflict(*target.info, target.name,
                            "Precondition failed: ResourceVersion in precondition: " +
                                o.resourceVersion + ", ResourceVersion in object meta: " + rv);
  }
  return Status::ok();
}

// Deletes one object; one with finalizers only gets its deletionTimestamp and stays until an
// update removes the last finalizer. Answers with the object as it was deleted (or marked).
Result<nlohmann::json> deleteOne(const VerbContext& ctx, const ResourceTarget& target,
                                 const DeleteOptions& options) {
  const std::string key = targetKey(target);
  for (int attempt = 0; attempt < kUnconditionalAttempts; ++attempt) {
    auto kv = readObject(ctx, target);
    if (!kv.ok()) {
      return kv.status();
    }
    auto obj = decodeStored(*kv, *target.info);
    if (!obj.ok()) {
      return obj.status();
    }
    if (Status s = checkPreconditions(options, *obj, target); !s.isOk()) {
      return s;
    }
    const bool mark = awaitsFinalizers(*target.info, *obj);
    if (mark && metaString(*obj, "deletionTimestamp").empty()) {
      (*obj)["metadata"]["deletionTimestamp"] = nowTimestamp();
      (*obj)["metadata"]["deletionGracePeriodSeconds"] = 0;
      if (target.info->group.empty() && target.info->resource == "namespaces") {
        (*obj)["status"]["phase"] = "Terminating";
      }
    } else if (mark) {
      return obj;  // already waiting for its finalizers
    }
    if (options.dryRun) {
      return obj;
    }
    Result<store::KeyValue> written = internalError("unreachable");
    if (mark) {
      clearResourceVersion(*obj);
      written = ctx.store.update(key, obj->dump(), kv->modRevision);
      if (written.ok()) {
        setResourceVersion(*obj, written->modRevision);
      }
    } else {
      written = ctx.store.remove(key, kv->modRevision);
      if (written.ok() && ctx.services != nullptr && allocatesServiceAddresses(*target.info)) {
        ctx.services->release(*obj, nullptr);
      }
    }
    if (written.ok()) {
      return obj;
    }
    if (written.status().code() != Code::kConflict) {
      return describeStoreError(written.status(), target, target.name);
    }
  }
  return resourceConflict(*target.info, target.name);
}

// Namespaces every cluster relies on; upstream refuses to delete them.
bool isProtectedNamespace(const ResourceTarget& t) {
  return t.info->group.empty() && t.info->resource == "namespaces" &&
         (t.name == "default" || t.name == "kube-system" || t.name == "kube-public");
}

}  // namespace

Reply deleteResource(const VerbContext& ctx, const VerbRequest& req) {
  auto options = parseDeleteOptions(req);
  if (!options.ok()) {
    return errorReply(options.status(), req.target);
  }
  if (isProtectedNamespace(req.target)) {
    return errorReply(Status(Code::kForbidden, "namespaces \"" + req.target.name +
                                                   "\" is forbidden: this namespace may not be "
                                                   "deleted"),
                      req.target);
  }
  auto obj = deleteOne(ctx, req.target, *options);
  if (!obj.ok()) {
    return errorReply(obj.status(), req.target);
  }
  return Reply{200, std::move(*obj)};
}

// DELETE on a collection: every object the selectors match, each deleted as by DELETE.
// Answers with the list of what was deleted.
Reply deleteCollection(const VerbContext& ctx, const VerbRequest& req) {
  auto options = parseDeleteOptions(req);
  if (!options.ok()) {
    return errorReply(options.status(), req.target);
  }
  // Preconditions name one object; they make no sense for a collection.
  options->uid.clear();
  options->resourceVersion.clear();
  VerbRequest listReq{req.target, {}, ""};
  for (const char* p : {"labelSelector", "fieldSelector"}) {
    if (std::string v = queryParam(req.params, p); !v.empty()) {
      listReq.params.emplace(p, v);
    }
  }
  auto listed = listMatching(ctx, listReq);
  if (!listed.ok()) {
    return errorReply(listed.status(), req.target);
  }
  nlohmann::json items = nlohmann::json::array();
  for (const nlohmann::json& obj : listed->items) {
    ResourceTarget one = req.target;
    one.name = metaString(obj, "name");
    one.ns = metaString(obj, "namespace");
    if (isProtectedNamespace(one)) {
      continue;
    }
    auto deleted = deleteOne(ctx, one, *options);
    if (deleted.ok()) {
      items.push_back(std::move(*deleted));
    } else if (deleted.status().code() != Code::kNotFound) {  // gone meanwhile is fine
      return errorReply(deleted.status(), one);
    }
  }
  const api::ResourceInfo& info = *req.target.info;
  return Reply{200,
               {{"kind", info.kind + "List"},
                {"apiVersion", info.groupVersion()},
                {"metadata", {{"resourceVersion", std::to_string(ctx.store.currentRevision())}}},
                {"items", std::move(items)}}};
}

}  // namespace tug::apiserver
