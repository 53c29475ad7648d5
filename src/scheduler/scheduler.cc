#include "scheduler/scheduler.h"

#include <ctime>

#include "common/log.h"
#include "common/rfc3339.h"
#include "scheduler/preemption.h"
#include "scheduler/priority.h"

namespace tug::scheduler {
namespace {

constexpr const char* kLog = "scheduler";

client::Resource podsResource() { return client::Resource{"", "v1", "pods", true}; }
client::Resource nodesResource() { return client::Resource{"", "v1", "nodes", false}; }

// Finished pods hold nothing on their node and are never scheduled again.
bool isFinished(const json& pod) {
  const json& phase = memberObject(memberObject(pod, "status"), "phase");
  return phase.is_string() && (phase.get_ref<const std::string&>() == "Succeeded" ||
                               phase.get_ref<const std::string&>() == "Failed");
}

bool isTerminating(const json& pod) {
  return memberObject(pod, "metadata").contains("deletionTimestamp");
}

std::string nodeNameOf(const json& pod) { return memberObject(pod, "spec").value("nodeName", ""); }

std::string keyOf(const json& obj) {
  const json& meta = memberObject(obj, "metadata");
  return meta.value("namespace", "") + "/" + meta.value("name", "");
}

// Whether two versions of a pod look the same to a scheduling cycle (PodInfo and the plugins
// read its spec, labels, identity and whether it is terminating, never its status).
bool sameToScheduling(const json& old, const json& now) {
  const json& oldMeta = memberObject(old, "metadata");
  const json& nowMeta = memberObject(now, "metadata");
  return memberObject(oldMeta, "uid") == memberObject(nowMeta, "uid") &&
         oldMeta.contains("deletionTimestamp") == nowMeta.contains("deletionTimestamp") &&
         memberObject(oldMeta, "labels") == memberObject(nowMeta, "labels") &&
         memberObject(old, "spec") == memberObject(now, "spec");
}

json podReference(const PodInfo& pod) { return client::objectReference(pod.pod, "Pod", "v1"); }

// The pod's PodScheduled condition, or null.
json scheduledCondition(const json& pod) {
  const json& conditions = memberObject(memberObject(pod, "status"), "conditions");
  if (conditions.is_array()) {
    for (const json& c : conditions) {
      if (c.is_object() && c.value("type", "") == "PodScheduled") {
        return c;
      }
    }
  }
  return nullptr;
}

}  // namespace

Scheduler::Scheduler(client::Client& client, client::SharedInformers& informers,
                     SchedulerOptions options)
    : client_(client),
      options_(std::move(options)),
      pods_(informers.get(podsResource())),
      nodes_(informers.get(nodesResource())),
      priorityClasses_(
          informers.get(client::Resource{"scheduling.k8s.io", "v1", "priorityclasses", false})),
      events_(client, client::EventSource{options_.schedulerName, ""}),
      queue_(options_.queue),
      profile_(Profile::makeDefault()),
      rng_(options_.seed != 0 ? options_.seed : static_cast<unsigned>(std::random_device{}())) {}

Scheduler::~Scheduler() { stop(); }

void Scheduler::start() {
  if (running_.exchange(true)) {
    return;
  }
  // Priorities resolve from the PriorityClasses, and pods are counted on nodes: so those
  // first. Handlers added to started informers hear of every cached object at once.
  priorityClasses_.waitForSync(std::chrono::seconds(5));
  handlers_ += nodes_.addHandlers(
      client::EventHandlers{[this](const json& n) { onNodeChange(n); },
                            [this](const json&, const json& n) { onNodeChange(n); },
                            [this](const json& n) { onNodeDelete(n); }});
  handlers_ += pods_.addHandlers(
      client::EventHandlers{[this](const json& p) { onPodAdd(p); },
                            [this](const json& old, const json& now) { onPodUpdate(old, now); },
                            [this](const json& p) { onPodDelete(p); }});
  for (int i = 0; i < std::max(1, options_.bindWorkers); ++i) {
    binders_.emplace_back([this] { bindWorker(); });
  }
  loop_ = std::thread([this] { run(); });
}

void Scheduler::stop() {
  if (!running_.exchange(false)) {
    return;
  }
  handlers_.reset();
  queue_.shutDown();
  loop_.join();
  {
    std::lock_guard lock(bindMu_);
    bindStopping_ = true;
  }
  bindCv_.notify_all();
  for (auto& t : binders_) {
    t.join();
  }
  binders_.clear();
  events_.flush();
}

bool Scheduler::waitForSync(std::chrono::milliseconds timeout) {
  return nodes_.waitForSync(timeout) && pods_.waitForSync(timeout);
}

bool Scheduler::isResponsibleFor(const json& pod) const {
  std::string name = memberObject(pod, "spec").value("schedulerName", "");
  return name.empty() || name == options_.schedulerName;
}

PodInfoPtr Scheduler::podInfo(const json& pod) const {
  if (memberObject(pod, "spec").contains("priority")) {
    return makePodInfo(pod);
  }
  int32_t priority = podPriority(pod, priorityClasses_.list());
  if (priority == 0) {
    return makePodInfo(pod);
  }
  json resolved = pod;
  resolved["spec"]["priority"] = priority;
  return makePodInfo(std::move(resolved));
}

void Scheduler::onPodAdd(const json& pod) {
  if (isFinished(pod)) {
    return;
  }
  if (!nodeNameOf(pod).empty()) {
    cache_.setPod(podInfo(pod));
  } else if (isResponsibleFor(pod) && !isTerminating(pod)) {
    queue_.add(podInfo(pod));
  }
}

void Scheduler::onPodUpdate(const json& old, const json& now) {
  if (isFinished(now)) {
    if (!isFinished(old)) {
      onPodDelete(old);
    }
    return;
  }
  std::string key = keyOf(now);
  if (!nodeNameOf(now).empty()) {
    // A bound pod's status writes (its kubelet's) change nothing the cache counts.
    if (nodeNameOf(old) == nodeNameOf(now) && sameToScheduling(old, now) &&
        !cache_.isAssumed(key)) {
      return;
    }
    queue_.remove(key);
    cache_.setPod(podInfo(now));
    return;
  }
  if (cache_.isAssumed(key)) {
    return;  // being bound: the binding's own update will place it
  }
  if (!isResponsibleFor(now) || isTerminating(now)) {
    queue_.remove(key);
    return;
  }
  // Our own status writes change nothing that scheduling reads.
  if (sameToScheduling(old, now)) {
    return;
  }
  queue_.add(podInfo(now));
}

void Scheduler::onPodDelete(const json& pod) {
  if (isFinished(pod)) {
    return;  // gone from the scheduler's view when it finished
  }
  std::string key = keyOf(pod);
  queue_.remove(key);
  if (!nodeNameOf(pod).empty() || cache_.isAssumed(key)) {
    cache_.removePod(key);
    queue_.moveAllToActive();  // the room it took may fit a waiting pod
  }
}

void Scheduler::onNodeChange(const json& node) {
  cache_.setNode(node);
  queue_.moveAllToActive();
}

void Scheduler::onNodeDelete(const json& node) {
  cache_.removeNode(memberObject(node, "metadata").value("name", ""));
}

void Scheduler::run() {
  // Pods already on nodes must be counted before any placement, as upstream waits for its
  // cache: a cycle on half a cluster would overcommit nodes or report them missing.
  while (running_ && !waitForSync(std::chrono::seconds(1))) {
  }
  while (auto pod = queue_.pop()) {
    scheduleOne(*pod);
  }
}

void Scheduler::scheduleOne(const PodInfoPtr& pod) {
  cache_.updateSnapshot(snapshot_);
  const Snapshot& snapshot = snapshot_;
  if (snapshot.nodes.empty()) {
    failed_++;
    markUnschedulable(pod, "SchedulerError", kNoNodesAvailable, "");
    events_.record(podReference(*pod), "Warning", "FailedScheduling", kNoNodesAvailable,
                   "Scheduling");
    queue_.requeueUnschedulable(pod);
    return;
  }
  Profile::Result result = profile_->schedule(*pod, snapshot, rng_);
  if (result.node.empty()) {
    handleUnschedulable(pod, snapshot, result.failures);
    return;
  }
  // Counted on the node from now on, so the next cycle sees the room it takes.
  json placed = pod->pod;
  placed["spec"]["nodeName"] = result.node;
  cache_.assumePod(makePodInfo(std::move(placed)), result.node);
  {
    std::lock_guard lock(bindMu_);
    binds_.push_back([this, pod, node = result.node] { bind(pod, node); });
  }
  bindCv_.notify_one();
}

void Scheduler::handleUnschedulable(const PodInfoPtr& pod, const Snapshot& snapshot,
                                    const NodeStatuses& failures) {
  failed_++;
  PreemptionResult preemption = evaluatePreemption(*profile_, *pod, snapshot, failures);
  std::string message = fitErrorMessage(snapshot.nodes.size(), failures, preemption.message);
  for (const PodInfoPtr& victim : preemption.victims) {
    auto r = client_.remove(podsResource(), victim->ns, victim->name);
    if (!r.ok() && r.status().code() != Code::kNotFound) {
      TUG_LOG(kWarn, kLog) << "preempting " << victim->key << ": " << r.status().toString();
      continue;
    }
    events_.record(podReference(*victim), "Normal", "Preempted",
                   "Preempted by pod " + pod->uid + " on node " + preemption.node, "Preempting");
  }
  TUG_LOG(kDebug, kLog) << "unable to schedule " << pod->key << ": " << message;
  markUnschedulable(pod, "Unschedulable", message, preemption.node);
  events_.record(podReference(*pod), "Warning", "FailedScheduling", message, "Scheduling");
  queue_.requeueUnschedulable(pod);
}

void Scheduler::markUnschedulable(const PodInfoPtr& pod, const std::string& reason,
                                  const std::string& message, const std::string& nominatedNode) {
  json current = scheduledCondition(pod->pod);
  bool same = current.is_object() && current.value("status", "") == "False" &&
              current.value("reason", "") == reason && current.value("message", "") == message;
  std::string nominated = memberObject(pod->pod, "status").value("nominatedNodeName", "");
  if (same && nominated == nominatedNode) {
    return;  // nothing to say that the pod does not say already
  }
  json condition = {
      {"type", "PodScheduled"},
      {"status", "False"},
      {"lastProbeTime", nullptr},
      {"lastTransitionTime", current.is_object() && current.value("status", "") == "False" &&
                                     current.contains("lastTransitionTime")
                                 ? current["lastTransitionTime"]
                                 : json(nowRfc3339())},
      {"reason", reason},
      {"message", message}};
  json patch = {{"status", {{"conditions", json::array({condition})}}}};
  if (!nominatedNode.empty() || !nominated.empty()) {
    patch["status"]["nominatedNodeName"] =
        nominatedNode.empty() ? json(nullptr) : json(nominatedNode);
  }
  auto r = client_.patch(podsResource(), pod->ns, pod->name, client::PatchType::kStrategicMerge,
                         patch.dump(), "status");
  if (!r.ok() && r.status().code() != Code::kNotFound) {
    TUG_LOG(kWarn, kLog) << "updating the status of " << pod->key << ": " << r.status().toString();
  }
}

void Scheduler::bind(const PodInfoPtr& pod, const std::string& node) {
  json binding = {{"apiVersion", "v1"},
                  {"kind", "Binding"},
                  {"metadata", {{"name", pod->name}, {"namespace", pod->ns}, {"uid", pod->uid}}},
                  {"target", {{"kind", "Node"}, {"name", node}}}};
  auto r = client_.create(podsResource(), pod->ns, binding, {}, pod->name, "binding");
  if (r.ok()) {
    scheduled_++;
    queue_.done(pod->key);
    events_.record(podReference(*pod), "Normal", "Scheduled",
                   "Successfully assigned " + pod->key + " to " + node, "Binding");
    return;
  }
  cache_.forgetPod(pod->key);
  Code code = r.status().code();
  if (code == Code::kNotFound || code == Code::kConflict) {
    // Gone, or placed by someone else: the informer tells the rest.
    queue_.done(pod->key);
    return;
  }
  TUG_LOG(kWarn, kLog) << "binding " << pod->key << " to " << node << ": " << r.status().toString();
  events_.record(podReference(*pod), "Warning", "FailedScheduling",
                 "Binding rejected: " + r.status().message(), "Scheduling");
  queue_.requeueAfterError(pod);
}

void Scheduler::bindWorker() {
  std::unique_lock lock(bindMu_);
  while (true) {
    bindCv_.wait(lock, [this] { return bindStopping_ || !binds_.empty(); });
    if (binds_.empty()) {
      return;
    }
    auto job = std::move(binds_.front());
    binds_.pop_front();
    lock.unlock();
    job();
    lock.lock();
  }
}

}  // namespace tug::scheduler
