#include "apiserver/resource_verbs.h"

#include <catch2/catch.hpp>

#include "apiserver/encoded_json.h"
#include "apiserver/resources.h"
#include "verb_fixture.h"

using namespace tug;
using namespace tug::apiserver;

namespace {

// listResources, with a body written as text (a plain JSON list) parsed as a client reads it.
Reply listParsed(const VerbContext& ctx, const VerbRequest& req) {
  Reply r = listResources(ctx, req);
  if (const auto* text = encodedText(r.body)) {
    r.body = nlohmann::json::parse(encodedView(*text));
  }
  return r;
}

// A store with the bootstrap namespaces, and requests built the way the router builds them.
struct Fixture : VerbFixture {

  VerbRequest request(const char* group, const char* resource, std::string ns = "",
                      std::string name = "", nlohmann::json body = nullptr,
                      QueryParams params = {}) {
    const api::ResourceInfo* info = registry.find(group, "v1", resource);
    REQUIRE(info != nullptr);
    return VerbRequest{ResourceTarget{info, std::move(ns), std::move(name), ""}, std::move(params),
                       body.is_null() ? "" : body.dump()};
  }

  Reply createConfigMap(const std::string& name, nlohmann::json labels = nlohmann::json::object(),
                        const std::string& ns = "default") {
    nlohmann::json body = {{"metadata", {{"name", name}, {"labels", labels}}},
                           {"data", {{"k", "v"}}}};
    return createResource(ctx, request("", "configmaps", ns, "", body));
  }
};

}  // namespace

TEST_CASE("bootstrap creates the standard namespaces once", "[resources]") {
  Fixture f;
  REQUIRE(bootstrapNamespaces(f.store, f.registry).isOk());  // again: nothing changes
  Reply r = listParsed(f.ctx, f.request("", "namespaces"));
  REQUIRE(r.code == 200);
  std::vector<std::string> names;
  for (const auto& ns : r.body["items"]) {
    names.push_back(ns["metadata"]["name"]);
  }
  CHECK(names ==
        std::vector<std::string>{"default", "kube-node-lease", "kube-public", "kube-system"});
}

TEST_CASE("create then get returns the object with server metadata", "[resources]") {
  Fixture f;
  Reply created = f.createConfigMap("a");
  REQUIRE(created.code == 201);
  CHECK(created.body["kind"] == "ConfigMap");
  CHECK(created.body["metadata"]["namespace"] == "default");
  std::string rv = created.body["metadata"]["resourceVersion"];
  CHECK(std::stoll(rv) == f.store.currentRevision());

  Reply got = getResource(f.ctx, f.request("", "configmaps", "default", "a"));
  REQUIRE(got.code == 200);
  CHECK(got.body == created.body);
  // What is sent: the stored text with its revision, byte for byte the object printed.
  REQUIRE(created.encoded.has_value());
  CHECK(encodedView(*created.encoded) == created.body.dump());

  Reply again = f.createConfigMap("a");
  CHECK(again.code == 409);
  CHECK(again.body["reason"] == "AlreadyExists");
  CHECK(again.body["message"] == "configmaps \"a\" already exists");

  Reply missing = getResource(f.ctx, f.request("", "configmaps", "default", "b"));
  CHECK(missing.code == 404);
  CHECK(missing.body["message"] == "configmaps \"b\" not found");
  CHECK(missing.body["details"] == nlohmann::json{{"name", "b"}, {"kind", "configmaps"}});
}

TEST_CASE("create refuses missing namespaces and bad bodies", "[resources]") {
  Fixture f;
  Reply r = f.createConfigMap("a", nlohmann::json::object(), "nosuch");
  CHECK(r.code == 404);
  CHECK(r.body["message"] == "namespaces \"nosuch\" not found");
  CHECK(r.body["details"]["kind"] == "namespaces");

  VerbRequest bad = f.request("", "configmaps", "default");
  bad.body = "{not json";
  CHECK(createResource(f.ctx, bad).code == 400);

  Reply noName = createResource(
      f.ctx, f.request("", "configmaps", "default", "", {{"data", nlohmann::json::object()}}));
  CHECK(noName.code == 422);
  CHECK(noName.body["reason"] == "Invalid");
}

