#include "apiserver/admission.h"
#include "apiserver/default_tolerations.h"
#include "apiserver/field_validation.h"
#include "apiserver/limit_range_admission.h"
#include "apiserver/object_meta.h"
#include "apiserver/quota_admission.h"
#include "apiserver/requester_admission.h"
#include "apiserver/resource_apply.h"
#include "apiserver/resource_errors.h"
#include "apiserver/resource_verbs.h"
#include "apiserver/served_object.h"
#include "apiserver/service_allocation.h"

namespace tug::apiserver {
namespace {

// Names from generateName can clash; upstream gives up after a few tries as well.
constexpr int kGenerateNameAttempts = 8;

}  // namespace

// POST to a collection: server-managed metadata, then one store create (a few with
// generateName). dryRun=All checks everything, including a name clash, without writing.
Reply createResource(const VerbContext& ctx, const VerbRequest& req) {
  auto dryRun = dryRunParam(req.params);
  if (!dryRun.ok()) {
    return errorReply(dryRun.status(), req.target);
  }
  auto parsed = parseBody(req);
  if (!parsed.ok()) {
    return errorReply(parsed.status(), req.target);
  }
  nlohmann::json obj = std::move(parsed->object);
  // Prunes unknown fields; Strict refuses.
  FieldCheck fields = validateFields(req, obj, parsed->problems ? &*parsed->problems : nullptr);
  if (fields.refusal) {
    return *fields.refusal;
  }
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
  const std::string prefix = metaString(obj, "generateName");
  const bool generated = target.name.empty();
  if (generated) {  // drawn before admission, which checks the name and may label with it
    target.name = generateName(prefix);
    obj["metadata"]["name"] = target.name;
  }
  if (target.info->builtin && target.info->group.empty() && target.info->resource == "pods") {
    addDefaultTolerations(obj, ctx.podDefaults);
  }
  if (auto refused = applyLimitRangeDefaults(ctx, target, obj)) {
    return *refused;
  }
  if (auto refused = admitCreate(*target.info, obj)) {
    return *refused;
  }
  if (auto refused = enforceLimitRanges(ctx, target, obj)) {
    return *refused;
  }
  if (ctx.admission != nullptr && req.user != nullptr) {
    if (Status s = ctx.admission->admitWrite(ctx, *req.user, req.target, obj, nullptr);
        !s.isOk()) {
      return admissionRefusal(s, target, target.name);
    }
  }
  if (auto refused = chargeQuota(ctx, target, obj, nullptr, *dryRun)) {
    return *refused;
  }
  ServiceAllocation* services =
      allocatesServiceAddresses(*target.info) ? ctx.services : nullptr;
  if (services != nullptr) {
    if (auto refused = services->allocate(obj, nullptr, *dryRun)) {
      if (!*dryRun) {
        refundQuota(ctx, target, obj, nullptr);
      }
      return *refused;
    }
  }
  recordManagedFields(req, nullptr, obj);
  for (int attempt = 0; attempt < kGenerateNameAttempts; ++attempt) {
    if (generated && attempt > 0) {
      target.name = generateName(prefix);
      obj["metadata"]["name"] = target.name;
      // The claims name their holder: claim again under the new name.
      if (services != nullptr && !*dryRun) {
        services->release(obj, nullptr);
        if (auto refused = services->allocate(obj, nullptr, false)) {
          refundQuota(ctx, target, obj, nullptr);
          return *refused;
        }
      }
    }
    if (*dryRun) {
      auto existing = ctx.store.get(targetKey(target));
      if (existing.ok()) {
        if (generated) {
          continue;
        }
        return errorReply(resourceExists(*target.info, target.name), target);
      }
      return Reply{201, std::move(obj), fields.warnings};
    }
    std::string text = obj.dump();
    auto kv = ctx.store.create(targetKey(target), text);
    if (kv.ok()) {
      setResourceVersion(obj, kv->modRevision);
      Reply created{201, std::move(obj), fields.warnings};
      // Sent as the stored text with its revision written in (served_object.h), as a read
      // serves it: printing the object a second time costs more.
      std::vector<std::uint8_t> served;
      served.reserve(text.size() + 64);
      if (appendServedObject(served, text, ServedIdentity::of(*target.info), kv->modRevision)) {
        created.encoded = std::move(served);
      }
      return created;
    }
    if (!(generated && kv.status().code() == Code::kAlreadyExists)) {
      if (services != nullptr) {
        services->release(obj, nullptr);
      }
      refundQuota(ctx, target, obj, nullptr);
      return errorReply(describeStoreError(kv.status(), target, target.name), target);
    }
  }
  if (services != nullptr && !*dryRun) {
    services->release(obj, nullptr);
  }
  if (!*dryRun) {
    refundQuota(ctx, target, obj, nullptr);
  }
  return errorReply(resourceExists(*target.info, target.name), target);
}

}  // namespace tug::apiserver
