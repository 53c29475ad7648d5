#include "controllers/workload/expectations.h"

namespace tug::controllers {

void Expectations::expectCreations(const std::string& key, int count) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[key];
  e.adds = count;
  e.deletes.clear();
  e.since = Clock::now();
}

void Expectations::expect(const std::string& key, int adds,
                          const std::vector<std::string>& podKeys) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[key];
  e.adds = adds;
  e.deletes = std::set<std::string>(podKeys.begin(), podKeys.end());
  e.since = Clock::now();
}

void Expectations::creationObserved(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end() && it->second.adds > 0) {
    --it->second.adds;
  }
}

void Expectations::expectDeletions(const std::string& key, const std::vector<std::string>& podKeys) {
  std::lock_guard<std::mutex> lock(mu_);
  Entry& e = entries_[key];
  e.adds = 0;
  e.deletes = std::set<std::string>(podKeys.begin(), podKeys.end());
  e.since = Clock::now();
}

void Expectations::deletionObserved(const std::string& key, const std::string& podKey) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    it->second.deletes.erase(podKey);
  }
}

bool Expectations::satisfied(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = entries_.find(key);
  if (it == entries_.end()) {
    return true;
  }
  const Entry& e = it->second;
  return (e.adds <= 0 && e.deletes.empty()) || Clock::now() - e.since > kTimeout;
}

void Expectations::forget(const std::string& key) {
  std::lock_guard<std::mutex> lock(mu_);
  entries_.erase(key);
}

}  // namespace tug::controllers