TEST_CASE("generateName gives a fresh name; dryRun writes nothing", "[resources]") {
  Fixture f;
  Reply r = createResource(f.ctx, f.request("", "configmaps", "default", "",
                                            {{"metadata", {{"generateName", "gen-"}}}}));
  REQUIRE(r.code == 201);
  CHECK(r.body["metadata"]["name"].get<std::string>().size() == 9);

  store::Revision before = f.store.currentRevision();
  Reply dry =
      createResource(f.ctx, f.request("", "configmaps", "default", "",
                                      {{"metadata", {{"name", "dry"}}}}, {{"dryRun", "All"}}));
  CHECK(dry.code == 201);
  CHECK(f.store.currentRevision() == before);
  CHECK(getResource(f.ctx, f.request("", "configmaps", "default", "dry")).code == 404);
  Reply badDry =
      createResource(f.ctx, f.request("", "configmaps", "default", "",
                                      {{"metadata", {{"name", "x"}}}}, {{"dryRun", "Some"}}));
  CHECK(badDry.code == 400);
}

TEST_CASE("list pages with limit and continue, and filters by selectors", "[resources]") {
  Fixture f;
  for (int i = 0; i < 5; ++i) {
    REQUIRE(f.createConfigMap("cm" + std::to_string(i), {{"parity", i % 2 == 0 ? "even" : "odd"}})
                .code == 201);
  }
  REQUIRE(f.createConfigMap("elsewhere", {{"parity", "even"}}, "kube-system").code == 201);

  Reply page =
      listParsed(f.ctx, f.request("", "configmaps", "default", "", nullptr, {{"limit", "2"}}));
  REQUIRE(page.code == 200);
  CHECK(page.body["kind"] == "ConfigMapList");
  CHECK(page.body["items"].size() == 2);
  CHECK(page.body["metadata"]["remainingItemCount"] == 3);
  std::string token = page.body["metadata"]["continue"];
  Reply rest = listParsed(f.ctx, f.request("", "configmaps", "default", "", nullptr,
                                              {{"limit", "10"}, {"continue", token}}));
  REQUIRE(rest.code == 200);
  CHECK(rest.body["items"].size() == 3);
  CHECK_FALSE(rest.body["metadata"].contains("continue"));
  CHECK(rest.body["metadata"]["resourceVersion"] == page.body["metadata"]["resourceVersion"]);

  Reply even = listParsed(
      f.ctx, f.request("", "configmaps", "", "", nullptr, {{"labelSelector", "parity=even"}}));
  CHECK(even.body["items"].size() == 4);  // across namespaces
  Reply evenPage =
      listParsed(f.ctx, f.request("", "configmaps", "", "", nullptr,
                                     {{"labelSelector", "parity=even"}, {"limit", "2"}}));
  CHECK(evenPage.body["items"].size() == 2);
  CHECK(evenPage.body["metadata"].contains("continue"));
  CHECK_FALSE(evenPage.body["metadata"].contains("remainingItemCount"));

  Reply byName =
      listParsed(f.ctx, f.request("", "configmaps", "", "", nullptr,
                                     {{"fieldSelector", "metadata.namespace=kube-system"}}));
  CHECK(byName.body["items"].size() == 1);
  Reply badField = listParsed(
      f.ctx, f.request("", "configmaps", "", "", nullptr, {{"fieldSelector", "spec.x=1"}}));
  CHECK(badField.code == 400);

  Reply empty = listParsed(f.ctx, f.request("", "configmaps", "kube-public"));
  CHECK(empty.body["items"].is_array());
  CHECK(empty.body["items"].empty());
}

