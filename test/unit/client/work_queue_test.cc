#include "client/work_queue.h"

#include <catch2/catch.hpp>

using namespace std::chrono_literals;
using tug::client::WorkQueue;

TEST_CASE("a key is queued once however often it is added", "[client]") {
  WorkQueue q;
  q.add("a");
  q.add("b");
  q.add("a");
  CHECK(q.length() == 2);
  CHECK(q.get() == "a");
  CHECK(q.get() == "b");
  q.done("a");
  q.done("b");
  CHECK(q.length() == 0);
}

TEST_CASE("a key added while processed comes back once done", "[client]") {
  WorkQueue q;
  q.add("a");
  auto key = q.get();
  REQUIRE(key == "a");
  q.add("a");
  q.add("a");
  CHECK(q.length() == 0);  // never to a second worker at the same time
  q.done("a");
  CHECK(q.length() == 1);
  CHECK(q.get() == "a");
  q.done("a");
  CHECK(q.length() == 0);
}

TEST_CASE("addAfter and rate-limited adds wait, and backoff doubles", "[client]") {
  WorkQueue q(10ms, 1000ms);
  auto start = WorkQueue::Clock::now();
  q.addAfter("later", 50ms);
  CHECK(q.length() == 0);
  CHECK(q.get() == "later");
  CHECK(WorkQueue::Clock::now() - start >= 50ms);
  q.done("later");
  q.addRateLimited("x");  // 10 ms
  q.addRateLimited("x");  // 20 ms (coalesced with the first when both are due)
  CHECK(q.failures("x") == 2);
  CHECK(q.get() == "x");
  q.done("x");
  q.forget("x");
  CHECK(q.failures("x") == 0);
}

TEST_CASE("shutting down wakes waiting workers", "[client]") {
  WorkQueue q;
  std::optional<std::string> got = "unset";
  std::thread worker([&] { got = q.get(); });
  std::this_thread::sleep_for(20ms);
  q.shutDown();
  worker.join();
  CHECK_FALSE(got.has_value());
  q.add("ignored");
  CHECK(q.length() == 0);
}

TEST_CASE("keys join namespace and name", "[client]") {
  CHECK(tug::client::keyOf("ns", "n") == "ns/n");
  CHECK(tug::client::keyOf("", "n") == "n");
  CHECK(tug::client::splitKey("ns/n") == std::make_pair(std::string("ns"), std::string("n")));
  CHECK(tug::client::splitKey("n") == std::make_pair(std::string(""), std::string("n")));
}
