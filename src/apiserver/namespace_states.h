#pragma once

#include <string>
#include <string_view>

#include "apiserver/watched_keys.h"

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

  State state(std::string_view name) const;

 private:
  WatchedKeys keys_;
};

}  // namespace tug::apiserver
