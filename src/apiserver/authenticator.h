#pragma once

#include <openssl/ssl.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "apiserver/user_info.h"
#include "common/status.h"

namespace tug::apiserver {

// What authentication looks at: the TLS connection and the Authorization header.
struct Credentials {
  const SSL* ssl = nullptr;  // the connection; its peer certificate was verified in the handshake
  std::string_view authorization;  // the Authorization header, empty when absent
};

// Validates bearer tokens (service-account JWTs, bootstrap and node tokens later). Returns
// nullopt for a token it does not recognise, so the next authenticator may try.
class TokenAuthenticator {
 public:
  virtual ~TokenAuthenticator() = default;
  virtual Result<std::optional<UserInfo>> authenticateToken(std::string_view token) = 0;
};

// x509 client certificates first (CN is the user, each O a group), then bearer tokens through
// the token authenticators in order. Every authenticated user is also in
// "system:authenticated". A request with no credentials is anonymous; a bearer token nobody
// accepts is Unauthorized (upstream does not fall back to anonymous for a bad token).
class Authenticator {
 public:
  void addTokenAuthenticator(std::unique_ptr<TokenAuthenticator> a);
  Result<UserInfo> authenticate(const Credentials& credentials) const;

 private:
  std::vector<std::unique_ptr<TokenAuthenticator>> tokens_;
};

// The user named by a client certificate: CN and O entries.
std::optional<UserInfo> userFromCertificate(X509* cert);

}  // namespace tug::apiserver
