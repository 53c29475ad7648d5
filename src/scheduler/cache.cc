#include "scheduler/cache.h"

namespace tug::scheduler {

NodeInfo& Cache::mutableNode(const std::string& name) {
  auto& slot = nodes_[name];
  if (!slot) {
    slot = std::make_shared<NodeInfo>();
    slot->name = name;
  } else if (slot.use_count() > 1) {
    slot = std::make_shared<NodeInfo>(*slot);  // a snapshot still reads the old one
  }
  slot->generation = ++generation_;
  return *slot;
}

void Cache::eraseNodeLocked(const std::string& name) {
  nodes_.erase(name);
  ++generation_;
}

void Cache::setNode(json node) {
  std::lock_guard lock(mu_);
  NodeInfo& n = mutableNode(memberObject(node, "metadata").value("name", ""));
  if (!n.known()) {
    ++membershipGeneration_;
  }
  n.setNode(std::move(node));
}

void Cache::removeNode(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = nodes_.find(name);
  if (it == nodes_.end()) {
    return;
  }
  if (it->second->known()) {
    ++membershipGeneration_;
  }
  if (it->second->pods.empty()) {
    eraseNodeLocked(name);
  } else {
    mutableNode(name).forgetNode();  // its pods still count if the node comes back
  }
}

void Cache::placeLocked(PodInfoPtr pod, const std::string& node) {
  podNodes_[pod->key] = node;
  mutableNode(node).addPod(std::move(pod));
}

void Cache::unplaceLocked(const std::string& key) {
  auto it = podNodes_.find(key);
  if (it == podNodes_.end()) {
    return;
  }
  std::string node = it->second;
  podNodes_.erase(it);
  NodeInfo& n = mutableNode(node);
  n.removePod(key);
  if (!n.known() && n.pods.empty()) {
    eraseNodeLocked(node);
  }
}

void Cache::setPod(PodInfoPtr pod) {
  std::lock_guard lock(mu_);
  assumed_.erase(pod->key);
  unplaceLocked(pod->key);
  if (!pod->nodeName.empty()) {
    std::string node = pod->nodeName;
    placeLocked(std::move(pod), node);
  }
}

void Cache::removePod(const std::string& key) {
  std::lock_guard lock(mu_);
  assumed_.erase(key);
  unplaceLocked(key);
}

void Cache::assumePod(PodInfoPtr pod, const std::string& node) {
  std::lock_guard lock(mu_);
  unplaceLocked(pod->key);
  assumed_.insert(pod->key);
  placeLocked(std::move(pod), node);
}

void Cache::forgetPod(const std::string& key) {
  std::lock_guard lock(mu_);
  if (assumed_.erase(key) > 0) {
    unplaceLocked(key);
  }
}

bool Cache::isAssumed(const std::string& key) const {
  std::lock_guard lock(mu_);
  return assumed_.count(key) > 0;
}

Snapshot Cache::snapshot() const {
  Snapshot s;
  updateSnapshot(s);
  return s;
}

void Cache::updateSnapshot(Snapshot& s) const {
  std::lock_guard lock(mu_);
  if (s.generation != 0 && s.generation == generation_) {
    return;  // nothing changed since
  }
  if (s.generation == 0 || s.membershipGeneration != membershipGeneration_) {
    s.nodes.clear();
    s.nodes.reserve(nodes_.size());
    for (const auto& [name, info] : nodes_) {
      if (info->known()) {
        s.nodes.push_back(info);
      }
    }
  } else {
    // The same known nodes, in the same (name) order: only changed entries are replaced.
    size_t i = 0;
    for (const auto& [name, info] : nodes_) {
      if (!info->known()) {
        continue;
      }
      if (info->generation > s.generation) {
        s.nodes[i] = info;
      }
      ++i;
    }
  }
  s.generation = generation_;
  s.membershipGeneration = membershipGeneration_;
}

size_t Cache::nodeCount() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [name, info] : nodes_) {
    n += info->known() ? 1 : 0;
  }
  return n;
}

}  // namespace tug::scheduler
