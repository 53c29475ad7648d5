#include "apiserver/namespace_states.h"

#include <chrono>

#include "apiserver/object_meta.h"

namespace tug::apiserver {

NamespaceStates::NamespaceStates(store::Store& store, std::string prefix)
    : store_(store), prefix_(std::move(prefix)) {
  thread_ = std::thread([this] { run(); });
}

NamespaceStates::~NamespaceStates() {
  stopping_ = true;
  {
    std::lock_guard<std::mutex> lock(watchMu_);
    if (watch_) {
      watch_->close();
    }
  }
  thread_.join();
}

NamespaceStates::State NamespaceStates::state(std::string_view name) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = terminating_.find(name);
  if (it == terminating_.end()) {
    return State::kUnknown;
  }
  return it->second ? State::kTerminating : State::kActive;
}

store::Revision NamespaceStates::reload() {
  store::ListOptions options;
  std::map<std::string, bool, std::less<>> fresh;
  store::Revision revision = 0;
  do {
    auto page = store_.list(prefix_, options);
    if (!page.ok()) {
      return 0;
    }
    for (const store::KeyValue& kv : page->items) {
      fresh[kv.key.substr(prefix_.size())] = !storedMetaString(kv, "deletionTimestamp").empty();
    }
    revision = page->revision;
    options.continueToken = page->continueToken;
  } while (!options.continueToken.empty());
  std::lock_guard<std::mutex> lock(mu_);
  terminating_ = std::move(fresh);
  return revision;
}

void NamespaceStates::apply(const store::Event& e) {
  if (e.kv.key.size() <= prefix_.size()) {
    return;
  }
  std::string name = e.kv.key.substr(prefix_.size());
  std::lock_guard<std::mutex> lock(mu_);
  if (e.type == store::EventType::kDeleted) {
    terminating_.erase(name);
  } else {
    terminating_[name] = !storedMetaString(e.kv, "deletionTimestamp").empty();
  }
}

void NamespaceStates::run() {
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
