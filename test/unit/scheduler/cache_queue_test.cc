#include <atomic>
#include <thread>

#include <catch2/catch.hpp>

#include "scheduler/cache.h"
#include "scheduler/scheduling_queue.h"
#include "scheduler_fixtures.h"

using namespace std::chrono_literals;
using namespace tug::scheduler;
using namespace tug::scheduler::testing;

namespace {

PodInfoPtr bound(json p, const std::string& node) {
  p["spec"]["nodeName"] = node;
  return makePodInfo(std::move(p));
}

const NodeInfo& only(const Snapshot& s) {
  REQUIRE(s.nodes.size() == 1);
  return *s.nodes[0];
}

}  // namespace

TEST_CASE("assumed pods count on their node until the API shows them", "[scheduler][cache]") {
  Cache cache;
  cache.setNode(node("n1", "4", "8Gi"));
  cache.assumePod(bound(pod("a", "1", "1Gi"), "n1"), "n1");
  cache.assumePod(bound(pod("b", "1", "1Gi"), "n1"), "n1");
  CHECK(only(cache.snapshot()).requested.milliCpu == 2000);
  CHECK(cache.isAssumed("default/a"));
  // The informer confirms one: counted once, no longer assumed.
  cache.setPod(bound(pod("a", "1", "1Gi"), "n1"));
  CHECK_FALSE(cache.isAssumed("default/a"));
  CHECK(only(cache.snapshot()).pods.size() == 2);
  CHECK(only(cache.snapshot()).requested.milliCpu == 2000);
  // A failed bind forgets the other.
  cache.forgetPod("default/b");
  CHECK(only(cache.snapshot()).requested.milliCpu == 1000);
  cache.forgetPod("default/a");  // confirmed pods are not forgotten
  CHECK(only(cache.snapshot()).pods.size() == 1);
  cache.removePod("default/a");
  CHECK(only(cache.snapshot()).pods.empty());
}

TEST_CASE("snapshots do not change under later updates", "[scheduler][cache]") {
  Cache cache;
  cache.setNode(node("n1", "4", "8Gi"));
  Snapshot before = cache.snapshot();
  cache.setPod(bound(pod("a", "1", "1Gi"), "n1"));
  CHECK(before.nodes[0]->pods.empty());
  CHECK(cache.snapshot().nodes[0]->pods.size() == 1);
}

TEST_CASE("a node's update changes what the filters read of it and keeps its pods",
          "[scheduler][cache]") {
  Cache cache;
  cache.setNode(node("n1", "4", "8Gi"));
  cache.setPod(bound(pod("a", "1", "1Gi"), "n1"));
  CHECK(only(cache.snapshot()).ready);
  CHECK_FALSE(only(cache.snapshot()).unschedulable);
  Snapshot before = cache.snapshot();

  json changed = node("n1", "2", "8Gi");
  changed["status"]["conditions"][0]["status"] = "Unknown";
  changed["spec"]["unschedulable"] = true;
  cache.setNode(changed);
  const NodeInfo& now = only(cache.snapshot());
  CHECK_FALSE(now.ready);
  CHECK(now.unschedulable);
  CHECK(now.allocatable.milliCpu == 2000);
  CHECK(now.pods.size() == 1);
  CHECK(now.requested.milliCpu == 1000);
  CHECK(only(before).ready);  // the older snapshot still reads the node as it was
}

