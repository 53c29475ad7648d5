#include "apiserver/quota_admission.h"

#include <atomic>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "apiserver/resources.h"
#include "verb_fixture.h"

using namespace tug;
using namespace tug::apiserver;
using nlohmann::json;

namespace {

struct Fixture : VerbFixture {

  Reply create(const char* resource, json body) {
    const api::ResourceInfo* info = registry.find("", "v1", resource);
    return createResource(ctx, VerbRequest{ResourceTarget{info, "default", "", ""}, {},
                                           body.dump()});
  }
  // A quota as the controller leaves it: status.hard set, nothing used yet.
  void quota(const char* name, json hard) {
    json used = json::object();
    for (auto it = hard.begin(); it != hard.end(); ++it) {
      used[it.key()] = "0";
    }
    Reply r = create("resourcequotas", {{"metadata", {{"name", name}}}, {"spec", {{"hard", hard}}}});
    REQUIRE(r.code == 201);
    const api::ResourceInfo* info = registry.find("", "v1", "resourcequotas");
    auto kv = store.get(api::storageKey(*info, "default", name));
    REQUIRE(kv.ok());
    json stored = json::parse(kv->value);
    stored["status"] = {{"hard", hard}, {"used", used}};
    REQUIRE(store.update(kv->key, stored.dump(), kv->modRevision).ok());
  }
  json used(const char* name) {
    const api::ResourceInfo* info = registry.find("", "v1", "resourcequotas");
    auto kv = store.get(api::storageKey(*info, "default", name));
    REQUIRE(kv.ok());
    return json::parse(kv->value)["status"]["used"];
  }
};

json pod(const std::string& name, json resources = json::object()) {
  return {{"metadata", {{"name", name}}},
          {"spec", {{"containers", {{{"name", "app"}, {"image", "x"}, {"resources", resources}}}}}}};
}

}  // namespace

TEST_CASE("concurrent creates never charge a quota past its limit", "[quota]") {
  Fixture f;
  f.quota("q", {{"pods", "4"}});
  std::atomic<int> created{0}, refused{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 10; ++i) {
    threads.emplace_back([&, i] {
      Reply r = f.create("pods", pod("p" + std::to_string(i)));
      (r.code == 201 ? created : refused)++;
      if (r.code != 201) {
        CHECK(r.code == 403);
        CHECK(r.body["message"].get<std::string>().find("exceeded quota: q") !=
              std::string::npos);
      }
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  CHECK(created == 4);
  CHECK(refused == 6);
  CHECK(f.used("q") == json({{"pods", "4"}}));
}

TEST_CASE("a create the store refuses gives its charge back", "[quota]") {
  Fixture f;
  f.quota("q", {{"pods", "3"}, {"requests.cpu", "1"}});
  json p = pod("same", {{"requests", {{"cpu", "300m"}}}});
  REQUIRE(f.create("pods", p).code == 201);
  CHECK(f.create("pods", p).code == 409);
  CHECK(f.used("q") == json({{"pods", "1"}, {"requests.cpu", "300m"}}));

  SECTION("dry runs charge nothing") {
    const api::ResourceInfo* info = f.registry.find("", "v1", "pods");
    Reply r = createResource(f.ctx, VerbRequest{ResourceTarget{info, "default", "", ""},
                                                {{"dryRun", "All"}},
                                                pod("dry", {{"requests", {{"cpu", "1"}}}}).dump()});
    CHECK(r.code == 403);  // 300m + 1 is over 1
    r = createResource(f.ctx, VerbRequest{ResourceTarget{info, "default", "", ""},
                                          {{"dryRun", "All"}},
                                          pod("dry", {{"requests", {{"cpu", "100m"}}}}).dump()});
    CHECK(r.code == 201);
    CHECK(f.used("q") == json({{"pods", "1"}, {"requests.cpu", "300m"}}));
  }
}

TEST_CASE("a quota limits nothing until the controller has set its status.hard", "[quota]") {
  Fixture f;
  REQUIRE(f.create("resourcequotas", {{"metadata", {{"name", "fresh"}}},
                                      {"spec", {{"hard", {{"configmaps", "1"}}}}},
                                      {"status", {{"hard", {{"configmaps", "9"}}}}}})
              .code == 201);
  // Status is the controller's to write: the status given on create is dropped, as upstream,
  // and quota admission goes by status.hard.
  Reply r = f.create("configmaps", {{"metadata", {{"name", "c"}}}});
  CHECK(r.code == 201);
  CHECK(f.create("pods", pod("free")).code == 201);
}

TEST_CASE("a quota whose usage is not known yet refuses what it limits", "[quota]") {
  Fixture f;
  f.quota("q", {{"pods", "5"}});
  const api::ResourceInfo* info = f.registry.find("", "v1", "resourcequotas");
  auto kv = f.store.get(api::storageKey(*info, "default", "q"));
  REQUIRE(kv.ok());
  json stored = json::parse(kv->value);
  stored["status"]["hard"]["count/configmaps"] = "1";  // the controller has not counted it yet
  REQUIRE(f.store.update(kv->key, stored.dump(), kv->modRevision).ok());
  Reply r = f.create("configmaps", {{"metadata", {{"name", "c"}}}});
  CHECK(r.code == 403);
  CHECK(r.body["message"] == "configmaps \"c\" is forbidden: status unknown for quota: q, "
                             "resources: count/configmaps");
  CHECK(f.create("pods", pod("p")).code == 201);
  CHECK(f.used("q") == json({{"pods", "1"}}));
}

TEST_CASE("limit ranges default and bound new pods", "[limitrange]") {
  Fixture f;
  REQUIRE(f.create("limitranges",
                   {{"metadata", {{"name", "lr"}}},
                    {"spec", {{"limits", {{{"type", "Container"},
                                           {"default", {{"memory", "256Mi"}}},
                                           {"max", {{"memory", "1Gi"}}}}}}}}})
              .code == 201);
  Reply r = f.create("pods", pod("plain"));
  REQUIRE(r.code == 201);
  CHECK(r.body["spec"]["containers"][0]["resources"] ==
        json({{"limits", {{"memory", "256Mi"}}}, {"requests", {{"memory", "256Mi"}}}}));
  r = f.create("pods", pod("big", {{"limits", {{"memory", "2Gi"}}}}));
  CHECK(r.code == 403);
  CHECK(r.body["message"] ==
        "pods \"big\" is forbidden: maximum memory usage per Container is 1Gi, but limit is 2Gi");
  CHECK(r.body["details"] == json({{"name", "big"}, {"kind", "pods"}}));
}
