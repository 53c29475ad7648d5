#include <atomic>
#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "store_fixture.h"

using tug::Code;
using tug::testing::StoreFixture;
using namespace tug::store;
using namespace std::chrono_literals;

namespace {

// Reads from `w` until `n` events arrived or 5 s passed.
std::vector<EventPtr> collect(Watch& w, size_t n) {
  std::vector<EventPtr> out;
  auto deadline = std::chrono::steady_clock::now() + 5s;
  while (out.size() < n && std::chrono::steady_clock::now() < deadline) {
    auto batch = w.next(100ms);
    if (!batch.ok()) {
      FAIL("watch ended: " << batch.status().toString());
    }
    out.insert(out.end(), batch->begin(), batch->end());
  }
  return out;
}

}  // namespace

TEST_CASE("a watch from now sees later writes with their previous values", "[store][watch]") {
  StoreFixture f;
  Store& s = f.open();
  REQUIRE(s.create("/r/before", "x").ok());
  auto w = s.watch("/r/", 0);
  REQUIRE(w.ok());
  REQUIRE(s.create("/r/a", "1").ok());
  REQUIRE(s.update("/r/a", "2", 2).ok());
  REQUIRE(s.remove("/r/a", 3).ok());

  auto events = collect(**w, 3);
  REQUIRE(events.size() == 3);
  CHECK(events[0]->type == EventType::kAdded);
  CHECK(events[0]->kv.value == "1");
  CHECK(events[0]->kv.modRevision == 2);
  CHECK_FALSE(events[0]->prev.has_value());
  CHECK(events[1]->type == EventType::kModified);
  CHECK(events[1]->kv.value == "2");
  REQUIRE(events[1]->prev.has_value());
  CHECK(events[1]->prev->value == "1");
  CHECK(events[1]->prev->modRevision == 2);
  CHECK(events[2]->type == EventType::kDeleted);
  CHECK(events[2]->kv.modRevision == 4);
  CHECK(events[2]->prev->value == "2");
  // Nothing more, and a quiet watch times out with no events.
  auto quiet = (*w)->next(50ms);
  REQUIRE(quiet.ok());
  CHECK(quiet->empty());
}

TEST_CASE("a watch only sees its prefix", "[store][watch]") {
  StoreFixture f;
  Store& s = f.open();
  auto w = s.watch("/registry/pods/", 0);
  REQUIRE(w.ok());
  REQUIRE(s.create("/registry/podsx/a", "x").ok());
  REQUIRE(s.create("/registry/services/a", "x").ok());
  REQUIRE(s.create("/registry/pods/ns/a", "x").ok());
  auto events = collect(**w, 1);
  REQUIRE(events.size() == 1);
  CHECK(events[0]->kv.key == "/registry/pods/ns/a");
  CHECK((*w)->next(50ms)->empty());
}

TEST_CASE("watches started at old revisions replay history without gaps", "[store][watch]") {
  StoreFixture f;
  // A tiny memory window forces the older starts through the database.
  f.options.watchWindowEvents = GENERATE(4, 1000);
  Store& s = f.open();
  for (int i = 1; i <= 20; ++i) {
    REQUIRE(s.create("/r/" + std::to_string(i), std::to_string(i)).ok());
  }
  REQUIRE(s.update("/r/1", "changed", 1).ok());  // 21
  REQUIRE(s.remove("/r/2", 2).ok());             // 22
  for (Revision from : {Revision(0), Revision(1), Revision(10), Revision(19), Revision(22)}) {
    INFO("from " << from << ", window " << f.options.watchWindowEvents);
    auto w = s.watch("/r/", from);
    REQUIRE(w.ok());
    REQUIRE(s.create("/r/live-" + std::to_string(from), "x").ok());
    Revision last = s.currentRevision();
    Revision start = from == 0 ? last - 1 : from;
    auto events = collect(**w, static_cast<size_t>(last - start));
    REQUIRE(events.size() == static_cast<size_t>(last - start));
    for (size_t i = 0; i < events.size(); ++i) {
      CHECK(events[i]->kv.modRevision == start + 1 + static_cast<Revision>(i));
    }
    if (from == 1) {
      CHECK(events[19]->type == EventType::kModified);
      CHECK(events[19]->prev->value == "1");
      CHECK(events[20]->type == EventType::kDeleted);
      CHECK(events[20]->prev->value == "2");
    }
  }
}

