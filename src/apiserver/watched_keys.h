#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.h"
#include "store/store_follower.h"

// The keys under a store prefix, each with a short digest of its value, kept in memory from a
// list and a watch of the prefix. Admission checks that every write makes (does the namespace
// exist, does it hold a ResourceQuota) read it instead of the store: a store read is a SQLite
// read transaction each time. Like upstream's informer-fed admission listers it trails the
// store by the moment the watch takes to deliver a write.
namespace tug::apiserver {

class WatchedKeys {
 public:
  // What is kept of a value: e.g. whether a namespace is being deleted.
  using Digest = std::function<std::string(const store::KeyValue& kv)>;

  // `prefix` ends with '/'; names below are the keys without it.
  WatchedKeys(store::Store& store, std::string prefix, Digest digest);

  // The digest of `name`'s value; nothing when there is no such key, or none seen yet.
  std::optional<std::string> find(std::string_view name) const;
  // Whether some name begins with `start`; nothing until the first list has been read.
  std::optional<bool> anyStartingWith(std::string_view start) const;

 private:
  // Lists every key afresh.
  Status reload();
  void apply(const store::Event& e);

  store::Store& store_;
  const std::string prefix_;
  const Digest digest_;
  mutable std::mutex mu_;
  std::map<std::string, std::string, std::less<>> keys_;  // under mu_
  bool listed_ = false;                                   // under mu_
  store::StoreFollower follower_;  // last: it stops first, while the rest is still there
};

}  // namespace tug::apiserver
