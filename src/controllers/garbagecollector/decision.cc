#include "controllers/garbagecollector/decision.h"

namespace tug::controllers::gc {

Decision decide(const ObjectMeta& latest, const std::vector<ClassifiedOwner>& owners,
                bool hasDependents, bool aDependentDeletesDependents) {
  Decision d;
  bool solid = false, waiting = false;
  std::vector<std::string> dropped;
  for (const auto& o : owners) {
    switch (o.state) {
      case OwnerState::kSolid: solid = true; break;
      case OwnerState::kDangling: dropped.push_back(o.ref.uid); break;
      case OwnerState::kWaitingForDependents:
        waiting = true;
        dropped.push_back(o.ref.uid);
        break;
    }
  }
  if (solid) {
    // It stays; references to gone owners go, and so do those to owners waiting for their
    // dependents, which would otherwise wait for this object forever.
    if (!dropped.empty()) {
      d.kind = Decision::Kind::kRemoveOwnerReferences;
      d.ownerUids = std::move(dropped);
    }
    return d;
  }
  d.kind = Decision::Kind::kDelete;
  if (waiting && hasDependents) {
    // Its owner waits for it, and it has dependents of its own: those go first.
    d.propagationPolicy = "Foreground";
    d.unblockOwnersFirst = aDependentDeletesDependents;
    return d;
  }
  // Otherwise the object's own GC finalizer, if any, says how.
  if (latest.hasFinalizer(kOrphanFinalizer)) {
    d.propagationPolicy = "Orphan";
  } else if (latest.hasFinalizer(kForegroundFinalizer)) {
    d.propagationPolicy = "Foreground";
  } else {
    d.propagationPolicy = "Background";
  }
  return d;
}

}  // namespace tug::controllers::gc