TEST_CASE("a watch from a compacted revision is gone", "[store][watch]") {
  StoreFixture f;
  Store& s = f.open();
  for (int i = 0; i < 10; ++i) {
    REQUIRE(s.create("/r/" + std::to_string(i), "x").ok());
  }
  REQUIRE(s.compact(6).isOk());
  auto w = s.watch("/r/", 3);
  REQUIRE_FALSE(w.ok());
  CHECK(w.status().code() == Code::kGone);
  CHECK(w.status().message().find("compacted") != std::string::npos);
  auto ok = s.watch("/r/", 6);
  REQUIRE(ok.ok());
  CHECK(collect(**ok, 4).size() == 4);
}

TEST_CASE("a watch starting at a future revision waits for it", "[store][watch]") {
  StoreFixture f;
  Store& s = f.open();
  auto w = s.watch("/r/", 2);
  REQUIRE(w.ok());
  for (int i = 0; i < 4; ++i) {
    REQUIRE(s.create("/r/" + std::to_string(i), "x").ok());
  }
  auto events = collect(**w, 2);
  REQUIRE(events.size() == 2);
  CHECK(events[0]->kv.modRevision == 3);
}

TEST_CASE("a watcher that falls too far behind is dropped, not waited for", "[store][watch]") {
  StoreFixture f;
  f.options.watcherQueueEvents = 10;
  Store& s = f.open();
  auto w = s.watch("/r/", 0);
  REQUIRE(w.ok());
  for (int i = 0; i < 30; ++i) {
    REQUIRE(s.create("/r/" + std::to_string(i), "x").ok());
  }
  auto r = (*w)->next(100ms);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kGone);
  CHECK(r.status().message().find("restart it from revision 10") != std::string::npos);
  // Restarting from the reported revision recovers every later event.
  auto again = s.watch("/r/", 10);
  REQUIRE(again.ok());
  CHECK(collect(**again, 20).size() == 20);
}

TEST_CASE("the wakeup callback fires for new events", "[store][watch]") {
  StoreFixture f;
  Store& s = f.open();
  auto w = s.watch("/r/", 0);
  REQUIRE(w.ok());
  std::atomic<int> wakes{0};
  (*w)->setWakeup([&] { ++wakes; });
  REQUIRE(s.create("/r/a", "x").ok());
  CHECK(wakes >= 1);
  CHECK((*w)->next(0ms)->size() == 1);
}

TEST_CASE("closing the store ends its watches", "[store][watch]") {
  StoreFixture f;
  Store& s = f.open();
  auto w = s.watch("/r/", 0);
  REQUIRE(w.ok());
  std::thread closer([&] {
    std::this_thread::sleep_for(50ms);
    s.close();
  });
  auto r = (*w)->next(5s);
  closer.join();
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().code() == Code::kUnavailable);
}

TEST_CASE("a closed watch stops receiving events", "[store][watch]") {
  StoreFixture f;
  Store& s = f.open();
  auto w = s.watch("/r/", 0);
  REQUIRE(w.ok());
  (*w)->close();
  REQUIRE(s.create("/r/a", "x").ok());
  auto r = (*w)->next(10ms);
  CHECK(r.status().code() == Code::kUnavailable);
}

TEST_CASE("many watchers each see every event in order", "[store][watch]") {
  StoreFixture f;
  Store& s = f.open();
  std::vector<WatchPtr> ws;
  for (int i = 0; i < 20; ++i) {
    ws.push_back(std::move(*s.watch("/r/", 0)));
  }
  std::vector<std::thread> writers;
  for (int t = 0; t < 4; ++t) {
    writers.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        (void)s.create("/r/" + std::to_string(t) + "-" + std::to_string(i), "x");
      }
    });
  }
  for (auto& t : writers) {
    t.join();
  }
  for (auto& w : ws) {
    auto events = collect(*w, 100);
    REQUIRE(events.size() == 100);
    for (size_t i = 0; i < events.size(); ++i) {
      CHECK(events[i]->kv.modRevision == static_cast<Revision>(i + 1));
    }
  }
}
