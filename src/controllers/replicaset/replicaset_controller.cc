#include "controllers/replicaset/replicaset_controller.h"

#include <mutex>

#include "common/log.h"
#include "controllers/replicaset/replicaset_logic.h"
#include "controllers/workload/batch.h"
#include "controllers/workload/controller_ref.h"
#include "controllers/workload/sync_worker.h"

namespace tug::controllers {
namespace {

constexpr const char* kLog = "replicaset-controller";
const client::Resource kPods{"", "v1", "pods", true};
const client::Resource kReplicaSets{"apps", "v1", "replicasets", true};

std::string keyOf(const json& obj) { return client::keyOf(namespaceOf(obj), nameOf(obj)); }

bool sameControllerRef(const json* a, const json* b) {
  if (a == nullptr || b == nullptr) {
    return a == b;
  }
  return *a == *b;
}

}  // namespace

ReplicaSetController::ReplicaSetController(client::Client& client, client::Informer& pods,
                                           client::Informer& replicaSets, Options options)
    : client_(client),
      pods_(pods),
      replicaSets_(replicaSets),
      options_(options),
      events_(client, client::EventSource{"replicaset-controller", ""}) {
  handlers_ += replicaSets_.addHandlers(
      client::EventHandlers{[this](const json& rs) { queue_.add(keyOf(rs)); },
                            [this](const json& old, const json& now) {
                              if (uidOf(old) != uidOf(now)) {
                                expectations_.forget(keyOf(old));
                              }
                              queue_.add(keyOf(now));
                            },
                            [this](const json& rs) {
                              expectations_.forget(keyOf(rs));
                              queue_.add(keyOf(rs));
                            }});
  handlers_ += pods_.addHandlers(
      client::EventHandlers{[this](const json& pod) { podAdded(pod); },
                            [this](const json& old, const json& now) { podUpdated(old, now); },
                            [this](const json& pod) { podDeleted(pod); }});
}

ReplicaSetController::~ReplicaSetController() { stop(); }

void ReplicaSetController::start() {
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] { work(); });
  }
}

void ReplicaSetController::stop() {
  queue_.shutDown();
  for (auto& w : workers_) {
    if (w.joinable()) {
      w.join();
    }
  }
  workers_.clear();
}

void ReplicaSetController::work() {
  runSyncWorker(queue_, kLog, "replicaset", [this](const std::string& key) { return sync(key); });
}

std::optional<json> ReplicaSetController::resolve(const std::string& ns, const json& ref) const {
  if (ref.value("kind", "") != "ReplicaSet") {
    return std::nullopt;
  }
  auto rs = replicaSets_.get(ns, ref.value("name", ""));
  if (!rs || uidOf(*rs) != ref.value("uid", "")) {
    return std::nullopt;
  }
  return rs;
}

void ReplicaSetController::enqueueMatching(const json& pod) {
  json labels = labelsOf(pod);
  for (const json& rs : replicaSets_.list(namespaceOf(pod))) {
    const json* selector = at(rs, {"spec", "selector"});
    if (selector != nullptr && !selectorIsEmpty(*selector) && selectorMatches(*selector, labels)) {
      queue_.add(keyOf(rs));
    }
  }
}

void ReplicaSetController::podAdded(const json& pod) {
  if (beingDeleted(pod)) {
    podDeleted(pod);
    return;
  }
  if (const json* ref = controllerOf(pod)) {
    if (auto rs = resolve(namespaceOf(pod), *ref)) {
      expectations_.creationObserved(keyOf(*rs));
      queue_.add(keyOf(*rs));
    }
    return;
  }
  enqueueMatching(pod);
}

