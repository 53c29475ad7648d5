#include "controllers/nodelifecycle/node_lifecycle_controller.h"

#include <ctime>
#include <set>

#include "common/log.h"
#include "common/rfc3339.h"
#include "controllers/nodelifecycle/taints.h"

namespace tug::controllers {
namespace {

using client::json;
namespace nl = nodelifecycle;
using SystemClock = std::chrono::system_clock;

constexpr const char* kLog = "node-lifecycle-controller";
constexpr const char* kLeaseNamespace = "kube-node-lease";

const client::Resource kNodes{"", "v1", "nodes", false};
const client::Resource kLeases{"coordination.k8s.io", "v1", "leases", true};
const client::Resource kPods{"", "v1", "pods", true};

std::string meta(const json& obj, const char* key) {
  return obj.value("metadata", json::object()).value(key, "");
}

// "2026-01-02T03:04:05Z" (fractions ignored); nullopt when it does not parse.
std::optional<SystemClock::time_point> parseTime(const std::string& text) {
  std::tm tm{};
  const char* end = strptime(text.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (end == nullptr) {
    return std::nullopt;
  }
  return SystemClock::from_time_t(timegm(&tm));
}

std::string readyHeartbeat(const json& node) {
  for (const json& c : node.value("status", json::object()).value("conditions", json::array())) {
    if (c.value("type", "") == "Ready") {
      return c.value("lastHeartbeatTime", "");
    }
  }
  return "";
}


}  // namespace

NodeLifecycleController::NodeLifecycleController(client::Client& client,
                                                 client::SharedInformers& informers,
                                                 NodeLifecycleOptions options)
    : client_(client),
      options_(options),
      nodes_(informers.get(kNodes)),
      pods_(informers.get(kPods)),
      leases_(client, kLeases, kLeaseNamespace),
      events_(client, client::EventSource{"node-controller", ""}) {}

NodeLifecycleController::~NodeLifecycleController() { stop(); }

void NodeLifecycleController::start() {
  leases_.start();
  thread_ = std::thread([this] { run(); });
}

void NodeLifecycleController::stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  leases_.stop();
}

void NodeLifecycleController::run() {
  for (client::Informer* i : {&nodes_, &leases_, &pods_}) {
    while (!i->waitForSync(std::chrono::milliseconds(200))) {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) {
        return;
      }
    }
  }
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    lock.unlock();
    monitor();
    lock.lock();
    wake_.wait_for(lock, options_.monitorPeriod, [this] { return stopping_; });
  }
}

bool NodeLifecycleController::silent(const json& node) {
  const std::string name = meta(node, "name");
  auto lease = leases_.get(kLeaseNamespace, name);
  std::string renew = lease ? lease->value("spec", json::object()).value("renewTime", "") : "";
  std::string heartbeat = readyHeartbeat(node);
  auto now = Clock::now();
  auto [it, fresh] = seen_.try_emplace(name, Seen{renew, heartbeat, now});
  // A node we have just met, or that just spoke, gets a whole grace period from now: our
  // clock, not the node's, decides, so clock skew cannot make a node look dead.
  if (!fresh && (it->second.renewTime != renew || it->second.heartbeat != heartbeat)) {
    it->second = Seen{renew, heartbeat, now};
  }
  return now - it->second.at > options_.gracePeriod;
}

void NodeLifecycleController::markUnknown(const json& node) {
  json next = node;
  json& status = next["status"];
  json conditions = status.value("conditions", json::array());
  const std::string now = formatRfc3339(SystemClock::now());
  bool hadReady = false;
  for (json& c : conditions) {
    std::string type = c.value("type", "");
    if (type != "Ready" && type != "MemoryPressure" && type != "DiskPressure" &&
        type != "PIDPressure") {
      continue;
    }
    hadReady = hadReady || type == "Ready";
    if (c.value("status", "") != "Unknown") {
      c["status"] = "Unknown";
      c["reason"] = "NodeStatusUnknown";
      c["message"] = "Kubelet stopped posting node status.";
      c["lastTransitionTime"] = now;
    }
  }
  if (!hadReady) {
    conditions.push_back({{"type", "Ready"},
                          {"status", "Unknown"},
                          {"reason", "NodeStatusNeverUpdated"},
                          {"message", "Kubelet never posted node status."},
                          {"lastHeartbeatTime", meta(node, "creationTimestamp")},
                          {"lastTransitionTime", now}});
  }
  status["conditions"] = conditions;
  auto written = client_.update(kNodes, "", next, "status");
  if (!written.ok()) {
    TUG_LOG(kDebug, kLog) << "node " << meta(node, "name") << ": " << written.status().message();
    return;  // a conflict: the next pass sees the newer node
  }
  TUG_LOG(kInfo, kLog) << "node " << meta(node, "name")
                       << " stopped posting status: Ready is Unknown";
  markPodsNotReady(meta(node, "name"));
}

void NodeLifecycleController::syncTaints(const json& node) {
  json taints =
      nl::withManagedTaints(node, nl::conditionTaints(node), formatRfc3339(SystemClock::now()));
  json current = node.value("spec", json::object()).value("taints", json::array());
  if (taints == current) {
    return;
  }
  json next = node;
  if (taints.empty()) {
    next["spec"].erase("taints");
  } else {
    next["spec"]["taints"] = taints;
  }
  auto written = client_.update(kNodes, "", next);
  if (!written.ok()) {
    TUG_LOG(kDebug, kLog) << "tainting node " << meta(node, "name") << ": "
                          << written.status().message();
  }
}

