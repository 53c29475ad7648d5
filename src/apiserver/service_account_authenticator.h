#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string_view>

#include "apiserver/authenticator.h"
#include "apiserver/core_object_lookup.h"
#include "pki/service_account_validator.h"

// Bearer service-account tokens: the JWT checks of pki::ServiceAccountTokenValidator, then the
// checks only the server can make, against its own objects (what upstream's service-account
// token getter does): the service account, and the pod, secret or node the token is bound
// to, must still exist with the UIDs the token names. An object that is being deleted still
// counts for kDeletionGrace after its deletionTimestamp, as upstream allows.
namespace tug::apiserver {

inline constexpr std::chrono::seconds kDeletionGrace{60};

// OK when the objects `identity` names are still there; Unauthorized with the reason (for the
// log: clients are only ever told "Unauthorized") otherwise.
Status checkTokenObjects(const pki::TokenIdentity& identity, const CoreObjectLookup& objects,
                         pki::TokenTime now);

// The user a service-account token speaks for: system:serviceaccount:<ns>:<name> with the
// service account's UID, its groups and upstream's extra (pod, node and credential id).
UserInfo userFromToken(const pki::TokenIdentity& identity);

class ServiceAccountTokenAuthenticator : public TokenAuthenticator {
 public:
  using Clock = std::function<pki::TokenTime()>;

  // `now` is replaceable for tests.
  ServiceAccountTokenAuthenticator(
      std::shared_ptr<const pki::ServiceAccountTokenValidator> validator,
      pki::TokenExpectations expect, std::shared_ptr<const CoreObjectLookup> objects,
      Clock now = [] { return pki::TokenClock::now(); });

  // nullopt for what is not a service-account token of ours (not a JWT, another issuer), so
  // that another authenticator may try; Unauthorized ("Unauthorized", as upstream answers) for
  // one of ours that is not valid (signature, audience, expiry, claims, or its objects).
  Result<std::optional<UserInfo>> authenticateToken(std::string_view token) override;

 private:
  std::shared_ptr<const pki::ServiceAccountTokenValidator> validator_;
  pki::TokenExpectations expect_;
  std::shared_ptr<const CoreObjectLookup> objects_;
  Clock now_;
};

}  // namespace tug::apiserver