TEST_CASE("list at an exact resourceVersion and a compacted one", "[resources]") {
  Fixture f;
  Reply a = f.createConfigMap("a");
  std::string rvA = a.body["metadata"]["resourceVersion"];
  REQUIRE(f.createConfigMap("b").code == 201);
  Reply old = listParsed(
      f.ctx, f.request("", "configmaps", "default", "", nullptr,
                       {{"resourceVersion", rvA}, {"resourceVersionMatch", "Exact"}}));
  REQUIRE(old.code == 200);
  CHECK(old.body["items"].size() == 1);
  CHECK(old.body["metadata"]["resourceVersion"] == rvA);

  REQUIRE(f.createConfigMap("c").code == 201);
  REQUIRE(f.store.compact(f.store.currentRevision()).isOk());
  Reply expired = listParsed(
      f.ctx, f.request("", "configmaps", "default", "", nullptr,
                       {{"resourceVersion", rvA}, {"resourceVersionMatch", "Exact"}}));
  CHECK(expired.code == 410);
  CHECK(expired.body["reason"] == "Expired");
  CHECK(expired.body["message"].get<std::string>().starts_with("too old resource version: " + rvA));

  Reply latest = listParsed(
      f.ctx, f.request("", "configmaps", "default", "", nullptr, {{"resourceVersion", "0"}}));
  CHECK(latest.body["items"].size() == 3);
  Reply noRv = listParsed(f.ctx, f.request("", "configmaps", "default", "", nullptr,
                                              {{"resourceVersionMatch", "Exact"}}));
  CHECK(noRv.code == 400);
}

TEST_CASE("update checks resourceVersion and keeps server metadata", "[resources]") {
  Fixture f;
  Reply created = f.createConfigMap("a");
  nlohmann::json body = created.body;
  body["data"]["k"] = "w";
  Reply updated = updateResource(f.ctx, f.request("", "configmaps", "default", "a", body));
  REQUIRE(updated.code == 200);
  CHECK(updated.body["data"]["k"] == "w");
  CHECK(updated.body["metadata"]["uid"] == created.body["metadata"]["uid"]);
  CHECK(updated.body["metadata"]["generation"] == 2);
  CHECK(updated.body["metadata"]["resourceVersion"] != created.body["metadata"]["resourceVersion"]);

  Reply stale = updateResource(f.ctx, f.request("", "configmaps", "default", "a", body));
  CHECK(stale.code == 409);
  CHECK(stale.body["reason"] == "Conflict");
  CHECK(stale.body["message"] ==
        "Operation cannot be fulfilled on configmaps \"a\": the object has been modified; "
        "please apply your changes to the latest version and try again");

  body["metadata"].erase("resourceVersion");  // unconditional
  body["data"]["k"] = "z";
  CHECK(updateResource(f.ctx, f.request("", "configmaps", "default", "a", body)).code == 200);

  Reply noop = updateResource(f.ctx, f.request("", "configmaps", "default", "a", body));
  REQUIRE(noop.code == 200);
  store::Revision rev = f.store.currentRevision();
  CHECK(noop.body["metadata"]["resourceVersion"] == std::to_string(rev));

  Reply wrongName = updateResource(f.ctx, f.request("", "configmaps", "default", "b", body));
  CHECK(wrongName.code == 400);
  body["metadata"]["name"] = "b";
  CHECK(updateResource(f.ctx, f.request("", "configmaps", "default", "b", body)).code == 404);
}

TEST_CASE("status subresource updates only status", "[resources]") {
  Fixture f;
  nlohmann::json rs = {
      {"metadata", {{"name", "r"}}},
      {"spec",
       {{"replicas", 1},
        {"selector", {{"matchLabels", {{"app", "r"}}}}},
        {"template",
         {{"metadata", {{"labels", {{"app", "r"}}}}},
          {"spec", {{"containers", {{{"name", "c"}, {"image", "busybox"}}}}}}}}}},
      {"status", {{"replicas", 0}}}};
  Reply created = createResource(f.ctx, f.request("apps", "replicasets", "default", "", rs));
  REQUIRE(created.code == 201);

  nlohmann::json main = created.body;
  main["status"]["replicas"] = 5;
  Reply ignored = updateResource(f.ctx, f.request("apps", "replicasets", "default", "r", main));
  REQUIRE(ignored.code == 200);
  CHECK(ignored.body["status"]["replicas"] == 0);

  nlohmann::json status = ignored.body;
  status["status"]["replicas"] = 1;
  status["spec"]["replicas"] = 7;
  VerbRequest req = f.request("apps", "replicasets", "default", "r", status);
  req.target.subresource = "status";
  Reply updated = updateStatus(f.ctx, req);
  REQUIRE(updated.code == 200);
  CHECK(updated.body["status"]["replicas"] == 1);
  CHECK(updated.body["spec"]["replicas"] == 1);
  CHECK(updated.body["metadata"]["generation"] == 1);
}

