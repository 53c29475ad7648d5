#pragma once

#include <cstddef>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "controllers/garbagecollector/object_meta.h"

// The collector's view of ownership: a node per object uid, linked to the nodes of the uids
// its ownerReferences name (its owners) and to the nodes that name it (its dependents). An
// owner that has not been seen gets a "virtual" node from the first reference to it, which
// the collector verifies through the API. Feeding it what the informers observe answers with
// the work this causes: objects to check for deletion, owners whose dependents are to be
// orphaned, and owners now known to be gone. Thread-safe.
namespace tug::controllers::gc {

class Graph {
 public:
  struct Work {
    std::vector<std::string> attemptToDelete;  // uids
    std::vector<std::string> attemptToOrphan;  // uids
    std::vector<Identity> absent;              // owners known to be gone
    bool empty() const;
  };

  struct Node {
    Identity identity;
    std::vector<OwnerReference> owners;
    std::set<std::string> dependents;  // uids
    bool isVirtual = false;            // known only from its dependents' references
    bool beingDeleted = false;
    bool deletingDependents = false;  // being deleted with foregroundDeletion
  };

  // An object was added (`old` null) or changed.
  Work observe(const ObjectMeta* old, const ObjectMeta& now);
  // An informer saw the object go.
  Work observeDeleted(const Identity& identity);
  // The API answered that nothing with `identity` (coordinates and uid) exists: for a virtual
  // node, the owner its dependents name is gone.
  Work verifiedAbsent(const Identity& identity);

  std::optional<Node> node(const std::string& uid) const;
  std::vector<Node> dependents(const std::string& uid) const;
  // The dependents whose reference to `uid` sets blockOwnerDeletion.
  std::vector<Node> blockingDependents(const std::string& uid) const;
  size_t size() const;

 private:
  // REQUIRES: mu_ held, for all below.
  void addDependentToOwners(Node& n, const std::vector<OwnerReference>& owners, Work& work);
  void removeDependentFromOwners(const Node& n, const std::vector<OwnerReference>& owners);
  void removeNode(const std::string& uid);
  void processTransitions(const ObjectMeta* old, const ObjectMeta& now, Node& n, Work& work);
  // The reference of dependent `dep` to `ownerUid`, if it still has one.
  const OwnerReference* referenceTo(const Node& dep, const std::string& ownerUid) const;

  mutable std::mutex mu_;
  std::unordered_map<std::string, Node> nodes_;
};

}  // namespace tug::controllers::gc
