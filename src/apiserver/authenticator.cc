#include "apiserver/authenticator.h"

#include <openssl/x509.h>

#include <algorithm>

namespace tug::apiserver {
namespace {

void addGroup(UserInfo& u, const std::string& g) {
  if (std::find(u.groups.begin(), u.groups.end(), g) == u.groups.end()) {
    u.groups.push_back(g);
  }
}

std::string entryText(X509_NAME_ENTRY* e) {
  const ASN1_STRING* data = X509_NAME_ENTRY_get_data(e);
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, data);
  if (n < 0) {
    return std::string();
  }
  std::string s(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return s;
}

}  // namespace

std::optional<UserInfo> userFromCertificate(X509* cert) {
  X509_NAME* subject = X509_get_subject_name(cert);
  if (subject == nullptr) {
    return std::nullopt;
  }
  UserInfo u;
  for (int i = 0; i < X509_NAME_entry_count(subject); ++i) {
    X509_NAME_ENTRY* e = X509_NAME_get_entry(subject, i);
    int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(e));
    if (nid == NID_commonName) {
      u.name = entryText(e);
    } else if (nid == NID_organizationName) {
      addGroup(u, entryText(e));
    }
  }
  if (u.name.empty()) {
    return std::nullopt;
  }
  u.authenticated = true;
  return u;
}

void Authenticator::addTokenAuthenticator(std::unique_ptr<TokenAuthenticator> a) {
  tokens_.push_back(std::move(a));
}

Result<UserInfo> Authenticator::authenticate(const Credentials& c) const {
  std::optional<UserInfo> user;
  if (c.ssl != nullptr) {
    // SSL_get0_peer_certificate is OpenSSL 3; the handshake already verified the chain
    // against the client CA (a certificate that does not verify ends the handshake).
    if (X509* cert = SSL_get0_peer_certificate(c.ssl); cert != nullptr &&
        SSL_get_verify_result(c.ssl) == X509_V_OK) {
      user = userFromCertificate(cert);
    }
  }
  constexpr std::string_view kBearer = "Bearer ";
  if (!user && c.authorization.size() > kBearer.size() &&
      std::equal(kBearer.begin(), kBearer.end(), c.authorization.begin(),
                 [](char a, char b) { return std::tolower(a) == std::tolower(b); })) {
    std::string_view token = c.authorization.substr(kBearer.size());
    for (const auto& a : tokens_) {
      auto r = a->authenticateToken(token);
      if (!r.ok()) {
        return r.status();
      }
      if (r->has_value()) {
        user = std::move(**r);
        break;
      }
    }
    if (!user) {
      return Status(Code::kUnauthorized, "Unauthorized");
    }
  }
  if (!user) {
    return UserInfo::anonymous();
  }
  user->authenticated = true;
  addGroup(*user, "system:authenticated");
  return *user;
}

}  // namespace tug::apiserver
