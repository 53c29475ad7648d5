#include "apiserver/token_request.h"

#include <catch2/catch.hpp>

#include "apiserver/resources.h"
#include "pki/service_account_validator.h"
#include "unit/pki/token_test_util.h"
#include "unit/store/store_fixture.h"

using namespace tug;
using namespace tug::apiserver;
using nlohmann::json;

namespace {

const std::vector<std::string> kApiAudiences = {"https://kubernetes.default.svc.cluster.local"};
const pki::TokenTime kNow = pki::TokenClock::from_time_t(1700000000);  // 2023-11-14T22:13:20Z

// A store with namespaces, a service account "builder" in "default", and a signer.
struct Fixture {
  testing::StoreFixture storeFixture;
  store::Store& store = storeFixture.open();
  const api::ResourceRegistry& registry = api::ResourceRegistry::builtin();
  VerbContext ctx{store, registry};
  pki::ServiceAccountTokenSigner signer =
      pki::ServiceAccountTokenSigner::create(pki::testing::share(pki::testing::signingKey()))
          .value();
  std::string accountUid;

  Fixture() {
    REQUIRE(bootstrapNamespaces(store, registry).isOk());
    json account = create("serviceaccounts", {{"metadata", {{"name", "builder"}}}});
    accountUid = account["metadata"]["uid"];
  }

  json create(const char* resource, json body, const std::string& ns = "default") {
    const api::ResourceInfo* info = registry.find("", "v1", resource);
    REQUIRE(info != nullptr);
    ResourceTarget target{info, info->namespaced ? ns : "", "", ""};
    Reply r = createResource(ctx, VerbRequest{target, {}, body.dump()});
    REQUIRE(r.code == 201);
    return r.body;
  }

  Reply request(json body, const std::string& account = "builder",
                const std::string& ns = "default") {
    const api::ResourceInfo* info = registry.find("", "v1", "serviceaccounts");
    VerbRequest req{ResourceTarget{info, ns, account, "token"}, {}, body.dump()};
    return createServiceAccountToken(ctx, req, signer, kApiAudiences, kNow);
  }

  pki::TokenIdentity identity(const Reply& r,
                              std::vector<std::string> audiences = kApiAudiences) {
    std::vector<pki::KeyPtr> keys;
    keys.push_back(pki::testing::share(pki::testing::signingKey()));
    auto validator = pki::ServiceAccountTokenValidator::create(std::move(keys)).value();
    pki::TokenExpectations expect;
    expect.audiences = std::move(audiences);
    auto id = validator.validate(r.body["status"]["token"].get<std::string>(), kNow, expect);
    REQUIRE(id.ok());
    return *id;
  }
};

json tokenRequest(json spec = json::object()) {
  return {{"apiVersion", "authentication.k8s.io/v1"}, {"kind", "TokenRequest"}, {"spec", spec}};
}

}  // namespace

TEST_CASE("a TokenRequest gets a token with upstream's defaults", "[apiserver][tokens]") {
  Fixture f;
  Reply r = f.request(tokenRequest());
  REQUIRE(r.code == 201);
  CHECK(r.body["kind"] == "TokenRequest");
  CHECK(r.body["apiVersion"] == "authentication.k8s.io/v1");
  CHECK(r.body["metadata"]["name"] == "builder");
  CHECK(r.body["metadata"]["namespace"] == "default");
  CHECK(r.body["metadata"]["creationTimestamp"] == "2023-11-14T22:13:20Z");
  CHECK(r.body["spec"]["audiences"] == json(kApiAudiences));
  CHECK(r.body["spec"]["expirationSeconds"] == 3600);
  CHECK(r.body["status"]["expirationTimestamp"] == "2023-11-14T23:13:20Z");
  pki::TokenIdentity id = f.identity(r);
  CHECK(id.userName == "system:serviceaccount:default:builder");
  CHECK(id.serviceAccountUid == f.accountUid);
  CHECK(id.podName.empty());
  CHECK(id.expiry == kNow + std::chrono::seconds(3600));
}

