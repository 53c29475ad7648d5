#include "controllers/statefulset/statefulset_controller.h"

#include <atomic>
#include <cctype>

#include "common/log.h"
#include "controllers/statefulset/claim_retention.h"
#include "controllers/statefulset/revisions.h"
#include "controllers/statefulset/stateful_pods.h"
#include "controllers/workload/batch.h"
#include "controllers/workload/controller_ref.h"
#include "controllers/workload/sync_worker.h"

namespace tug::controllers {
namespace {

using namespace statefulset;

constexpr const char* kLog = "statefulset-controller";
constexpr int kMaxCollisions = 100;
constexpr int kStatusRetries = 10;
const client::Resource kPods{"", "v1", "pods", true};
const client::Resource kClaims{"", "v1", "persistentvolumeclaims", true};
const client::Resource kStatefulSets{"apps", "v1", "statefulsets", true};
const client::Resource kRevisions{"apps", "v1", "controllerrevisions", true};

std::string keyOf(const json& obj) { return client::keyOf(namespaceOf(obj), nameOf(obj)); }

json selectorOf(const json& set) {
  const json* s = at(set, {"spec", "selector"});
  return s != nullptr && s->is_object() ? *s : json::object();
}

json setReference(const json& set) {
  return client::objectReference(set, "StatefulSet", "apps/v1");
}

std::string capitalized(std::string verb) {
  if (!verb.empty()) {
    verb[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(verb[0])));
  }
  return verb;
}

bool sameControllerRef(const json* a, const json* b) {
  if (a == nullptr || b == nullptr) {
    return a == b;
  }
  return *a == *b;
}

}  // namespace

StatefulSetController::StatefulSetController(client::Client& client, client::Informer& pods,
                                             client::Informer& statefulSets,
                                             client::Informer& revisions, client::Informer& claims,
                                             Options options)
    : client_(client),
      pods_(pods),
      statefulSets_(statefulSets),
      revisions_(revisions),
      claims_(claims),
      options_(options),
      events_(client, client::EventSource{"statefulset-controller", ""}) {
  handlers_ += statefulSets_.addHandlers(
      client::EventHandlers{[this](const json& set) { queue_.add(keyOf(set)); },
                            [this](const json&, const json& now) { queue_.add(keyOf(now)); },
                            [this](const json& set) { queue_.add(keyOf(set)); }});
  handlers_ += pods_.addHandlers(
      client::EventHandlers{[this](const json& pod) { podAdded(pod); },
                            [this](const json& old, const json& now) { podUpdated(old, now); },
                            [this](const json& pod) { podDeleted(pod); }});
  // A pod waiting for the garbage collector to remove a claim of an earlier pod goes on once
  // the claim is gone. (Claims carry their set's matchLabels.)
  handlers_ += claims_.addHandlers(client::EventHandlers{
      nullptr, nullptr, [this](const json& claim) { enqueueMatching(claim); }});
}

StatefulSetController::~StatefulSetController() { stop(); }

void StatefulSetController::start() {
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] {
      runSyncWorker(queue_, kLog, "statefulset",
                    [this](const std::string& key) { return sync(key); });
    });
  }
}

void StatefulSetController::stop() {
  queue_.shutDown();
  for (auto& w : workers_) {
    if (w.joinable()) {
      w.join();
    }
  }
  workers_.clear();
}

std::optional<json> StatefulSetController::resolve(const std::string& ns, const json& ref) const {
  if (ref.value("kind", "") != "StatefulSet") {
    return std::nullopt;
  }
  auto set = statefulSets_.get(ns, ref.value("name", ""));
  if (!set || uidOf(*set) != ref.value("uid", "")) {
    return std::nullopt;
  }
  return set;
}

void StatefulSetController::enqueueMatching(const json& obj) {
  json labels = labelsOf(obj);
  for (const json& set : statefulSets_.list(namespaceOf(obj))) {
    json selector = selectorOf(set);
    if (!selectorIsEmpty(selector) && selectorMatches(selector, labels)) {
      queue_.add(keyOf(set));
    }
  }
}

