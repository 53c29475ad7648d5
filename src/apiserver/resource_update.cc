#include <charconv>
#include <functional>

#include "apiserver/admission.h"
#include "apiserver/field_validation.h"
#include "apiserver/limit_range_admission.h"
#include "apiserver/object_meta.h"
#include "apiserver/quota_admission.h"
#include "apiserver/requester_admission.h"
#include "apiserver/resource_apply.h"
#include "apiserver/resource_errors.h"
#include "apiserver/resource_verbs.h"
#include "apiserver/service_allocation.h"

namespace tug::apiserver {
namespace {

// An unconditional update re-reads and retries when another write slips in between.
constexpr int kUnconditionalAttempts = 16;

// The resourceVersion a PUT body asks to replace; 0 when empty (unconditional).
Result<store::Revision> bodyRevision(const nlohmann::json& obj) {
  std::string rv = metaString(obj, "resourceVersion");
  if (rv.empty()) {
    return store::Revision{0};
  }
  store::Revision n = 0;
  auto [ptr, ec] = std::from_chars(rv.data(), rv.data() + rv.size(), n);
  if (ec != std::errc() || ptr != rv.data() + rv.size() || n <= 0) {
    return badRequest("invalid resourceVersion \"" + rv + "\" in the object");
  }
  return n;
}

// Parses the body and checks that it names the URL's object in the URL's namespace.
Result<ParsedBody> parseTarget(const VerbRequest& req) {
  auto body = parseBody(req);
  if (!body.ok()) {
    return body.status();
  }
  nlohmann::json& obj = body->object;
  if (Status s = checkAndSetIdentity(obj, *req.target.info, req.target.ns); !s.isOk()) {
    return s;
  }
  std::string name = metaString(obj, "name");
  if (name != req.target.name) {
    return badRequest("the name of the object (" + name + ") does not match the name on the URL (" +
                      req.target.name + ")");
  }
  return body;
}

// A PUT body: the object and the revision it asks to replace.
struct UpdateBody {
  nlohmann::json object;
  store::Revision expected = 0;
  std::optional<std::vector<std::string>> problems;  // ParsedBody's
};

Result<UpdateBody> parseUpdate(const VerbRequest& req) {
  auto body = parseTarget(req);
  if (!body.ok()) {
    return body.status();
  }
  auto expected = bodyRevision(body->object);
  if (!expected.ok()) {
    return expected.status();
  }
  return UpdateBody{std::move(body->object), *expected, std::move(body->problems)};
}

}  // namespace

// An object waiting for its finalizers goes away once the update leaves none.
Reply writeUpdate(const VerbContext& ctx, const VerbRequest& req, store::Revision expected,
                  const Mutation& mutate) {
  auto dryRun = dryRunParam(req.params);
  if (!dryRun.ok()) {
    return errorReply(dryRun.status(), req.target);
  }
  const api::ResourceInfo& info = *req.target.info;
  const std::string key = targetKey(req.target);
  for (int attempt = 0; attempt < kUnconditionalAttempts; ++attempt) {
    auto kv = readObject(ctx, req.target);
    if (!kv.ok()) {
      return errorReply(kv.status(), req.target);
    }
    if (expected != 0 && expected != kv->modRevision) {
      return errorReply(resourceConflict(info, req.target.name), req.target);
    }
    auto current = decodeStored(*kv, info);
    if (!current.ok()) {
      return errorReply(current.status(), req.target);
    }
    nlohmann::json next = *current;
    if (Status s = mutate(next, *current); !s.isOk()) {
      return errorReply(s, req.target);
    }
    if (auto refused = enforceLimitRangesOnUpdate(ctx, req.target, next)) {
      return *refused;
    }
    if (ctx.admission != nullptr && req.user != nullptr) {
      if (Status s = ctx.admission->admitWrite(ctx, *req.user, req.target, next, &*current);
          !s.isOk()) {
        return admissionRefusal(s, req.target, req.target.name);
      }
    }
    if (auto refused = chargeQuota(ctx, req.target, next, &*current, *dryRun)) {
      return *refused;
    }
    ServiceAllocation* services = allocatesServiceAddresses(info) ? ctx.services : nullptr;
    if (services != nullptr) {
      if (auto refused = services->allocate(next, &*current, *dryRun)) {
        if (!*dryRun) {
          refundQuota(ctx, req.target, next, &*current);
        }
        return *refused;
      }
    }
    recordManagedFields(req, &*current, next);
    setResourceVersion(next, kv->modRevision);
    if (next == *current || *dryRun) {
      return Reply{200, std::move(next)};  // an update that changes nothing writes nothing
    }
    clearResourceVersion(next);
    bool finished = !metaString(next, "deletionTimestamp").empty() && !awaitsFinalizers(info, next);
    auto written = finished ? ctx.store.remove(key, kv->modRevision)
                            : ctx.store.update(key, next.dump(), kv->modRevision);
    if (services != nullptr) {  // what the old version held and the new one does not goes
      written.ok() ? services->release(*current, finished ? nullptr : &next)
                   : services->release(next, &*current);
    }
    if (written.ok()) {
      setResourceVersion(next, finished ? kv->modRevision : written->modRevision);
      return Reply{200, std::move(next)};
    }
    refundQuota(ctx, req.target, next, &*current);
    if (written.status().code() != Code::kConflict || expected != 0) {
      return errorReply(describeStoreError(written.status(), req.target, req.target.name),
                        req.target);
    }
  }
  return errorReply(resourceConflict(info, req.target.name), req.target);
}

Status takeObject(nlohmann::json& next, const nlohmann::json& current, nlohmann::json given,
                  const api::ResourceInfo& info, std::optional<Reply>& reply) {
  next = std::move(given);
  if ((reply = admitUpdate(info, next, current))) {
    return invalid("refused by admission");
  }
  prepareForUpdate(next, current, info);
  return Status::ok();
}

void takeStatus(nlohmann::json& next, const nlohmann::json& given) {
  if (auto s = given.find("status"); s != given.end()) {
    next["status"] = *s;
  } else {
    next.erase("status");
  }
}

// PUT on the main resource: the body replaces the object but for server-managed metadata
// and, where a status subresource exists, .status.
Reply updateResource(const VerbContext& ctx, const VerbRequest& req) {
  auto body = parseUpdate(req);
  if (!body.ok()) {
    return errorReply(body.status(), req.target);
  }
  FieldCheck fields = validateFields(req, body->object,  // prunes; Strict refuses
                                     body->problems ? &*body->problems : nullptr);
  if (fields.refusal) {
    return *fields.refusal;
  }
  clearResourceVersion(body->object);
  const api::ResourceInfo& info = *req.target.info;
  std::optional<Reply> refused;  // admission's 422, which carries causes a Status cannot
  Reply reply = writeUpdate(ctx, req, body->expected,
                            [&](nlohmann::json& next, const nlohmann::json& current) {
    return takeObject(next, current, body->object, info, refused);
  });
  reply.warnings = fields.warnings;
  return refused ? *refused : reply;
}

Reply updateFinalize(const VerbContext& ctx, const VerbRequest& req) {
  auto body = parseUpdate(req);
  if (!body.ok()) {
    return errorReply(body.status(), req.target);
  }
  return writeUpdate(ctx, req, body->expected, [&](nlohmann::json& next, const nlohmann::json&) {
    const nlohmann::json& spec = body->object.value("spec", nlohmann::json::object());
    if (auto f = spec.find("finalizers"); f != spec.end() && f->is_array() && !f->empty()) {
      next["spec"]["finalizers"] = *f;
    } else if (next.contains("spec") && next["spec"].is_object()) {
      next["spec"].erase("finalizers");
    }
    return Status::ok();
  });
}

// PUT on /status: only .status changes; the rest of the body is ignored, as upstream does.
Reply updateStatus(const VerbContext& ctx, const VerbRequest& req) {
  auto body = parseUpdate(req);
  if (!body.ok()) {
    return errorReply(body.status(), req.target);
  }
  return writeUpdate(ctx, req, body->expected, [&](nlohmann::json& next, const nlohmann::json&) {
    takeStatus(next, body->object);
    return Status::ok();
  });
}

}  // namespace tug::apiserver
