#include "controllers/daemonset/daemonset_controller.h"

#include <algorithm>
#include <atomic>

#include "common/log.h"
#include "controllers/deployment/deployment_util.h"
#include "controllers/workload/batch.h"
#include "controllers/workload/controller_ref.h"
#include "controllers/workload/sync_worker.h"

namespace tug::controllers {
namespace {

namespace ds = daemonset;

constexpr const char* kLog = "daemonset-controller";
const client::Resource kPods{"", "v1", "pods", true};
const client::Resource kNodes{"", "v1", "nodes", false};
const client::Resource kDaemonSets{"apps", "v1", "daemonsets", true};
const client::Resource kRevisions{"apps", "v1", "controllerrevisions", true};
constexpr std::chrono::seconds kFailedBackoffInitial{1};
constexpr std::chrono::minutes kFailedBackoffMax{15};

std::string keyOf(const json& obj) { return client::keyOf(namespaceOf(obj), nameOf(obj)); }

json selectorOf(const json& obj) {
  const json* s = at(obj, {"spec", "selector"});
  return s != nullptr && s->is_object() ? *s : json::object();
}

json referenceTo(const json& daemonSet) {
  return client::objectReference(daemonSet, "DaemonSet", "apps/v1");
}

}  // namespace

DaemonSetController::DaemonSetController(client::Client& client,
                                         client::SharedInformers& informers, Options options)
    : client_(client),
      options_(options),
      daemonSets_(informers.get(kDaemonSets)),
      pods_(informers.get(kPods)),
      nodes_(informers.get(kNodes)),
      revisions_(informers.get(kRevisions)),
      events_(client, client::EventSource{"daemonset-controller", ""}) {
  handlers_ +=
      daemonSets_.addHandlers(client::EventHandlers{[this](const json& d) { queue_.add(keyOf(d)); },
                                                    [this](const json& old, const json& now) {
                                                      if (uidOf(old) != uidOf(now)) {
                                                        expectations_.forget(keyOf(old));
                                                      }
                                                      queue_.add(keyOf(now));
                                                    },
                                                    [this](const json& d) {
                                                      expectations_.forget(keyOf(d));
                                                      queue_.add(keyOf(d));
                                                    }});
  handlers_ += pods_.addHandlers(
      client::EventHandlers{[this](const json& pod) { podAdded(pod); },
                            [this](const json& old, const json& now) { podUpdated(old, now); },
                            [this](const json& pod) { podDeleted(pod); }});
  handlers_ += nodes_.addHandlers(
      client::EventHandlers{[this](const json& node) { nodeChanged(nullptr, node); },
                            [this](const json& old, const json& now) { nodeChanged(&old, now); },
                            [this](const json& node) { nodeChanged(nullptr, node); }});
  handlers_ += revisions_.addHandlers(
      client::EventHandlers{[this](const json& r) { revisionChanged(r); },
                            [this](const json&, const json& now) { revisionChanged(now); },
                            [this](const json& r) { revisionChanged(r); }});
}

DaemonSetController::~DaemonSetController() { stop(); }

void DaemonSetController::start() {
  started_ = true;
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] {
      runSyncWorker(queue_, kLog, "daemonset",
                    [this](const std::string& key) { return sync(key); });
    });
  }
}

void DaemonSetController::stop() {
  if (!started_) {
    return;
  }
  started_ = false;
  queue_.shutDown();
  for (auto& w : workers_) {
    if (w.joinable()) {
      w.join();
    }
  }
  workers_.clear();
}

std::optional<json> DaemonSetController::resolve(const std::string& ns, const json& ref) const {
  if (ref.value("kind", "") != "DaemonSet") {
    return std::nullopt;
  }
  auto d = daemonSets_.get(ns, ref.value("name", ""));
  if (!d || uidOf(*d) != ref.value("uid", "")) {
    return std::nullopt;
  }
  return d;
}

void DaemonSetController::enqueueMatching(const json& obj) {
  const json labels = labelsOf(obj);
  for (const json& d : daemonSets_.list(namespaceOf(obj))) {
    const json selector = selectorOf(d);
    if (!selectorIsEmpty(selector) && selectorMatches(selector, labels)) {
      queue_.add(keyOf(d));
    }
  }
}

void DaemonSetController::podAdded(const json& pod) {
  if (beingDeleted(pod)) {
    podDeleted(pod);
    return;
  }
  if (const json* ref = controllerOf(pod)) {
    if (auto d = resolve(namespaceOf(pod), *ref)) {
      expectations_.creationObserved(keyOf(*d));
      queue_.add(keyOf(*d));
    }
    return;
  }
  enqueueMatching(pod);
}

