#pragma once

#include <atomic>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/status.h"
#include "store/store.h"

// A thread that keeps something in memory current with the writes under a store prefix: it
// reads the state whole, then follows a watch from where that read stood, and reads whole again
// whenever the watch cannot go on (compacted past, store closing). The API server's own caches
// (which namespaces and quotas exist, RBAC, served CRDs) are built on it.
namespace tug::store {

class StoreFollower {
 public:
  struct Callbacks {
    // Reads the whole state afresh. Writes after the revision taken before it are delivered
    // to `events` too, so applying one that the read already saw must be harmless.
    std::function<Status()> resync;
    // A batch of writes in revision order, or an empty batch after a quiet second.
    std::function<void(const std::vector<EventPtr>& events)> events;
  };

  StoreFollower(Store& store, std::string prefix, Callbacks callbacks);
  ~StoreFollower();  // stops
  StoreFollower(const StoreFollower&) = delete;
  StoreFollower& operator=(const StoreFollower&) = delete;

  // Reads the state once on the caller's thread, then follows on a thread of its own. A
  // failed first read is returned, and retried by the thread.
  Status start();
  // Returns once the thread is gone; no callback runs after.
  void stop();

 private:
  void run(Revision from, bool synced);

  Store& store_;
  const std::string prefix_;
  const Callbacks callbacks_;
  std::atomic<bool> stopping_{false};
  std::mutex watchMu_;
  WatchPtr watch_;  // under watchMu_: stop() closes it to wake the thread
  std::thread thread_;
};

}  // namespace tug::store
