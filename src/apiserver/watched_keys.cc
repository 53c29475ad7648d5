#include "apiserver/watched_keys.h"

#include <chrono>

namespace tug::apiserver {

WatchedKeys::WatchedKeys(store::Store& store, std::string prefix, Digest digest)
    : store_(store), prefix_(std::move(prefix)), digest_(std::move(digest)) {
  thread_ = std::thread([this] { run(); });
}

WatchedKeys::~WatchedKeys() {
  stopping_ = true;
  {
    std::lock_guard<std::mutex> lock(watchMu_);
    if (watch_) {
      watch_->close();
    }
  }
  thread_.join();
}

std::optional<std::string> WatchedKeys::find(std::string_view name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = keys_.find(name);
  if (it == keys_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::optional<bool> WatchedKeys::anyStartingWith(std::string_view start) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!listed_) {
    return std::nullopt;
  }
  auto it = keys_.lower_bound(start);
  return it != keys_.end() && std::string_view(it->first).starts_with(start);
}

store::Revision WatchedKeys::reload() {
  store::ListOptions options;
  std::map<std::string, std::string, std::less<>> fresh;
  store::Revision revision = 0;
  do {
    auto page = store_.list(prefix_, options);
    if (!page.ok()) {
      return 0;
    }
    for (const store::KeyValue& kv : page->items) {
      fresh[kv.key.substr(prefix_.size())] = digest_(kv);
    }
    revision = page->revision;
    options.continueToken = page->continueToken;
  } while (!options.continueToken.empty());
  std::lock_guard<std::mutex> lock(mu_);
  keys_ = std::move(fresh);
  listed_ = true;
  return revision;
}

void WatchedKeys::apply(const store::Event& e) {
  if (e.kv.key.size() <= prefix_.size()) {
    return;
  }
  std::string name = e.kv.key.substr(prefix_.size());
  std::string digest = e.type == store::EventType::kDeleted ? std::string() : digest_(e.kv);
  std::lock_guard<std::mutex> lock(mu_);
  if (e.type == store::EventType::kDeleted) {
    keys_.erase(name);
  } else {
    keys_[std::move(name)] = std::move(digest);
  }
}

void WatchedKeys::run() {
  store::Revision from = 0;
  while (!stopping_) {
    if (from == 0) {
      from = reload();
      if (from == 0) {
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
        continue;
      }
    }
    store::Watch* w = nullptr;
    {
      std::lock_guard<std::mutex> lock(watchMu_);
      if (stopping_) {
        break;
      }
      auto opened = store_.watch(prefix_, from);
      if (opened.ok()) {
        watch_ = std::move(*opened);
        w = watch_.get();
      }
    }
    if (w == nullptr) {
      from = 0;  // compacted or closed: list again
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      continue;
    }
    while (!stopping_) {
      auto events = w->next(std::chrono::seconds(1));
      if (!events.ok()) {
        from = 0;
        break;
      }
      for (const store::EventPtr& e : *events) {
        apply(*e);
        from = e->kv.modRevision;
      }
    }
    std::lock_guard<std::mutex> lock(watchMu_);
    watch_.reset();
  }
}

}  // namespace tug::apiserver
