#pragma once

#include <string>
#include <vector>

#include "controllers/garbagecollector/object_meta.h"

// What the collector does with an object that has owners, once it knows how each owner
// stands: the rules of upstream's attemptToDeleteItem, free of the API so that they can be
// tested on plain values.
namespace tug::controllers::gc {

enum class OwnerState {
  kSolid,                 // exists and is not deleting its dependents
  kDangling,              // gone, or the name now belongs to another uid
  kWaitingForDependents,  // being deleted in the foreground: its dependents go first
};

struct ClassifiedOwner {
  OwnerReference ref;
  OwnerState state = OwnerState::kSolid;
};

struct Decision {
  enum class Kind {
    kNothing,                // a solid owner holds it
    kRemoveOwnerReferences,  // a solid owner holds it; drop the references in `ownerUids`
    kDelete,                 // no owner holds it: delete with `propagationPolicy`
  };
  Kind kind = Kind::kNothing;
  std::vector<std::string> ownerUids;
  std::string propagationPolicy;
  // Before deleting, set blockOwnerDeletion=false on the references that block (an owner and
  // a dependent both wait on each other: a possible cycle).
  bool unblockOwnersFirst = false;
};

// `latest` is the object as the API has it now; `hasDependents` whether it owns anything in
// the graph, and `aDependentDeletesDependents` whether one of those is itself deleting its
// dependents in the foreground.
Decision decide(const ObjectMeta& latest, const std::vector<ClassifiedOwner>& owners,
                bool hasDependents, bool aDependentDeletesDependents);

}  // namespace tug::controllers::gc
