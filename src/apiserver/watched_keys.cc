#include "apiserver/watched_keys.h"

namespace tug::apiserver {

WatchedKeys::WatchedKeys(store::Store& store, std::string prefix, Digest digest)
    : store_(store),
      prefix_(prefix),
      digest_(std::move(digest)),
      follower_(store, std::move(prefix),
                store::StoreFollower::Callbacks{[this] { return reload(); },
                                                [this](const std::vector<store::EventPtr>& events) {
                                                  for (const store::EventPtr& e : events) {
                                                    apply(*e);
                                                  }
                                                }}) {
  (void)follower_.start();  // a failed first list leaves the keys unknown until a retry
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

Status WatchedKeys::reload() {
  store::ListOptions options;
  std::map<std::string, std::string, std::less<>> fresh;
  do {
    auto page = store_.list(prefix_, options);
    if (!page.ok()) {
      return page.status();
    }
    for (const store::KeyValue& kv : page->items) {
      fresh[kv.key.substr(prefix_.size())] = digest_(kv);
    }
    options.continueToken = page->continueToken;
  } while (!options.continueToken.empty());
  std::lock_guard<std::mutex> lock(mu_);
  keys_ = std::move(fresh);
  listed_ = true;
  return Status::ok();
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

}  // namespace tug::apiserver