void DaemonSetController::podUpdated(const json& old, const json& now) {
  if (metaString(old, "resourceVersion") == metaString(now, "resourceVersion")) {
    return;
  }
  if (beingDeleted(now)) {
    podDeleted(now);
    return;
  }
  const json* oldRef = controllerOf(old);
  const json* nowRef = controllerOf(now);
  if (oldRef != nullptr && (nowRef == nullptr || *oldRef != *nowRef)) {
    if (auto d = resolve(namespaceOf(old), *oldRef)) {
      queue_.add(keyOf(*d));
    }
  }
  if (nowRef != nullptr) {
    if (auto d = resolve(namespaceOf(now), *nowRef)) {
      queue_.add(keyOf(*d));
      const int64_t minReady = intAt(*d, {"spec", "minReadySeconds"}, 0);
      if (!podIsReady(old) && podIsReady(now) && minReady > 0) {
        queue_.addAfter(keyOf(*d), std::chrono::seconds(minReady + 1));
      }
    }
    return;
  }
  if (labelsOf(old) != labelsOf(now) || oldRef != nullptr) {
    enqueueMatching(now);
  }
}

void DaemonSetController::podDeleted(const json& pod) {
  const json* ref = controllerOf(pod);
  if (ref == nullptr) {
    return;
  }
  if (auto d = resolve(namespaceOf(pod), *ref)) {
    expectations_.deletionObserved(keyOf(*d), keyOf(pod));
    queue_.add(keyOf(*d));
  }
}

// A node matters to a DaemonSet when it is added or removed, or when whether it should run
// (or keep) the DaemonSet's pod changes; heartbeats change neither.
void DaemonSetController::nodeChanged(const json* old, const json& now) {
  for (const json& d : daemonSets_.list()) {
    if (old != nullptr) {
      const ds::NodeFit before = ds::nodeShouldRunDaemonPod(*old, d);
      const ds::NodeFit after = ds::nodeShouldRunDaemonPod(now, d);
      if (before.shouldRun == after.shouldRun &&
          before.shouldContinueRunning == after.shouldContinueRunning) {
        continue;
      }
    }
    queue_.add(keyOf(d));
  }
}

void DaemonSetController::revisionChanged(const json& revision) {
  if (const json* ref = controllerOf(revision)) {
    if (auto d = resolve(namespaceOf(revision), *ref)) {
      queue_.add(keyOf(*d));
    }
    return;
  }
  enqueueMatching(revision);
}

bool DaemonSetController::canAdopt(const json& d) {
  auto fresh = client_.get(kDaemonSets, namespaceOf(d), nameOf(d));
  return fresh.ok() && uidOf(*fresh) == uidOf(d) && !beingDeleted(*fresh);
}

Status DaemonSetController::sync(const std::string& key) {
  auto [ns, name] = client::splitKey(key);
  auto d = daemonSets_.get(ns, name);
  if (!d) {
    expectations_.forget(key);
    return Status::ok();
  }
  if (selectorIsEmpty(selectorOf(*d))) {
    events_.record(referenceTo(*d), "Warning", "SelectingAll",
                   "This daemon set is selecting all pods. A non-empty selector is required.");
    return Status::ok();
  }
  if (beingDeleted(*d)) {
    return Status::ok();
  }
  const std::vector<json> nodes = nodes_.list();
  auto history = constructHistory(*d);
  if (!history.ok()) {
    return history.status();
  }
  const std::string hash = labelsOf(history->current).value(ds::kRevisionHashLabel, "");
  auto pods = claimPods(*d);
  if (!pods.ok()) {
    return pods.status();
  }
  const auto now = std::chrono::system_clock::now();
  Status result;
  if (expectations_.satisfied(key)) {
    result = manage(*d, nodes, *pods, hash, key);
    const json* strategy = at(*d, {"spec", "updateStrategy", "type"});
    if (result.isOk() && expectations_.satisfied(key) && strategy != nullptr &&
        *strategy == "RollingUpdate") {
      ds::RolloutPlan plan = ds::planRollingUpdate(*d, nodes, *pods, hash, now);
      result = syncNodes(*d, plan.remove, plan.createOn, hash, key);
    }
    if (result.isOk()) {
      result = cleanupHistory(*d, history->old, *pods);
    }
  }
  json status = ds::calculateStatus(*d, nodes, *pods, hash, now);
  if (Status s = writeStatus(*d, status); !s.isOk()) {
    return s;
  }
  const int64_t minReady = intAt(*d, {"spec", "minReadySeconds"}, 0);
  if (minReady > 0 && intAt(status, {"numberReady"}) != intAt(status, {"numberAvailable"})) {
    queue_.addAfter(key, std::chrono::seconds(minReady));
  }
  return result;
}

