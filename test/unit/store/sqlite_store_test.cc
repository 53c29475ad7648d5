#include <atomic>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "store_fixture.h"

using tug::Code;
using tug::testing::StoreFixture;
using namespace tug::store;

TEST_CASE("each write takes the next revision", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  CHECK(s.currentRevision() == 0);
  auto a = s.create("/r/a", "1");
  REQUIRE(a.ok());
  CHECK(a->modRevision == 1);
  CHECK(a->createRevision == 1);
  auto b = s.update("/r/a", "2", 1);
  REQUIRE(b.ok());
  CHECK(b->modRevision == 2);
  CHECK(b->createRevision == 1);
  CHECK(b->value == "2");
  auto d = s.remove("/r/a", 2);
  REQUIRE(d.ok());
  CHECK(d->modRevision == 3);
  CHECK(d->value == "2");  // the deleted value
  CHECK(s.currentRevision() == 3);
}

TEST_CASE("create refuses a live key and accepts a deleted one", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  REQUIRE(s.create("/r/a", "1").ok());
  auto again = s.create("/r/a", "2");
  CHECK(again.status().code() == Code::kAlreadyExists);
  CHECK(s.currentRevision() == 1);  // a refused write takes no revision
  REQUIRE(s.remove("/r/a", 0).ok());
  auto recreated = s.create("/r/a", "3");
  REQUIRE(recreated.ok());
  CHECK(recreated->createRevision == 3);
  CHECK(s.get("/r/a")->value == "3");
}

TEST_CASE("update and delete check the expected revision", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  REQUIRE(s.create("/r/a", "1").ok());
  REQUIRE(s.update("/r/a", "2", 1).ok());

  SECTION("a stale revision is a conflict") {
    auto u = s.update("/r/a", "3", 1);
    CHECK(u.status().code() == Code::kConflict);
    auto d = s.remove("/r/a", 1);
    CHECK(d.status().code() == Code::kConflict);
    CHECK(s.get("/r/a")->value == "2");
  }
  SECTION("revision 0 writes unconditionally") {
    CHECK(s.update("/r/a", "3", 0).ok());
    CHECK(s.remove("/r/a", 0).ok());
  }
  SECTION("a missing key is not found") {
    CHECK(s.update("/r/missing", "x", 0).status().code() == Code::kNotFound);
    CHECK(s.remove("/r/missing", 0).status().code() == Code::kNotFound);
    REQUIRE(s.remove("/r/a", 2).ok());
    CHECK(s.update("/r/a", "x", 3).status().code() == Code::kNotFound);
    CHECK(s.remove("/r/a", 3).status().code() == Code::kNotFound);
  }
  SECTION("negative revisions are bad requests") {
    CHECK(s.update("/r/a", "x", -1).status().code() == Code::kBadRequest);
  }
}

TEST_CASE("get reads the current or an older revision", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  REQUIRE(s.create("/r/a", "v1").ok());    // 1
  REQUIRE(s.create("/r/b", "b").ok());     // 2
  REQUIRE(s.update("/r/a", "v2", 1).ok()); // 3
  REQUIRE(s.remove("/r/a", 3).ok());       // 4

  CHECK(s.get("/r/a").status().code() == Code::kNotFound);
  CHECK(s.get("/r/a", 1)->value == "v1");
  CHECK(s.get("/r/a", 2)->value == "v1");
  CHECK(s.get("/r/a", 3)->value == "v2");
  CHECK(s.get("/r/a", 3)->modRevision == 3);
  CHECK(s.get("/r/b", 1).status().code() == Code::kNotFound);
  auto future = s.get("/r/b", 99);
  CHECK(future.status().code() == Code::kTimeout);
  CHECK(future.status().message().find("too large revision") != std::string::npos);
}

TEST_CASE("bad keys and oversized values are refused with clear errors", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  CHECK(s.create("no-slash", "x").status().code() == Code::kInvalid);
  CHECK(s.get("/bad key").status().code() == Code::kInvalid);
  CHECK(s.create("/" + std::string(2000, 'k'), "x").status().code() == Code::kInvalid);
  auto big = s.create("/r/big", std::string((3 << 20) + 1, 'x'));
  CHECK(big.status().code() == Code::kTooLarge);
  auto fits = s.create("/r/big", std::string(3 << 20, 'x'));
  REQUIRE(fits.ok());
  CHECK(s.get("/r/big")->value.size() == (3u << 20));
  CHECK(s.currentRevision() == 1);
}

