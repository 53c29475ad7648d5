#include "apiserver/object_meta.h"
#include "apiserver/resource_errors.h"
#include "apiserver/resource_verbs.h"

namespace tug::apiserver {
namespace {

// Names from generateName can clash; upstream gives up after a few tries as well.
constexpr int kGenerateNameAttempts = 8;

// Namespaces start Active: nothing finalizes them yet, and kubectl shows the phase.
void defaultKindFields(nlohmann::json& obj, const api::ResourceInfo& info) {
  if (info.group.empty() && info.resource == "namespaces") {
    nlohmann::json& status = obj["status"];
    if (!status.is_object()) {
      status = nlohmann::json::object();
    }
    if (!status.contains("phase")) {
      status["phase"] = "Active";
    }
  }
}

}  // namespace

// POST to a collection: server-managed metadata, then one store create (a few with
// generateName). dryRun=All checks everything, including a name clash, without writing.
Reply createResource(const VerbContext& ctx, const VerbRequest& req) {
  auto dryRun = dryRunParam(req.params);
  if (!dryRun.ok()) {
    return errorReply(dryRun.status(), req.target);
  }
  auto parsed = parseObject(req.body);
  if (!parsed.ok()) {
    return errorReply(parsed.status(), req.target);
  }
  nlohmann::json obj = std::move(*parsed);
  if (Status s = checkAndSetIdentity(obj, *req.target.info, req.target.ns); !s.isOk()) {
    return errorReply(s, req.target);
  }
  ResourceTarget target = req.target;
  target.name = metaString(obj, "name");
  if (Status s = prepareForCreate(obj, *target.info); !s.isOk()) {
    return errorReply(s, target);
  }
  if (auto refusal = namespaceRefusal(ctx, target)) {
    return *refusal;
  }
  defaultKindFields(obj, *target.info);
  const std::string prefix = metaString(obj, "generateName");
  const bool generated = target.name.empty();
  for (int attempt = 0; attempt < kGenerateNameAttempts; ++attempt) {
    if (generated) {
      target.name = generateName(prefix);
      obj["metadata"]["name"] = target.name;
    }
    if (*dryRun) {
      auto existing = ctx.store.get(targetKey(target));
      if (existing.ok()) {
        if (generated) {
          continue;
        }
        return errorReply(resourceExists(*target.info, target.name), target);
      }
      return Reply{201, std::move(obj)};
    }
    auto kv = ctx.store.create(targetKey(target), obj.dump());
    if (kv.ok()) {
      setResourceVersion(obj, kv->modRevision);
      return Reply{201, std::move(obj)};
    }
    if (!(generated && kv.status().code() == Code::kAlreadyExists)) {
      return errorReply(describeStoreError(kv.status(), target, target.name), target);
    }
  }
  return errorReply(resourceExists(*target.info, target.name), target);
}

}  // namespace tug::apiserver
