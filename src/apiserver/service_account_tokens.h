#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "apiserver/authenticator.h"
#include "apiserver/core_object_lookup.h"
#include "apiserver/resources.h"
#include "apiserver/routes.h"
#include "pki/service_account_token.h"
#include "pki/service_account_validator.h"

// Everything the API server does with service-account tokens, made from the signing key: the
// TokenRequest handler that issues them, the bearer authenticator that accepts them, and the
// issuer's discovery documents. See docs/design/serviceaccount-tokens.md.
namespace tug::apiserver {

struct ServiceAccountTokenOptions {
  std::string privateKeyFile;  // PkiFiles::serviceKey
  std::string publicKeyFile;   // PkiFiles::servicePub
  std::string issuer = std::string(pki::kDefaultServiceAccountIssuer);
  // The API server's audiences (--api-audiences): what TokenRequest gives tokens that ask for
  // none and what the authenticator accepts. Empty: {issuer}.
  std::vector<std::string> apiAudiences;
};

class ServiceAccountTokens {
 public:
  // Reads the keys. Errors name the file that is missing or unusable.
  static Result<ServiceAccountTokens> load(const ServiceAccountTokenOptions& options);

  // The bearer authenticator, checking the objects tokens name through `objects`.
  std::unique_ptr<TokenAuthenticator> authenticator(
      std::shared_ptr<const CoreObjectLookup> objects) const;
  // SubresourceCreators["serviceaccounts/token"].
  SubresourceCreate tokenRequest() const;
  // The discovery documents; nullopt when upstream would not serve them (an issuer that is
  // not an https URL).
  std::optional<RouteInstaller> discoveryRoutes() const;

  const std::vector<std::string>& apiAudiences() const { return audiences_; }

 private:
  std::shared_ptr<const pki::ServiceAccountTokenSigner> signer_;
  std::shared_ptr<const pki::ServiceAccountTokenValidator> validator_;
  std::string issuer_;
  std::vector<std::string> audiences_;
  std::optional<std::string> configuration_;
  std::string jwks_;
};

}  // namespace tug::apiserver