TEST_CASE("list returns live keys under a prefix in key order", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  for (auto k : {"/registry/pods/ns/c", "/registry/pods/ns/a", "/registry/pods/ns/b",
                 "/registry/podsx/ns/z", "/registry/pod"}) {
    REQUIRE(s.create(k, k).ok());
  }
  REQUIRE(s.remove("/registry/pods/ns/b", 0).ok());
  auto l = s.list("/registry/pods/", {});
  REQUIRE(l.ok());
  REQUIRE(l->items.size() == 2);
  CHECK(l->items[0].key == "/registry/pods/ns/a");
  CHECK(l->items[1].key == "/registry/pods/ns/c");
  CHECK(l->items[1].value == "/registry/pods/ns/c");
  CHECK(l->revision == 6);
  CHECK(l->continueToken.empty());
  CHECK(l->remaining == 0);

  auto all = s.list("", {});
  CHECK(all->items.size() == 4);
  auto old = s.list("/registry/pods/", {.revision = 3});
  CHECK(old->items.size() == 3);
  CHECK(*s.count("/registry/pods/") == 2);
  CHECK(*s.count("/registry/") == 4);
  CHECK(*s.count("/nothing/") == 0);
}

TEST_CASE("list pages continue at the first page's revision", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  for (int i = 0; i < 10; ++i) {
    REQUIRE(s.create("/r/k" + std::to_string(i), "v" + std::to_string(i)).ok());
  }
  auto p1 = s.list("/r/", {.limit = 4});
  REQUIRE(p1.ok());
  REQUIRE(p1->items.size() == 4);
  CHECK(p1->remaining == 6);
  REQUIRE_FALSE(p1->continueToken.empty());

  // Writes between pages must not show up in later pages.
  REQUIRE(s.create("/r/k55", "new").ok());
  REQUIRE(s.update("/r/k7", "changed", 0).ok());
  REQUIRE(s.remove("/r/k8", 0).ok());

  std::vector<std::string> keys;
  for (auto& kv : p1->items) {
    keys.push_back(kv.key);
  }
  std::string token = p1->continueToken;
  while (!token.empty()) {
    auto p = s.list("/r/", {.limit = 4, .continueToken = token});
    REQUIRE(p.ok());
    CHECK(p->revision == p1->revision);
    for (auto& kv : p->items) {
      keys.push_back(kv.key);
      if (kv.key == "/r/k7") {
        CHECK(kv.value == "v7");
      }
    }
    token = p->continueToken;
  }
  std::vector<std::string> want;
  for (int i = 0; i < 10; ++i) {
    want.push_back("/r/k" + std::to_string(i));
  }
  CHECK(keys == want);
}

TEST_CASE("list pages stay consistent while writers run", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  for (int i = 0; i < 200; ++i) {
    char k[32];
    std::snprintf(k, sizeof k, "/r/%04d", i);
    REQUIRE(s.create(k, "0").ok());
  }
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int n = 0; !stop; ++n) {
      char k[32];
      std::snprintf(k, sizeof k, "/r/%04d", n % 200);
      (void)s.update(k, std::to_string(n), 0);
    }
  });
  auto first = s.list("/r/", {.limit = 7});
  REQUIRE(first.ok());
  Revision at = first->revision;
  std::vector<KeyValue> seen = first->items;
  std::string token = first->continueToken;
  while (!token.empty()) {
    auto p = s.list("/r/", {.limit = 7, .continueToken = token});
    REQUIRE(p.ok());
    seen.insert(seen.end(), p->items.begin(), p->items.end());
    token = p->continueToken;
  }
  stop = true;
  writer.join();
  REQUIRE(seen.size() == 200);
  for (auto& kv : seen) {
    CHECK(kv.modRevision <= at);
  }
  auto whole = s.list("/r/", {.revision = at});
  REQUIRE(whole->items.size() == 200);
  for (size_t i = 0; i < 200; ++i) {
    CHECK(whole->items[i].value == seen[i].value);
  }
}

