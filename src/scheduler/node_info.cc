#include "scheduler/node_info.h"

#include <algorithm>

#include "api/quantity.h"

namespace tug::scheduler {

const json NodeInfo::kNoMembers = json::object();

bool NodeInfo::label(const std::string& key, std::string* value) const {
  const json& l = labels();
  auto it = l.find(key);
  if (it == l.end() || !it->is_string()) {
    return false;
  }
  *value = it->get<std::string>();
  return true;
}

void NodeInfo::addPod(PodInfoPtr pod) {
  requested.add(pod->requests);
  nonZeroRequested.add(pod->nonZeroRequests);
  usedPorts.insert(usedPorts.end(), pod->ports.begin(), pod->ports.end());
  pods.push_back(std::move(pod));
}

bool NodeInfo::removePod(const std::string& key) {
  auto it =
      std::find_if(pods.begin(), pods.end(), [&](const PodInfoPtr& p) { return p->key == key; });
  if (it == pods.end()) {
    return false;
  }
  requested.subtract((*it)->requests);
  nonZeroRequested.subtract((*it)->nonZeroRequests);
  for (const HostPort& hp : (*it)->ports) {
    auto used = std::find_if(usedPorts.begin(), usedPorts.end(), [&](const HostPort& u) {
      return u.ip == hp.ip && u.protocol == hp.protocol && u.port == hp.port;
    });
    if (used != usedPorts.end()) {
      usedPorts.erase(used);
    }
  }
  pods.erase(it);
  return true;
}

namespace {

bool readyConditionTrue(const json& node) {
  const json& conditions = memberObject(memberObject(node, "status"), "conditions");
  if (!conditions.is_array()) {
    return false;
  }
  for (const json& c : conditions) {
    if (c.is_object() && c.value("type", "") == "Ready") {
      return c.value("status", "") == "True";
    }
  }
  return false;
}

}  // namespace

void NodeInfo::setNode(json fresh) {
  name = memberObject(fresh, "metadata").value("name", "");
  const json& status = memberObject(fresh, "status");
  const json* list = &memberObject(status, "allocatable");
  if (list->empty()) {
    list = &memberObject(status, "capacity");
  }
  allocatable = resourcesOf(*list);
  allowedPods = 0;
  if (auto pods = list->find("pods"); pods != list->end()) {
    auto q = api::quantityFromJson(*pods);
    allowedPods = q.ok() ? q->value() : 0;
  }
  ready = readyConditionTrue(fresh);
  const json& spec = memberObject(fresh, "spec");
  const json& unschedulableField = memberObject(spec, "unschedulable");
  unschedulable = unschedulableField.is_boolean() && unschedulableField.get<bool>();
  auto shared = std::make_shared<const json>(std::move(fresh));
  // The pointers go into the shared object, which moving into it did not relocate.
  taints = &memberObject(memberObject(*shared, "spec"), "taints");
  labels_ = &memberObject(memberObject(*shared, "metadata"), "labels");
  node = std::move(shared);
}

void NodeInfo::forgetNode() {
  // The pointers into the object go with it.
  node = nullptr;
  taints = &kNoMembers;
  labels_ = &kNoMembers;
  ready = false;
  unschedulable = false;
}

NodeInfo makeNodeInfo(json node) {
  NodeInfo n;
  n.setNode(std::move(node));
  return n;
}

}  // namespace tug::scheduler