Result<ds::NodePods> DaemonSetController::claimPods(const json& d) {
  const json selector = selectorOf(d);
  const std::string uid = uidOf(d);
  std::vector<json> candidates;
  pods_.forEach(namespaceOf(d), [&](const json& pod) {
    const json* ref = controllerOf(pod);
    if (ref != nullptr ? ref->value("uid", "") == uid : selectorMatches(selector, labelsOf(pod))) {
      candidates.push_back(pod);
    }
  });
  ClaimTarget target{client_, kPods, d, selector, newControllerRef(d, "apps/v1", "DaemonSet"),
                     [this, &d]() -> Result<bool> { return canAdopt(d); }};
  auto owned = claim(target, candidates);
  if (!owned.ok()) {
    return owned.status();
  }
  ds::NodePods byNode;
  for (json& pod : *owned) {
    const std::string phase = podPhase(pod);
    if ((phase == "Failed" || phase == "Succeeded") && beingDeleted(pod)) {
      continue;
    }
    byNode[ds::targetNodeName(pod)].push_back(std::move(pod));
  }
  return byNode;
}

Status DaemonSetController::manage(const json& d, const std::vector<json>& nodes,
                                   const ds::NodePods& pods, const std::string& hash,
                                   const std::string& key) {
  ds::ManagePlan plan =
      ds::planManage(d, nodes, pods, hash, std::chrono::system_clock::now());
  for (auto& [node, pod] : plan.failed) {
    if (!failedPodBackoffOver(key, node)) {
      continue;
    }
    events_.record(referenceTo(d), "Warning", "FailedDaemonPod",
                   "Found failed daemon pod " + namespaceOf(pod) + "/" + nameOf(pod) +
                       " on node " + node + ", will try to kill it");
    plan.remove.push_back(std::move(pod));
  }
  return syncNodes(d, plan.remove, plan.createOn, hash, key);
}

bool DaemonSetController::failedPodBackoffOver(const std::string& key, const std::string& node) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard<std::mutex> lock(backoffMu_);
  Backoff& b = failedBackoff_[key + "/" + node];
  if (now < b.until) {
    queue_.addAfter(key, std::chrono::duration_cast<std::chrono::milliseconds>(b.until - now));
    return false;
  }
  // A node quiet for twice the longest delay starts over.
  const bool fresh = b.delay.count() == 0 || now - b.until > 2 * kFailedBackoffMax;
  b.delay = fresh ? std::chrono::milliseconds(kFailedBackoffInitial)
                  : std::min<std::chrono::milliseconds>(2 * b.delay, kFailedBackoffMax);
  b.until = now + b.delay;
  return true;
}

Status DaemonSetController::syncNodes(const json& d, const std::vector<json>& remove,
                                      const std::vector<std::string>& createOn,
                                      const std::string& hash, const std::string& key) {
  const int creates = std::min<int>(static_cast<int>(createOn.size()), ds::kBurstReplicas);
  const int deletes = std::min<int>(static_cast<int>(remove.size()), ds::kBurstReplicas);
  if (creates == 0 && deletes == 0) {
    return Status::ok();
  }
  std::vector<std::string> deleteKeys;
  for (int i = 0; i < deletes; ++i) {
    deleteKeys.push_back(keyOf(remove[i]));
  }
  expectations_.expect(key, creates, deleteKeys);

  std::atomic<int> next{0};
  BatchResult created = slowStartBatch(creates, 1, options_.createParallelism, [&]() -> Status {
    const std::string& node = createOn[next++];
    auto pod = ds::newPod(d, node, hash);
    if (!pod.ok()) {
      return pod.status();
    }
    auto r = client_.create(kPods, namespaceOf(d), *pod);
    if (r.ok()) {
      events_.record(referenceTo(d), "Normal", "SuccessfulCreate",
                     "Created pod: " + nameOf(*r));
      return Status::ok();
    }
    if (r.status().message().find("because it is being terminated") != std::string::npos) {
      return Status::ok();  // the namespace is going; nothing to create
    }
    events_.record(referenceTo(d), "Warning", "FailedCreate",
                   "Error creating: " + r.status().message());
    return r.status();
  });
  for (int skipped = creates - created.successes; skipped > 0; --skipped) {
    expectations_.creationObserved(key);
  }
  Status deleted = parallelFor(deletes, options_.createParallelism, [&](int i) -> Status {
    const json& pod = remove[i];
    auto r = client_.remove(kPods, namespaceOf(pod), nameOf(pod));
    if (r.ok()) {
      events_.record(referenceTo(d), "Normal", "SuccessfulDelete", "Deleted pod: " + nameOf(pod));
      return Status::ok();
    }
    expectations_.deletionObserved(key, deleteKeys[i]);
    if (r.status().code() == Code::kNotFound) {
      return Status::ok();
    }
    events_.record(referenceTo(d), "Warning", "FailedDelete",
                   "Error deleting: " + r.status().message());
    return r.status();
  });
  if (created.successes > 0 || deletes > 0) {
    TUG_LOG(kDebug, kLog) << "daemonset " << key << ": created " << created.successes
                          << " pods, deleting " << deletes;
  }
  return created.firstError.isOk() ? deleted : created.firstError;
}