TEST_CASE("a TokenRequest names its audiences and lifetime", "[apiserver][tokens]") {
  Fixture f;
  Reply r = f.request(tokenRequest({{"audiences", {"vault"}}, {"expirationSeconds", 600}}));
  REQUIRE(r.code == 201);
  CHECK(r.body["spec"]["audiences"] == json({"vault"}));
  CHECK(r.body["status"]["expirationTimestamp"] == "2023-11-14T22:23:20Z");
  CHECK(f.identity(r, {"vault"}).audiences == std::vector<std::string>{"vault"});
}

TEST_CASE("a TokenRequest for a missing service account is 404", "[apiserver][tokens]") {
  Fixture f;
  Reply r = f.request(tokenRequest(), "nobody");
  CHECK(r.code == 404);
  CHECK(r.body["reason"] == "NotFound");
  CHECK(r.body["message"] == "serviceaccounts \"nobody\" not found");
  CHECK(r.body["details"] == json{{"name", "nobody"}, {"kind", "serviceaccounts"}});
}

TEST_CASE("a TokenRequest lifetime outside [10m, 2^32s] is 422", "[apiserver][tokens]") {
  Fixture f;
  SECTION("too short") {
    Reply r = f.request(tokenRequest({{"expirationSeconds", 300}}));
    REQUIRE(r.code == 422);
    CHECK(r.body["reason"] == "Invalid");
    CHECK(r.body["message"] ==
          "TokenRequest.authentication.k8s.io \"\" is invalid: spec.expirationSeconds: Invalid "
          "value: 300: may not specify a duration less than 10 minutes");
    CHECK(r.body["details"]["kind"] == "TokenRequest");
    CHECK(r.body["details"]["group"] == "authentication.k8s.io");
    CHECK(r.body["details"]["causes"][0]["field"] == "spec.expirationSeconds");
    CHECK(r.body["details"]["causes"][0]["reason"] == "FieldValueInvalid");
  }
  SECTION("too long") {
    Reply r = f.request(tokenRequest({{"expirationSeconds", (int64_t{1} << 32) + 1}}));
    REQUIRE(r.code == 422);
    CHECK(r.body["details"]["causes"][0]["message"] ==
          "Invalid value: 4294967297: may not specify a duration larger than 2^32 seconds");
  }
  SECTION("not a number") {
    Reply r = f.request(tokenRequest({{"expirationSeconds", "1h"}}));
    CHECK(r.code == 400);
  }
}

TEST_CASE("a TokenRequest's metadata must name its service account", "[apiserver][tokens]") {
  Fixture f;
  json body = tokenRequest();
  body["metadata"] = {{"name", "other"}};
  Reply r = f.request(body);
  REQUIRE(r.code == 422);
  CHECK(r.body["message"] ==
        "TokenRequest.authentication.k8s.io \"builder\" is invalid: metadata.name: Invalid "
        "value: \"other\": must match the service account name if specified");
  body["metadata"] = {{"namespace", "kube-system"}};
  r = f.request(body);
  REQUIRE(r.code == 422);
  CHECK(r.body["details"]["causes"][0]["field"] == "metadata.namespace");
  CHECK(f.request("not json").code == 400);
}

