#include "apiserver/limit_range_admission.h"

#include <vector>

#include "api/quota/limit_ranger.h"
#include "api/validation/defaults.h"
#include "apiserver/resource_path.h"
#include "apiserver/watched_keys.h"

namespace tug::apiserver {
namespace {

bool isCore(const ResourceTarget& t, const char* resource) {
  return t.info->builtin && t.info->group.empty() && t.info->resource == resource &&
         t.subresource.empty();
}

// The namespace's LimitRanges in name order; an error Status when the store fails.
Result<std::vector<nlohmann::json>> limitRangesOf(const VerbContext& ctx, const std::string& ns) {
  std::vector<nlohmann::json> out;
  const api::ResourceInfo* info = ctx.registry.find("", "v1", "limitranges");
  if (info == nullptr) {
    return out;
  }
  if (ctx.limitRanges != nullptr) {
    if (auto any = ctx.limitRanges->anyStartingWith(ns + "/"); any && !*any) {
      return out;  // most namespaces hold none: no store read
    }
  }
  auto listed = ctx.store.list(api::storageKey(*info, ns, ""), store::ListOptions{});
  if (!listed.ok()) {
    return listed.status();
  }
  for (const auto& kv : listed->items) {
    auto obj = nlohmann::json::parse(kv.value, nullptr, false);
    if (obj.is_object()) {
      out.push_back(std::move(obj));
    }
  }
  return out;
}

Reply unavailable(const ResourceTarget& target) {
  return admissionForbidden(target, "unable to create " + target.info->resource +
                                        " at this time because there was an error enforcing "
                                        "limit ranges");
}

}  // namespace

Reply admissionForbidden(const ResourceTarget& target, const std::string& why) {
  Reply r = errorReply(Status(Code::kForbidden, qualifiedResource(*target.info) + " \"" +
                                                    target.name + "\" is forbidden: " + why),
                       target);
  nlohmann::json details = {{"name", target.name}, {"kind", target.info->resource}};
  if (!target.info->group.empty()) {
    details["group"] = target.info->group;
  }
  r.body["details"] = std::move(details);
  return r;
}

std::optional<Reply> applyLimitRangeDefaults(const VerbContext& ctx, const ResourceTarget& target,
                                             nlohmann::json& obj) {
  if (!isCore(target, "pods")) {
    return std::nullopt;
  }
  auto ranges = limitRangesOf(ctx, target.ns);
  if (!ranges.ok()) {
    return unavailable(target);
  }
  if (ranges->empty()) {
    return std::nullopt;
  }
  // Upstream defaults a pod (requests from limits) when it is decoded, before admission; so
  // does this, so that a container's own limit wins over a range's default request.
  api::validation::defaultPod(obj);
  for (const auto& range : *ranges) {
    api::quota::applyContainerDefaults(range, obj);
  }
  return std::nullopt;
}

std::optional<Reply> enforceLimitRanges(const VerbContext& ctx, const ResourceTarget& target,
                                        const nlohmann::json& obj) {
  const bool pod = isCore(target, "pods");
  if (!pod && !isCore(target, "persistentvolumeclaims")) {
    return std::nullopt;
  }
  auto ranges = limitRangesOf(ctx, target.ns);
  if (!ranges.ok()) {
    return unavailable(target);
  }
  for (const auto& range : *ranges) {
    std::vector<std::string> errors =
        pod ? api::quota::podViolations(range, obj) : api::quota::claimViolations(range, obj);
    if (!errors.empty()) {
      return admissionForbidden(target, api::quota::aggregateMessages(errors));
    }
  }
  return std::nullopt;
}

std::optional<Reply> enforceLimitRangesOnUpdate(const VerbContext& ctx,
                                                const ResourceTarget& target,
                                                const nlohmann::json& obj) {
  if (!isCore(target, "persistentvolumeclaims")) {
    return std::nullopt;
  }
  // A claim on its way out (finalizers being removed) is not held to ranges made since.
  const nlohmann::json& meta = obj.value("metadata", nlohmann::json::object());
  if (meta.contains("deletionTimestamp")) {
    return std::nullopt;
  }
  return enforceLimitRanges(ctx, target, obj);
}

}  // namespace tug::apiserver
