#include "controllers/garbagecollector/graph.h"

#include <algorithm>

#include <catch2/catch.hpp>

using namespace tug::controllers::gc;

namespace {

OwnerReference ref(const std::string& name, const std::string& uid, bool block = false,
                   const std::string& kind = "ConfigMap", const std::string& apiVersion = "v1") {
  return OwnerReference{apiVersion, kind, name, uid, block};
}

ObjectMeta object(const std::string& name, const std::string& uid,
                  std::vector<OwnerReference> owners = {}, const std::string& ns = "default",
                  const std::string& kind = "ConfigMap") {
  ObjectMeta m;
  m.identity = Identity{"v1", kind, ns, name, uid};
  m.owners = std::move(owners);
  return m;
}

ObjectMeta deleting(ObjectMeta m, const char* finalizer) {
  m.beingDeleted = true;
  m.finalizers.push_back(finalizer);
  return m;
}

bool has(const std::vector<std::string>& uids, const std::string& uid) {
  return std::find(uids.begin(), uids.end(), uid) != uids.end();
}

}  // namespace

TEST_CASE("an owner seen before its dependent links them without extra work", "[gc]") {
  Graph g;
  auto owner = object("owner", "u-owner");
  CHECK(g.observe(nullptr, owner).empty());
  Graph::Work w = g.observe(nullptr, object("dep", "u-dep", {ref("owner", "u-owner")}));
  CHECK(w.empty());
  auto node = g.node("u-owner");
  REQUIRE(node);
  CHECK(node->dependents == std::set<std::string>{"u-dep"});
  CHECK_FALSE(node->isVirtual);
}

TEST_CASE("a reference to an unseen owner makes a virtual node to verify", "[gc]") {
  Graph g;
  Graph::Work w = g.observe(nullptr, object("dep", "u-dep", {ref("ghost", "u-ghost")}));
  CHECK(w.attemptToDelete == std::vector<std::string>{"u-ghost"});
  auto ghost = g.node("u-ghost");
  REQUIRE(ghost);
  CHECK(ghost->isVirtual);
  CHECK(ghost->identity == Identity{"v1", "ConfigMap", "default", "ghost", "u-ghost"});

  SECTION("verified absent: the node goes and its dependents are checked") {
    Graph::Work gone = g.verifiedAbsent(ghost->identity);
    CHECK(gone.attemptToDelete == std::vector<std::string>{"u-dep"});
    REQUIRE(gone.absent.size() == 1);
    CHECK(gone.absent[0] == ghost->identity);
    CHECK_FALSE(g.node("u-ghost"));
  }
  SECTION("observed later: it becomes a real node and keeps its dependent") {
    CHECK(g.observe(nullptr, object("ghost", "u-ghost")).empty());
    auto real = g.node("u-ghost");
    REQUIRE(real);
    CHECK_FALSE(real->isVirtual);
    CHECK(real->dependents == std::set<std::string>{"u-dep"});
  }
  SECTION("the dependent dropping the reference removes the virtual node") {
    g.observe(nullptr, object("dep", "u-dep", {ref("ghost", "u-ghost")}));
    g.observe(nullptr, object("dep", "u-dep"));
    CHECK_FALSE(g.node("u-ghost"));
  }
}

TEST_CASE("a deleted owner sends its dependents to be checked and is recorded absent", "[gc]") {
  Graph g;
  g.observe(nullptr, object("owner", "u-owner"));
  g.observe(nullptr, object("a", "u-a", {ref("owner", "u-owner")}));
  g.observe(nullptr, object("b", "u-b", {ref("owner", "u-owner")}));
  Graph::Work w = g.observeDeleted(object("owner", "u-owner").identity);
  CHECK(has(w.attemptToDelete, "u-a"));
  CHECK(has(w.attemptToDelete, "u-b"));
  REQUIRE(w.absent.size() == 1);
  CHECK(w.absent[0].name == "owner");
  CHECK_FALSE(g.node("u-owner"));
  CHECK(g.size() == 2);
}

TEST_CASE("an owner deleted without dependents records nothing", "[gc]") {
  Graph g;
  g.observe(nullptr, object("owner", "u-owner"));
  CHECK(g.observeDeleted(object("owner", "u-owner").identity).empty());
  CHECK(g.size() == 0);
}

TEST_CASE("foreground deletion marks the owner and sends it and its dependents", "[gc]") {
  Graph g;
  auto owner = object("owner", "u-owner");
  g.observe(nullptr, owner);
  g.observe(nullptr, object("blocking", "u-b", {ref("owner", "u-owner", true)}));
  g.observe(nullptr, object("free", "u-f", {ref("owner", "u-owner", false)}));
  auto marked = deleting(owner, kForegroundFinalizer);
  Graph::Work w = g.observe(&owner, marked);
  CHECK(has(w.attemptToDelete, "u-owner"));
  CHECK(has(w.attemptToDelete, "u-b"));
  CHECK(has(w.attemptToDelete, "u-f"));
  CHECK(w.attemptToOrphan.empty());
  auto node = g.node("u-owner");
  REQUIRE(node);
  CHECK(node->deletingDependents);
  CHECK(node->beingDeleted);
  auto blocking = g.blockingDependents("u-owner");
  REQUIRE(blocking.size() == 1);
  CHECK(blocking[0].identity.uid == "u-b");

  // The same state again (a resync) starts nothing new.
  CHECK(g.observe(&marked, marked).empty());

  SECTION("the blocking dependent going sends the owner back") {
    Graph::Work gone = g.observeDeleted(object("blocking", "u-b").identity);
    CHECK(gone.attemptToDelete == std::vector<std::string>{"u-owner"});
    CHECK(g.blockingDependents("u-owner").empty());
  }
  SECTION("the blocking reference being unset sends the owner back") {
    auto before = object("blocking", "u-b", {ref("owner", "u-owner", true)});
    auto after = object("blocking", "u-b", {ref("owner", "u-owner", false)});
    CHECK(g.observe(&before, after).attemptToDelete == std::vector<std::string>{"u-owner"});
    CHECK(g.blockingDependents("u-owner").empty());
  }
}

