#include "controllers/deployment/rollout.h"

#include <set>

#include "common/log.h"
#include "controllers/deployment/deployment_util.h"
#include "controllers/workload/controller_ref.h"

namespace tug::controllers {
namespace {

constexpr const char* kLog = "deployment-controller";
const client::Resource kReplicaSets{"apps", "v1", "replicasets", true};
const client::Resource kDeployments{"apps", "v1", "deployments", true};

namespace du = deployment;

std::vector<const json*> constPtrs(const std::vector<json*>& v) {
  return std::vector<const json*>(v.begin(), v.end());
}

}  // namespace

Status Rollout::run() {
  const json selector = d_["spec"].value("selector", json::object());
  if (selectorIsEmpty(selector)) {
    // Upstream refuses to act on a selector that selects everything.
    if (intAt(d_, {"status", "observedGeneration"}) < intAt(d_, {"metadata", "generation"})) {
      json status = d_.value("status", json::object());
      status["observedGeneration"] = intAt(d_, {"metadata", "generation"});
      return updateStatus(status);
    }
    return Status::ok();
  }
  if (Status s = claimReplicaSets(); !s.isOk()) {
    return s;
  }
  if (beingDeleted(d_)) {
    auto sets = newAndOld(false);
    return sets.ok() ? syncStatus(*sets) : sets.status();
  }
  if (Status s = checkPausedConditions(); !s.isOk()) {
    return s;
  }
  if (at(d_, {"spec", "paused"}) != nullptr && d_["spec"].value("paused", false)) {
    return syncScale();
  }
  auto scaling = isScalingEvent();
  if (!scaling.ok()) {
    return scaling.status();
  }
  if (*scaling) {
    return syncScale();
  }
  return du::isRollingUpdate(d_) ? rolloutRolling() : rolloutRecreate();
}

Status Rollout::claimReplicaSets() {
  const json selector = d_["spec"].value("selector", json::object());
  const std::string name = nameOf(d_), uid = uidOf(d_);
  ClaimTarget target{c_.client_, kReplicaSets, d_, selector,
                     newControllerRef(d_, "apps/v1", "Deployment"),
                     [this, name, uid]() -> Result<bool> {
                       auto fresh = c_.client_.get(kDeployments, ns_, name);
                       if (!fresh.ok()) {
                         return fresh.status().code() == Code::kNotFound ? Result<bool>(false)
                                                                         : fresh.status();
                       }
                       return uidOf(*fresh) == uid && !beingDeleted(*fresh);
                     }};
  auto owned = claim(target, c_.replicaSets_.list(ns_));
  if (!owned.ok()) {
    return owned.status();
  }
  for (json& rs : *owned) {
    rss_.push_back(std::move(rs));
  }
  return Status::ok();
}

bool Rollout::setDeploymentRevision(const std::string& revision) {
  json& annotations = d_["metadata"]["annotations"];
  if (annotations.is_object() && annotations.value(du::kRevision, std::string()) == revision) {
    return false;
  }
  if (!annotations.is_object()) {
    annotations = json::object();
  }
  annotations[du::kRevision] = revision;
  return true;
}

// The revision annotation lives in metadata, the rest in status: a merge patch writes the
// first (only when it changed), a status update the second.
Status Rollout::writeDeployment(bool revisionChanged) {
  if (revisionChanged) {
    json patch = {{"metadata",
                   {{"annotations",
                     {{du::kRevision, d_["metadata"]["annotations"][du::kRevision]}}}}}};
    auto r = c_.client_.patch(kDeployments, ns_, nameOf(d_), client::PatchType::kMerge,
                              patch.dump());
    if (!r.ok()) {
      return r.status();
    }
    d_["metadata"] = (*r)["metadata"];
  }
  return updateStatus(d_.value("status", json::object()));
}

Status Rollout::updateStatus(json status) {
  json next = d_;
  next["status"] = std::move(status);
  auto r = c_.client_.update(kDeployments, ns_, next, "status");
  if (!r.ok()) {
    return r.status();
  }
  d_ = std::move(*r);
  return Status::ok();
}

Result<Rollout::Sets> Rollout::newAndOld(bool create) {
  std::vector<const json*> all;
  for (const json& rs : rss_) {
    all.push_back(&rs);
  }
  const json* existing = du::findNewReplicaSet(d_, all);
  Sets sets;
  for (json& rs : rss_) {
    if (&rs != existing) {
      sets.olds.push_back(&rs);
    }
  }
  const std::string newRevision = std::to_string(du::maxRevision(constPtrs(sets.olds)) + 1);
  if (existing != nullptr) {
    auto r = existingNew(const_cast<json*>(existing), newRevision);
    if (!r.ok()) {
      return r.status();
    }
    sets.newRS = *r;
  } else if (create) {
    auto r = createNew(sets.olds, newRevision);
    if (!r.ok()) {
      return r.status();
    }
    sets.newRS = *r;
  }
  return sets;
}

Result<json*> Rollout::existingNew(json* rs, const std::string& newRevision) {
  json copy = *rs;
  const bool annotationsChanged = du::setNewReplicaSetAnnotations(d_, copy, newRevision, true);
  const int64_t minReady = intAt(d_, {"spec", "minReadySeconds"}, 0);
  if (annotationsChanged || intAt(copy, {"spec", "minReadySeconds"}, 0) != minReady) {
    copy["spec"]["minReadySeconds"] = minReady;
    auto r = c_.client_.update(kReplicaSets, ns_, copy);
    if (!r.ok()) {
      return r.status();
    }
    *rs = std::move(*r);
    return rs;
  }
  const bool revisionChanged =
      setDeploymentRevision(copy["metadata"]["annotations"].value(du::kRevision, std::string()));
  bool needsUpdate = revisionChanged;
  json status = d_.value("status", json::object());
  if (du::hasProgressDeadline(d_) && du::getCondition(status, "Progressing") == nullptr) {
    du::setCondition(status, du::newCondition("Progressing", "True", "FoundNewReplicaSet",
                                              "Found new replica set \"" + nameOf(copy) + "\"",
                                              std::chrono::system_clock::now()));
    d_["status"] = status;
    needsUpdate = true;
  }
  if (needsUpdate) {
    if (Status s = writeDeployment(revisionChanged); !s.isOk()) {
      return s;
    }
  }
  return rs;
}

Result<json*> Rollout::createNew(const std::vector<json*>& olds, const std::string& newRevision) {
  json tmpl = d_["spec"]["template"];
  std::optional<int64_t> collisions;
  if (const json* cc = at(d_, {"status", "collisionCount"}); cc != nullptr && cc->is_number()) {
    collisions = cc->get<int64_t>();
  }
  const std::string hash = du::computeHash(tmpl, collisions);
  tmpl["metadata"]["labels"][du::kHashLabel] = hash;
  json selector = d_["spec"]["selector"];
  selector["matchLabels"][du::kHashLabel] = hash;
  const std::string name = nameOf(d_) + "-" + hash;
  json rs = {{"apiVersion", "apps/v1"},
             {"kind", "ReplicaSet"},
             {"metadata",
              {{"name", name},
               {"namespace", ns_},
               {"ownerReferences", json::array({newControllerRef(d_, "apps/v1", "Deployment")})},
               {"labels", tmpl["metadata"]["labels"]}}},
             {"spec",
              {{"replicas", 0},
               {"minReadySeconds", intAt(d_, {"spec", "minReadySeconds"}, 0)},
               {"selector", selector},
               {"template", tmpl}}}};
  std::vector<const json*> all = constPtrs(olds);
  all.push_back(&rs);
  rs["spec"]["replicas"] = du::newRSNewReplicas(d_, all, rs);
  du::setNewReplicaSetAnnotations(d_, rs, newRevision, false);

  const auto now = std::chrono::system_clock::now();
  bool alreadyExisted = false;
  auto created = c_.client_.create(kReplicaSets, ns_, rs);
  if (!created.ok() && created.status().code() == Code::kAlreadyExists) {
    auto found = c_.client_.get(kReplicaSets, ns_, name);
    if (!found.ok()) {
      return found.status();
    }
    const json* ref = controllerOf(*found);
    if (ref != nullptr && ref->value("uid", "") == uidOf(d_) &&
        du::equalIgnoreHash(d_["spec"]["template"], (*found)["spec"]["template"])) {
      created = std::move(found);
      alreadyExisted = true;
    } else {
      // A hash collision: count it, so that the next hash differs.
      json status = d_.value("status", json::object());
      status["collisionCount"] = collisions.value_or(0) + 1;
      Status s = updateStatus(status);
      TUG_LOG(kInfo, kLog) << "deployment " << key_ << ": hash collision on " << name;
      return s.isOk() ? Status(Code::kConflict, "hash collision on replica set " + name) : s;
    }
  } else if (!created.ok()) {
    if (du::hasProgressDeadline(d_)) {
      json status = d_.value("status", json::object());
      du::setCondition(status, du::newCondition("Progressing", "False", "ReplicaSetCreateError",
                                                "Failed to create new replica set \"" + name +
                                                    "\": " + created.status().message(),
                                                now));
      (void)updateStatus(status);
    }
    return created.status();
  }
  if (!alreadyExisted) {
    TUG_LOG(kDebug, kLog) << "deployment " << key_ << ": created replica set " << name;
    if (int64_t size = du::replicasOf(*created); size > 0) {
      c_.events_.record(client::objectReference(d_, "Deployment", "apps/v1"), "Normal",
                        "ScalingReplicaSet",
                        "Scaled up replica set " + name + " from 0 to " + std::to_string(size));
    }
  }
  rss_.push_back(std::move(*created));
  json* newRS = &rss_.back();
  const bool revisionChanged = setDeploymentRevision(newRevision);
  bool needsUpdate = revisionChanged;
  if (!alreadyExisted && du::hasProgressDeadline(d_)) {
    json status = d_.value("status", json::object());
    du::setCondition(status, du::newCondition("Progressing", "True", "NewReplicaSetCreated",
                                              "Created new replica set \"" + name + "\"", now));
    d_["status"] = status;
    needsUpdate = true;
  }
  if (needsUpdate) {
    if (Status s = writeDeployment(revisionChanged); !s.isOk()) {
      return s;
    }
  }
  return newRS;
}

// Sets rs to `size` replicas (and its desired/max annotations). With onlyWhenSizeDiffers
// (upstream's scaleReplicaSetAndRecordEvent) nothing is written when the size is already
// right. Returns whether the size changed.
Result<bool> Rollout::scale(json& rs, int64_t size, bool onlyWhenSizeDiffers) {
  const bool sizeChanges = du::replicasOf(rs) != size;
  if (onlyWhenSizeDiffers && !sizeChanges) {
    return false;
  }
  const int64_t desired = du::replicasOf(d_), max = desired + du::maxSurge(d_);
  if (!sizeChanges && !du::replicasAnnotationsNeedUpdate(rs, desired, max)) {
    return false;
  }
  json copy = rs;
  copy["spec"]["replicas"] = size;
  du::setReplicasAnnotations(copy, desired, max);
  auto r = c_.client_.update(kReplicaSets, ns_, copy);
  if (!r.ok()) {
    return r.status();
  }
  if (sizeChanges) {
    const int64_t from = du::replicasOf(rs);
    c_.events_.record(
        client::objectReference(d_, "Deployment", "apps/v1"), "Normal", "ScalingReplicaSet",
        std::string("Scaled ") + (size > from ? "up" : "down") + " replica set " + nameOf(rs) +
            " from " + std::to_string(from) + " to " + std::to_string(size));
  }
  rs = std::move(*r);
  return sizeChanges;
}

Status Rollout::rolloutRolling() {
  auto sets = newAndOld(true);
  if (!sets.ok()) {
    return sets.status();
  }
  json& newRS = *sets->newRS;
  const int64_t want = du::replicasOf(d_);
  if (du::replicasOf(newRS) != want) {
    const int64_t target = du::replicasOf(newRS) > want
                               ? want
                               : du::newRSNewReplicas(d_, constPtrs(sets->all()), newRS);
    auto scaled = scale(newRS, target, true);
    if (!scaled.ok()) {
      return scaled.status();
    }
    if (*scaled) {
      return syncRolloutStatus(*sets);
    }
  }
  auto plan = du::oldReplicaSetScaleDowns(d_, constPtrs(sets->olds), newRS);
  for (const auto& [name, size] : plan) {
    for (json* rs : sets->olds) {
      if (nameOf(*rs) == name) {
        auto scaled = scale(*rs, size, true);
        if (!scaled.ok()) {
          return scaled.status();
        }
      }
    }
  }
  if (!plan.empty()) {
    return syncRolloutStatus(*sets);
  }
  if (du::deploymentComplete(d_, d_.value("status", json::object()))) {
    if (Status s = cleanup(sets->olds); !s.isOk()) {
      return s;
    }
  }
  return syncRolloutStatus(*sets);
}

bool Rollout::oldPodsRunning(const Sets& sets) {
  if (du::sumStatusReplicas(constPtrs(sets.olds)) > 0) {
    return true;
  }
  std::set<std::string> oldUids;
  for (const json* rs : sets.olds) {
    oldUids.insert(uidOf(*rs));
  }
  const json selector = d_["spec"].value("selector", json::object());
  for (const json& pod : c_.pods_.list(ns_)) {
    const json* ref = controllerOf(pod);
    if (ref == nullptr || !oldUids.count(ref->value("uid", "")) ||
        !selectorMatches(selector, labelsOf(pod))) {
      continue;
    }
    std::string phase = podPhase(pod);
    if (phase != "Failed" && phase != "Succeeded") {
      return true;
    }
  }
  return false;
}

Status Rollout::rolloutRecreate() {
  auto sets = newAndOld(false);
  if (!sets.ok()) {
    return sets.status();
  }
  bool scaledDown = false;
  for (json* rs : sets->olds) {
    if (du::replicasOf(*rs) != 0) {
      auto r = scale(*rs, 0, true);
      if (!r.ok()) {
        return r.status();
      }
      scaledDown = true;
    }
  }
  if (scaledDown || oldPodsRunning(*sets)) {
    return syncRolloutStatus(*sets);
  }
  if (sets->newRS == nullptr) {
    sets = newAndOld(true);
    if (!sets.ok()) {
      return sets.status();
    }
  }
  auto r = scale(*sets->newRS, du::replicasOf(d_), true);
  if (!r.ok()) {
    return r.status();
  }
  if (du::deploymentComplete(d_, d_.value("status", json::object()))) {
    if (Status s = cleanup(sets->olds); !s.isOk()) {
      return s;
    }
  }
  return syncRolloutStatus(*sets);
}

Result<bool> Rollout::isScalingEvent() {
  auto sets = newAndOld(false);
  if (!sets.ok()) {
    return sets.status();
  }
  for (const json* rs : du::activeOnly(constPtrs(sets->all()))) {
    auto desired = du::intAnnotation(*rs, du::kDesiredReplicas);
    if (desired && *desired != du::replicasOf(d_)) {
      return true;
    }
  }
  return false;
}

Status Rollout::scaleSets(const Sets& sets) {
  if (const json* only = du::findActiveOrLatest(sets.newRS, constPtrs(sets.olds))) {
    if (du::replicasOf(*only) == du::replicasOf(d_)) {
      return Status::ok();
    }
    auto r = scale(*const_cast<json*>(only), du::replicasOf(d_), true);
    return r.status();
  }
  if (du::isSaturated(d_, sets.newRS)) {
    for (json* rs : sets.olds) {
      if (du::replicasOf(*rs) > 0) {
        if (auto r = scale(*rs, 0, true); !r.ok()) {
          return r.status();
        }
      }
    }
    return Status::ok();
  }
  if (!du::isRollingUpdate(d_)) {
    return Status::ok();
  }
  std::vector<json*> all = sets.all();
  auto sizes = du::proportionalSizes(d_, du::activeOnly(constPtrs(all)));
  for (const auto& [name, size] : sizes) {
    for (json* rs : all) {
      if (nameOf(*rs) == name) {
        if (auto r = scale(*rs, size, false); !r.ok()) {
          return r.status();
        }
      }
    }
  }
  return Status::ok();
}

Status Rollout::syncScale() {
  auto sets = newAndOld(false);
  if (!sets.ok()) {
    return sets.status();
  }
  if (Status s = scaleSets(*sets); !s.isOk()) {
    return s;
  }
  if (d_["spec"].value("paused", false)) {
    if (Status s = cleanup(sets->olds); !s.isOk()) {
      return s;
    }
  }
  return syncStatus(*sets);
}

Status Rollout::checkPausedConditions() {
  if (!du::hasProgressDeadline(d_)) {
    return Status::ok();
  }
  json status = d_.value("status", json::object());
  const json* cond = du::getCondition(status, "Progressing");
  if (cond != nullptr && cond->value("reason", "") == "ProgressDeadlineExceeded") {
    return Status::ok();
  }
  const bool pausedCond = cond != nullptr && cond->value("reason", "") == "DeploymentPaused";
  const bool paused = d_["spec"].value("paused", false);
  const auto now = std::chrono::system_clock::now();
  if (paused && !pausedCond) {
    du::setCondition(status, du::newCondition("Progressing", "Unknown", "DeploymentPaused",
                                              "Deployment is paused", now));
  } else if (!paused && pausedCond) {
    du::setCondition(status, du::newCondition("Progressing", "Unknown", "DeploymentResumed",
                                              "Deployment is resumed", now));
  } else {
    return Status::ok();
  }
  return updateStatus(status);
}

Status Rollout::cleanup(const std::vector<json*>& olds) {
  const json* limit = at(d_, {"spec", "revisionHistoryLimit"});
  if (limit == nullptr || !limit->is_number_integer()) {
    return Status::ok();
  }
  std::vector<const json*> cleanable;
  for (const json* rs : olds) {
    if (!beingDeleted(*rs)) {
      cleanable.push_back(rs);
    }
  }
  const int64_t diff = static_cast<int64_t>(cleanable.size()) - limit->get<int64_t>();
  if (diff <= 0) {
    return Status::ok();
  }
  du::sortByRevision(cleanable);
  for (int64_t i = 0; i < diff; ++i) {
    const json& rs = *cleanable[i];
    if (intAt(rs, {"status", "replicas"}) != 0 || du::replicasOf(rs) != 0 ||
        intAt(rs, {"metadata", "generation"}) > intAt(rs, {"status", "observedGeneration"}) ||
        beingDeleted(rs)) {
      continue;
    }
    auto r = c_.client_.remove(kReplicaSets, ns_, nameOf(rs));
    if (!r.ok() && r.status().code() != Code::kNotFound) {
      return r.status();
    }
  }
  return Status::ok();
}

Status Rollout::syncStatus(const Sets& sets) {
  json status = du::calculateStatus(constPtrs(sets.all()), sets.newRS, d_,
                                    std::chrono::system_clock::now());
  if (status == d_.value("status", json::object())) {
    return Status::ok();
  }
  return updateStatus(status);
}

Status Rollout::syncRolloutStatus(const Sets& sets) {
  const auto now = std::chrono::system_clock::now();
  const std::vector<const json*> all = constPtrs(sets.all());
  json status = du::calculateStatus(all, sets.newRS, d_, now);
  if (!du::hasProgressDeadline(d_)) {
    du::removeCondition(status, "Progressing");
  }
  const json oldStatus = d_.value("status", json::object());
  const json* current = du::getCondition(oldStatus, "Progressing");
  const bool complete = intAt(status, {"replicas"}) == intAt(status, {"updatedReplicas"}) &&
                        current != nullptr &&
                        current->value("reason", "") == "NewReplicaSetAvailable";
  const std::string subject = sets.newRS != nullptr
                                  ? "ReplicaSet \"" + nameOf(*sets.newRS) + "\""
                                  : "Deployment \"" + nameOf(d_) + "\"";
  if (du::hasProgressDeadline(d_) && !complete) {
    if (du::deploymentComplete(d_, status)) {
      du::setCondition(status, du::newCondition("Progressing", "True", "NewReplicaSetAvailable",
                                                subject + " has successfully progressed.", now));
    } else if (du::deploymentProgressing(d_, status)) {
      json cond = du::newCondition("Progressing", "True", "ReplicaSetUpdated",
                                   subject + " is progressing.", now);
      if (current != nullptr) {
        if (current->value("status", "") == "True") {
          cond["lastTransitionTime"] = current->value("lastTransitionTime", json());
        }
        du::removeCondition(status, "Progressing");
      }
      du::setCondition(status, cond);
    } else if (du::deploymentTimedOut(d_, status, now)) {
      du::setCondition(status, du::newCondition("Progressing", "False",
                                                "ProgressDeadlineExceeded",
                                                subject + " has timed out progressing.", now));
    }
  }
  // The new ReplicaSet's failures first, else any other's; one ReplicaFailure at most.
  std::optional<json> failure;
  auto failureOf = [](const json* rs) -> std::optional<json> {
    if (rs == nullptr) {
      return std::nullopt;
    }
    const json* c = findCondition(*rs, "ReplicaFailure");
    if (c == nullptr) {
      return std::nullopt;
    }
    json t = c->value("lastTransitionTime", json());
    return json{{"type", "ReplicaFailure"},          {"status", c->value("status", "")},
                {"lastUpdateTime", t},               {"lastTransitionTime", t},
                {"reason", c->value("reason", "")}, {"message", c->value("message", "")}};
  };
  failure = failureOf(sets.newRS);
  for (const json* rs : all) {
    if (!failure) {
      failure = failureOf(rs);
    }
  }
  if (failure) {
    du::setCondition(status, *failure);
  } else {
    du::removeCondition(status, "ReplicaFailure");
  }
  if (status == oldStatus) {
    requeueStuck(status);
    return Status::ok();
  }
  return updateStatus(status);
}

void Rollout::requeueStuck(const json& newStatus) {
  const json current = d_.value("status", json::object());  // cond points into it
  const json* cond = du::getCondition(current, "Progressing");
  if (!du::hasProgressDeadline(d_) || cond == nullptr) {
    return;
  }
  if (du::deploymentComplete(d_, newStatus) ||
      cond->value("reason", "") == "ProgressDeadlineExceeded") {
    return;
  }
  auto updated = parseTime(cond->value("lastUpdateTime", ""));
  if (!updated) {
    return;
  }
  auto after = *updated + std::chrono::seconds(intAt(d_, {"spec", "progressDeadlineSeconds"})) -
               std::chrono::system_clock::now();
  if (after < std::chrono::seconds(1)) {
    c_.queue_.addRateLimited(key_);
  } else {
    c_.queue_.addAfter(key_, std::chrono::duration_cast<std::chrono::milliseconds>(after));
  }
}

}  // namespace tug::controllers
