#include "apiserver/issuer_discovery_routes.h"

#include "pki/oidc_discovery.h"

namespace tug::apiserver {
namespace {

Handler document(std::string body, std::string contentType) {
  return [body = std::move(body), contentType = std::move(contentType)](
             const httplib::Request&, httplib::Response& res, const UserInfo&) {
    res.status = 200;
    res.set_header("Cache-Control", std::string(pki::kDiscoveryCacheControl));
    res.set_content(body, contentType);
  };
}

}  // namespace

RouteInstaller issuerDiscoveryRoutes(std::string configuration, std::string jwks) {
  return [configuration = std::move(configuration), jwks = std::move(jwks)](Routes& routes) {
    routes.get(std::string(pki::kOpenIdConfigurationPath),
               document(configuration, "application/json"));
    routes.get(std::string(pki::kJwksPath), document(jwks, std::string(pki::kJwksContentType)));
  };
}

}  // namespace tug::apiserver
