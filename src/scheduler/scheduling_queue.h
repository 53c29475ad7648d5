#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include "scheduler/pod_info.h"

// The pods waiting to be scheduled, after upstream's scheduling queue: an active queue
// ordered by priority then arrival; pods that failed wait out a backoff (1s doubling to 10s
// per attempt) and then, if they were unschedulable, wait for a change in the cluster (a node
// added or changed, a pod removed) that might make them fit, or for 5 minutes. Thread-safe.
namespace tug::scheduler {

class SchedulingQueue {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    std::chrono::milliseconds initialBackoff{1000};
    std::chrono::milliseconds maxBackoff{10000};
    std::chrono::milliseconds maxUnschedulable{std::chrono::minutes(5)};
  };
  SchedulingQueue() : SchedulingQueue(Options{}) {}
  explicit SchedulingQueue(Options options);

  // A new or changed pending pod: into the active queue, or its newer version replaces the
  // one waiting (a changed pod in the unschedulable set gets another try).
  void add(PodInfoPtr pod);
  void remove(const std::string& key);

  // The next pod to schedule; blocks until there is one or shutDown(). The pod counts as in
  // flight until done() or requeueUnschedulable() is called for it.
  std::optional<PodInfoPtr> pop();
  // The cycle for the pod ended with it scheduled (or gone).
  void done(const std::string& key);
  // The cycle found no node: the pod waits for its backoff and a cluster change.
  void requeueUnschedulable(PodInfoPtr pod);
  // The cycle failed for another reason (API error): retry after the backoff alone.
  void requeueAfterError(PodInfoPtr pod);

  // Something changed that might let unschedulable pods fit.
  void moveAllToActive();

  void shutDown();
  size_t pendingCount();

 private:
  enum class State { kActive, kInFlight, kBackoff, kUnschedulable };
  struct Entry {
    PodInfoPtr pod;
    State state = State::kActive;
    int attempts = 0;
    Clock::time_point since;           // when it (re)entered the queue
    Clock::time_point backoffUntil{};  // not active before this
    bool changedInFlight = false;  // the pod or the cluster changed during its cycle
  };
  // Active order: higher priority first, then earlier arrival.
  struct Order {
    int32_t priority;
    Clock::time_point since;
    std::string key;
    bool operator<(const Order& o) const {
      if (priority != o.priority) {
        return priority > o.priority;
      }
      if (since != o.since) {
        return since < o.since;
      }
      return key < o.key;
    }
  };
  static Order orderOf(const std::string& key, const Entry& e) {
    return Order{e.pod->priority, e.since, key};
  }
  void activateLocked(const std::string& key, Entry& e);
  void requeueLocked(PodInfoPtr pod, bool unschedulable);
  void promoteDueLocked(Clock::time_point now);
  std::chrono::milliseconds backoffFor(int attempts) const;

  const Options options_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::map<std::string, Entry> entries_;  // every pod the queue holds, in any state
  std::set<Order> active_;
  std::set<std::string> waiting_;  // kBackoff and kUnschedulable
  bool shuttingDown_ = false;
};

}  // namespace tug::scheduler
