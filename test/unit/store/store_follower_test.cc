#include "store/store_follower.h"

#include <atomic>
#include <chrono>
#include <set>
#include <thread>

#include <catch2/catch.hpp>

#include "unit/eventually.h"
#include "unit/store/store_fixture.h"

using namespace tug;
using namespace tug::store;
using tug::testing::eventually;

TEST_CASE("a follower reads the state, then follows the writes under its prefix", "[follower]") {
  testing::StoreFixture fixture;
  Store& store = fixture.open();
  REQUIRE(store.create("/registry/things/a", "1").ok());
  std::mutex mu;
  std::set<std::string> seen;  // keys, from the reads and the events
  std::atomic<int> reads{0};
  StoreFollower follower(store, "/registry/things/",
                         StoreFollower::Callbacks{[&] {
                                                    auto listed = store.list("/registry/things/",
                                                                             ListOptions{});
                                                    if (!listed.ok()) {
                                                      return listed.status();
                                                    }
                                                    std::lock_guard<std::mutex> lock(mu);
                                                    for (const KeyValue& kv : listed->items) {
                                                      seen.insert(kv.key);
                                                    }
                                                    reads++;
                                                    return Status::ok();
                                                  },
                                                  [&](const std::vector<EventPtr>& events) {
                                                    std::lock_guard<std::mutex> lock(mu);
                                                    for (const EventPtr& e : events) {
                                                      seen.insert(e->kv.key);
                                                    }
                                                  }});
  REQUIRE(follower.start().isOk());
  CHECK(reads == 1);  // on the caller's thread, before start returns
  {
    std::lock_guard<std::mutex> lock(mu);
    CHECK(seen == std::set<std::string>{"/registry/things/a"});
  }
  REQUIRE(store.create("/registry/things/b", "2").ok());
  REQUIRE(store.create("/registry/other/c", "3").ok());  // not under the prefix
  auto has = [&](const char* key) {
    std::lock_guard<std::mutex> lock(mu);
    return seen.count(key) == 1;
  };
  CHECK(eventually([&] { return has("/registry/things/b"); }));
  CHECK_FALSE(has("/registry/other/c"));

  follower.stop();
  REQUIRE(store.create("/registry/things/d", "4").ok());
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  CHECK_FALSE(has("/registry/things/d"));  // nothing runs after stop
  CHECK(reads == 1);
}

TEST_CASE("a follower whose first read fails tries again on its thread", "[follower]") {
  testing::StoreFixture fixture;
  Store& store = fixture.open();
  std::atomic<int> attempts{0};
  StoreFollower follower(
      store, "/registry/things/",
      StoreFollower::Callbacks{
          [&] { return ++attempts < 3 ? Status(Code::kUnavailable, "busy") : Status::ok(); },
          [](const std::vector<EventPtr>&) {}});
  CHECK(follower.start().code() == Code::kUnavailable);
  CHECK(eventually([&] { return attempts.load() == 3; }));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(attempts == 3);  // read once it succeeded, not again
}