void ReplicaSetController::podUpdated(const json& old, const json& now) {
  if (metaString(old, "resourceVersion") == metaString(now, "resourceVersion")) {
    return;
  }
  const bool labelsChanged = labelsOf(old) != labelsOf(now);
  if (beingDeleted(now)) {
    podDeleted(now);
    if (labelsChanged) {
      podDeleted(old);
    }
    return;
  }
  const json* nowRef = controllerOf(now);
  const json* oldRef = controllerOf(old);
  const bool refChanged = !sameControllerRef(nowRef, oldRef);
  if (refChanged && oldRef != nullptr) {
    if (auto rs = resolve(namespaceOf(old), *oldRef)) {
      queue_.add(keyOf(*rs));
    }
  }
  if (nowRef != nullptr) {
    if (auto rs = resolve(namespaceOf(now), *nowRef)) {
      queue_.add(keyOf(*rs));
      int64_t minReady = intAt(*rs, {"spec", "minReadySeconds"}, 0);
      if (!podIsReady(old) && podIsReady(now) && minReady > 0) {
        queue_.addAfter(keyOf(*rs), std::chrono::seconds(minReady + 1));
      }
    }
    return;
  }
  if (labelsChanged || refChanged) {
    enqueueMatching(now);
  }
}

void ReplicaSetController::podDeleted(const json& pod) {
  const json* ref = controllerOf(pod);
  if (ref == nullptr) {
    return;
  }
  if (auto rs = resolve(namespaceOf(pod), *ref)) {
    expectations_.deletionObserved(keyOf(*rs), keyOf(pod));
    queue_.add(keyOf(*rs));
  }
}

Status ReplicaSetController::sync(const std::string& key) {
  auto [ns, name] = client::splitKey(key);
  auto rs = replicaSets_.get(ns, name);
  if (!rs) {
    expectations_.forget(key);
    return Status::ok();
  }
  const bool needsSync = expectations_.satisfied(key);
  const json selector = rs->value("spec", json::object()).value("selector", json::object());

  // Only the pods a claim can act on are copied out of the cache: those this ReplicaSet
  // controls, and orphans its selector matches.
  std::vector<json> active;
  const std::string uid = uidOf(*rs);
  pods_.forEach(ns, [&](const json& pod) {
    if (!podIsActive(pod)) {
      return;
    }
    const json* ref = controllerOf(pod);
    if (ref != nullptr ? ref->value("uid", "") == uid : selectorMatches(selector, labelsOf(pod))) {
      active.push_back(pod);
    }
  });
  ClaimTarget target{client_,
                     kPods,
                     *rs,
                     selector,
                     newControllerRef(*rs, "apps/v1", "ReplicaSet"),
                     [this, &rs, &ns, &name]() -> Result<bool> {
                       auto fresh = client_.get(kReplicaSets, ns, name);
                       if (!fresh.ok()) {
                         return fresh.status().code() == Code::kNotFound ? Result<bool>(false)
                                                                         : fresh.status();
                       }
                       return uidOf(*fresh) == uidOf(*rs) && !beingDeleted(*fresh);
                     }};
  auto owned = claim(target, active);
  if (!owned.ok()) {
    return owned.status();
  }

  std::optional<replicaset::ManageError> manageError;
  Status manageStatus;
  if (needsSync && !beingDeleted(*rs)) {
    manageStatus = manage(*rs, *owned, key);
    if (!manageStatus.isOk()) {
      bool creating = static_cast<int64_t>(owned->size()) < replicaset::specReplicas(*rs);
      manageError = replicaset::ManageError{creating, manageStatus.message()};
    }
  }
  const auto now = std::chrono::system_clock::now();
  json status = replicaset::calculateStatus(*rs, *owned, manageError, now);
  auto updated = writeStatus(*rs, status);
  if (!updated.ok()) {
    return updated.status();
  }
  const int64_t minReady = intAt(*updated, {"spec", "minReadySeconds"}, 0);
  const int64_t replicas = replicaset::specReplicas(*updated);
  if (manageStatus.isOk() && minReady > 0 &&
      intAt(*updated, {"status", "readyReplicas"}) == replicas &&
      intAt(*updated, {"status", "availableReplicas"}) != replicas) {
    queue_.addAfter(key, std::chrono::seconds(minReady));
  }
  return manageStatus;
}

Result<json> ReplicaSetController::writeStatus(const json& rs, const json& status) {
  json current = rs;
  for (int attempt = 0; attempt < 2; ++attempt) {
    if (current.value("status", json::object()) == status) {
      return current;
    }
    json next = current;
    next["status"] = status;
    auto r = client_.update(kReplicaSets, namespaceOf(rs), next, "status");
    if (r.ok() || r.status().code() != Code::kConflict) {
      return r;
    }
    auto fresh = client_.get(kReplicaSets, namespaceOf(rs), nameOf(rs));
    if (!fresh.ok()) {
      return fresh.status();
    }
    current = *fresh;
  }
  return conflict("replicaset status kept changing");
}

