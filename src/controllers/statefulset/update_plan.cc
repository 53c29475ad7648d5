#include "controllers/statefulset/update_plan.h"

#include <algorithm>
#include <optional>

#include "controllers/statefulset/revisions.h"
#include "controllers/statefulset/stateful_pods.h"

namespace tug::controllers::statefulset {
namespace {

struct Counts {
  int64_t replicas = 0, ready = 0, available = 0, current = 0, updated = 0;
};

void count(Counts& c, const json& pod, int64_t minReady, const std::string& current,
           const std::string& update, TimePoint now) {
  if (!isCreated(pod)) {
    return;
  }
  ++c.replicas;
  if (isRunningAndReady(pod)) {
    ++c.ready;
    if (isRunningAndAvailable(pod, minReady, now)) {
      ++c.available;
    }
  }
  if (!isTerminating(pod)) {
    const std::string revision = podRevision(pod);
    c.current += revision == current ? 1 : 0;
    c.updated += revision == update ? 1 : 0;
  }
}

json renderStatus(const json& set, Counts c, const std::string& current, const std::string& update,
                  int64_t collisionCount) {
  std::string currentRevision = current;
  const bool rolling = !isOnDelete(set);
  const int64_t want = specReplicas(set);
  if (rolling && c.updated == want && c.ready == want && c.replicas == want) {
    c.current = c.updated;
    currentRevision = update;
  }
  json status = {{"observedGeneration", intAt(set, {"metadata", "generation"}, 0)},
                 {"replicas", c.replicas},
                 {"availableReplicas", c.available},
                 {"currentRevision", currentRevision},
                 {"updateRevision", update},
                 {"collisionCount", collisionCount}};
  if (c.ready != 0) {
    status["readyReplicas"] = c.ready;
  }
  if (c.current != 0) {
    status["currentReplicas"] = c.current;
  }
  if (c.updated != 0) {
    status["updatedReplicas"] = c.updated;
  }
  return status;
}

// Step 1 for one replica. Returns true when an ordered plan must end here.
bool planReplica(const json& updateSet, bool ordered, const json& pod, int64_t minReady,
                 TimePoint now, const ClaimLookup& claims, std::vector<PodAction>& out) {
  if (isFailedOrSucceeded(pod)) {
    if (!isTerminating(pod)) {
      out.push_back({PodStep::kDelete, pod, "failed"});
    }
    return true;
  }
  if (!isCreated(pod)) {
    if (claims && podClaimIsStale(updateSet, pod, claims)) {
      return true;
    }
    out.push_back({PodStep::kCreate, pod, ""});
    return ordered;
  }
  if (isPending(pod)) {
    out.push_back({PodStep::kCreateClaims, pod, ""});
  }
  if (ordered && (isTerminating(pod) || !isRunningAndReady(pod) ||
                  !isRunningAndAvailable(pod, minReady, now))) {
    return true;
  }
  if (!identityMatches(updateSet, pod) || !storageMatches(updateSet, pod)) {
    json fixed = pod;
    updateIdentity(updateSet, fixed);
    if (!storageMatches(updateSet, pod)) {
      updateStorage(updateSet, fixed);
    }
    out.push_back({PodStep::kUpdate, std::move(fixed), ""});
  } else if (claims && !claimsMatchPolicy(updateSet, pod, claims)) {
    out.push_back({PodStep::kFixClaims, pod, ""});
  }
  return false;
}

struct Members {
  std::vector<std::optional<json>> slots;  // by ordinal - start, within the range
  std::vector<json> condemned;             // outside it, highest ordinal first
};

Members sortMembers(const json& set, const std::vector<json>& pods) {
  Members m;
  m.slots.resize(static_cast<size_t>(std::max<int64_t>(0, specReplicas(set))));
  for (const json& pod : pods) {
    if (inOrdinalRange(set, pod)) {
      m.slots[ordinalOf(pod) - startOrdinal(set)] = pod;
    } else if (ordinalOf(pod) >= 0) {
      m.condemned.push_back(pod);
    }
  }
  std::sort(m.condemned.begin(), m.condemned.end(),
            [](const json& a, const json& b) { return ordinalOf(a) > ordinalOf(b); });
  return m;
}

// The first unavailable replica by ordinal, else the lowest unavailable condemned pod; "" when
// every pod is available.
std::string firstUnavailable(const std::vector<json>& replicas, const std::vector<json>& condemned,
                             int64_t minReady, TimePoint now) {
  for (const json& pod : replicas) {
    if (isUnavailable(pod, minReady, now)) {
      return nameOf(pod);
    }
  }
  for (auto it = condemned.rbegin(); it != condemned.rend(); ++it) {
    if (isUnavailable(*it, minReady, now)) {
      return nameOf(*it);
    }
  }
  return "";
}

}  // namespace

json versionedPod(const json& currentSet, const json& updateSet, const std::string& current,
                  const std::string& update, int ordinal) {
  const json* strategy = at(currentSet, {"spec", "updateStrategy"});
  const bool hasRollingUpdate = strategy != nullptr && strategy->is_object() &&
                                strategy->contains("rollingUpdate") &&
                                (*strategy)["rollingUpdate"].is_object();
  const int start = startOrdinal(currentSet);
  bool atCurrent = false;
  if (hasRollingUpdate) {
    atCurrent = ordinal < start + partition(currentSet);
  } else if (!isOnDelete(currentSet)) {
    atCurrent = ordinal < start + intAt(currentSet, {"status", "currentReplicas"}, 0);
  }
  return atCurrent ? newPod(currentSet, ordinal, current) : newPod(updateSet, ordinal, update);
}

SyncPlan planSync(const json& set, const json& current, const json& update, int64_t collisionCount,
                  const std::vector<json>& pods, TimePoint now, const ClaimLookup& claims) {
  const json currentSet = applyRevision(set, current);
  const json updateSet = applyRevision(set, update);
  const std::string currentName = nameOf(current), updateName = nameOf(update);
  const int64_t minReady = minReadySeconds(set);
  const int replicaCount = static_cast<int>(std::max<int64_t>(0, specReplicas(set)));

  Members members = sortMembers(set, pods);
  std::vector<json> replicas;
  for (int i = 0; i < replicaCount; ++i) {
    replicas.push_back(members.slots[i] ? *members.slots[i]
                                        : versionedPod(currentSet, updateSet, currentName,
                                                       updateName, startOrdinal(set) + i));
  }
  const std::vector<json>& condemned = members.condemned;
  const std::string firstUnhealthy = firstUnavailable(replicas, condemned, minReady, now);
  Counts counts;
  for (const auto& list : {std::cref(replicas), std::cref(condemned)}) {
    for (const json& pod : list.get()) {
      count(counts, pod, minReady, currentName, updateName, now);
    }
  }

  SyncPlan plan;
  plan.ordered = !allowsBurst(set);
  auto finish = [&]() {
    plan.status = renderStatus(set, counts, currentName, updateName, collisionCount);
    return plan;
  };
  if (beingDeleted(set)) {
    return finish();
  }

  std::vector<PodAction>& forReplicas = plan.phases.emplace_back();
  for (const json& pod : replicas) {
    if (planReplica(updateSet, plan.ordered, pod, minReady, now, claims, forReplicas) &&
        plan.ordered) {
      return finish();
    }
  }

  if (claims) {
    std::vector<PodAction>& fixes = plan.phases.emplace_back();
    for (const json& pod : condemned) {
      if (!claimsMatchPolicy(updateSet, pod, claims)) {
        fixes.push_back({PodStep::kFixClaims, pod, ""});
      }
    }
  }
  std::vector<PodAction>& scaleDown = plan.phases.emplace_back();
  for (const json& pod : condemned) {
    if (isTerminating(pod)) {
      if (plan.ordered) {
        return finish();
      }
      continue;
    }
    if (plan.ordered && nameOf(pod) != firstUnhealthy &&
        (!isRunningAndReady(pod) || !isRunningAndAvailable(pod, minReady, now))) {
      return finish();
    }
    scaleDown.push_back({PodStep::kDelete, pod, "scale down"});
    if (plan.ordered) {
      return finish();
    }
  }

  if (isOnDelete(set)) {
    return finish();
  }
  std::vector<PodAction>& rolling = plan.phases.emplace_back();
  const int64_t updateMin = partition(set);
  for (int64_t target = replicaCount - 1; target >= updateMin; --target) {
    const json& pod = replicas[target];
    if (podRevision(pod) != updateName && !isTerminating(pod)) {
      rolling.push_back({PodStep::kDelete, pod, "update"});
      --counts.current;
      break;
    }
    if (isUnavailable(pod, minReady, now)) {
      break;
    }
  }
  return finish();
}

}  // namespace tug::controllers::statefulset