TEST_CASE("delete returns the object and honours preconditions", "[resources]") {
  Fixture f;
  Reply created = f.createConfigMap("a");
  Reply wrongUid = deleteResource(
      f.ctx, f.request("", "configmaps", "default", "a", {{"preconditions", {{"uid", "nope"}}}}));
  CHECK(wrongUid.code == 409);
  Reply wrongRv = deleteResource(f.ctx, f.request("", "configmaps", "default", "a",
                                                  {{"preconditions", {{"resourceVersion", "1"}}}}));
  CHECK(wrongRv.code == 409);
  Reply dry = deleteResource(
      f.ctx, f.request("", "configmaps", "default", "a", nullptr, {{"dryRun", "All"}}));
  CHECK(dry.code == 200);
  CHECK(getResource(f.ctx, f.request("", "configmaps", "default", "a")).code == 200);

  Reply deleted = deleteResource(
      f.ctx, f.request("", "configmaps", "default", "a",
                       {{"kind", "DeleteOptions"},
                        {"preconditions", {{"uid", created.body["metadata"]["uid"]}}}}));
  REQUIRE(deleted.code == 200);
  CHECK(deleted.body["metadata"]["name"] == "a");
  CHECK(getResource(f.ctx, f.request("", "configmaps", "default", "a")).code == 404);
  CHECK(deleteResource(f.ctx, f.request("", "configmaps", "default", "a")).code == 404);
  VerbRequest bad = f.request("", "configmaps", "default", "a");
  bad.body = "{oops";
  CHECK(deleteResource(f.ctx, bad).code == 400);
}

TEST_CASE("finalizers hold an object until the last one is removed", "[resources]") {
  Fixture f;
  nlohmann::json body = {{"metadata", {{"name", "a"}, {"finalizers", {"example.com/hold"}}}}};
  REQUIRE(createResource(f.ctx, f.request("", "configmaps", "default", "", body)).code == 201);
  Reply marked = deleteResource(f.ctx, f.request("", "configmaps", "default", "a"));
  REQUIRE(marked.code == 200);
  CHECK(marked.body["metadata"].contains("deletionTimestamp"));
  Reply still = getResource(f.ctx, f.request("", "configmaps", "default", "a"));
  REQUIRE(still.code == 200);

  nlohmann::json next = still.body;
  next["metadata"]["finalizers"] = nlohmann::json::array();
  CHECK(updateResource(f.ctx, f.request("", "configmaps", "default", "a", next)).code == 200);
  CHECK(getResource(f.ctx, f.request("", "configmaps", "default", "a")).code == 404);
}

TEST_CASE("deletecollection deletes what the selector matches", "[resources]") {
  Fixture f;
  REQUIRE(f.createConfigMap("a", {{"k", "v"}}).code == 201);
  REQUIRE(f.createConfigMap("b", {{"k", "v"}}).code == 201);
  REQUIRE(f.createConfigMap("c", {{"k", "w"}}).code == 201);
  Reply r = deleteCollection(
      f.ctx, f.request("", "configmaps", "default", "", nullptr, {{"labelSelector", "k=v"}}));
  REQUIRE(r.code == 200);
  CHECK(r.body["items"].size() == 2);
  Reply left = listParsed(f.ctx, f.request("", "configmaps", "default"));
  REQUIRE(left.body["items"].size() == 1);
  CHECK(left.body["items"][0]["metadata"]["name"] == "c");
}

TEST_CASE("the standard namespaces cannot be deleted; a deleted one refuses content",
          "[resources]") {
  Fixture f;
  CHECK(deleteResource(f.ctx, f.request("", "namespaces", "", "default")).code == 403);
  nlohmann::json ns = {{"metadata", {{"name", "x"}, {"finalizers", {"example.com/hold"}}}}};
  REQUIRE(createResource(f.ctx, f.request("", "namespaces", "", "", ns)).code == 201);
  REQUIRE(deleteResource(f.ctx, f.request("", "namespaces", "", "x")).code == 200);
  Reply r = f.createConfigMap("a", nlohmann::json::object(), "x");
  CHECK(r.code == 403);
}

