#include "apiserver/service_account_authenticator.h"

#include <map>
#include <tuple>

#include <catch2/catch.hpp>

#include "apiserver/status_response.h"
#include "unit/pki/token_test_util.h"

using namespace tug;
using namespace tug::apiserver;
using nlohmann::json;

namespace {

const pki::TokenTime kNow = pki::TokenClock::from_time_t(1700000000);  // 2023-11-14T22:13:20Z

// Objects by (resource, namespace, name), as a test sets them.
class FakeObjects : public CoreObjectLookup {
 public:
  void put(const std::string& resource, const std::string& ns, const std::string& name,
           const std::string& uid, json extraMeta = json::object()) {
    json meta = {{"name", name}, {"uid", uid}};
    meta.update(extraMeta);
    objects_[{resource, ns, name}] = json{{"metadata", meta}};
  }
  void remove(const std::string& resource, const std::string& ns, const std::string& name) {
    objects_.erase({resource, ns, name});
  }
  Result<json> get(std::string_view resource, std::string_view ns,
                   std::string_view name) const override {
    auto it = objects_.find({std::string(resource), std::string(ns), std::string(name)});
    if (it == objects_.end()) {
      return notFound(std::string(resource) + " \"" + std::string(name) + "\" not found");
    }
    return it->second;
  }

 private:
  std::map<std::tuple<std::string, std::string, std::string>, json> objects_;
};

struct Fixture {
  std::shared_ptr<FakeObjects> objects = std::make_shared<FakeObjects>();
  pki::ServiceAccountTokenSigner signer =
      pki::ServiceAccountTokenSigner::create(pki::testing::share(pki::testing::signingKey()))
          .value();
  pki::TokenTime now = kNow;
  ServiceAccountTokenAuthenticator authenticator{validator(), pki::TokenExpectations{}, objects,
                                                 [this] { return now; }};

  Fixture() { objects->put("serviceaccounts", "web", "builder", "sa-1"); }

  static std::shared_ptr<const pki::ServiceAccountTokenValidator> validator() {
    std::vector<pki::KeyPtr> keys;
    keys.push_back(pki::testing::share(pki::testing::signingKey()));
    return std::make_shared<const pki::ServiceAccountTokenValidator>(
        pki::ServiceAccountTokenValidator::create(std::move(keys)).value());
  }

  pki::ServiceAccountTokenClaims claims() const {
    pki::ServiceAccountTokenClaims c;
    c.namespaceName = "web";
    c.serviceAccount = {"builder", "sa-1"};
    return c;
  }

  std::string issue(const pki::ServiceAccountTokenClaims& c) const {
    return signer.issue(c, kNow).value().token;
  }

  Result<std::optional<UserInfo>> authenticate(const std::string& token) {
    return authenticator.authenticateToken(token);
  }
};

void requireRefused(const Result<std::optional<UserInfo>>& r) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kUnauthorized);
  CHECK(r.status().message() == "Unauthorized");  // the reason stays in the server's log
}

}  // namespace

TEST_CASE("a service-account token is the service account's user", "[apiserver][authn]") {
  Fixture f;
  f.objects->put("pods", "web", "builder-1", "pod-1");
  pki::ServiceAccountTokenClaims c = f.claims();
  c.pod = pki::ObjectRef{"builder-1", "pod-1"};
  c.node = pki::ObjectRef{"node-1", ""};
  auto r = f.authenticate(f.issue(c));
  REQUIRE(r.ok());
  REQUIRE(r->has_value());
  const UserInfo& u = **r;
  CHECK(u.authenticated);
  CHECK(u.name == "system:serviceaccount:web:builder");
  CHECK(u.uid == "sa-1");
  CHECK(u.groups == std::vector<std::string>{"system:serviceaccounts",
                                             "system:serviceaccounts:web",
                                             "system:authenticated"});
  CHECK(u.extra.at("authentication.kubernetes.io/pod-name") ==
        std::vector<std::string>{"builder-1"});
  CHECK(u.extra.at("authentication.kubernetes.io/pod-uid") == std::vector<std::string>{"pod-1"});
  CHECK(u.extra.at("authentication.kubernetes.io/node-name") ==
        std::vector<std::string>{"node-1"});
  CHECK(u.extra.count("authentication.kubernetes.io/credential-id") == 1);
}

TEST_CASE("a token dies with its service account", "[apiserver][authn]") {
  Fixture f;
  std::string token = f.issue(f.claims());
  REQUIRE(f.authenticate(token).ok());
  SECTION("deleted") {
    f.objects->remove("serviceaccounts", "web", "builder");
    requireRefused(f.authenticate(token));
  }
  SECTION("recreated under the same name") {
    f.objects->put("serviceaccounts", "web", "builder", "sa-2");
    requireRefused(f.authenticate(token));
  }
  SECTION("being deleted: still valid for a minute") {
    f.objects->put("serviceaccounts", "web", "builder", "sa-1",
                   {{"deletionTimestamp", "2023-11-14T22:13:00Z"}});
    CHECK(f.authenticate(token).ok());
    f.now = kNow + std::chrono::seconds(90);
    requireRefused(f.authenticate(token));
  }
}