TEST_CASE("bad list arguments are refused", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  REQUIRE(s.create("/r/a", "x").ok());
  CHECK(s.list("/r/", {.limit = -1}).status().code() == Code::kBadRequest);
  CHECK(s.list("/r/", {.continueToken = "garbage!"}).status().code() == Code::kBadRequest);
  auto token = s.list("/r/", {.limit = 1});
  REQUIRE(s.create("/r/b", "x").ok());
  auto p = s.list("/r/", {.limit = 1});
  REQUIRE_FALSE(p->continueToken.empty());
  CHECK(s.list("/other/", {.continueToken = p->continueToken}).status().code() ==
        Code::kBadRequest);
}

TEST_CASE("concurrent writers racing on one key: exactly one wins", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  constexpr int kThreads = 16;

  SECTION("create") {
    std::atomic<int> won{0}, exists{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < kThreads; ++i) {
      ts.emplace_back([&, i] {
        auto r = s.create("/r/race", std::to_string(i));
        if (r.ok()) {
          ++won;
        } else if (r.status().code() == Code::kAlreadyExists) {
          ++exists;
        }
      });
    }
    for (auto& t : ts) {
      t.join();
    }
    CHECK(won == 1);
    CHECK(exists == kThreads - 1);
    CHECK(s.currentRevision() == 1);
  }
  SECTION("update with the same expected revision") {
    auto base = s.create("/r/race", "base");
    REQUIRE(base.ok());
    std::atomic<int> won{0}, conflicts{0};
    std::vector<std::thread> ts;
    for (int i = 0; i < kThreads; ++i) {
      ts.emplace_back([&, i] {
        auto r = s.update("/r/race", std::to_string(i), base->modRevision);
        if (r.ok()) {
          ++won;
        } else if (r.status().code() == Code::kConflict) {
          ++conflicts;
        }
      });
    }
    for (auto& t : ts) {
      t.join();
    }
    CHECK(won == 1);
    CHECK(conflicts == kThreads - 1);
    CHECK(s.currentRevision() == 2);
  }
}

TEST_CASE("many concurrent writers get distinct, gap-free revisions", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  constexpr int kThreads = 8, kEach = 50;
  std::vector<std::vector<Revision>> revs(kThreads);
  std::vector<std::thread> ts;
  for (int t = 0; t < kThreads; ++t) {
    ts.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto r = s.create("/r/" + std::to_string(t) + "/" + std::to_string(i), "x");
        if (r.ok()) {
          revs[t].push_back(r->modRevision);
        }
      }
    });
  }
  for (auto& t : ts) {
    t.join();
  }
  std::vector<Revision> all;
  for (auto& v : revs) {
    all.insert(all.end(), v.begin(), v.end());
  }
  std::sort(all.begin(), all.end());
  REQUIRE(all.size() == kThreads * kEach);
  for (size_t i = 0; i < all.size(); ++i) {
    CHECK(all[i] == static_cast<Revision>(i + 1));
  }
}

TEST_CASE("reopening restores data and revision", "[store]") {
  StoreFixture f;
  Store* s = &f.open();
  REQUIRE(s->create("/r/a", "1").ok());
  REQUIRE(s->create("/r/b", "2").ok());
  REQUIRE(s->update("/r/a", "3", 1).ok());
  REQUIRE(s->remove("/r/b", 2).ok());
  REQUIRE(s->compact(2).isOk());
  f.reopen();
  s = f.store.get();
  CHECK(s->currentRevision() == 4);
  CHECK(s->compactedRevision() == 2);
  CHECK(s->get("/r/a")->value == "3");
  CHECK(s->get("/r/b").status().code() == Code::kNotFound);
  auto next = s->create("/r/c", "x");
  REQUIRE(next.ok());
  CHECK(next->modRevision == 5);
}

TEST_CASE("a closed store refuses work", "[store]") {
  StoreFixture f;
  Store& s = f.open();
  REQUIRE(s.create("/r/a", "1").ok());
  s.close();
  s.close();  // idempotent
  CHECK(s.create("/r/b", "1").status().code() == Code::kUnavailable);
  CHECK(s.get("/r/a").status().code() == Code::kUnavailable);
  CHECK(s.watch("/r/", 0).status().code() == Code::kUnavailable);
}
