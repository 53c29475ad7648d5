#include "apiserver/delete_propagation.h"
#include "apiserver/object_meta.h"
#include "apiserver/requester_admission.h"
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
  PropagationOptions propagation;
};

// The propagation fields of a body; null is the same as absent.
Status readPropagation(const nlohmann::json& body, PropagationOptions& o) {
  if (auto p = body.find("propagationPolicy"); p != body.end() && !p->is_null()) {
    if (!p->is_string()) {
      return badRequest("invalid DeleteOptions: propagationPolicy must be a string");
    }
    o.propagationPolicy = p->get<std::string>();
  }
  if (auto p = body.find("orphanDependents"); p != body.end() && !p->is_null()) {
    if (!p->is_boolean()) {
      return badRequest("invalid DeleteOptions: orphanDependents must be a boolean");
    }
    o.orphanDependents = p->get<bool>();
  }
  return Status::ok();
}

// Without a body, upstream reads DeleteOptions from the query.
Status readPropagation(const QueryParams& params, PropagationOptions& o) {
  if (params.count("propagationPolicy")) {
    o.propagationPolicy = queryParam(params, "propagationPolicy");
  }
  if (params.count("orphanDependents")) {
    auto v = parseGoBool(queryParam(params, "orphanDependents"));
    if (!v) {
      return badRequest("invalid value for orphanDependents: " +
                        queryParam(params, "orphanDependents"));
    }
    o.orphanDependents = *v;
  }
  return Status::ok();
}

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
    if (Status s = readPropagation(req.params, o.propagation); !s.isOk()) {
      return s;
    }
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
    if (Status s = readPropagation(*body, o.propagation); !s.isOk()) {
      return s;
    }
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

// What a delete did: the object as deleted, or as marked for deletion (`deleted` false).
struct Deleted {
  nlohmann::json obj;
  bool deleted = false;
};

// Sets what upstream sets on an object that waits for finalizers: deletionTimestamp (kept
// when already set), a zero grace period, a new generation when it starts, and for a
// namespace the Terminating phase.
void markDeleting(const api::ResourceInfo& info, nlohmann::json& obj) {
  nlohmann::json& meta = obj["metadata"];
  if (metaString(obj, "deletionTimestamp").empty()) {
    meta["deletionTimestamp"] = nowTimestamp();
    if (auto g = meta.find("generation"); g != meta.end() && g->is_number_integer() &&
                                          g->get<int64_t>() > 0) {
      *g = g->get<int64_t>() + 1;
    }
  }
  meta["deletionGracePeriodSeconds"] = 0;
  if (info.group.empty() && info.resource == "namespaces") {
    obj["status"]["phase"] = "Terminating";
  }
}

// Deletes one object. The garbage collector's finalizers are set or switched as the options
// ask (also on an object already being deleted); an object left with finalizers is only
// marked and stays until an update removes the last one.
Result<Deleted> deleteOne(const VerbContext& ctx, const ResourceTarget& target,
                          const DeleteOptions& options, const UserInfo* user) {
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
    if (ctx.admission != nullptr && user != nullptr) {
      if (Status s = ctx.admission->admitDelete(ctx, *user, target, *obj); !s.isOk()) {
        return s;
      }
    }
    nlohmann::json next = *obj;
    if (auto finalizers = finalizersAfterDelete(*target.info, next, options.propagation)) {
      if (finalizers->empty()) {
        next["metadata"].erase("finalizers");
      } else {
        next["metadata"]["finalizers"] = std::move(*finalizers);
      }
    }
    const bool mark = awaitsFinalizers(*target.info, next);
    if (mark) {
      markDeleting(*target.info, next);
      if (next == *obj || options.dryRun) {
        return Deleted{std::move(next), false};  // already marked as asked: nothing to write
      }
    } else if (options.dryRun) {
      return Deleted{std::move(*obj), true};
    }
    Result<store::KeyValue> written = internalError("unreachable");
    if (mark) {
      clearResourceVersion(next);
      written = ctx.store.update(key, next.dump(), kv->modRevision);
      if (written.ok()) {
        setResourceVersion(next, written->modRevision);
        return Deleted{std::move(next), false};
      }
    } else {
      written = ctx.store.remove(key, kv->modRevision);
      if (written.ok()) {
        if (ctx.services != nullptr && allocatesServiceAddresses(*target.info)) {
          ctx.services->release(*obj, nullptr);
        }
        return Deleted{std::move(*obj), true};
      }
    }
    if (written.status().code() != Code::kConflict) {
      return describeStoreError(written.status(), target, target.name);
    }
  }
  return resourceConflict(*target.info, target.name);
}

// The 422 upstream gives for DeleteOptions it refuses (about the options, not the object).
Reply invalidOptionsReply(const api::validation::ErrorList& errors) {
  namespace v = api::validation;
  Status s = invalid(v::invalidMessage("DeleteOptions", "meta.k8s.io", "", errors));
  return Reply{422,
               {{"kind", "Status"},
                {"apiVersion", "v1"},
                {"metadata", nlohmann::json::object()},
                {"status", "Failure"},
                {"message", s.message()},
                {"reason", "Invalid"},
                {"details",
                 {{"group", "meta.k8s.io"}, {"kind", "DeleteOptions"}, {"causes", v::causes(errors)}}},
                {"code", 422}}};
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
  if (auto errors = validatePropagation(options->propagation); !errors.empty()) {
    // Upstream reads the object first: a missing one is 404 whatever the options.
    if (auto kv = readObject(ctx, req.target); !kv.ok()) {
      return errorReply(kv.status(), req.target);
    }
    return invalidOptionsReply(errors);
  }
  auto done = deleteOne(ctx, req.target, *options, req.user);
  if (!done.ok()) {
    return admissionRefusal(done.status(), req.target, req.target.name);
  }
  // Upstream answers 202 when a cascading delete asked with orphanDependents=false waits.
  const bool accepted = !done->deleted && options->propagation.orphanDependents == false;
  return Reply{accepted ? 202 : 200, std::move(done->obj)};
}

// DELETE on a collection: every object the selectors match, each deleted as by DELETE.
// Answers with the list of what was deleted.
Reply deleteCollection(const VerbContext& ctx, const VerbRequest& req) {
  auto options = parseDeleteOptions(req);
  if (!options.ok()) {
    return errorReply(options.status(), req.target);
  }
  if (auto errors = validatePropagation(options->propagation); !errors.empty()) {
    return invalidOptionsReply(errors);
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
    auto deleted = deleteOne(ctx, one, *options, req.user);
    if (deleted.ok()) {
      items.push_back(std::move(deleted->obj));
    } else if (deleted.status().code() != Code::kNotFound) {  // gone meanwhile is fine
      return admissionRefusal(deleted.status(), one, one.name);
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
