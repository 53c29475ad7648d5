#include "client/shared_informers.h"

#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "local_server.h"

using namespace std::chrono_literals;
using namespace tug;
using namespace tug::client;

namespace {

json configMap(const std::string& name) {
  return {{"apiVersion", "v1"},
          {"kind", "ConfigMap"},
          {"metadata", {{"name", name}}},
          {"data", {{"k", "v"}}}};
}

bool waitFor(const std::function<bool()>& done) {
  for (int i = 0; i < 500 && !done(); ++i) {
    std::this_thread::sleep_for(10ms);
  }
  return done();
}

}  // namespace

TEST_CASE("shared informers give every asker the one informer of a resource", "[client]") {
  LocalServer server;
  auto client = server.client("in-process");
  auto configMaps = Resource::builtin("", "v1", "configmaps");
  auto secrets = Resource::builtin("", "v1", "secrets");
  auto accounts = Resource::builtin("", "v1", "serviceaccounts");
  REQUIRE(configMaps.ok());
  REQUIRE(secrets.ok());
  REQUIRE(accounts.ok());
  REQUIRE(client->create(*configMaps, "default", configMap("a")).ok());

  SharedInformers informers(*client);
  Informer& first = informers.get(*configMaps);
  Informer& second = informers.get(*configMaps);
  CHECK(&first == &second);
  CHECK(&informers.get(*secrets) != &first);

  // Two controllers' handlers on the one informer: each sees every object from the first list.
  std::atomic<int> firstAdds{0}, secondAdds{0};
  auto firstHandlers =
      first.addHandlers(EventHandlers{[&](const json&) { ++firstAdds; }, nullptr, nullptr});
  auto secondHandlers =
      second.addHandlers(EventHandlers{[&](const json&) { ++secondAdds; }, nullptr, nullptr});
  informers.start();
  REQUIRE(first.waitForSync(5s));
  REQUIRE(client->create(*configMaps, "default", configMap("b")).ok());
  CHECK(waitFor([&] { return firstAdds == 2 && secondAdds == 2; }));
  auto watched = first.get("default", "b");  // from the watch, not the list
  REQUIRE(watched.has_value());
  CHECK_FALSE((*watched)["metadata"].contains("managedFields"));

  // The cache holds no managedFields; the server still does.
  auto cached = first.get("default", "a");
  REQUIRE(cached.has_value());
  CHECK_FALSE((*cached)["metadata"].contains("managedFields"));
  CHECK((*cached)["data"]["k"] == "v");
  auto live = client->get(*configMaps, "default", "a");
  REQUIRE(live.ok());
  CHECK((*live)["metadata"].contains("managedFields"));

  // An informer asked for after start() starts at once.
  Informer& late = informers.get(*accounts);
  CHECK(late.waitForSync(5s));

  informers.stop();
  informers.stop();  // a second stop does nothing
  REQUIRE(client->create(*configMaps, "default", configMap("c")).ok());
  std::this_thread::sleep_for(100ms);
  CHECK(firstAdds == 2);  // stopped: no handler runs
}