void StatefulSetController::podAdded(const json& pod) {
  if (beingDeleted(pod)) {
    podDeleted(pod);
    return;
  }
  if (const json* ref = controllerOf(pod)) {
    if (auto set = resolve(namespaceOf(pod), *ref)) {
      queue_.add(keyOf(*set));
    }
    return;
  }
  enqueueMatching(pod);
}

void StatefulSetController::podUpdated(const json& old, const json& now) {
  if (metaString(old, "resourceVersion") == metaString(now, "resourceVersion")) {
    return;
  }
  const bool labelsChanged = labelsOf(old) != labelsOf(now);
  const json* nowRef = controllerOf(now);
  const json* oldRef = controllerOf(old);
  const bool refChanged = !sameControllerRef(nowRef, oldRef);
  if (refChanged && oldRef != nullptr) {
    if (auto set = resolve(namespaceOf(old), *oldRef)) {
      queue_.add(keyOf(*set));
    }
  }
  if (nowRef != nullptr) {
    if (auto set = resolve(namespaceOf(now), *nowRef)) {
      queue_.add(keyOf(*set));
      const int64_t minReady = minReadySeconds(*set);
      if (!podIsReady(old) && podIsReady(now) && minReady > 0) {
        queue_.addAfter(keyOf(*set), std::chrono::seconds(minReady + 1));
      }
    }
    return;
  }
  if (labelsChanged || refChanged) {
    enqueueMatching(now);
  }
}

void StatefulSetController::podDeleted(const json& pod) {
  if (const json* ref = controllerOf(pod)) {
    if (auto set = resolve(namespaceOf(pod), *ref)) {
      queue_.add(keyOf(*set));
    }
  }
}

Status StatefulSetController::sync(const std::string& key) {
  auto [ns, name] = client::splitKey(key);
  auto set = statefulSets_.get(ns, name);
  if (!set) {
    return Status::ok();
  }
  auto revisions = claimRevisions(*set);
  if (!revisions.ok()) {
    return revisions.status();
  }
  auto pods = claimPods(*set);
  if (!pods.ok()) {
    return pods.status();
  }
  auto revs = revisionsOf(*set, std::move(*revisions));
  if (!revs.ok()) {
    return revs.status();
  }
  SyncPlan plan =
      planSync(*set, revs->current, revs->update, revs->collisionCount, *pods,
               std::chrono::system_clock::now(),
               [this, &ns = ns](const std::string& claim) { return claims_.get(ns, claim); });
  Status ran = run(*set, plan);
  Status written = writeStatus(*set, plan.status);
  Status truncated = truncateHistory(*set, *revs, *pods);
  const int64_t minReady = minReadySeconds(*set);
  if (minReady > 0 && intAt(plan.status, {"availableReplicas"}) != specReplicas(*set)) {
    queue_.addAfter(key, std::chrono::seconds(minReady));
  }
  for (const Status& s : {ran, written, truncated}) {
    if (!s.isOk()) {
      return s;
    }
  }
  return Status::ok();
}

Result<bool> StatefulSetController::canAdopt(const json& set) {
  auto fresh = client_.get(kStatefulSets, namespaceOf(set), nameOf(set));
  if (!fresh.ok()) {
    return fresh.status().code() == Code::kNotFound ? Result<bool>(false) : fresh.status();
  }
  return uidOf(*fresh) == uidOf(set) && !beingDeleted(*fresh);
}

