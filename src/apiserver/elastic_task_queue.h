#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace tug::apiserver {

// httplib serves each connection on one thread for as long as the connection lives: a watch,
// or an idle keep-alive connection, holds its thread. A fixed pool therefore starves ordinary
// requests once it is full of watches. This queue starts a thread whenever a connection
// arrives and no thread is idle, up to `maxThreads`, and lets threads above `warmThreads`
// end after `idleExit` without work, so memory follows the load.
class ElasticTaskQueue : public httplib::TaskQueue {
 public:
  struct Figures {
    size_t threads = 0;      // alive now
    size_t busy = 0;         // running a connection
    size_t queued = 0;       // connections waiting for a thread (only at the cap)
    size_t peakThreads = 0;  // most alive at once
  };

  ElasticTaskQueue(size_t warmThreads, size_t maxThreads,
                   std::chrono::milliseconds idleExit = std::chrono::seconds(30));
  ~ElasticTaskQueue() override;

  void enqueue(std::function<void()> fn) override;
  // Runs what is queued, then waits for every thread to end. Idempotent.
  void shutdown() override;

  Figures figures() const;

 private:
  void startThreadLocked();
  void work();

  const size_t warm_, max_;
  const std::chrono::milliseconds idleExit_;
  mutable std::mutex mu_;
  std::condition_variable workReady_, allDone_;
  std::deque<std::function<void()>> jobs_;
  size_t live_ = 0, idle_ = 0, running_ = 0, peak_ = 0;
  bool shutdown_ = false;
  bool warnedAtCap_ = false;
};

}  // namespace tug::apiserver
