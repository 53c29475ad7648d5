#include <filesystem>
#include <thread>

#include <catch2/catch.hpp>

#include "apiserver/api_catalog.h"
#include "apiserver/apiserver.h"
#include "apiserver/discovery_routes.h"
#include "apiserver/resources.h"
#include "client/https_client.h"
#include "client/informer.h"
#include "local_server.h"

using namespace std::chrono_literals;
using namespace tug;
using namespace tug::client;

namespace {

// Refuses everything but reads of configmaps, as RBAC would refuse a user without a binding.
class ReadOnlyConfigMaps : public apiserver::RequestAuthorizer {
 public:
  std::optional<json> refuse(const apiserver::UserInfo& user,
                             const httplib::Request& req) const override {
    if (req.method == "GET" && req.path.find("/configmaps") != std::string::npos) {
      return std::nullopt;
    }
    return json{{"kind", "Status"}, {"apiVersion", "v1"}, {"status", "Failure"},
                {"message", "user \"" + user.name + "\" cannot do that"},
                {"reason", "Forbidden"}, {"code", 403}};
  }
};

// The stream's first event, or the error it ended with; an empty optional after 5 s of neither.
Result<std::optional<WatchEvent>> firstEvent(EventStream& stream) {
  Result<std::optional<WatchEvent>> e = std::optional<WatchEvent>();
  for (int i = 0; i < 50 && e.ok() && !*e; ++i) {
    e = stream.next(100ms);
  }
  return e;
}

json configMap(const std::string& name, const std::string& value) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}}},
          {"data", {{"k", value}}}};
}

}  // namespace

TEST_CASE("both transports create, read, update, patch and delete", "[client]") {
  std::string transport = GENERATE(as<std::string>{}, "https", "in-process");
  INFO("transport " << transport);
  LocalServer server;
  auto client = server.client(transport);
  Client& c = *client;
  auto cm = Resource::builtin("", "v1", "configmaps");
  REQUIRE(cm.ok());

  auto created = c.create(*cm, "default", configMap("a", "1"), WriteOptions{"tester"});
  REQUIRE(created.ok());
  CHECK((*created)["metadata"]["managedFields"][0]["manager"] == "tester");
  auto again = c.create(*cm, "default", configMap("a", "1"));
  REQUIRE_FALSE(again.ok());
  CHECK(again.status().code() == Code::kAlreadyExists);

  auto got = c.get(*cm, "default", "a");
  REQUIRE(got.ok());
  CHECK((*got)["data"]["k"] == "1");

  json next = *got;
  next["data"]["k"] = "2";
  REQUIRE(c.update(*cm, "default", next).ok());
  auto stale = c.update(*cm, "default", next);  // the old resourceVersion
  REQUIRE_FALSE(stale.ok());
  CHECK(stale.status().code() == Code::kConflict);

  auto patched = c.patch(*cm, "default", "a", PatchType::kMerge, R"({"data":{"k":"3"}})");
  REQUIRE(patched.ok());
  CHECK((*patched)["data"]["k"] == "3");
  auto invalid = c.create(*cm, "default", configMap("Bad_Name", "x"));
  REQUIRE_FALSE(invalid.ok());
  CHECK(invalid.status().code() == Code::kInvalid);

  auto listed = c.list(*cm, "default", ListOptions{});
  REQUIRE(listed.ok());
  CHECK(listed->items.size() == 1);
  CHECK_FALSE(listed->resourceVersion.empty());

  REQUIRE(c.remove(*cm, "default", "a").ok());
  auto gone = c.get(*cm, "default", "a");
  REQUIRE_FALSE(gone.ok());
  CHECK(gone.status().code() == Code::kNotFound);
  auto ns = Resource::builtin("", "v1", "namespaces");
  REQUIRE(ns.ok());
  CHECK(c.get(*ns, "", "kube-system").ok());  // cluster-scoped: no namespace in the path
}

TEST_CASE("an informer over either transport sees what is written", "[client]") {
  std::string transport = GENERATE(as<std::string>{}, "https", "in-process");
  INFO("transport " << transport);
  LocalServer server;
  auto client = server.client(transport);
  Client& c = *client;
  auto cm = Resource::builtin("", "v1", "configmaps");
  REQUIRE(cm.ok());
  REQUIRE(c.create(*cm, "default", configMap("before", "0")).ok());

  std::mutex mu;
  std::vector<std::string> seen;
  Informer informer(c, *cm, "default");
  auto registration = informer.addHandlers(
      EventHandlers{[&](const json& o) {
                      std::lock_guard<std::mutex> lock(mu);
                      seen.push_back("add " + o["metadata"]["name"].get<std::string>());
                    },
                    [&](const json&, const json& o) {
                      std::lock_guard<std::mutex> lock(mu);
                      seen.push_back("update " + o["metadata"]["name"].get<std::string>());
                    },
                    [&](const json& o) {
                      std::lock_guard<std::mutex> lock(mu);
                      seen.push_back("delete " + o["metadata"]["name"].get<std::string>());
                    }});
  informer.start();
  REQUIRE(informer.waitForSync(5s));
  REQUIRE(c.create(*cm, "default", configMap("after", "1")).ok());
  REQUIRE(c.patch(*cm, "default", "before", PatchType::kMerge, R"({"data":{"k":"9"}})").ok());
  REQUIRE(c.remove(*cm, "default", "after").ok());
  std::vector<std::string> want = {"add before", "add after", "update before", "delete after"};
  for (int i = 0; i < 300; ++i) {
    {
      std::lock_guard<std::mutex> lock(mu);
      if (seen.size() >= want.size()) {
        break;
      }
    }
    std::this_thread::sleep_for(10ms);
  }
  {
    std::lock_guard<std::mutex> lock(mu);
    CHECK(seen == want);
  }
  auto cached = informer.get("default", "before");
  REQUIRE(cached.has_value());
  CHECK((*cached)["data"]["k"] == "9");
  informer.stop();
}

