#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "store/store.h"

// Whether each namespace exists and whether it is being deleted, kept in memory from a watch on
// the namespaces' keys, so that the check every create into a namespace makes (upstream's
// NamespaceLifecycle admission) costs no store read. A namespace the cache has not seen yet
// (created a moment ago) is read from the store by the caller, as upstream falls back to a
// live lookup.
namespace tug::apiserver {

class NamespaceStates {
 public:
  enum class State { kUnknown, kActive, kTerminating };

  // `prefix`: the store key of a namespace without its name ("/registry/namespaces/").
  NamespaceStates(store::Store& store, std::string prefix);
  ~NamespaceStates();

  State state(std::string_view name) const;

 private:
  void run();
  // Lists every namespace afresh; the revision of the list, or 0 when it failed.
  store::Revision reload();
  void apply(const store::Event& e);

  store::Store& store_;
  const std::string prefix_;
  mutable std::mutex mu_;
  std::map<std::string, bool, std::less<>> terminating_;  // by name; under mu_
  std::atomic<bool> stopping_{false};
  std::mutex watchMu_;
  store::WatchPtr watch_;  // under watchMu_: the destructor closes it to wake the thread
  std::thread thread_;
};

}  // namespace tug::apiserver