std::vector<json> ReplicaSetController::relatedPods(const json& rs) const {
  const json* owner = controllerOf(rs);
  std::vector<json> siblings;
  if (owner == nullptr) {
    siblings.push_back(rs);
  } else {
    for (json& other : replicaSets_.list(namespaceOf(rs))) {
      const json* ref = controllerOf(other);
      if (ref != nullptr && ref->value("uid", "") == owner->value("uid", "")) {
        siblings.push_back(std::move(other));
      }
    }
  }
  std::vector<json> related;
  std::set<std::string> seen;
  std::vector<json> pods = pods_.list(namespaceOf(rs));
  for (const json& sibling : siblings) {
    const json* selector = at(sibling, {"spec", "selector"});
    if (selector == nullptr) {
      continue;
    }
    for (const json& pod : pods) {
      if (selectorMatches(*selector, labelsOf(pod)) && seen.insert(uidOf(pod)).second) {
        related.push_back(pod);
      }
    }
  }
  return related;
}

Status ReplicaSetController::manage(const json& rs, const std::vector<json>& pods,
                                    const std::string& key) {
  const int64_t diff = static_cast<int64_t>(pods.size()) - replicaset::specReplicas(rs);
  if (diff < 0) {
    const int count = static_cast<int>(std::min<int64_t>(-diff, replicaset::kBurstReplicas));
    auto pod = replicaset::podFromTemplate(rs);
    if (!pod.ok()) {
      return pod.status();
    }
    expectations_.expectCreations(key, count);
    BatchResult result =
        slowStartBatch(count, 1, options_.createParallelism, [&]() -> Status {
          auto created = client_.create(kPods, namespaceOf(rs), *pod);
          if (created.ok()) {
            events_.record(client::objectReference(rs, "ReplicaSet", "apps/v1"), "Normal",
                           "SuccessfulCreate", "Created pod: " + nameOf(*created));
            return Status::ok();
          }
          if (created.status().message().find("because it is being terminated") !=
              std::string::npos) {
            return Status::ok();  // the namespace is going; nothing to create
          }
          events_.record(client::objectReference(rs, "ReplicaSet", "apps/v1"), "Warning",
                         "FailedCreate", "Error creating: " + created.status().message());
          return created.status();
        });
    for (int skipped = count - result.successes; skipped > 0; --skipped) {
      expectations_.creationObserved(key);
    }
    if (result.successes > 0) {
      TUG_LOG(kDebug, kLog) << "replicaset " << key << ": created " << result.successes
                            << " pods";
    }
    return result.firstError;
  }
  if (diff > 0) {
    const int count = static_cast<int>(std::min<int64_t>(diff, replicaset::kBurstReplicas));
    std::vector<json> doomed = replicaset::podsToDelete(pods, relatedPods(rs), count,
                                                        std::chrono::system_clock::now());
    std::vector<std::string> keys;
    for (const json& p : doomed) {
      keys.push_back(keyOf(p));
    }
    expectations_.expectDeletions(key, keys);
    return parallelFor(static_cast<int>(doomed.size()), options_.createParallelism,
                       [&](int i) -> Status {
                         auto r = client_.remove(kPods, namespaceOf(doomed[i]), nameOf(doomed[i]));
                         if (r.ok()) {
                           events_.record(client::objectReference(rs, "ReplicaSet", "apps/v1"),
                                          "Normal", "SuccessfulDelete",
                                          "Deleted pod: " + nameOf(doomed[i]));
                           return Status::ok();
                         }
                         expectations_.deletionObserved(key, keys[i]);
                         if (r.status().code() == Code::kNotFound) {
                           return Status::ok();
                         }
                         events_.record(client::objectReference(rs, "ReplicaSet", "apps/v1"),
                                        "Warning", "FailedDelete",
                                        "Error deleting: " + r.status().message());
                         return r.status();
                       });
  }
  return Status::ok();
}

}  // namespace tug::controllers