Result<DaemonSetController::History> DaemonSetController::constructHistory(const json& d) {
  const json selector = selectorOf(d);
  const std::string uid = uidOf(d);
  std::vector<json> candidates;
  revisions_.forEach(namespaceOf(d), [&](const json& r) {
    const json* ref = controllerOf(r);
    if (ref != nullptr ? ref->value("uid", "") == uid : selectorMatches(selector, labelsOf(r))) {
      candidates.push_back(r);
    }
  });
  ClaimTarget target{client_, kRevisions, d, selector, newControllerRef(d, "apps/v1", "DaemonSet"),
                     [this, &d]() -> Result<bool> { return canAdopt(d); }};
  auto owned = claim(target, candidates);
  if (!owned.ok()) {
    return owned.status();
  }
  const json data = ds::revisionData(d);
  History h;
  std::vector<json> current;
  int64_t maxOld = 0;
  for (json& r : *owned) {
    // Revisions are found by name, so the hash label is the name's suffix-free identity.
    if (!labelsOf(r).contains(ds::kRevisionHashLabel)) {
      json patch = {{"metadata", {{"labels", {{ds::kRevisionHashLabel, nameOf(r)}}}}}};
      auto p = client_.patch(kRevisions, namespaceOf(r), nameOf(r), client::PatchType::kMerge,
                             patch.dump());
      if (!p.ok()) {
        return p.status();
      }
      r = *p;
    }
    if (r.value("data", json()) == data) {
      current.push_back(std::move(r));
    } else {
      maxOld = std::max<int64_t>(maxOld, r.value("revision", int64_t{0}));
      h.old.push_back(std::move(r));
    }
  }
  const int64_t revision = maxOld + 1;
  if (current.empty()) {
    auto created = snapshot(d, revision);
    if (!created.ok()) {
      return created.status();
    }
    h.current = *created;
    return h;
  }
  // Several revisions of the same template: keep the newest.
  std::sort(current.begin(), current.end(), [](const json& a, const json& b) {
    return a.value("revision", int64_t{0}) > b.value("revision", int64_t{0});
  });
  const std::string keptHash = labelsOf(current.front()).value(ds::kRevisionHashLabel, "");
  for (size_t i = 1; i < current.size(); ++i) {
    // Pods of the duplicate are of the same template: they move to the kept revision first.
    if (Status s = relabelPods(d, labelsOf(current[i]).value(ds::kRevisionHashLabel, ""),
                               keptHash);
        !s.isOk()) {
      return s;
    }
    auto r = client_.remove(kRevisions, namespaceOf(current[i]), nameOf(current[i]));
    if (!r.ok() && r.status().code() != Code::kNotFound) {
      return r.status();
    }
  }
  h.current = current.front();
  if (h.current.value("revision", int64_t{0}) < revision) {
    json patch = {{"revision", revision}};
    auto p = client_.patch(kRevisions, namespaceOf(h.current), nameOf(h.current),
                           client::PatchType::kMerge, patch.dump());
    if (!p.ok()) {
      return p.status();
    }
    h.current = *p;
  }
  return h;
}

