#include <catch2/catch.hpp>
#include <regex>

#include "apiserver/object_meta.h"

using namespace tug;
using namespace tug::apiserver;

namespace {
const api::ResourceInfo& info(const char* group, const char* resource) {
  const api::ResourceInfo* r = api::ResourceRegistry::builtin().find(group, "v1", resource);
  REQUIRE(r != nullptr);
  return *r;
}
}  // namespace

TEST_CASE("uids, timestamps and generated names have upstream's shapes", "[object_meta]") {
  CHECK(std::regex_match(
      newUid(), std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  CHECK(newUid() != newUid());
  CHECK(std::regex_match(nowTimestamp(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  CHECK(std::regex_match(generateName("web-"), std::regex("web-[a-z0-9]{5}")));
}

TEST_CASE("identity: kind and apiVersion set, namespace from the URL", "[object_meta]") {
  const auto& cm = info("", "configmaps");
  nlohmann::json obj = {{"metadata", {{"name", "a"}}}};
  REQUIRE(checkAndSetIdentity(obj, cm, "x").isOk());
  CHECK(obj["kind"] == "ConfigMap");
  CHECK(obj["apiVersion"] == "v1");
  CHECK(obj["metadata"]["namespace"] == "x");

  nlohmann::json other = {{"metadata", {{"name", "a"}, {"namespace", "y"}}}};
  Status s = checkAndSetIdentity(other, cm, "x");
  CHECK(s.code() == Code::kBadRequest);
  CHECK(s.message() ==
        "the namespace of the provided object does not match the namespace sent on the request");

  nlohmann::json wrongKind = {{"kind", "Secret"}, {"metadata", {{"name", "a"}}}};
  CHECK(checkAndSetIdentity(wrongKind, cm, "x").code() == Code::kBadRequest);
  nlohmann::json notObject = nlohmann::json::array();
  CHECK(checkAndSetIdentity(notObject, cm, "x").code() == Code::kBadRequest);

  const auto& node = info("", "nodes");
  nlohmann::json n = {{"metadata", {{"name", "n1"}, {"namespace", "stray"}}}};
  REQUIRE(checkAndSetIdentity(n, node, "").isOk());
  CHECK_FALSE(n["metadata"].contains("namespace"));
}

TEST_CASE("create fills server-managed metadata and requires a name", "[object_meta]") {
  const auto& cm = info("", "configmaps");
  nlohmann::json obj = {
      {"metadata",
       {{"name", "a"}, {"resourceVersion", "7"}, {"deletionTimestamp", "2020-01-01T00:00:00Z"}}}};
  REQUIRE(prepareForCreate(obj, cm).isOk());
  CHECK(obj["metadata"]["generation"] == 1);
  CHECK(obj["metadata"]["uid"].get<std::string>().size() == 36);
  CHECK(obj["metadata"].contains("creationTimestamp"));
  CHECK_FALSE(obj["metadata"].contains("resourceVersion"));
  CHECK_FALSE(obj["metadata"].contains("deletionTimestamp"));

  nlohmann::json anonymous = {{"metadata", nlohmann::json::object()}};
  Status s = prepareForCreate(anonymous, cm);
  CHECK(s.code() == Code::kInvalid);
  CHECK(s.message() ==
        "ConfigMap \"\" is invalid: metadata.name: Required value: name or "
        "generateName is required");
  nlohmann::json generated = {{"metadata", {{"generateName", "a-"}}}};
  CHECK(prepareForCreate(generated, cm).isOk());
  nlohmann::json slash = {{"metadata", {{"name", "a/b"}}}};
  CHECK(prepareForCreate(slash, cm).code() == Code::kInvalid);
}

TEST_CASE("update keeps server metadata, bumps generation only for spec changes", "[object_meta]") {
  const auto& deploy = *api::ResourceRegistry::builtin().find("apps", "v1", "deployments");
  nlohmann::json current = {
      {"metadata", {{"name", "d"}, {"uid", "u1"}, {"creationTimestamp", "t0"}, {"generation", 3}}},
      {"spec", {{"replicas", 1}}},
      {"status", {{"replicas", 1}}}};
  nlohmann::json next = {{"metadata", {{"name", "d"}, {"uid", "forged"}, {"labels", {{"a", "b"}}}}},
                         {"spec", {{"replicas", 1}}},
                         {"status", {{"replicas", 9}}}};
  prepareForUpdate(next, current, deploy);
  CHECK(next["metadata"]["uid"] == "u1");
  CHECK(next["metadata"]["creationTimestamp"] == "t0");
  CHECK(next["metadata"]["generation"] == 3);  // labels are metadata
  CHECK(next["status"]["replicas"] == 1);      // status comes from /status only

  next["spec"]["replicas"] = 2;
  prepareForUpdate(next, current, deploy);
  CHECK(next["metadata"]["generation"] == 4);

  // Without a status subresource, .status is ordinary content.
  const auto& cm = info("", "configmaps");
  nlohmann::json cmNext = {{"metadata", {{"name", "c"}}}, {"status", "x"}};
  prepareForUpdate(cmNext, {{"metadata", {{"name", "c"}, {"generation", 1}}}}, cm);
  CHECK(cmNext["status"] == "x");
}

TEST_CASE("bad JSON is BadRequest", "[object_meta]") {
  CHECK(parseObject("{bad").status().code() == Code::kBadRequest);
  CHECK(parseObject("{}").ok());
}