Result<std::vector<json>> StatefulSetController::claimPods(const json& set) {
  const std::string uid = uidOf(set);
  const json selector = selectorOf(set);
  std::vector<json> candidates, strays;
  pods_.forEach(namespaceOf(set), [&](const json& pod) {
    const json* ref = controllerOf(pod);
    if (ref != nullptr && ref->value("uid", "") == uid) {
      (isMemberOf(set, pod) ? candidates : strays).push_back(pod);
    } else if (ref == nullptr && isMemberOf(set, pod) && selectorMatches(selector, labelsOf(pod))) {
      candidates.push_back(pod);
    }
  });
  // Pods the set owns but whose names are not its own are released, as a selector mismatch is.
  if (!beingDeleted(set)) {
    for (const json& pod : strays) {
      auto r = client_.patch(kPods, namespaceOf(pod), nameOf(pod),
                             client::PatchType::kStrategicMerge, releasePatch(pod, uid));
      if (!r.ok() && r.status().code() != Code::kNotFound && r.status().code() != Code::kInvalid) {
        return r.status();
      }
    }
  }
  ClaimTarget target{client_,
                     kPods,
                     set,
                     selector,
                     newControllerRef(set, "apps/v1", "StatefulSet"),
                     [this, &set]() { return canAdopt(set); }};
  return claim(target, candidates);
}

Result<std::vector<json>> StatefulSetController::claimRevisions(const json& set) {
  const std::string uid = uidOf(set);
  const json selector = selectorOf(set);
  std::vector<json> owned;
  std::optional<bool> adoptable;
  for (json& revision : revisions_.list(namespaceOf(set))) {
    if (!selectorMatches(selector, labelsOf(revision))) {
      continue;
    }
    const json* ref = controllerOf(revision);
    if (ref != nullptr) {
      if (ref->value("uid", "") == uid) {
        owned.push_back(std::move(revision));
      }
      continue;
    }
    if (beingDeleted(set)) {
      continue;
    }
    if (!adoptable) {
      auto can = canAdopt(set);
      if (!can.ok()) {
        return can.status();
      }
      adoptable = *can;
    }
    if (!*adoptable) {
      continue;
    }
    auto adopted = client_.patch(
        kRevisions, namespaceOf(revision), nameOf(revision), client::PatchType::kStrategicMerge,
        adoptPatch(revision, newControllerRef(set, "apps/v1", "StatefulSet")));
    if (adopted.ok()) {
      owned.push_back(std::move(*adopted));
    } else if (adopted.status().code() != Code::kNotFound) {
      return adopted.status();
    }
  }
  return owned;
}

Result<StatefulSetController::Revisions> StatefulSetController::revisionsOf(
    const json& set, std::vector<json> revisions) {
  sortRevisions(revisions);
  Revisions out;
  out.collisionCount = intAt(set, {"status", "collisionCount"}, 0);
  json candidate = newRevision(set, nextRevisionNumber(revisions), out.collisionCount);
  const json* lastEqual = nullptr;
  for (const json& r : revisions) {
    if (equalRevision(r, candidate)) {
      lastEqual = &r;
    }
  }
  if (lastEqual != nullptr && lastEqual == &revisions.back()) {
    out.update = revisions.back();  // the template has not changed
  } else if (lastEqual != nullptr) {
    // Back to an earlier template: that revision becomes the newest again.
    json bumped = *lastEqual;
    for (int attempt = 0;; ++attempt) {
      bumped["revision"] = revisionNumber(candidate);
      auto r = client_.update(kRevisions, namespaceOf(set), bumped);
      if (r.ok()) {
        out.update = *r;
        break;
      }
      if (r.status().code() != Code::kConflict || attempt >= kStatusRetries) {
        return r.status();
      }
      auto fresh = client_.get(kRevisions, namespaceOf(set), nameOf(bumped));
      if (!fresh.ok()) {
        return fresh.status();
      }
      bumped = *fresh;
      if (revisionNumber(bumped) == revisionNumber(candidate)) {
        out.update = bumped;  // renumbered already (a sync on an older cache)
        break;
      }
    }
  } else {
    auto created = createRevision(set, std::move(candidate), out.collisionCount);
    if (!created.ok()) {
      return created.status();
    }
    out.update = *created;
  }
  const std::string currentName = at(set, {"status", "currentRevision"}) != nullptr
                                      ? set["status"].value("currentRevision", "")
                                      : "";
  out.current = out.update;
  for (const json& r : revisions) {
    if (!currentName.empty() && nameOf(r) == currentName) {
      out.current = r;
      break;
    }
  }
  out.all = std::move(revisions);
  return out;
}

