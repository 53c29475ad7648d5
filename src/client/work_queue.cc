#include "client/work_queue.h"

namespace tug::client {

WorkQueue::WorkQueue(std::chrono::milliseconds base, std::chrono::milliseconds maxDelay)
    : base_(base), maxDelay_(maxDelay), timerThread_([this] { timerLoop(); }) {}

WorkQueue::~WorkQueue() {
  shutDown();
  if (timerThread_.joinable()) {
    timerThread_.join();
  }
}

void WorkQueue::addLocked(const std::string& key) {
  if (shuttingDown_ || dirty_.count(key)) {
    return;
  }
  dirty_.insert(key);
  if (processing_.count(key)) {
    return;  // queued again by done()
  }
  queue_.push_back(key);
  ready_.notify_one();
}

void WorkQueue::add(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  addLocked(key);
}

void WorkQueue::addAfter(const std::string& key, std::chrono::milliseconds delay) {
  std::lock_guard<std::mutex> lock(mu_);
  if (shuttingDown_) {
    return;
  }
  if (delay.count() <= 0) {
    addLocked(key);
    return;
  }
  waiting_.emplace(Clock::now() + delay, key);
  timer_.notify_one();
}

void WorkQueue::addRateLimited(const std::string& key) {
  std::chrono::milliseconds delay;
  {
    std::lock_guard<std::mutex> lock(mu_);
    int n = failures_[key]++;
    delay = n >= 30 ? maxDelay_ : std::min(maxDelay_, base_ * (int64_t{1} << n));
  }
  addAfter(key, delay);
}

void WorkQueue::forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  failures_.erase(key);
}

int WorkQueue::failures(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

std::optional<std::string> WorkQueue::get() {
  std::unique_lock<std::mutex> lock(mu_);
  ready_.wait(lock, [&] { return !queue_.empty() || shuttingDown_; });
  if (queue_.empty()) {
    return std::nullopt;
  }
  std::string key = std::move(queue_.front());
  queue_.pop_front();
  processing_.insert(key);
  dirty_.erase(key);
  return key;
}

void WorkQueue::done(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  processing_.erase(key);
  if (dirty_.count(key)) {
    queue_.push_back(key);
    ready_.notify_one();
  }
}

void WorkQueue::shutDown() {
  std::lock_guard<std::mutex> lock(mu_);
  shuttingDown_ = true;
  ready_.notify_all();
  timer_.notify_all();
}

bool WorkQueue::shuttingDown() {
  std::lock_guard<std::mutex> lock(mu_);
  return shuttingDown_;
}

size_t WorkQueue::length() {
  std::lock_guard<std::mutex> lock(mu_);
  return queue_.size();
}

void WorkQueue::timerLoop() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!shuttingDown_) {
    if (waiting_.empty()) {
      timer_.wait(lock);
      continue;
    }
    auto first = waiting_.begin();
    if (first->first <= Clock::now()) {
      std::string key = first->second;
      waiting_.erase(first);
      addLocked(key);
      continue;
    }
    timer_.wait_until(lock, first->first);
  }
}

std::string keyOf(std::string_view ns, std::string_view name) {
  return ns.empty() ? std::string(name) : std::string(ns) + "/" + std::string(name);
}

std::pair<std::string, std::string> splitKey(std::string_view key) {
  size_t slash = key.find('/');
  if (slash == std::string_view::npos) {
    return {"", std::string(key)};
  }
  return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

}  // namespace tug::client