TEST_CASE("a snapshot brought up to date takes only the nodes that changed", "[scheduler][cache]") {
  Cache cache;
  cache.setNode(node("a"));
  cache.setNode(node("b"));
  Snapshot s;
  cache.updateSnapshot(s);
  REQUIRE(s.nodes.size() == 2);
  const NodeInfoPtr a = s.nodes[0], b = s.nodes[1];
  CHECK(a->name == "a");

  cache.updateSnapshot(s);  // nothing changed: the same entries
  CHECK(s.nodes[0] == a);
  CHECK(s.nodes[1] == b);

  cache.setPod(bound(pod("p", "1", "1Gi"), "b"));
  Snapshot before = s;
  cache.updateSnapshot(s);
  CHECK(s.nodes[0] == a);  // untouched node: the very same NodeInfo
  CHECK(s.nodes[1] != b);
  CHECK(s.nodes[1]->pods.size() == 1);
  CHECK(before.nodes[1]->pods.empty());  // copy on write: the older view is intact

  // Pods of a node not yet known change nothing a snapshot holds.
  cache.setPod(bound(pod("q", "1", "1Gi"), "later"));
  cache.updateSnapshot(s);
  CHECK(s.nodes.size() == 2);
  // Nodes that come and go are seen, in name order.
  cache.setNode(node("later"));
  cache.removeNode("a");
  cache.updateSnapshot(s);
  REQUIRE(s.nodes.size() == 2);
  CHECK(s.nodes[0]->name == "b");
  CHECK(s.nodes[1]->name == "later");
  CHECK(s.nodes[1]->pods.size() == 1);
  CHECK(cache.snapshot().nodes.size() == 2);

  // A node deleted with pods on it leaves the snapshot; back, it has them and its own data.
  cache.removeNode("b");
  cache.updateSnapshot(s);
  REQUIRE(s.nodes.size() == 1);
  CHECK(s.nodes[0]->name == "later");
  cache.setNode(node("b"));
  cache.updateSnapshot(s);
  REQUIRE(s.nodes.size() == 2);
  CHECK(s.nodes[0]->name == "b");
  CHECK(s.nodes[0]->pods.size() == 1);
  CHECK(s.nodes[0]->ready);
  CHECK(s.nodes[0]->labels().value("kubernetes.io/hostname", "") == "b");
}

TEST_CASE("pods of a node not yet known wait for it", "[scheduler][cache]") {
  Cache cache;
  cache.setPod(bound(pod("a", "1", "1Gi"), "later"));
  CHECK(cache.snapshot().nodes.empty());
  cache.setNode(node("later"));
  CHECK(only(cache.snapshot()).pods.size() == 1);
  cache.removeNode("later");
  CHECK(cache.nodeCount() == 0);
  cache.setNode(node("later", "2", "2Gi"));
  CHECK(only(cache.snapshot()).requested.milliCpu == 1000);
  CHECK(only(cache.snapshot()).allocatable.milliCpu == 2000);
}

TEST_CASE("the queue hands out higher priority first, then arrival order", "[scheduler][queue]") {
  SchedulingQueue queue;
  json low = pod("low");
  json high = pod("high");
  high["spec"]["priority"] = 10;
  queue.add(makePodInfo(low));
  queue.add(makePodInfo(pod("low2")));
  queue.add(makePodInfo(high));
  CHECK((*queue.pop())->name == "high");
  CHECK((*queue.pop())->name == "low");
  CHECK((*queue.pop())->name == "low2");
  CHECK(queue.pendingCount() == 3);  // in flight until done
  queue.done("default/high");
  CHECK(queue.pendingCount() == 2);
}

TEST_CASE("an unschedulable pod waits for its backoff and a cluster change",
          "[scheduler][queue]") {
  SchedulingQueue queue(SchedulingQueue::Options{50ms, 200ms, std::chrono::minutes(5)});
  queue.add(makePodInfo(pod("web")));
  PodInfoPtr p = *queue.pop();
  queue.requeueUnschedulable(p);
  std::atomic<bool> popped{false};
  std::thread t([&] {
    if (queue.pop()) {
      popped = true;
    }
  });
  std::this_thread::sleep_for(300ms);
  CHECK_FALSE(popped);  // backoff is over, but nothing changed
  auto moved = std::chrono::steady_clock::now();
  queue.moveAllToActive();
  while (!popped && std::chrono::steady_clock::now() - moved < 2s) {
    std::this_thread::sleep_for(5ms);
  }
  CHECK(popped);
  queue.shutDown();
  t.join();
}

TEST_CASE("a change during the cycle sends the pod back after the backoff alone",
          "[scheduler][queue]") {
  SchedulingQueue queue(SchedulingQueue::Options{20ms, 100ms, std::chrono::minutes(5)});
  queue.add(makePodInfo(pod("web")));
  PodInfoPtr p = *queue.pop();
  queue.moveAllToActive();  // e.g. a node was added while the cycle ran
  queue.requeueUnschedulable(p);
  auto start = std::chrono::steady_clock::now();
  auto again = queue.pop();
  REQUIRE(again);
  CHECK(std::chrono::steady_clock::now() - start >= 15ms);
  queue.remove("default/web");
  CHECK(queue.pendingCount() == 0);
  queue.shutDown();
  CHECK_FALSE(queue.pop());
}