Result<json> StatefulSetController::createRevision(const json& set, json revision,
                                                   int64_t& collisionCount) {
  for (int attempt = 0; attempt < kMaxCollisions; ++attempt) {
    revision["metadata"]["name"] =
        revisionName(nameOf(set), revisionHash(revision["data"], collisionCount));
    auto created = client_.create(kRevisions, namespaceOf(set), revision);
    if (created.ok() || created.status().code() != Code::kAlreadyExists) {
      return created;
    }
    auto existing = client_.get(kRevisions, namespaceOf(set), nameOf(revision));
    if (!existing.ok()) {
      return existing.status();
    }
    if (equalRevision(*existing, revision)) {
      return existing;
    }
    ++collisionCount;  // another template took the name: hash again with the next count
  }
  return internalError("statefulset " + keyOf(set) + ": no free ControllerRevision name");
}

Status StatefulSetController::truncateHistory(const json& set, const Revisions& revisions,
                                              const std::vector<json>& pods) {
  for (const std::string& name : revisionsToTruncate(
           set, revisions.all, pods, nameOf(revisions.current), nameOf(revisions.update))) {
    auto r = client_.remove(kRevisions, namespaceOf(set), name);
    if (!r.ok() && r.status().code() != Code::kNotFound) {
      return r.status();
    }
  }
  return Status::ok();
}

Status StatefulSetController::run(const json& set, const SyncPlan& plan) {
  for (const std::vector<PodAction>& phase : plan.phases) {
    if (plan.ordered) {
      for (const PodAction& action : phase) {
        if (Status s = perform(set, action); !s.isOk()) {
          return s;
        }
      }
      continue;
    }
    std::atomic<size_t> next{0};
    BatchResult result = slowStartBatch(static_cast<int>(phase.size()), 1, options_.parallelism,
                                        [&]() { return perform(set, phase[next++]); });
    if (!result.firstError.isOk()) {
      return result.firstError;
    }
  }
  return Status::ok();
}

Status StatefulSetController::perform(const json& set, const PodAction& action) {
  switch (action.step) {
    case PodStep::kCreate:
      return createPod(set, action.pod);
    case PodStep::kCreateClaims:
      return createClaims(set, action.pod);
    case PodStep::kUpdate:
      return updatePod(set, action.pod);
    case PodStep::kFixClaims:
      return fixClaims(set, action.pod);
    case PodStep::kDelete:
      TUG_LOG(kDebug, kLog) << "statefulset " << keyOf(set) << ": deleting " << nameOf(action.pod)
                            << " (" << action.why << ")";
      return deletePod(set, action.pod);
  }
  return Status::ok();
}

Status StatefulSetController::createClaims(const json& set, const json& pod) {
  Status first;
  for (const json& claim : claimsFor(set, ordinalOf(pod))) {
    const std::string name = nameOf(claim);
    auto existing = client_.get(kClaims, namespaceOf(set), name);
    Status s;
    if (existing.ok()) {
      if (beingDeleted(*existing)) {
        s = unavailable("pvc " + name + " is being deleted");
      }
    } else if (existing.status().code() != Code::kNotFound) {
      s = existing.status();
    } else {
      auto created = client_.create(kClaims, namespaceOf(set), claim);
      if (created.ok()) {
        events_.record(setReference(set), "Normal", "SuccessfulCreate",
                       "create Claim " + name + " Pod " + nameOf(pod) + " in StatefulSet " +
                           nameOf(set) + " success");
      } else if (created.status().code() != Code::kAlreadyExists) {
        s = created.status();
      }
    }
    if (!s.isOk()) {
      events_.record(setReference(set), "Warning", "FailedCreate",
                     "create Claim " + name + " for Pod " + nameOf(pod) + " in StatefulSet " +
                         nameOf(set) + " failed error: " + s.message());
      if (first.isOk()) {
        first = s;
      }
    }
  }
  return first;
}

