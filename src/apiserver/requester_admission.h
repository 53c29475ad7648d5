#pragma once

#include <optional>
#include <vector>

#include <nlohmann/json.hpp>

#include "apiserver/resource_path.h"
#include "apiserver/user_info.h"
#include "common/status.h"

// Admission that depends on who writes: RBAC's escalation check, the node restriction. It runs
// on create, update (PUT, PATCH, apply, and the status subresource) and delete of a stored
// object, after authorization and after the object's own defaulting and validation, for
// requests that carry their requester (everything that came through the API's routes).
namespace tug::apiserver {

struct VerbContext;
struct Reply;
struct VerbRequest;

class RequesterAdmission {
 public:
  virtual ~RequesterAdmission() = default;
  // `target` is what the URL names (no name for a create); `obj` the object to be written;
  // `old` the stored object, nullptr for a create. A refusal is returned as its Status.
  virtual Status admitWrite(const VerbContext& ctx, const UserInfo& user,
                            const ResourceTarget& target, const nlohmann::json& obj,
                            const nlohmann::json* old) const = 0;
  // `obj` is the stored object about to be deleted (or marked for deletion).
  virtual Status admitDelete(const VerbContext& ctx, const UserInfo& user,
                             const ResourceTarget& target, const nlohmann::json& obj) const = 0;
};

// Several in order; the first refusal wins. Holds the steps by pointer.
class RequesterAdmissionChain : public RequesterAdmission {
 public:
  void add(const RequesterAdmission* step) { steps_.push_back(step); }
  Status admitWrite(const VerbContext& ctx, const UserInfo& user, const ResourceTarget& target,
                    const nlohmann::json& obj, const nlohmann::json* old) const override;
  Status admitDelete(const VerbContext& ctx, const UserInfo& user, const ResourceTarget& target,
                     const nlohmann::json& obj) const override;

 private:
  std::vector<const RequesterAdmission*> steps_;
};

// For a POST to a subresource served by its own handler (pods/binding, serviceaccounts/token,
// ...): `admission` asked about the request's body as the object created, nothing stored as
// the old one. nullopt when it passes (or there is nothing to ask).
std::optional<Reply> admitSubresourceCreate(const VerbContext& ctx, const VerbRequest& req);

// The reply for a refusal about the object `name` of `target`: upstream's Status, with details
// {name, group, kind} for a Forbidden as apierrors.NewForbidden gives them.
Reply admissionRefusal(const Status& refusal, const ResourceTarget& target,
                       const std::string& name);

}  // namespace tug::apiserver
