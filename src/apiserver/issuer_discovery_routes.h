#pragma once

#include <string>

#include "apiserver/routes.h"

// The service-account issuer's OpenID Connect discovery documents, GET
// /.well-known/openid-configuration and GET /openid/v1/jwks, served as upstream serves them:
// the configuration as application/json, the key set as application/jwk-set+json, both
// cacheable for an hour. Like every route they are authorized by RBAC (non-resource URLs);
// the bootstrap policy opens them to system:serviceaccounts.
namespace tug::apiserver {

// `configuration` and `jwks` are the rendered documents (pki/oidc_discovery.h).
RouteInstaller issuerDiscoveryRoutes(std::string configuration, std::string jwks);

}  // namespace tug::apiserver
