#include "apiserver/watched_keys.h"

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "unit/eventually.h"
#include "unit/store/store_fixture.h"

using namespace tug;
using namespace tug::apiserver;
using tug::testing::eventually;

namespace {

const std::string kPrefix = "/registry/resourcequotas/";

}  // namespace

TEST_CASE("watched keys follow the store, with a digest of each value", "[watched_keys]") {
  testing::StoreFixture fixture;
  store::Store& store = fixture.open();
  REQUIRE(store.create(kPrefix + "shop/compute", "{\"size\":1}").ok());
  REQUIRE(store.create("/registry/resourcequotasx/a/b", "{}").ok());  // another prefix

  WatchedKeys keys(store, kPrefix, [](const store::KeyValue& kv) { return kv.value; });
  CHECK(eventually([&] { return keys.anyStartingWith("shop/") == std::optional<bool>(true); }));
  CHECK(keys.find("shop/compute") == std::optional<std::string>("{\"size\":1}"));
  CHECK(keys.anyStartingWith("shopping/") == std::optional<bool>(false));
  CHECK(keys.anyStartingWith("a/") == std::optional<bool>(false));
  CHECK_FALSE(keys.find("a/b").has_value());

  auto created = store.create(kPrefix + "lab/pods", "{\"size\":2}");
  REQUIRE(created.ok());
  CHECK(eventually([&] { return keys.anyStartingWith("lab/") == std::optional<bool>(true); }));
  REQUIRE(store.update(kPrefix + "lab/pods", "{\"size\":3}", created->modRevision).ok());
  CHECK(eventually(
      [&] { return keys.find("lab/pods") == std::optional<std::string>("{\"size\":3}"); }));
  auto current = store.get(kPrefix + "lab/pods");
  REQUIRE(current.ok());
  REQUIRE(store.remove(kPrefix + "lab/pods", current->modRevision).ok());
  CHECK(eventually([&] { return keys.anyStartingWith("lab/") == std::optional<bool>(false); }));
  CHECK(keys.anyStartingWith("shop/") == std::optional<bool>(true));
}
