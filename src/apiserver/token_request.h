#pragma once

#include <memory>
#include <string>
#include <vector>

#include "apiserver/resource_verbs.h"
#include "apiserver/resources.h"
#include "pki/service_account_token.h"

// The TokenRequest subresource, POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token
// (`kubectl create token`): a bound service-account token, as kube-apiserver issues it.
namespace tug::apiserver {

inline constexpr int64_t kMinTokenSeconds = 600;             // upstream's 10 minutes
inline constexpr int64_t kMaxTokenSeconds = int64_t{1} << 32;
inline constexpr int64_t kDefaultTokenSeconds = 3600;

// Answers one TokenRequest (body: authentication.k8s.io/v1 TokenRequest as JSON) for the
// service account `req.target` names, as upstream's TokenREST does:
//  - metadata.name/namespace, when given, must be the URL's (422);
//  - the service account must exist (404);
//  - spec.audiences default to `apiAudiences`; spec.expirationSeconds defaults to 3600 and
//    must be within [600, 2^32] (422 on spec.expirationSeconds);
//  - spec.boundObjectRef names a Pod, Secret or Node (core/v1; 400 for other kinds) that must
//    exist (404) and, when a uid is given, have it (409); a pod must run as this service
//    account (400) and binds its node too;
//  - 201 with the request, its defaults filled in, and status.token and
//    status.expirationTimestamp (now + expirationSeconds).
Reply createServiceAccountToken(const VerbContext& ctx, const VerbRequest& req,
                                const pki::ServiceAccountTokenSigner& signer,
                                const std::vector<std::string>& apiAudiences, pki::TokenTime now);

// The handler for SubresourceCreators["serviceaccounts/token"], at the current time.
SubresourceCreate tokenRequestCreator(std::shared_ptr<const pki::ServiceAccountTokenSigner> signer,
                                      std::vector<std::string> apiAudiences);

}  // namespace tug::apiserver
