#include "scheduler/scheduling_queue.h"

#include <algorithm>

namespace tug::scheduler {

SchedulingQueue::SchedulingQueue(Options options) : options_(options) {}

std::chrono::milliseconds SchedulingQueue::backoffFor(int attempts) const {
  auto d = options_.initialBackoff;
  for (int i = 1; i < attempts && d < options_.maxBackoff; ++i) {
    d *= 2;
  }
  return std::min(d, options_.maxBackoff);
}

void SchedulingQueue::activateLocked(const std::string& key, Entry& e) {
  waiting_.erase(key);
  e.state = State::kActive;
  active_.insert(orderOf(key, e));
  cv_.notify_one();
}

void SchedulingQueue::add(PodInfoPtr pod) {
  std::lock_guard lock(mu_);
  if (shuttingDown_) {
    return;
  }
  const std::string key = pod->key;
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    Entry& e = entries_[key];
    e.pod = std::move(pod);
    e.since = Clock::now();
    activateLocked(key, e);
    return;
  }
  Entry& e = it->second;
  switch (e.state) {
    case State::kActive:
      active_.erase(orderOf(key, e));
      e.pod = std::move(pod);
      active_.insert(orderOf(key, e));
      break;
    case State::kInFlight:
      e.pod = std::move(pod);
      e.changedInFlight = true;
      break;
    case State::kBackoff:
      e.pod = std::move(pod);
      break;
    case State::kUnschedulable:
      // A changed pod may fit now: it goes back once its backoff is over.
      e.pod = std::move(pod);
      e.state = State::kBackoff;
      cv_.notify_one();
      break;
  }
}

void SchedulingQueue::remove(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return;
  }
  if (it->second.state == State::kActive) {
    active_.erase(orderOf(key, it->second));
  }
  waiting_.erase(key);
  entries_.erase(it);
}

void SchedulingQueue::promoteDueLocked(Clock::time_point now) {
  for (auto it = waiting_.begin(); it != waiting_.end();) {
    const std::string key = *it++;
    Entry& e = entries_.at(key);
    bool due = e.backoffUntil <= now &&
               (e.state == State::kBackoff || now - e.since >= options_.maxUnschedulable);
    if (due) {
      activateLocked(key, e);
    }
  }
}

std::optional<PodInfoPtr> SchedulingQueue::pop() {
  std::unique_lock lock(mu_);
  while (!shuttingDown_) {
    auto now = Clock::now();
    promoteDueLocked(now);
    if (!active_.empty()) {
      Order first = *active_.begin();
      active_.erase(active_.begin());
      Entry& e = entries_.at(first.key);
      e.state = State::kInFlight;
      e.changedInFlight = false;
      return e.pod;
    }
    // Sleep until the earliest wait ends, or until something is added.
    auto wake = now + std::chrono::seconds(1);
    for (const std::string& key : waiting_) {
      const Entry& e = entries_.at(key);
      wake = std::min(wake, e.state == State::kBackoff ? e.backoffUntil
                                                       : std::max(e.backoffUntil,
                                                                  e.since + options_.maxUnschedulable));
    }
    cv_.wait_until(lock, std::max(wake, now + std::chrono::milliseconds(1)));
  }
  return std::nullopt;
}

void SchedulingQueue::done(const std::string& key) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end() && it->second.state == State::kInFlight) {
    entries_.erase(it);
  }
}

void SchedulingQueue::requeueLocked(PodInfoPtr pod, bool unschedulable) {
  auto it = entries_.find(pod->key);
  if (it == entries_.end() || it->second.state != State::kInFlight) {
    return;  // deleted meanwhile
  }
  Entry& e = it->second;
  if (!e.changedInFlight) {
    e.pod = std::move(pod);
  }
  e.attempts++;
  auto now = Clock::now();
  e.since = now;
  e.backoffUntil = now + backoffFor(e.attempts);
  e.state = unschedulable && !e.changedInFlight ? State::kUnschedulable : State::kBackoff;
  e.changedInFlight = false;
  waiting_.insert(it->first);
  cv_.notify_one();
}

void SchedulingQueue::requeueUnschedulable(PodInfoPtr pod) {
  std::lock_guard lock(mu_);
  requeueLocked(std::move(pod), true);
}

void SchedulingQueue::requeueAfterError(PodInfoPtr pod) {
  std::lock_guard lock(mu_);
  requeueLocked(std::move(pod), false);
}

void SchedulingQueue::moveAllToActive() {
  std::lock_guard lock(mu_);
  for (auto& [key, e] : entries_) {
    if (e.state == State::kUnschedulable) {
      e.state = State::kBackoff;
    } else if (e.state == State::kInFlight) {
      e.changedInFlight = true;
    }
  }
  cv_.notify_one();
}

void SchedulingQueue::shutDown() {
  std::lock_guard lock(mu_);
  shuttingDown_ = true;
  cv_.notify_all();
}

size_t SchedulingQueue::pendingCount() {
  std::lock_guard lock(mu_);
  return entries_.size();
}

}  // namespace tug::scheduler
