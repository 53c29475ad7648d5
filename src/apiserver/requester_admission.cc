#include "apiserver/requester_admission.h"

#include "apiserver/resource_errors.h"
#include "apiserver/resource_verbs.h"
#include "apiserver/status_response.h"

namespace tug::apiserver {

Status RequesterAdmissionChain::admitWrite(const VerbContext& ctx, const UserInfo& user,
                                           const ResourceTarget& target,
                                           const nlohmann::json& obj,
                                           const nlohmann::json* old) const {
  for (const RequesterAdmission* step : steps_) {
    if (Status s = step->admitWrite(ctx, user, target, obj, old); !s.isOk()) {
      return s;
    }
  }
  return Status::ok();
}

Status RequesterAdmissionChain::admitDelete(const VerbContext& ctx, const UserInfo& user,
                                            const ResourceTarget& target,
                                            const nlohmann::json& obj) const {
  for (const RequesterAdmission* step : steps_) {
    if (Status s = step->admitDelete(ctx, user, target, obj); !s.isOk()) {
      return s;
    }
  }
  return Status::ok();
}

std::optional<Reply> admitSubresourceCreate(const VerbContext& ctx, const VerbRequest& req) {
  if (ctx.admission == nullptr || req.user == nullptr) {
    return std::nullopt;
  }
  nlohmann::json body = nlohmann::json::parse(req.body, nullptr, false);
  if (!body.is_object()) {
    body = nlohmann::json::object();  // the handler refuses it as it would anyway
  }
  if (Status s = ctx.admission->admitWrite(ctx, *req.user, req.target, body, nullptr);
      !s.isOk()) {
    return admissionRefusal(s, req.target, req.target.name);
  }
  return std::nullopt;
}

Reply admissionRefusal(const Status& refusal, const ResourceTarget& target,
                       const std::string& name) {
  nlohmann::json body = errorBody(refusal, *target.info, name);
  if (refusal.code() == Code::kForbidden) {
    nlohmann::json details = nlohmann::json::object();
    if (!name.empty()) {
      details["name"] = name;
    }
    if (!target.info->group.empty()) {
      details["group"] = target.info->group;
    }
    details["kind"] = target.info->resource;
    body["details"] = std::move(details);
  }
  return Reply{httpCode(refusal.code()), std::move(body)};
}

}  // namespace tug::apiserver
