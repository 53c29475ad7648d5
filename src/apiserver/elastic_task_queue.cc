#include "apiserver/elastic_task_queue.h"

#include <thread>

#include "common/log.h"

namespace tug::apiserver {

ElasticTaskQueue::ElasticTaskQueue(size_t warmThreads, size_t maxThreads,
                                   std::chrono::milliseconds idleExit)
    : warm_(warmThreads), max_(maxThreads < 1 ? 1 : maxThreads), idleExit_(idleExit) {
  std::lock_guard<std::mutex> lock(mu_);
  for (size_t i = 0; i < warm_ && i < max_; ++i) {
    startThreadLocked();
  }
}

ElasticTaskQueue::~ElasticTaskQueue() { shutdown(); }

void ElasticTaskQueue::startThreadLocked() {
  ++live_;
  if (live_ > peak_) {
    peak_ = live_;
  }
  // Detached: a thread that ends on idle cannot be joined by anyone; shutdown() waits for
  // live_ to reach zero instead.
  std::thread([this] { work(); }).detach();
}

void ElasticTaskQueue::enqueue(std::function<void()> fn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shutdown_) {
    return;
  }
  jobs_.push_back(std::move(fn));
  if (jobs_.size() > idle_) {
    if (live_ < max_) {
      startThreadLocked();
    } else if (!warnedAtCap_) {
      warnedAtCap_ = true;
      TUG_LOG(kWarn, "apiserver")
          << "all " << max_ << " connection threads are busy; new connections wait";
    }
  }
  workReady_.notify_one();
}

void ElasticTaskQueue::work() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    ++idle_;
    bool woke = workReady_.wait_for(lock, idleExit_,
                                    [this] { return shutdown_ || !jobs_.empty(); });
    --idle_;
    if (!jobs_.empty()) {
      std::function<void()> job = std::move(jobs_.front());
      jobs_.pop_front();
      ++running_;
      lock.unlock();
      job();
      job = nullptr;  // the connection's resources go before the thread waits again
      lock.lock();
      --running_;
      continue;
    }
    if (shutdown_ || (!woke && live_ > warm_)) {
      break;
    }
  }
  --live_;
  // Notified with the lock held: once shutdown() sees live_ == 0 and returns, this thread
  // touches nothing of the queue again (the lock is released on return).
  allDone_.notify_all();
}

void ElasticTaskQueue::shutdown() {
  std::unique_lock<std::mutex> lock(mu_);
  shutdown_ = true;
  workReady_.notify_all();
  allDone_.wait(lock, [this] { return live_ == 0; });
}

ElasticTaskQueue::Figures ElasticTaskQueue::figures() const {
  std::lock_guard<std::mutex> lock(mu_);
  Figures f;
  f.threads = live_;
  f.busy = running_;
  f.queued = jobs_.size();
  f.peakThreads = peak_;
  return f;
}

}  // namespace tug::apiserver