TEST_CASE("a pod-bound token names the pod and its node", "[apiserver][tokens]") {
  Fixture f;
  json pod = f.create("pods", {{"metadata", {{"name", "web"}}},
                               {"spec", {{"serviceAccountName", "builder"},
                                         {"nodeName", "node-1"},
                                         {"containers", {{{"name", "c"}, {"image", "x"}}}}}}});
  std::string podUid = pod["metadata"]["uid"];
  json ref = {{"kind", "Pod"}, {"apiVersion", "v1"}, {"name", "web"}};
  SECTION("by name") {
    Reply r = f.request(tokenRequest({{"boundObjectRef", ref}}));
    REQUIRE(r.code == 201);
    CHECK(r.body["spec"]["boundObjectRef"] == ref);
    pki::TokenIdentity id = f.identity(r);
    CHECK(id.podName == "web");
    CHECK(id.podUid == podUid);
    CHECK(id.nodeName == "node-1");
    CHECK(id.nodeUid.empty());  // no Node object
  }
  SECTION("with its uid") {
    ref["uid"] = podUid;
    CHECK(f.request(tokenRequest({{"boundObjectRef", ref}})).code == 201);
  }
  SECTION("with another uid: 409") {
    ref["uid"] = "0000";
    Reply r = f.request(tokenRequest({{"boundObjectRef", ref}}));
    CHECK(r.code == 409);
    CHECK(r.body["message"] ==
          "Operation cannot be fulfilled on Pod \"web\": the UID in the bound object reference "
          "(0000) does not match the UID in record. The object might have been deleted and "
          "then recreated");
  }
  SECTION("a missing pod: 404") {
    ref["name"] = "gone";
    Reply r = f.request(tokenRequest({{"boundObjectRef", ref}}));
    CHECK(r.code == 404);
    CHECK(r.body["message"] == "pods \"gone\" not found");
  }
  SECTION("a pod of another service account: 400") {
    f.create("serviceaccounts", {{"metadata", {{"name", "other"}}}});
    Reply r = f.request(tokenRequest({{"boundObjectRef", ref}}), "other");
    CHECK(r.code == 400);
    CHECK(r.body["message"] == "cannot bind token for serviceaccount \"other\" to pod running "
                               "with different serviceaccount name.");
  }
}

TEST_CASE("a token binds to a secret, never to other kinds", "[apiserver][tokens]") {
  Fixture f;
  json secret = f.create("secrets", {{"metadata", {{"name", "s"}}}});
  json ref = {{"kind", "Secret"}, {"apiVersion", "v1"}, {"name", "s"}};
  Reply r = f.request(tokenRequest({{"boundObjectRef", ref}}));
  REQUIRE(r.code == 201);
  CHECK(f.identity(r).secretUid == secret["metadata"]["uid"]);

  r = f.request(tokenRequest(
      {{"boundObjectRef", {{"kind", "ConfigMap"}, {"apiVersion", "v1"}, {"name", "c"}}}}));
  CHECK(r.code == 400);
  CHECK(r.body["message"] == "cannot bind token to object of type /v1, Kind=ConfigMap");
  r = f.request(tokenRequest(
      {{"boundObjectRef", {{"kind", "Deployment"}, {"apiVersion", "apps/v1"}, {"name", "d"}}}}));
  CHECK(r.body["message"] == "cannot bind token to object of type apps/v1, Kind=Deployment");
  ref["name"] = "x";
  r = f.request(tokenRequest({{"boundObjectRef", ref}}));
  CHECK(r.code == 404);
}

TEST_CASE("a token binds to a node; a pod's token names its node's uid", "[apiserver][tokens]") {
  Fixture f;
  json node = f.create("nodes", {{"metadata", {{"name", "node-1"}}}});
  std::string nodeUid = node["metadata"]["uid"];
  Reply r = f.request(
      tokenRequest({{"boundObjectRef", {{"kind", "Node"}, {"name", "node-1"}}}}));
  REQUIRE(r.code == 201);
  pki::TokenIdentity id = f.identity(r);
  CHECK(id.nodeName == "node-1");
  CHECK(id.nodeUid == nodeUid);
  CHECK(id.podName.empty());

  f.create("pods", {{"metadata", {{"name", "web"}}},
                    {"spec", {{"nodeName", "node-1"},
                              {"serviceAccountName", "builder"},
                              {"containers", {{{"name", "c"}, {"image", "x"}}}}}}});
  r = f.request(tokenRequest({{"boundObjectRef", {{"kind", "Pod"}, {"name", "web"}}}}));
  REQUIRE(r.code == 201);
  CHECK(f.identity(r).nodeUid == nodeUid);
}
