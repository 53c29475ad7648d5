#include "apiserver/service_account_tokens.h"

#include "apiserver/issuer_discovery_routes.h"
#include "apiserver/service_account_authenticator.h"
#include "apiserver/token_request.h"
#include "pki/oidc_discovery.h"
#include "pki/pem.h"

namespace tug::apiserver {

Result<ServiceAccountTokens> ServiceAccountTokens::load(const ServiceAccountTokenOptions& o) {
  auto privateKey = pki::readPrivateKeyFile(o.privateKeyFile);
  if (!privateKey.ok()) {
    return privateKey.status();
  }
  auto publicKey = pki::readPublicKeyFile(o.publicKeyFile);
  if (!publicKey.ok()) {
    return publicKey.status();
  }
  ServiceAccountTokens t;
  auto jwks = pki::jwksJson({publicKey->get()});
  if (!jwks.ok()) {
    return jwks.status().wrap(o.publicKeyFile);
  }
  t.jwks_ = std::move(*jwks);
  auto signer = pki::ServiceAccountTokenSigner::create(std::move(*privateKey), o.issuer);
  if (!signer.ok()) {
    return signer.status().wrap(o.privateKeyFile);
  }
  std::vector<pki::KeyPtr> keys;
  keys.push_back(std::move(*publicKey));
  auto validator = pki::ServiceAccountTokenValidator::create(std::move(keys));
  if (!validator.ok()) {
    return validator.status().wrap(o.publicKeyFile);
  }
  t.signer_ = std::make_shared<const pki::ServiceAccountTokenSigner>(std::move(*signer));
  t.validator_ =
      std::make_shared<const pki::ServiceAccountTokenValidator>(std::move(*validator));
  t.issuer_ = o.issuer;
  t.audiences_ = o.apiAudiences.empty() ? std::vector<std::string>{o.issuer} : o.apiAudiences;
  if (auto configuration = pki::openIdConfigurationJson(o.issuer); configuration.ok()) {
    t.configuration_ = std::move(*configuration);
  }
  return t;
}

std::unique_ptr<TokenAuthenticator> ServiceAccountTokens::authenticator(
    std::shared_ptr<const CoreObjectLookup> objects) const {
  pki::TokenExpectations expect;
  expect.issuers = {issuer_};
  expect.audiences = audiences_;
  return std::make_unique<ServiceAccountTokenAuthenticator>(validator_, std::move(expect),
                                                            std::move(objects));
}

SubresourceCreate ServiceAccountTokens::tokenRequest() const {
  return tokenRequestCreator(signer_, audiences_);
}

std::optional<RouteInstaller> ServiceAccountTokens::discoveryRoutes() const {
  if (!configuration_) {
    return std::nullopt;
  }
  return issuerDiscoveryRoutes(*configuration_, jwks_);
}

}  // namespace tug::apiserver
