#include "store/watch_hub.h"

#include <algorithm>
#include <condition_variable>


namespace tug::store {

struct WatcherState {
  std::string prefix;
  Revision after = 0;  // the watch delivers events with revisions above this
  size_t queueLimit = 0;

  std::mutex mu;
  std::condition_variable cv;
  std::deque<EventPtr> queue;   // guarded by mu
  Status ended;                 // guarded by mu; not OK once the watch is over
  std::function<void()> wake;   // guarded by mu
  Revision lastQueued = 0;      // guarded by mu

  bool matches(const Event& e) const {
    return e.kv.modRevision > after && e.kv.key.compare(0, prefix.size(), prefix) == 0;
  }

  // Queues e; returns the wake callback to run after the caller drops its locks.
  std::function<void()> push(const EventPtr& e) {
    std::lock_guard lock(mu);
    if (!ended.isOk()) {
      return nullptr;
    }
    if (queue.size() >= queueLimit) {
      // The consumer is too slow. Dropping it (it restarts from its last revision, usually from
      // the window) bounds memory; waiting for it would stall every writer.
      queue.clear();
      ended = gone("watch fell more than " + std::to_string(queueLimit) +
                   " events behind; restart it from revision " + std::to_string(lastQueued));
    } else {
      queue.push_back(e);
      lastQueued = e->kv.modRevision;
    }
    cv.notify_one();
    return wake;
  }

  void end(const Status& why) {
    std::function<void()> w;
    {
      std::lock_guard lock(mu);
      if (!ended.isOk()) {
        return;
      }
      ended = why;
      w = wake;
    }
    cv.notify_all();
    if (w) {
      w();
    }
  }
};

namespace {

size_t eventBytes(const Event& e) {
  return e.kv.key.size() + e.kv.value.size() + (e.prev ? e.prev->value.size() : 0) + 64;
}

class HubWatch final : public Watch {
 public:
  HubWatch(std::shared_ptr<WatchHub> hub, std::shared_ptr<WatcherState> state)
      : hub_(std::move(hub)), state_(std::move(state)) {}
  ~HubWatch() override { close(); }

  Result<std::vector<EventPtr>> next(std::chrono::milliseconds timeout) override {
    std::unique_lock lock(state_->mu);
    state_->cv.wait_for(lock, timeout,
                        [&] { return !state_->queue.empty() || !state_->ended.isOk(); });
    if (!state_->queue.empty()) {
      std::vector<EventPtr> out(std::make_move_iterator(state_->queue.begin()),
                                std::make_move_iterator(state_->queue.end()));
      state_->queue.clear();
      return out;
    }
    if (!state_->ended.isOk()) {
      return state_->ended;
    }
    return std::vector<EventPtr>{};
  }

  void setWakeup(std::function<void()> wake) override {
    bool pending;
    {
      std::lock_guard lock(state_->mu);
      state_->wake = std::move(wake);
      pending = !state_->queue.empty() || !state_->ended.isOk();
    }
    if (pending && state_->wake) {
      state_->wake();
    }
  }

  void close() override {
    if (hub_) {
      hub_->remove(state_);
      state_->end(unavailable("watch closed"));
      hub_.reset();
    }
  }

 private:
  std::shared_ptr<WatchHub> hub_;
  std::shared_ptr<WatcherState> state_;
};

}  // namespace

WatchHub::WatchHub(const Options& options, Revision current)
    : options_(options), floor_(current), last_(current) {}

Revision WatchHub::lastPublished() const {
  std::lock_guard lock(mu_);
  return last_;
}

void WatchHub::publish(std::vector<EventPtr> events, Revision upTo) {
  std::vector<std::function<void()>> wakes;
  {
    std::lock_guard lock(mu_);
    for (auto& e : events) {
      for (auto& w : watchers_) {
        if (w->matches(*e)) {
          if (auto wake = w->push(e)) {
            wakes.push_back(std::move(wake));
          }
        }
      }
      windowBytes_ += eventBytes(*e);
      window_.push_back(std::move(e));
    }
    last_ = upTo;
    trimWindowLocked();
  }
  // One wake per watcher is enough; duplicates are harmless but cost a syscall each.
  for (auto& wake : wakes) {
    wake();
  }
}

void WatchHub::trimWindowLocked() {
  while (!window_.empty() &&
         (window_.size() > options_.windowEvents || windowBytes_ > options_.windowBytes)) {
    windowBytes_ -= eventBytes(*window_.front());
    floor_ = window_.front()->kv.modRevision;
    window_.pop_front();
  }
}

void WatchHub::replayWindowLocked(WatcherState& w, Revision from) {
  auto it = std::lower_bound(window_.begin(), window_.end(), from + 1,
                             [](const EventPtr& e, Revision r) { return e->kv.modRevision < r; });
  for (; it != window_.end(); ++it) {
    if (w.matches(**it)) {
      w.queue.push_back(*it);
      w.lastQueued = (*it)->kv.modRevision;
    }
  }
}

Result<WatchPtr> WatchHub::watch(std::string_view prefix, Revision from, const HistoryLoader& load) {
  auto w = std::make_shared<WatcherState>();
  w->prefix = prefix;
  // History replayed at the start may exceed the normal queue limit; the consumer drains it.
  w->queueLimit = options_.queueLimit;

  Revision loadedUpTo = from;
  for (;;) {
    Revision target;
    {
      std::lock_guard lock(mu_);
      if (!closed_.isOk()) {
        return closed_;
      }
      if (from == 0) {
        from = last_;
        loadedUpTo = last_;
      }
      w->after = from;
      if (loadedUpTo >= floor_) {
        std::lock_guard wlock(w->mu);
        w->lastQueued = loadedUpTo;
        replayWindowLocked(*w, loadedUpTo);
        w->queueLimit = std::max(options_.queueLimit, w->queue.size() + options_.queueLimit);
        watchers_.push_back(w);
        break;
      }
      target = last_;
    }
    // The window no longer reaches back to `loadedUpTo`: read the gap from the backend, then
    // join the window where the loaded history ends.
    auto events = load(prefix, loadedUpTo, target);
    if (!events.ok()) {
      return events.status();
    }
    for (auto& e : *events) {
      w->queue.push_back(std::move(e));
    }
    loadedUpTo = target;
  }
  return WatchPtr(std::make_unique<HubWatch>(shared_from_this(), std::move(w)));
}

void WatchHub::remove(const std::shared_ptr<WatcherState>& w) {
  std::lock_guard lock(mu_);
  std::erase(watchers_, w);
}

void WatchHub::closeAll(const Status& why) {
  std::vector<std::shared_ptr<WatcherState>> all;
  {
    std::lock_guard lock(mu_);
    closed_ = why;
    all.swap(watchers_);
  }
  for (auto& w : all) {
    w->end(why);
  }
}

size_t WatchHub::watcherCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return watchers_.size();
}

size_t WatchHub::windowEventCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return window_.size();
}

}  // namespace tug::store