Status DaemonSetController::relabelPods(const json& d, const std::string& from,
                                        const std::string& to) {
  std::vector<std::string> names;
  const std::string uid = uidOf(d);
  pods_.forEach(namespaceOf(d), [&](const json& pod) {
    const json* ref = controllerOf(pod);
    if (ref != nullptr && ref->value("uid", "") == uid &&
        labelsOf(pod).value(ds::kRevisionHashLabel, "") == from) {
      names.push_back(nameOf(pod));
    }
  });
  const json patch = {{"metadata", {{"labels", {{ds::kRevisionHashLabel, to}}}}}};
  for (const std::string& name : names) {
    auto r = client_.patch(kPods, namespaceOf(d), name, client::PatchType::kMerge, patch.dump());
    if (!r.ok() && r.status().code() != Code::kNotFound) {
      return r.status();
    }
  }
  return Status::ok();
}

Result<json> DaemonSetController::snapshot(const json& d, int64_t revision) {
  const json* tmpl = at(d, {"spec", "template"});
  std::optional<int64_t> collisions;
  if (const json* c = at(d, {"status", "collisionCount"}); c && c->is_number_integer()) {
    collisions = c->get<int64_t>();
  }
  const std::string hash = deployment::computeHash(tmpl ? *tmpl : json::object(), collisions);
  json history = ds::newRevision(d, hash, revision);
  auto created = client_.create(kRevisions, namespaceOf(d), history);
  if (created.ok() || created.status().code() != Code::kAlreadyExists) {
    return created;
  }
  auto existing = client_.get(kRevisions, namespaceOf(d), nameOf(history));
  if (!existing.ok()) {
    return existing.status();
  }
  if (existing->value("data", json()) == history["data"]) {
    return existing;
  }
  // A different template hashed to the same name: count the collision so the next hash differs.
  auto fresh = client_.get(kDaemonSets, namespaceOf(d), nameOf(d));
  if (!fresh.ok()) {
    return fresh.status();
  }
  const json* freshCount = at(*fresh, {"status", "collisionCount"});
  const json* usedCount = at(d, {"status", "collisionCount"});
  if ((freshCount == nullptr) != (usedCount == nullptr) ||
      (freshCount != nullptr && *freshCount != *usedCount)) {
    return conflict("found a stale collision count of DaemonSet " + nameOf(d) + "; will retry");
  }
  (*fresh)["status"]["collisionCount"] = collisions.value_or(0) + 1;
  auto updated = client_.update(kDaemonSets, namespaceOf(d), *fresh, "status");
  if (!updated.ok()) {
    return updated.status();
  }
  return created.status();
}

Status DaemonSetController::cleanupHistory(const json& d, const std::vector<json>& old,
                                           const ds::NodePods& pods) {
  const int64_t keep = intAt(d, {"spec", "revisionHistoryLimit"}, 10);
  int64_t toKill = static_cast<int64_t>(old.size()) - keep;
  if (toKill <= 0) {
    return Status::ok();
  }
  std::set<std::string> liveHashes;
  for (const auto& [node, list] : pods) {
    for (const json& pod : list) {
      std::string h = labelsOf(pod).value(ds::kRevisionHashLabel, "");
      if (!h.empty()) {
        liveHashes.insert(h);
      }
    }
  }
  std::vector<const json*> sorted;
  for (const json& r : old) {
    sorted.push_back(&r);
  }
  std::sort(sorted.begin(), sorted.end(), [](const json* a, const json* b) {
    return a->value("revision", int64_t{0}) < b->value("revision", int64_t{0});
  });
  for (const json* r : sorted) {
    if (toKill <= 0) {
      break;
    }
    if (liveHashes.count(labelsOf(*r).value(ds::kRevisionHashLabel, ""))) {
      continue;
    }
    auto removed = client_.remove(kRevisions, namespaceOf(*r), nameOf(*r));
    if (!removed.ok() && removed.status().code() != Code::kNotFound) {
      return removed.status();
    }
    --toKill;
  }
  return Status::ok();
}

Status DaemonSetController::writeStatus(const json& d, const json& status) {
  json current = d;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (current.value("status", json::object()) == status) {
      return Status::ok();
    }
    json next = current;
    next["status"] = status;
    auto r = client_.update(kDaemonSets, namespaceOf(d), next, "status");
    if (r.ok() || r.status().code() != Code::kConflict) {
      return r.status();
    }
    auto fresh = client_.get(kDaemonSets, namespaceOf(d), nameOf(d));
    if (!fresh.ok()) {
      return fresh.status();
    }
    current = *fresh;
  }
  return conflict("daemonset status kept changing");
}

}  // namespace tug::controllers