TEST_CASE("a bound token dies with its pod or secret", "[apiserver][authn]") {
  Fixture f;
  SECTION("pod") {
    f.objects->put("pods", "web", "p", "pod-1");
    pki::ServiceAccountTokenClaims c = f.claims();
    c.pod = pki::ObjectRef{"p", "pod-1"};
    std::string token = f.issue(c);
    REQUIRE(f.authenticate(token).ok());
    f.objects->put("pods", "web", "p", "pod-2");  // a new pod of the same name
    requireRefused(f.authenticate(token));
    f.objects->remove("pods", "web", "p");
    requireRefused(f.authenticate(token));
  }
  SECTION("secret") {
    f.objects->put("secrets", "web", "s", "secret-1");
    pki::ServiceAccountTokenClaims c = f.claims();
    c.secret = pki::ObjectRef{"s", "secret-1"};
    std::string token = f.issue(c);
    REQUIRE(f.authenticate(token).ok());
    f.objects->remove("secrets", "web", "s");
    requireRefused(f.authenticate(token));
  }
  SECTION("node, when bound to it alone") {
    f.objects->put("nodes", "", "n", "node-1");
    pki::ServiceAccountTokenClaims c = f.claims();
    c.node = pki::ObjectRef{"n", "node-1"};
    std::string token = f.issue(c);
    REQUIRE(f.authenticate(token).ok());
    f.objects->remove("nodes", "", "n");
    requireRefused(f.authenticate(token));
  }
}

TEST_CASE("tokens that are not valid are refused", "[apiserver][authn]") {
  Fixture f;
  std::string token = f.issue(f.claims());
  SECTION("tampered payload") {
    auto parts = pki::testing::split(token);
    json payload = pki::testing::decodePart(parts.payload);
    payload["kubernetes.io"]["serviceaccount"]["name"] = "admin";
    payload["sub"] = "system:serviceaccount:web:admin";
    parts.payload = pki::testing::encodePart(payload);
    requireRefused(f.authenticate(parts.join()));
  }
  SECTION("signed by another key") {
    auto other =
        pki::ServiceAccountTokenSigner::create(pki::testing::share(pki::testing::otherKey()))
            .value();
    requireRefused(f.authenticate(other.issue(f.claims(), kNow).value().token));
  }
  SECTION("expired") {
    f.now = kNow + std::chrono::seconds(3600 + 61);
    requireRefused(f.authenticate(token));
  }
  SECTION("for another audience") {
    pki::ServiceAccountTokenClaims c = f.claims();
    c.audiences = {"vault"};
    requireRefused(f.authenticate(f.issue(c)));
  }
}

TEST_CASE("what is not one of our tokens is left to other authenticators", "[apiserver][authn]") {
  Fixture f;
  for (const char* token : {"garbage", "a.b.c", ""}) {
    auto r = f.authenticate(token);
    REQUIRE(r.ok());
    CHECK_FALSE(r->has_value());
  }
  auto otherIssuer = pki::ServiceAccountTokenSigner::create(
                         pki::testing::share(pki::testing::signingKey()), "https://elsewhere")
                         .value();
  auto r = f.authenticate(otherIssuer.issue(f.claims(), kNow).value().token);
  REQUIRE(r.ok());
  CHECK_FALSE(r->has_value());
}

TEST_CASE("the authenticator chain answers a refused token with upstream's 401",
          "[apiserver][authn]") {
  Fixture f;
  Authenticator chain;
  chain.addTokenAuthenticator(std::make_unique<ServiceAccountTokenAuthenticator>(
      Fixture::validator(), pki::TokenExpectations{}, f.objects, [] { return kNow; }));
  std::string header = "Bearer " + f.issue(f.claims());
  auto user = chain.authenticate(Credentials{nullptr, header});
  REQUIRE(user.ok());
  CHECK(user->name == "system:serviceaccount:web:builder");
  f.objects->remove("serviceaccounts", "web", "builder");
  for (std::string bad : {header, std::string("Bearer garbage")}) {
    auto refused = chain.authenticate(Credentials{nullptr, bad});
    REQUIRE_FALSE(refused.ok());
    CHECK(statusObject(refused.status()) == json{{"kind", "Status"},
                                                 {"apiVersion", "v1"},
                                                 {"metadata", json::object()},
                                                 {"status", "Failure"},
                                                 {"message", "Unauthorized"},
                                                 {"reason", "Unauthorized"},
                                                 {"code", 401}});
  }
}
