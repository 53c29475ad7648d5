#pragma once

#include <chrono>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

// What a controller is still waiting to see in its informer after its own writes: client-go's
// ControllerExpectations (with UID-tracked deletions). A controller records how many creates
// and which deletes it issued for a key; informer events count them down; until they reach
// zero (or five minutes pass) the controller does not act on the key again, so it never
// creates or deletes twice for a cache that has not caught up. Thread-safe.
namespace tug::controllers {

class Expectations {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::chrono::minutes kTimeout{5};

  void expectCreations(const std::string& key, int count);
  void creationObserved(const std::string& key);
  // Both at once, for a sync that creates and deletes (upstream's SetExpectations).
  void expect(const std::string& key, int adds, const std::vector<std::string>& podKeys);
  // `podKeys` are "<namespace>/<name>" of the objects being deleted.
  void expectDeletions(const std::string& key, const std::vector<std::string>& podKeys);
  // Counts only a deletion the controller expected, once.
  void deletionObserved(const std::string& key, const std::string& podKey);
  // True when nothing is awaited for `key`, or the expectations are older than kTimeout.
  bool satisfied(const std::string& key);
  // Drops what was awaited for `key` (its object is gone).
  void forget(const std::string& key);

 private:
  struct Entry {
    int adds = 0;
    std::set<std::string> deletes;
    Clock::time_point since;
  };
  std::mutex mu_;
  std::map<std::string, Entry> entries_;
};

}  // namespace tug::controllers
