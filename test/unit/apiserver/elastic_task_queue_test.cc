#include "apiserver/elastic_task_queue.h"

#include <atomic>
#include <catch2/catch.hpp>

#include "unit/eventually.h"

using tug::testing::eventually;
#include <chrono>
#include <thread>

using tug::apiserver::ElasticTaskQueue;
using namespace std::chrono_literals;

TEST_CASE("connections that hold their thread do not starve the next one", "[threads]") {
  ElasticTaskQueue q(2, 512);
  std::atomic<bool> release{false};
  std::atomic<int> running{0};
  // 300 long-lived connections (watches)...
  for (int i = 0; i < 300; ++i) {
    q.enqueue([&] {
      ++running;
      while (!release) {
        std::this_thread::sleep_for(1ms);
      }
    });
  }
  REQUIRE(eventually([&] { return running == 300; }));
  // ...and a short request still runs at once.
  std::atomic<bool> served{false};
  q.enqueue([&] { served = true; });
  CHECK(eventually([&] { return served.load(); }));
  CHECK(q.figures().busy >= 300);
  release = true;
  q.shutdown();
  CHECK(q.figures().threads == 0);
}

TEST_CASE("threads above the warm ones end when idle", "[threads]") {
  ElasticTaskQueue q(2, 64, 100ms);
  std::atomic<bool> release{false};
  for (int i = 0; i < 20; ++i) {
    q.enqueue([&] {
      while (!release) {
        std::this_thread::sleep_for(1ms);
      }
    });
  }
  REQUIRE(eventually([&] { return q.figures().busy == 20; }));
  CHECK(q.figures().peakThreads >= 20);
  release = true;
  CHECK(eventually([&] { return q.figures().threads == 2; }));
  // The warm threads still serve.
  std::atomic<bool> served{false};
  q.enqueue([&] { served = true; });
  CHECK(eventually([&] { return served.load(); }));
}

TEST_CASE("at the cap connections wait, and shutdown still runs them", "[threads]") {
  ElasticTaskQueue q(0, 3);
  std::atomic<bool> release{false};
  std::atomic<int> done{0};
  for (int i = 0; i < 5; ++i) {
    q.enqueue([&] {
      while (!release) {
        std::this_thread::sleep_for(1ms);
      }
      ++done;
    });
  }
  REQUIRE(eventually([&] { return q.figures().busy == 3; }));
  CHECK(q.figures().threads == 3);
  CHECK(q.figures().queued == 2);
  release = true;
  q.shutdown();
  CHECK(done == 5);
  q.shutdown();  // idempotent
}
