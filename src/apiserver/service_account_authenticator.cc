#include "apiserver/service_account_authenticator.h"

#include "api/table/human_time.h"
#include "common/log.h"

namespace tug::apiserver {
namespace {

constexpr const char* kLog = "authn";

Status refused(std::string why) { return Status(Code::kUnauthorized, std::move(why)); }

// One object the token names: it exists, has the token's UID (a new object of the same name
// does not inherit the old one's tokens) and was not deleted more than kDeletionGrace ago.
Status checkObject(const CoreObjectLookup& objects, std::string_view resource,
                   std::string_view what, std::string_view ns, const std::string& name,
                   const std::string& uid, pki::TokenTime now) {
  const std::string label = std::string(what) + " " +
                            (ns.empty() ? name : std::string(ns) + "/" + name);
  auto obj = objects.get(resource, ns, name);
  if (!obj.ok()) {
    return refused(label + ": " + obj.status().message());
  }
  const nlohmann::json& meta = obj->value("metadata", nlohmann::json::object());
  std::string actual = meta.value("uid", "");
  if (!uid.empty() && actual != uid) {
    return refused(std::string(what) + " UID (" + actual + ") does not match claim (" + uid + ")");
  }
  if (auto d = meta.find("deletionTimestamp"); d != meta.end() && d->is_string()) {
    auto at = api::table::parseTimestamp(d->get<std::string>());
    if (at && *at < now - kDeletionGrace) {
      return refused(label + " has been deleted");
    }
  }
  return Status::ok();
}

}  // namespace

Status checkTokenObjects(const pki::TokenIdentity& id, const CoreObjectLookup& objects,
                         pki::TokenTime now) {
  const std::string& ns = id.namespaceName;
  if (Status s = checkObject(objects, "serviceaccounts", "service account", ns,
                             id.serviceAccountName, id.serviceAccountUid, now);
      !s.isOk()) {
    return s;
  }
  if (!id.secretName.empty() && !id.legacy) {
    if (Status s = checkObject(objects, "secrets", "secret", ns, id.secretName, id.secretUid, now);
        !s.isOk()) {
      return s;
    }
  }
  if (!id.podName.empty()) {
    // A pod-bound token names the pod's node for information only: the pod is what binds it.
    return checkObject(objects, "pods", "pod", ns, id.podName, id.podUid, now);
  }
  if (!id.nodeName.empty()) {
    return checkObject(objects, "nodes", "node", "", id.nodeName, id.nodeUid, now);
  }
  if (id.legacy) {
    // Legacy tokens live as long as their Secret holds them; those are not accepted here.
    return refused("legacy service-account tokens are not accepted");
  }
  return Status::ok();
}

UserInfo userFromToken(const pki::TokenIdentity& id) {
  UserInfo u;
  u.name = id.userName;
  u.groups = id.groups;
  u.uid = id.serviceAccountUid;
  u.extra = id.extra;
  u.authenticated = true;
  return u;
}

ServiceAccountTokenAuthenticator::ServiceAccountTokenAuthenticator(
    std::shared_ptr<const pki::ServiceAccountTokenValidator> validator,
    pki::TokenExpectations expect, std::shared_ptr<const CoreObjectLookup> objects, Clock now)
    : validator_(std::move(validator)),
      expect_(std::move(expect)),
      objects_(std::move(objects)),
      now_(std::move(now)) {}

Result<std::optional<UserInfo>> ServiceAccountTokenAuthenticator::authenticateToken(
    std::string_view token) {
  const pki::TokenTime now = now_();
  auto id = validator_->validate(token, now, expect_);
  if (!id.ok()) {
    if (id.status().code() == Code::kInvalid || id.status().code() == Code::kNotFound) {
      return std::optional<UserInfo>();
    }
    TUG_LOG(kDebug, kLog) << "service-account token refused: " << id.status().message();
    return refused("Unauthorized");
  }
  if (Status s = checkTokenObjects(*id, *objects_, now); !s.isOk()) {
    TUG_LOG(kDebug, kLog) << "service-account token of " << id->userName
                          << " refused: " << s.message();
    return refused("Unauthorized");
  }
  return std::optional<UserInfo>(userFromToken(*id));
}

}  // namespace tug::apiserver
