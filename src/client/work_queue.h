#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

// The queue controllers take work from, with client-go's guarantees: a key is queued at most
// once however often it is added, a key being processed is never handed to a second worker
// (added meanwhile, it comes back once done() is called), and failures retry with per-key
// exponential backoff. Keys are "<namespace>/<name>" (or "<name>" for cluster objects).
namespace tug::client {

class WorkQueue {
 public:
  using Clock = std::chrono::steady_clock;

  // Backoff of addRateLimited: base * 2^(failures), at most `maxDelay`.
  explicit WorkQueue(std::chrono::milliseconds base = std::chrono::milliseconds(5),
                     std::chrono::milliseconds maxDelay = std::chrono::seconds(1000));
  ~WorkQueue();

  void add(const std::string& key);
  void addAfter(const std::string& key, std::chrono::milliseconds delay);
  // After a failure: add after the key's next backoff delay.
  void addRateLimited(const std::string& key);
  // After a success: the key's backoff starts again from the base.
  void forget(const std::string& key);
  int failures(const std::string& key);

  // The next key, blocking until there is one; nullopt once shut down.
  std::optional<std::string> get();
  // The worker is done with `key` (call once per get()).
  void done(const std::string& key);
  // Wakes every get() with nullopt; adds are ignored from now on.
  void shutDown();
  bool shuttingDown();
  size_t length();

 private:
  void addLocked(const std::string& key);
  void timerLoop();

  const std::chrono::milliseconds base_, maxDelay_;
  std::mutex mu_;
  std::condition_variable ready_, timer_;
  std::deque<std::string> queue_;
  std::set<std::string> dirty_, processing_;
  std::multimap<Clock::time_point, std::string> waiting_;
  std::map<std::string, int> failures_;
  bool shuttingDown_ = false;
  std::thread timerThread_;
};

// "<namespace>/<name>", or "<name>" for a cluster-scoped object.
std::string keyOf(std::string_view ns, std::string_view name);
// The namespace and name of a key.
std::pair<std::string, std::string> splitKey(std::string_view key);

}  // namespace tug::client
