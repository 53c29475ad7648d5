#include "store/store_follower.h"

#include <chrono>

namespace tug::store {

namespace {
// How long to wait before reading again after a failed read or watch.
constexpr std::chrono::milliseconds kRetry{200};
}  // namespace

StoreFollower::StoreFollower(Store& store, std::string prefix, Callbacks callbacks)
    : store_(store), prefix_(std::move(prefix)), callbacks_(std::move(callbacks)) {}

StoreFollower::~StoreFollower() { stop(); }

Status StoreFollower::start() {
  Revision from = store_.currentRevision();
  Status read = callbacks_.resync();
  thread_ = std::thread([this, from, synced = read.isOk()] { run(from, synced); });
  return read;
}

void StoreFollower::stop() {
  stopping_ = true;
  {
    std::lock_guard<std::mutex> lock(watchMu_);
    if (watch_) {
      watch_->close();
    }
  }
  if (thread_.joinable()) {
    thread_.join();
  }
}

void StoreFollower::run(Revision from, bool synced) {
  while (!stopping_) {
    if (!synced) {
      from = store_.currentRevision();
      synced = callbacks_.resync().isOk();
      if (!synced) {
        std::this_thread::sleep_for(kRetry);
        continue;
      }
    }
    Watch* w = nullptr;
    {
      std::lock_guard<std::mutex> lock(watchMu_);
      if (stopping_) {
        break;
      }
      if (!watch_) {
        auto opened = store_.watch(prefix_, from);
        if (opened.ok()) {
          watch_ = std::move(*opened);
        }
      }
      w = watch_.get();
    }
    if (w == nullptr) {
      synced = false;  // compacted past us, or closing: read the state afresh
      std::this_thread::sleep_for(kRetry);
      continue;
    }
    auto events = w->next(std::chrono::seconds(1));
    if (!events.ok()) {
      std::lock_guard<std::mutex> lock(watchMu_);
      watch_.reset();
      synced = false;
      continue;
    }
    if (!events->empty()) {
      from = events->back()->kv.modRevision;
    }
    callbacks_.events(*events);
  }
}

}  // namespace tug::store
