#include "controllers/garbagecollector/graph.h"

#include <algorithm>

namespace tug::controllers::gc {
namespace {

const OwnerReference* findByUid(const std::vector<OwnerReference>& refs, const std::string& uid) {
  for (const auto& r : refs) {
    if (r.uid == uid) {
      return &r;
    }
  }
  return nullptr;
}

// Deletion has just started under `finalizer`: the object is being deleted and holds it now,
// and was not (or did not) before.
bool startsWaitingOn(const ObjectMeta* old, const ObjectMeta& now, const char* finalizer) {
  if (!now.beingDeleted || !now.hasFinalizer(finalizer)) {
    return false;
  }
  return old == nullptr || !old->beingDeleted || !old->hasFinalizer(finalizer);
}

}  // namespace

bool Graph::Work::empty() const {
  return attemptToDelete.empty() && attemptToOrphan.empty() && absent.empty();
}

Graph::Work Graph::observe(const ObjectMeta* old, const ObjectMeta& now) {
  Work work;
  const std::string& uid = now.identity.uid;
  if (uid.empty()) {
    return work;
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(uid);
  if (it != nodes_.end() && it->second.isVirtual) {
    // Seen at last: dependents that named it by other coordinates, or from another namespace
    // than its own, are checked again (their reference may be dangling).
    Node& n = it->second;
    for (const std::string& depUid : n.dependents) {
      auto d = nodes_.find(depUid);
      if (d == nodes_.end()) {
        continue;
      }
      const OwnerReference* ref = referenceTo(d->second, uid);
      const bool otherNamespace =
          !now.identity.ns.empty() && d->second.identity.ns != now.identity.ns;
      if (ref == nullptr || !refersTo(*ref, now.identity) || otherNamespace) {
        work.attemptToDelete.push_back(depUid);
      }
    }
    n.identity = now.identity;
    n.isVirtual = false;
  }
  if (it == nodes_.end()) {
    Node fresh;
    fresh.identity = now.identity;
    fresh.owners = now.owners;
    fresh.beingDeleted = now.beingDeleted;
    fresh.deletingDependents = now.beingDeleted && now.hasFinalizer(kForegroundFinalizer);
    Node& n = nodes_.emplace(uid, std::move(fresh)).first->second;
    addDependentToOwners(n, now.owners, work);
    processTransitions(old, now, n, work);
    return work;
  }

  Node& n = it->second;
  std::vector<OwnerReference> added, removed;
  bool changed = false;
  std::vector<std::string> unblocked;  // owners a reference no longer blocks
  for (const auto& ref : now.owners) {
    const OwnerReference* before = findByUid(n.owners, ref.uid);
    if (before == nullptr) {
      added.push_back(ref);
    } else if (!(*before == ref)) {
      changed = true;
      if (before->blockOwnerDeletion && !ref.blockOwnerDeletion) {
        unblocked.push_back(ref.uid);
      }
    }
  }
  for (const auto& ref : n.owners) {
    if (findByUid(now.owners, ref.uid) == nullptr) {
      removed.push_back(ref);
      if (ref.blockOwnerDeletion) {
        unblocked.push_back(ref.uid);
      }
    }
  }
  if (!added.empty() || !removed.empty() || changed) {
    for (const std::string& ownerUid : unblocked) {
      auto o = nodes_.find(ownerUid);
      if (o != nodes_.end() && o->second.deletingDependents) {
        work.attemptToDelete.push_back(ownerUid);
      }
    }
    n.owners = now.owners;
    addDependentToOwners(n, added, work);
    removeDependentFromOwners(n, removed);
  }
  if (now.beingDeleted) {
    n.beingDeleted = true;
  }
  processTransitions(old, now, n, work);
  return work;
}

Graph::Work Graph::observeDeleted(const Identity& identity) {
  Work work;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(identity.uid);
  if (it == nodes_.end()) {
    return work;
  }
  Node gone = it->second;
  removeNode(identity.uid);
  if (!gone.dependents.empty()) {
    work.absent.push_back(gone.identity);
  }
  for (const std::string& dep : gone.dependents) {
    work.attemptToDelete.push_back(dep);
  }
  // An owner deleting in the foreground may now have no blocking dependent left.
  for (const auto& ref : gone.owners) {
    auto o = nodes_.find(ref.uid);
    if (o != nodes_.end() && o->second.deletingDependents) {
      work.attemptToDelete.push_back(ref.uid);
    }
  }
  return work;
}

Graph::Work Graph::verifiedAbsent(const Identity& identity) {
  Work work;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(identity.uid);
  if (it == nodes_.end()) {
    return work;
  }
  Node& n = it->second;
  // Dependents that name exactly the identity found absent, and those that name the uid by
  // other coordinates (which may still exist).
  std::vector<std::string> matching;
  std::vector<std::pair<std::string, OwnerReference>> nonmatching;
  const bool ownerNamespaced = !identity.ns.empty();
  for (const std::string& depUid : n.dependents) {
    auto d = nodes_.find(depUid);
    if (d == nodes_.end()) {
      continue;
    }
    const OwnerReference* ref = referenceTo(d->second, identity.uid);
    if (ref == nullptr) {
      continue;
    }
    if ((ownerNamespaced && d->second.identity.ns != identity.ns) || !refersTo(*ref, identity)) {
      nonmatching.emplace_back(depUid, *ref);
    } else {
      matching.push_back(depUid);
    }
  }
  const bool removeIt = n.isVirtual ? nonmatching.empty() : n.identity == identity;
  if (removeIt) {
    Node gone = n;
    removeNode(identity.uid);
    if (!gone.dependents.empty()) {
      work.absent.push_back(identity);
    }
    work.attemptToDelete.insert(work.attemptToDelete.end(), gone.dependents.begin(),
                                gone.dependents.end());
    for (const auto& ref : gone.owners) {
      auto o = nodes_.find(ref.uid);
      if (o != nodes_.end() && o->second.deletingDependents) {
        work.attemptToDelete.push_back(ref.uid);
      }
    }
    return work;
  }
  if (!matching.empty()) {
    work.absent.push_back(identity);
    work.attemptToDelete.insert(work.attemptToDelete.end(), matching.begin(), matching.end());
  }
  if (n.isVirtual && n.identity == identity) {
    // Verify the owner by the coordinates another dependent names it with.
    std::sort(nonmatching.begin(), nonmatching.end(),
              [](const auto& a, const auto& b) { return a.first < b.first; });
    const auto& [depUid, ref] = nonmatching.front();
    n.identity = Identity{ref.apiVersion, ref.kind, nodes_.at(depUid).identity.ns, ref.name,
                          ref.uid};
    work.attemptToDelete.push_back(identity.uid);
  }
  return work;
}

std::optional<Graph::Node> Graph::node(const std::string& uid) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = nodes_.find(uid);
  if (it == nodes_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::vector<Graph::Node> Graph::dependents(const std::string& uid) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Node> out;
  auto it = nodes_.find(uid);
  if (it == nodes_.end()) {
    return out;
  }
  for (const std::string& dep : it->second.dependents) {
    if (auto d = nodes_.find(dep); d != nodes_.end()) {
      out.push_back(d->second);
    }
  }
  return out;
}

std::vector<Graph::Node> Graph::blockingDependents(const std::string& uid) const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<Node> out;
  auto it = nodes_.find(uid);
  if (it == nodes_.end()) {
    return out;
  }
  for (const std::string& dep : it->second.dependents) {
    auto d = nodes_.find(dep);
    if (d == nodes_.end()) {
      continue;
    }
    const OwnerReference* ref = referenceTo(d->second, uid);
    if (ref != nullptr && ref->blockOwnerDeletion) {
      out.push_back(d->second);
    }
  }
  return out;
}

size_t Graph::size() const {
  std::lock_guard<std::mutex> lock(mu_);
  return nodes_.size();
}

void Graph::addDependentToOwners(Node& n, const std::vector<OwnerReference>& owners,
                                 Work& work) {
  bool verify = false;
  for (const auto& ref : owners) {
    if (ref.uid.empty() || ref.uid == n.identity.uid) {
      continue;
    }
    auto o = nodes_.find(ref.uid);
    if (o == nodes_.end()) {
      // An owner not seen (yet): a virtual node, which the collector verifies.
      Node owner;
      owner.identity = Identity{ref.apiVersion, ref.kind, n.identity.ns, ref.name, ref.uid};
      owner.isVirtual = true;
      owner.dependents.insert(n.identity.uid);
      nodes_.emplace(ref.uid, std::move(owner));
      work.attemptToDelete.push_back(ref.uid);
      continue;
    }
    Node& owner = o->second;
    owner.dependents.insert(n.identity.uid);
    if (verify) {
      continue;
    }
    // A reference that disagrees with what is known of the owner may be dangling: an owner in
    // another namespace (never valid), other coordinates, or a cluster-scoped owner not yet
    // seen named from elsewhere (perhaps a namespaced kind named from a cluster object).
    const bool ownerNamespaced = !owner.identity.ns.empty();
    if (ownerNamespaced && owner.identity.ns != n.identity.ns) {
      verify = true;
    } else if (!refersTo(ref, owner.identity)) {
      verify = true;
    } else if (!ownerNamespaced && !n.identity.ns.empty() && owner.isVirtual) {
      verify = true;
    }
  }
  if (verify) {
    work.attemptToDelete.push_back(n.identity.uid);
  }
}

void Graph::removeDependentFromOwners(const Node& n, const std::vector<OwnerReference>& owners) {
  for (const auto& ref : owners) {
    auto o = nodes_.find(ref.uid);
    if (o == nodes_.end()) {
      continue;
    }
    o->second.dependents.erase(n.identity.uid);
    // A virtual owner exists in the graph only for its dependents.
    if (o->second.isVirtual && o->second.dependents.empty()) {
      nodes_.erase(o);
    }
  }
}

void Graph::removeNode(const std::string& uid) {
  auto it = nodes_.find(uid);
  if (it == nodes_.end()) {
    return;
  }
  Node gone = std::move(it->second);
  nodes_.erase(it);
  removeDependentFromOwners(gone, gone.owners);
}

void Graph::processTransitions(const ObjectMeta* old, const ObjectMeta& now, Node& n,
                               Work& work) {
  if (startsWaitingOn(old, now, kOrphanFinalizer)) {
    work.attemptToOrphan.push_back(n.identity.uid);
    return;
  }
  if (startsWaitingOn(old, now, kForegroundFinalizer)) {
    n.deletingDependents = true;
    work.attemptToDelete.insert(work.attemptToDelete.end(), n.dependents.begin(),
                                n.dependents.end());
    work.attemptToDelete.push_back(n.identity.uid);
  }
}

const OwnerReference* Graph::referenceTo(const Node& dep, const std::string& ownerUid) const {
  return findByUid(dep.owners, ownerUid);
}

}  // namespace tug::controllers::gc
