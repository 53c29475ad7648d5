#include "controllers/garbagecollector/decision.h"

#include <catch2/catch.hpp>

using namespace tug::controllers::gc;

namespace {

ClassifiedOwner owner(const std::string& uid, OwnerState state) {
  return ClassifiedOwner{OwnerReference{"v1", "ConfigMap", "o-" + uid, uid, true}, state};
}

ObjectMeta item(std::vector<std::string> finalizers = {}) {
  ObjectMeta m;
  m.identity = Identity{"v1", "ConfigMap", "default", "dep", "u-dep"};
  m.finalizers = std::move(finalizers);
  return m;
}

}  // namespace

TEST_CASE("a solid owner keeps the object", "[gc]") {
  Decision d = decide(item(), {owner("1", OwnerState::kSolid)}, false, false);
  CHECK(d.kind == Decision::Kind::kNothing);
}

TEST_CASE("a solid owner keeps it, but references to gone or waiting owners go", "[gc]") {
  Decision d = decide(item(),
                      {owner("1", OwnerState::kSolid), owner("2", OwnerState::kDangling),
                       owner("3", OwnerState::kWaitingForDependents)},
                      false, false);
  CHECK(d.kind == Decision::Kind::kRemoveOwnerReferences);
  CHECK(d.ownerUids == std::vector<std::string>{"2", "3"});
}

TEST_CASE("no owner left: deleted in the background, or as its own finalizer says", "[gc]") {
  Decision d = decide(item(), {owner("1", OwnerState::kDangling)}, false, false);
  CHECK(d.kind == Decision::Kind::kDelete);
  CHECK(d.propagationPolicy == "Background");
  CHECK(decide(item({"orphan"}), {owner("1", OwnerState::kDangling)}, true, false)
            .propagationPolicy == "Orphan");
  CHECK(decide(item({"foregroundDeletion"}), {owner("1", OwnerState::kDangling)}, false, false)
            .propagationPolicy == "Foreground");
}

TEST_CASE("an owner waiting on an object with dependents deletes it in the foreground",
          "[gc]") {
  Decision d = decide(item(), {owner("1", OwnerState::kWaitingForDependents)}, true, false);
  CHECK(d.kind == Decision::Kind::kDelete);
  CHECK(d.propagationPolicy == "Foreground");
  CHECK_FALSE(d.unblockOwnersFirst);
  // Without dependents of its own it simply goes.
  CHECK(decide(item(), {owner("1", OwnerState::kWaitingForDependents)}, false, false)
            .propagationPolicy == "Background");
  // A dependent that itself waits: references are unblocked first to break a cycle.
  CHECK(decide(item(), {owner("1", OwnerState::kWaitingForDependents)}, true, true)
            .unblockOwnersFirst);
}
