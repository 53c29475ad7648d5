#include "apiserver/authenticator.h"

#include <openssl/x509.h>

#include <catch2/catch.hpp>

using namespace tug::apiserver;

namespace {

class FixedTokens : public TokenAuthenticator {
 public:
  tug::Result<std::optional<UserInfo>> authenticateToken(std::string_view token) override {
    if (token == "good") {
      return std::optional<UserInfo>(UserInfo{"alice", {"devs"}, true});
    }
    return std::optional<UserInfo>();
  }
};

X509* certWithSubject(std::initializer_list<std::pair<const char*, const char*>> entries) {
  X509* cert = X509_new();
  X509_NAME* name = X509_get_subject_name(cert);
  for (auto [field, value] : entries) {
    X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8,
                               reinterpret_cast<const unsigned char*>(value), -1, -1, 0);
  }
  return cert;
}

}  // namespace

TEST_CASE("no credentials is anonymous", "[apiserver][authn]") {
  Authenticator a;
  auto u = a.authenticate({});
  REQUIRE(u.ok());
  CHECK_FALSE(u->authenticated);
  CHECK(u->name == "system:anonymous");
  CHECK(u->groups == std::vector<std::string>{"system:unauthenticated"});
}

TEST_CASE("bearer tokens go through the token authenticators", "[apiserver][authn]") {
  Authenticator a;
  a.addTokenAuthenticator(std::make_unique<FixedTokens>());
  auto good = a.authenticate({nullptr, "Bearer good"});
  REQUIRE(good.ok());
  CHECK(good->name == "alice");
  CHECK(good->groups == std::vector<std::string>{"devs", "system:authenticated"});

  auto bad = a.authenticate({nullptr, "Bearer nope"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().code() == tug::Code::kUnauthorized);

  // Not a bearer token at all: anonymous, as upstream treats unknown schemes.
  auto basic = a.authenticate({nullptr, "Basic Zm9vOmJhcg=="});
  REQUIRE(basic.ok());
  CHECK_FALSE(basic->authenticated);
}

TEST_CASE("a client certificate names the user and groups", "[apiserver][authn]") {
  X509* cert = certWithSubject({{"O", "system:masters"}, {"O", "ops"}, {"CN", "system:admin"}});
  auto u = userFromCertificate(cert);
  REQUIRE(u.has_value());
  CHECK(u->name == "system:admin");
  CHECK(u->groups == std::vector<std::string>{"system:masters", "ops"});
  X509_free(cert);

  X509* noCn = certWithSubject({{"O", "x"}});
  CHECK_FALSE(userFromCertificate(noCn).has_value());
  X509_free(noCn);
}
