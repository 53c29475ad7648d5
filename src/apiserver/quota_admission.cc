#include "apiserver/quota_admission.h"

#include <chrono>
#include <optional>
#include <vector>

#include "api/quota/usage.h"
#include "apiserver/limit_range_admission.h"
#include "apiserver/watched_keys.h"
#include "common/log.h"

namespace tug::apiserver {
namespace {

namespace quota = api::quota;
using nlohmann::json;

constexpr const char* kLog = "quota-admission";
// Conflicts mean other writers charged the same quota meanwhile; each retry reads afresh.
constexpr int kAttempts = 16;

struct StoredQuota {
  std::string key;
  store::Revision revision = 0;
  json object;
};

Result<std::vector<StoredQuota>> quotasOf(const VerbContext& ctx, const std::string& ns) {
  std::vector<StoredQuota> out;
  const api::ResourceInfo* info = ctx.registry.find("", "v1", "resourcequotas");
  if (info == nullptr) {
    return out;
  }
  if (ctx.quotas != nullptr) {
    if (auto any = ctx.quotas->anyStartingWith(ns + "/"); any && !*any) {
      return out;  // most namespaces hold none: no store read
    }
  }
  auto listed = ctx.store.list(api::storageKey(*info, ns, ""), store::ListOptions{});
  if (!listed.ok()) {
    return listed.status();
  }
  for (auto& kv : listed->items) {
    json obj = json::parse(kv.value, nullptr, false);
    if (obj.is_object()) {
      out.push_back(StoredQuota{kv.key, kv.modRevision, std::move(obj)});
    }
  }
  return out;
}

std::string quotaName(const json& q) {
  return q.value("metadata", json::object()).value("name", "");
}

std::string joinNames(const quota::ResourceNames& names) {
  std::string out;
  for (const std::string& n : names) {
    out += (out.empty() ? "" : ",") + n;
  }
  return out;
}

Reply forbidden(const ResourceTarget& target, const std::string& why) {
  return admissionForbidden(target, why);
}

bool applies(const ResourceTarget& target, const json* old) {
  if (!target.info->namespaced || target.ns.empty() || !target.subresource.empty()) {
    return false;
  }
  const api::ResourceInfo& info = *target.info;
  return old == nullptr || (info.builtin && info.group.empty() &&
                            (info.resource == "services" ||
                             info.resource == "persistentvolumeclaims"));
}

quota::Kind kindOf(const ResourceTarget& target) {
  return quota::Kind{target.info->group, target.info->resource};
}

// What the object adds: all it uses when new, what it uses beyond the old version otherwise.
quota::ResourceList deltaOf(const ResourceTarget& target, const json& obj, const json* old) {
  const auto now = std::chrono::system_clock::now();
  quota::ResourceList usage = quota::usageOf(kindOf(target), obj, now);
  if (old != nullptr) {
    usage = quota::subtractNonNegative(usage, quota::usageOf(kindOf(target), *old, now));
  }
  return quota::removeZeros(usage);
}

// One pass: the quotas' new status.used for `obj`, or the refusal. Quotas the object does not
// concern are left out of `charged`.
std::optional<Reply> evaluate(const ResourceTarget& target, const json& obj,
                              const quota::ResourceList& delta, std::vector<StoredQuota>& quotas,
                              std::vector<StoredQuota*>& charged) {
  const quota::Kind kind = kindOf(target);
  std::vector<StoredQuota*> concerned;
  for (StoredQuota& q : quotas) {
    if (!quota::quotaCounts(q.object, kind, obj)) {
      continue;
    }
    const quota::ResourceList hard = quota::hardOf(q.object);
    const quota::ResourceNames limited = quota::matchingResources(kind, quota::namesOf(hard));
    if (kind.group.empty() && kind.resource == "pods") {
      if (auto missing = quota::missingRequirements(limited, obj)) {
        return forbidden(target, "failed quota: " + quotaName(q.object) + ": " + *missing);
      }
    }
    const quota::ResourceList used = quota::usedOf(q.object);
    for (const std::string& name : limited) {
      if (used.count(name) == 0) {
        return forbidden(target, "status unknown for quota: " + quotaName(q.object) +
                                     ", resources: " + joinNames(limited));
      }
    }
    concerned.push_back(&q);
  }
  if (concerned.empty() || delta.empty()) {
    return std::nullopt;
  }
  for (StoredQuota* q : concerned) {
    const quota::ResourceList hard = quota::hardOf(q->object);
    const quota::ResourceList used = quota::usedOf(q->object);
    const quota::ResourceList requested = quota::mask(delta, quota::namesOf(hard));
    const quota::ResourceList next = quota::add(used, requested);
    std::vector<std::string> over =
        quota::exceeding(quota::mask(next, quota::namesOf(requested)), hard);
    if (!over.empty()) {
      const quota::ResourceNames names(over.begin(), over.end());
      return forbidden(target, "exceeded quota: " + quotaName(q->object) +
                                   ", requested: " + quota::prettyPrint(quota::mask(requested, names)) +
                                   ", used: " + quota::prettyPrint(quota::mask(used, names)) +
                                   ", limited: " + quota::prettyPrint(quota::mask(hard, names)));
    }
    if (!requested.empty()) {
      q->object["status"]["used"] = quota::toJson(next);
      charged.push_back(q);
    }
  }
  return std::nullopt;
}

// Writes each charged quota if it is unchanged since it was read; false on a conflict.
Result<bool> write(const VerbContext& ctx, const std::vector<StoredQuota*>& charged) {
  for (StoredQuota* q : charged) {
    auto written = ctx.store.update(q->key, q->object.dump(), q->revision);
    if (!written.ok()) {
      if (written.status().code() == Code::kConflict ||
          written.status().code() == Code::kNotFound) {
        return false;
      }
      return written.status();
    }
  }
  return true;
}

}  // namespace

std::optional<Reply> chargeQuota(const VerbContext& ctx, const ResourceTarget& target,
                                 const json& obj, const json* old, bool dryRun) {
  if (!applies(target, old)) {
    return std::nullopt;
  }
  std::optional<quota::ResourceList> delta;  // worked out only for a namespace with quotas
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto quotas = quotasOf(ctx, target.ns);
    if (!quotas.ok()) {
      return errorReply(quotas.status(), target);
    }
    if (quotas->empty()) {
      return std::nullopt;
    }
    if (!delta) {
      delta = deltaOf(target, obj, old);
    }
    std::vector<StoredQuota*> charged;
    if (auto refused = evaluate(target, obj, *delta, *quotas, charged)) {
      return refused;
    }
    if (dryRun || charged.empty()) {
      return std::nullopt;
    }
    auto written = write(ctx, charged);
    if (!written.ok()) {
      return errorReply(written.status(), target);
    }
    if (*written) {
      return std::nullopt;
    }
  }
  return forbidden(target, "status unknown for quota: too many concurrent writes to the "
                           "namespace's quotas, try again");
}

void refundQuota(const VerbContext& ctx, const ResourceTarget& target, const json& obj,
                 const json* old) {
  if (!applies(target, old)) {
    return;
  }
  const quota::Kind kind = kindOf(target);
  const quota::ResourceList usage = deltaOf(target, obj, old);
  if (usage.empty()) {
    return;
  }
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto quotas = quotasOf(ctx, target.ns);
    if (!quotas.ok()) {
      break;
    }
    std::vector<StoredQuota*> changed;
    for (StoredQuota& q : *quotas) {
      if (!quota::quotaCounts(q.object, kind, obj)) {
        continue;
      }
      const quota::ResourceList used = quota::usedOf(q.object);
      const quota::ResourceList back = quota::mask(usage, quota::namesOf(used));
      if (back.empty()) {
        continue;
      }
      q.object["status"]["used"] = quota::toJson(quota::subtractNonNegative(used, back));
      changed.push_back(&q);
    }
    auto written = write(ctx, changed);
    if (!written.ok() || *written) {
      return;
    }
  }
  TUG_LOG(kWarn, kLog) << "could not give back the quota charged for " << target.ns << "/"
                       << target.name << "; the quota controller will recount it";
}

}  // namespace tug::apiserver