TEST_CASE("a plain JSON list copies stored objects and prints what decoding prints",
          "[resources]") {
  Fixture f;
  REQUIRE(f.createConfigMap("a", {{"app", "web"}}).code == 201);
  REQUIRE(f.createConfigMap("b").code == 201);
  nlohmann::json b = f.createConfigMap("b2").body;
  b["data"]["k"] = "changed";  // a later revision than its creation
  REQUIRE(updateResource(f.ctx, f.request("", "configmaps", "default", "b2", b)).code == 200);
  // As another writer could have stored it: whitespace, keys out of order, a resourceVersion
  // and another apiVersion. It goes through the decoder.
  const api::ResourceInfo& info = *f.registry.find("", "v1", "configmaps");
  REQUIRE(f.store
              .create(api::storageKey(info, "default", "c"),
                      R"({ "metadata": {"name": "c", "namespace": "default", "resourceVersion": "1",
                           "labels": {"app": "web"}}, "apiVersion": "v0", "data": {"k": "v"} })")
              .ok());

  Reply r = listResources(f.ctx, f.request("", "configmaps", "default"));
  REQUIRE(r.code == 200);
  const auto* text = encodedText(r.body);
  REQUIRE(text != nullptr);
  auto decoded = listMatching(f.ctx, f.request("", "configmaps", "default"));
  REQUIRE(decoded.ok());
  nlohmann::json expected = {
      {"apiVersion", "v1"},
      {"kind", "ConfigMapList"},
      {"metadata", {{"resourceVersion", std::to_string(decoded->revision)}}},
      {"items", decoded->items}};
  CHECK(encodedView(*text) == expected.dump());

  nlohmann::json body = nlohmann::json::parse(encodedView(*text));
  auto stored = f.store.list(api::storageKey(info, "default", ""), {});
  REQUIRE(stored.ok());
  REQUIRE(body["items"].size() == stored->items.size());
  for (size_t i = 0; i < stored->items.size(); ++i) {
    const nlohmann::json& item = body["items"][i];
    CHECK(item["metadata"]["resourceVersion"] == std::to_string(stored->items[i].modRevision));
    CHECK(item["apiVersion"] == "v1");
    CHECK(item["kind"] == "ConfigMap");
  }

  Reply web = listParsed(f.ctx, f.request("", "configmaps", "default", "", nullptr,
                                          {{"labelSelector", "app=web"}}));
  REQUIRE(web.code == 200);
  REQUIRE(web.body["items"].size() == 2);
  CHECK(web.body["items"][0]["metadata"]["name"] == "a");
  CHECK(web.body["items"][1]["metadata"]["name"] == "c");
  CHECK(web.body["items"][1]["metadata"]["resourceVersion"] != "1");
  Reply named = listParsed(f.ctx, f.request("", "configmaps", "default", "", nullptr,
                                            {{"fieldSelector", "metadata.name=b2"}}));
  REQUIRE(named.body["items"].size() == 1);
  CHECK(named.body["items"][0]["data"]["k"] == "changed");

  REQUIRE(f.store.create(api::storageKey(info, "default", "d"), "{damaged").ok());
  CHECK(listResources(f.ctx, f.request("", "configmaps", "default")).code == 500);
}

TEST_CASE("Table lists and lists of custom resources are decoded", "[resources]") {
  Fixture f;
  REQUIRE(f.createConfigMap("a").code == 201);
  VerbRequest table = f.request("", "configmaps", "default");
  table.accept = "application/json;as=Table;v=v1;g=meta.k8s.io";
  Reply tableList = listResources(f.ctx, table);
  CHECK(tableList.code == 200);
  CHECK(encodedText(tableList.body) == nullptr);

  api::ResourceInfo custom = *f.registry.find("", "v1", "configmaps");
  custom.builtin = false;
  Reply r = listResources(f.ctx, VerbRequest{ResourceTarget{&custom, "default", "", ""}, {}, ""});
  REQUIRE(r.code == 200);
  CHECK(encodedText(r.body) == nullptr);
  CHECK(r.body["items"].is_array());
}
