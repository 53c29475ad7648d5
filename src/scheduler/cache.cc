#include "scheduler/cache.h"

namespace tug::scheduler {

NodeInfo& Cache::mutableNode(const std::string& name) {
  auto& slot = nodes_[name];
  if (!slot) {
    slot = std::make_shared<NodeInfo>();
    slot->name = name;
    slot->node = nullptr;
  } else if (slot.use_count() > 1) {
    slot = std::make_shared<NodeInfo>(*slot);  // a snapshot still reads the old one
  }
  return *slot;
}

void Cache::setNode(json node) {
  std::lock_guard lock(mu_);
  mutableNode(memberObject(node, "metadata").value("name", "")).setNode(std::move(node));
}

void Cache::removeNode(const std::string& name) {
  std::lock_guard lock(mu_);
  auto it = nodes_.find(name);
  if (it == nodes_.end()) {
    return;
  }
  if (it->second->pods.empty()) {
    nodes_.erase(it);
  } else {
    mutableNode(name).node = nullptr;  // its pods still count if the node comes back
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
  if (n.node.is_null() && n.pods.empty()) {
    nodes_.erase(node);
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
  std::lock_guard lock(mu_);
  Snapshot s;
  s.nodes.reserve(nodes_.size());
  for (const auto& [name, info] : nodes_) {
    if (!info->node.is_null()) {
      s.nodes.push_back(info);
    }
  }
  return s;
}

size_t Cache::nodeCount() const {
  std::lock_guard lock(mu_);
  size_t n = 0;
  for (const auto& [name, info] : nodes_) {
    n += info->node.is_null() ? 0 : 1;
  }
  return n;
}

}  // namespace tug::scheduler
