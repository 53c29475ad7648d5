#pragma once

#include <map>
#include <mutex>
#include <set>
#include <string>

#include "scheduler/node_info.h"

// The scheduler's view of the cluster: nodes and the pods on them, from the informers, plus
// the pods it has bound itself and not yet seen back (assumed), so that a burst of pods does
// not overcommit a node before the informer catches up. Thread-safe.
namespace tug::scheduler {

class Cache {
 public:
  void setNode(json node);
  void removeNode(const std::string& name);

  // A pod the API shows on a node (added or changed). Confirms an assumed pod.
  void setPod(PodInfoPtr pod);
  void removePod(const std::string& key);

  // Counts `pod` on `node` until the API shows it there (setPod) or forgetPod() is called.
  void assumePod(PodInfoPtr pod, const std::string& node);
  void forgetPod(const std::string& key);
  bool isAssumed(const std::string& key) const;

  // The nodes known now (pods of unknown nodes are kept aside until their node appears).
  Snapshot snapshot() const;
  // Brings `s` (from snapshot() or an earlier call) up to the nodes known now, replacing only
  // the entries of nodes that changed since: the scheduler keeps one across its cycles.
  void updateSnapshot(Snapshot& s) const;
  size_t nodeCount() const;

 private:
  // Copy-on-write: snapshots share NodeInfos, a change replaces the changed node's entry.
  // Bumps the generation, and the membership generation when `name` comes or goes.
  NodeInfo& mutableNode(const std::string& name);
  void eraseNodeLocked(const std::string& name);
  void placeLocked(PodInfoPtr pod, const std::string& node);
  void unplaceLocked(const std::string& key);

  mutable std::mutex mu_;
  std::map<std::string, std::shared_ptr<NodeInfo>> nodes_;  // node json null: not known yet
  uint64_t generation_ = 0;                      // bumped by every change of a node or its pods
  uint64_t membershipGeneration_ = 0;            // bumped when a known node comes or goes
  std::map<std::string, std::string> podNodes_;  // pod key -> node name
  std::set<std::string> assumed_;
};

}  // namespace tug::scheduler