Status StatefulSetController::createPod(const json& set, const json& pod) {
  if (Status s = createClaims(set, pod); !s.isOk()) {
    podEvent(set, "create", pod, s);
    return s;
  }
  auto created = client_.create(kPods, namespaceOf(set), pod);
  if (!created.ok() && created.status().code() == Code::kAlreadyExists) {
    return created.status();  // the cache is behind; the next sync sees the pod
  }
  Status s = created.ok() ? Status::ok() : created.status();
  if (s.isOk()) {
    // Owner references as the retention policy asks, now that the pod has its uid.
    if (Status fixed = fixClaims(set, *created); !fixed.isOk()) {
      podEvent(set, "update", pod, fixed);
      return fixed;
    }
  }
  podEvent(set, "create", pod, s);
  return s;
}

Status StatefulSetController::updatePod(const json& set, const json& pod) {
  if (Status s = createClaims(set, pod); !s.isOk()) {
    podEvent(set, "update", pod, s);
    return s;
  }
  auto updated = client_.update(kPods, namespaceOf(set), pod);
  Status s = updated.ok() ? fixClaims(set, *updated) : updated.status();
  if (s.code() != Code::kConflict) {
    podEvent(set, "update", pod, s);
  }
  return s;
}

Status StatefulSetController::deletePod(const json& set, const json& pod) {
  auto r = client_.remove(kPods, namespaceOf(set), nameOf(pod));
  if (!r.ok() && r.status().code() == Code::kNotFound) {
    return Status::ok();
  }
  Status s = r.ok() ? Status::ok() : r.status();
  podEvent(set, "delete", pod, s);
  return s;
}

Status StatefulSetController::fixClaims(const json& set, const json& pod) {
  for (const json& wanted : claimsFor(set, ordinalOf(pod))) {
    auto claim = client_.get(kClaims, namespaceOf(set), nameOf(wanted));
    if (!claim.ok()) {
      if (claim.status().code() == Code::kNotFound) {
        continue;  // created later, with its owners then
      }
      return claim.status();
    }
    if (claimOwnersUpToDate(*claim, set, pod)) {
      continue;
    }
    auto updated = client_.update(kClaims, namespaceOf(set), withPolicyOwners(*claim, set, pod));
    if (!updated.ok()) {
      return Status(updated.status().code(),
                    "could not update claim " + nameOf(wanted) +
                        " for delete policy ownerRefs: " + updated.status().message());
    }
  }
  return Status::ok();
}

void StatefulSetController::podEvent(const json& set, const std::string& verb, const json& pod,
                                     const Status& s) {
  if (s.isOk()) {
    events_.record(setReference(set), "Normal", "Successful" + capitalized(verb),
                   verb + " Pod " + nameOf(pod) + " in StatefulSet " + nameOf(set) + " successful");
  } else {
    events_.record(setReference(set), "Warning", "Failed" + capitalized(verb),
                   verb + " Pod " + nameOf(pod) + " in StatefulSet " + nameOf(set) +
                       " failed error: " + s.message());
  }
}

Status StatefulSetController::writeStatus(const json& set, json status) {
  json current = set;
  for (int attempt = 0; attempt < kStatusRetries; ++attempt) {
    json old = current.value("status", json::object());
    if (old.is_object() && old.contains("conditions")) {
      status["conditions"] = old["conditions"];
    }
    if (old == status) {
      return Status::ok();
    }
    json next = current;
    next["status"] = status;
    auto r = client_.update(kStatefulSets, namespaceOf(set), next, "status");
    if (r.ok() || r.status().code() != Code::kConflict) {
      return r.ok() ? Status::ok() : r.status();
    }
    auto fresh = client_.get(kStatefulSets, namespaceOf(set), nameOf(set));
    if (!fresh.ok()) {
      return fresh.status().code() == Code::kNotFound ? Status::ok() : fresh.status();
    }
    if (uidOf(*fresh) != uidOf(set)) {
      return Status::ok();
    }
    current = *fresh;
  }
  return conflict("statefulset " + keyOf(set) + ": status kept changing");
}

}  // namespace tug::controllers