TEST_CASE("both transports end a watch from a compacted revision with Gone", "[client]") {
  std::string transport = GENERATE(as<std::string>{}, "https", "in-process");
  INFO("transport " << transport);
  LocalServer server;
  auto client = server.client(transport);
  auto cm = Resource::builtin("", "v1", "configmaps");
  REQUIRE(cm.ok());
  for (int i = 0; i < 3; ++i) {
    REQUIRE(client->create(*cm, "default", configMap("c" + std::to_string(i), "x")).ok());
  }
  REQUIRE(server.store->compact(server.store->currentRevision()).isOk());
  ListOptions from;
  from.resourceVersion = "1";
  auto stream = client->watch(*cm, "default", from);
  REQUIRE(stream.ok());
  auto e = firstEvent(**stream);
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().code() == Code::kGone);
}

TEST_CASE("both transports decode watch events without managedFields when asked", "[client]") {
  std::string transport = GENERATE(as<std::string>{}, "https", "in-process");
  INFO("transport " << transport);
  LocalServer server;
  auto client = server.client(transport);
  auto cm = Resource::builtin("", "v1", "configmaps");
  REQUIRE(cm.ok());
  auto created = client->create(*cm, "default", configMap("m", "x"));
  REQUIRE(created.ok());
  REQUIRE((*created)["metadata"].contains("managedFields"));
  for (bool omit : {true, false}) {
    ListOptions options;
    options.resourceVersion = "0";  // the current state, as an ADDED event
    options.omitManagedFields = omit;
    auto stream = client->watch(*cm, "default", options);
    REQUIRE(stream.ok());
    auto e = firstEvent(**stream);
    REQUIRE(e.ok());
    REQUIRE(e->has_value());
    CHECK((**e).object["metadata"]["name"] == "m");
    CHECK((**e).object["data"]["k"] == "x");
    CHECK((**e).object["metadata"].contains("managedFields") == !omit);
  }
}

TEST_CASE("an in-process watch stops at once when closed from another thread", "[client]") {
  LocalServer server;
  auto client = server.client("in-process");
  auto cm = Resource::builtin("", "v1", "configmaps");
  REQUIRE(cm.ok());
  auto stream = client->watch(*cm, "default");
  REQUIRE(stream.ok());
  EventStream& s = **stream;
  std::thread closer([&] {
    std::this_thread::sleep_for(100ms);
    s.close();
  });
  auto start = std::chrono::steady_clock::now();
  auto e = s.next(10s);  // nothing is written: only close() ends the wait
  closer.join();
  CHECK(std::chrono::steady_clock::now() - start < 1s);
  REQUIRE_FALSE(e.ok());
  CHECK(e.status().code() == Code::kUnavailable);
}

TEST_CASE("in-process requests are authorized and bad requests get the API's errors",
          "[client]") {
  LocalServer server;
  auto client = server.client("in-process");
  auto cm = Resource::builtin("", "v1", "configmaps");
  REQUIRE(cm.ok());
  // A body that is no object of the kind, and a path no route serves.
  auto wrongKind = client->create(*cm, "default", json{{"apiVersion", "v1"}, {"kind", "Pod"},
                                                       {"metadata", {{"name", "p"}}}});
  REQUIRE_FALSE(wrongKind.ok());
  CHECK(wrongKind.status().code() == Code::kBadRequest);
  auto nowhere = client->get(Resource{"nowhere.example.com", "v1", "things", true}, "default", "x");
  REQUIRE_FALSE(nowhere.ok());
  CHECK(nowhere.status().code() == Code::kNotFound);

  ReadOnlyConfigMaps readOnly;
  LocalServer guarded(&readOnly);
  auto limited = guarded.client("in-process");
  CHECK(limited->list(*cm, "default").ok());
  auto refused = limited->create(*cm, "default", configMap("x", "1"));
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Code::kForbidden);
  CHECK(refused.status().message() == "user \"tester\" cannot do that");
  auto watchRefused = limited->watch(Resource{"", "v1", "secrets", true}, "default");
  REQUIRE_FALSE(watchRefused.ok());
  CHECK(watchRefused.status().code() == Code::kForbidden);
}