TEST_CASE("an object added already deleting in the foreground counts as started", "[gc]") {
  Graph g;
  Graph::Work w = g.observe(nullptr, deleting(object("owner", "u-owner"), kForegroundFinalizer));
  CHECK(w.attemptToDelete == std::vector<std::string>{"u-owner"});
  CHECK(g.node("u-owner")->deletingDependents);
}

TEST_CASE("orphan deletion sends the owner to be orphaned once", "[gc]") {
  Graph g;
  auto owner = object("owner", "u-owner");
  g.observe(nullptr, owner);
  auto marked = deleting(owner, kOrphanFinalizer);
  Graph::Work w = g.observe(&owner, marked);
  CHECK(w.attemptToOrphan == std::vector<std::string>{"u-owner"});
  CHECK(w.attemptToDelete.empty());
  CHECK(g.observe(&marked, marked).attemptToOrphan.empty());
}

TEST_CASE("a dependent with two owners is linked to both and unlinked from one", "[gc]") {
  Graph g;
  g.observe(nullptr, object("o1", "u-1"));
  g.observe(nullptr, object("o2", "u-2"));
  auto both = object("dep", "u-dep", {ref("o1", "u-1"), ref("o2", "u-2")});
  g.observe(nullptr, both);
  CHECK(g.dependents("u-1").size() == 1);
  CHECK(g.dependents("u-2").size() == 1);
  auto one = object("dep", "u-dep", {ref("o2", "u-2")});
  CHECK(g.observe(&both, one).empty());
  CHECK(g.dependents("u-1").empty());
  CHECK(g.dependents("u-2").size() == 1);
}

TEST_CASE("references that disagree with the observed owner are verified", "[gc]") {
  Graph g;
  g.observe(nullptr, object("owner", "u-owner", {}, "a"));
  SECTION("a dependent in another namespace") {
    Graph::Work w = g.observe(nullptr, object("dep", "u-dep", {ref("owner", "u-owner")}, "b"));
    CHECK(w.attemptToDelete == std::vector<std::string>{"u-dep"});
  }
  SECTION("a reference with another name") {
    Graph::Work w = g.observe(nullptr, object("dep", "u-dep", {ref("other", "u-owner")}, "a"));
    CHECK(w.attemptToDelete == std::vector<std::string>{"u-dep"});
  }
  SECTION("a matching reference needs nothing") {
    CHECK(g.observe(nullptr, object("dep", "u-dep", {ref("owner", "u-owner")}, "a")).empty());
  }
}

TEST_CASE("a virtual owner observed in another namespace sends its dependents back", "[gc]") {
  Graph g;
  g.observe(nullptr, object("dep", "u-dep", {ref("owner", "u-owner")}, "b"));
  Graph::Work w = g.observe(nullptr, object("owner", "u-owner", {}, "a"));
  CHECK(w.attemptToDelete == std::vector<std::string>{"u-dep"});
}

TEST_CASE("a virtual owner named two ways is kept for the other name", "[gc]") {
  Graph g;
  g.observe(nullptr, object("d1", "u-d1", {ref("wrong", "u-owner")}));
  g.observe(nullptr, object("d2", "u-d2", {ref("right", "u-owner")}));
  auto virt = g.node("u-owner");
  REQUIRE(virt);
  REQUIRE(virt->identity.name == "wrong");
  Graph::Work w = g.verifiedAbsent(virt->identity);
  CHECK(has(w.attemptToDelete, "u-d1"));
  CHECK(has(w.attemptToDelete, "u-owner"));  // to verify again by the other name
  CHECK_FALSE(has(w.attemptToDelete, "u-d2"));
  auto kept = g.node("u-owner");
  REQUIRE(kept);
  CHECK(kept->identity.name == "right");
}

TEST_CASE("a cluster-scoped owner may own objects in any namespace", "[gc]") {
  Graph g;
  ObjectMeta ns = object("team", "u-ns", {}, "", "Namespace");
  g.observe(nullptr, ns);
  auto nsRef = ref("team", "u-ns", false, "Namespace");
  CHECK(g.observe(nullptr, object("a", "u-a", {nsRef}, "x")).empty());
  CHECK(g.observe(nullptr, object("b", "u-b", {nsRef}, "y")).empty());
  CHECK(g.dependents("u-ns").size() == 2);
}