void NodeLifecycleController::markPodsNotReady(const std::string& nodeName) {
  for (json pod : pods_.list()) {
    if (pod.value("spec", json::object()).value("nodeName", "") != nodeName) {
      continue;
    }
    bool changed = false;
    json& conditions = pod["status"]["conditions"];
    if (!conditions.is_array()) {
      continue;
    }
    for (json& c : conditions) {
      if (c.value("type", "") == "Ready" && c.value("status", "") != "False") {
        c["status"] = "False";
        c["lastTransitionTime"] = formatRfc3339(SystemClock::now());
        changed = true;
      }
    }
    if (changed) {
      auto written = client_.update(kPods, meta(pod, "namespace"), pod, "status");
      if (written.ok()) {
        events_.record(client::objectReference(pod, "Pod", "v1"), "Warning", "NodeNotReady",
                       "Node is not ready");
      } else if (written.status().code() != Code::kNotFound) {
        TUG_LOG(kDebug, kLog) << "marking pod " << meta(pod, "name")
                              << " not ready: " << written.status().message();
      }
    }
  }
}

void NodeLifecycleController::evictPods(const std::string& nodeName, const json& taints) {
  // The moment from which tolerations count: the oldest NoExecute taint's timeAdded.
  std::optional<SystemClock::time_point> since;
  for (const json& t : taints) {
    if (t.value("effect", "") != "NoExecute") {
      continue;
    }
    auto added = parseTime(t.value("timeAdded", ""));
    if (!added) {
      auto [it, fresh] = taintSeen_.try_emplace(nodeName + "/" + t.value("key", ""),
                                                SystemClock::now());
      added = it->second;
    }
    since = since ? std::min(*since, *added) : *added;
  }
  if (!since) {
    return;
  }
  for (const json& pod : pods_.list()) {
    if (pod.value("spec", json::object()).value("nodeName", "") != nodeName ||
        !meta(pod, "deletionTimestamp").empty()) {
      continue;
    }
    auto allowed = nl::secondsAllowed(pod, taints);
    if (!allowed || SystemClock::now() < *since + std::chrono::seconds(*allowed)) {
      continue;
    }
    events_.record(client::objectReference(pod, "Pod", "v1"), "Normal", "TaintManagerEviction",
                   "Marking for deletion Pod " + meta(pod, "namespace") + "/" + meta(pod, "name"));
    auto removed = client_.remove(kPods, meta(pod, "namespace"), meta(pod, "name"));
    if (removed.ok()) {
      TUG_LOG(kInfo, kLog) << "evicted pod " << meta(pod, "namespace") << "/" << meta(pod, "name")
                           << " from node " << nodeName;
    }
  }
}

void NodeLifecycleController::recordNodeEvents(const std::vector<json>& nodes) {
  std::map<std::string, std::string> ready;
  for (const json& node : nodes) {
    const std::string name = meta(node, "name");
    const std::string status = nl::readyStatus(node);
    ready[name] = status;
    const json ref = client::objectReference(node, "Node", "v1");
    auto last = lastReady_.find(name);
    if (last == lastReady_.end()) {
      events_.record(ref, "Normal", "RegisteredNode",
                     "Node " + name + " event: Registered Node " + name + " in Controller");
    } else if (last->second == "True" && status != "True") {
      events_.record(ref, "Normal", "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
    } else if (last->second != "True" && status == "True") {
      events_.record(ref, "Normal", "NodeReady", "Node " + name + " status is now: NodeReady");
    }
  }
  for (const auto& [name, status] : lastReady_) {
    if (!ready.count(name)) {
      json ref = {{"kind", "Node"}, {"apiVersion", "v1"}, {"name", name}, {"uid", name}};
      events_.record(ref, "Normal", "RemovingNode",
                     "Node " + name + " event: Removing Node " + name + " from Controller");
    }
  }
  lastReady_ = std::move(ready);
}

void NodeLifecycleController::monitor() {
  std::vector<json> nodes = nodes_.list();
  recordNodeEvents(nodes);
  std::set<std::string> names;
  int notReady = 0;
  for (const json& node : nodes) {
    const std::string name = meta(node, "name");
    names.insert(name);
    if (silent(node) && nl::readyStatus(node) != "Unknown") {
      markUnknown(node);
    }
    // Taints are judged from the cache; a status just written comes back through it.
    syncTaints(node);
    if (nl::readyStatus(node) != "True") {
      ++notReady;
    }
  }
  // Forget nodes that are gone.
  for (auto it = seen_.begin(); it != seen_.end();) {
    it = names.count(it->first) ? std::next(it) : seen_.erase(it);
  }
  // Every node down looks like our own trouble (or a network split): evict nothing.
  if (nodes.empty() || notReady == static_cast<int>(nodes.size())) {
    return;
  }
  for (const json& node : nodes) {
    json taints = node.value("spec", json::object()).value("taints", json::array());
    evictPods(meta(node, "name"), taints);
  }
  for (auto it = taintSeen_.begin(); it != taintSeen_.end();) {
    std::string node = it->first.substr(0, it->first.find('/'));
    it = names.count(node) ? std::next(it) : taintSeen_.erase(it);
  }
}

}  // namespace tug::controllers
