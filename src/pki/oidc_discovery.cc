#include "pki/oidc_discovery.h"

#include <nlohmann/json.hpp>

#include "pki/jwk.h"

namespace tug::pki {
namespace {

bool isHttpsUrl(std::string_view url) {
  constexpr std::string_view kScheme = "https://";
  return url.size() > kScheme.size() && url.substr(0, kScheme.size()) == kScheme;
}

}  // namespace

Result<std::string> openIdConfigurationJson(std::string_view issuer, std::string_view jwksUri) {
  // OpenID Connect Discovery §3 requires these of an issuer; relying parties refuse others.
  if (!isHttpsUrl(issuer)) {
    return invalid("the service-account issuer must be an https URL to serve discovery, got \"" +
                   std::string(issuer) + "\"");
  }
  if (issuer.find_first_of("?#") != std::string_view::npos) {
    return invalid("the service-account issuer may not have a query or fragment, got \"" +
                   std::string(issuer) + "\"");
  }
  std::string jwks(jwksUri);
  if (jwks.empty()) {
    std::string_view base = issuer;
    while (!base.empty() && base.back() == '/') {
      base.remove_suffix(1);
    }
    jwks = std::string(base) + std::string(kJwksPath);
  } else if (!isHttpsUrl(jwks)) {
    return invalid("the JWKS URI must be an https URL, got \"" + jwks + "\"");
  }
  // Field order as upstream marshals its struct, so the documents match byte for byte.
  nlohmann::ordered_json doc;
  doc["issuer"] = std::string(issuer);
  doc["jwks_uri"] = jwks;
  doc["response_types_supported"] = nlohmann::ordered_json::array({"id_token"});
  doc["subject_types_supported"] = nlohmann::ordered_json::array({"public"});
  doc["id_token_signing_alg_values_supported"] = nlohmann::ordered_json::array({"RS256"});
  return doc.dump();
}

Result<std::string> jwksJson(const std::vector<const EVP_PKEY*>& keys) {
  if (keys.empty()) {
    return invalid("a JWKS needs at least one key");
  }
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const EVP_PKEY* key : keys) {
    auto jwk = rsaPublicJwk(key);
    if (!jwk.ok()) {
      return jwk.status();
    }
    list.push_back(std::move(*jwk));
  }
  nlohmann::ordered_json doc;
  doc["keys"] = std::move(list);
  return doc.dump();
}

}  // namespace tug::pki
