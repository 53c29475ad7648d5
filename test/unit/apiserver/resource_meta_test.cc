#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <regex>
#include <set>
#include <thread>
#include <vector>

#include "apiserver/object_meta.h"
#include "unit/apiserver/builtin_resource.h"

using namespace tug;
using namespace tug::apiserver;

namespace {
const api::ResourceInfo& info(const char* group, const char* resource) {
  return builtinResource(group, "v1", resource);
}
}  // namespace

TEST_CASE("uids, timestamps and generated names have upstream's shapes", "[object_meta]") {
  CHECK(std::regex_match(
      newUid(), std::regex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")));
  CHECK(newUid() != newUid());
  CHECK(std::regex_match(nowTimestamp(), std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
  CHECK(std::regex_match(generateName("web-"), std::regex("web-[a-z0-9]{5}")));
}

TEST_CASE("uids stay distinct across pool refills, threads and a fork", "[object_meta]") {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {  // many times the 64 uids one block of random bytes gives
    seen.insert(newUid());
  }
  std::vector<std::string> other(1000);
  std::thread t([&] {
    for (auto& u : other) {
      u = newUid();
    }
  });
  t.join();
  seen.insert(other.begin(), other.end());
  CHECK(seen.size() == 2000);

  // A child draws fresh bytes rather than the rest of its parent's block.
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  pid_t pid = fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    std::string uid = newUid();
    ssize_t n = write(fds[1], uid.data(), uid.size());
    _exit(n == static_cast<ssize_t>(uid.size()) ? 0 : 1);
  }
  std::string parent = newUid();
  char buf[64] = {};
  ssize_t n = read(fds[0], buf, sizeof buf);
  int status = 0;
  waitpid(pid, &status, 0);
  close(fds[0]);
  close(fds[1]);
  REQUIRE(n == 36);
  CHECK(std::string(buf, 36) != parent);
  CHECK(seen.count(std::string(buf, 36)) == 0);
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
  const auto& deploy = builtinResource("apps", "v1", "deployments");
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

TEST_CASE("storedMetaString reads one metadata string as decoding would", "[object_meta]") {
  const auto& ns = info("", "namespaces");
  auto check = [&](const std::string& text, const std::string& expected) {
    CAPTURE(text);
    store::KeyValue kv{"/registry/namespaces/x", text, 1, 2};
    CHECK(storedMetaString(kv, "deletionTimestamp") == expected);
    auto obj = decodeStored(kv, ns);
    CHECK((obj.ok() ? metaString(*obj, "deletionTimestamp") : "") == expected);
  };
  nlohmann::json terminating = {
      {"metadata",
       {{"deletionTimestamp", "2024-05-01T12:00:00Z"},
        {"managedFields", {{{"manager", "m"}, {"fieldsV1", {{"f:metadata", {{"f:x", "{"}}}}}}}},
        {"name", "x"}}},
      {"spec", {{"finalizers", {"kubernetes"}}}}};
  check(terminating.dump(), "2024-05-01T12:00:00Z");
  check(R"({"metadata":{"name":"x"},"spec":{}})", "");
  check(R"({"metadata":{"deletionTimestamp":"a\"b\u00e9"}})", "a\"b\xc3\xa9");
  check(R"({"metadata":{"deletionTimestamp":7}})", "");
  check(R"({"metadata":null})", "");
  check(R"({"spec":{}})", "");
  // Shapes left to the parser: whitespace, keys out of order, duplicates (the last one counts).
  check(R"({ "metadata": {"deletionTimestamp": "t"} })", "t");
  check(R"({"metadata":{"name":"x","deletionTimestamp":"t"}})", "t");
  check(R"({"metadata":{"deletionTimestamp":"a","deletionTimestamp":"b"}})", "b");
  check(R"({"metadata":{"deletionTimestamp":"t"})", "");  // damaged
}
