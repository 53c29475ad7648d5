#include "controllers/disruption/disruption_controller.h"

#include "common/log.h"
#include "controllers/workload/sync_worker.h"

namespace tug::controllers {
namespace {

constexpr const char* kLog = "disruption-controller";
const client::Resource kPods{"", "v1", "pods", true};
const client::Resource kBudgets{"policy", "v1", "poddisruptionbudgets", true};
const client::Resource kReplicaSets{"apps", "v1", "replicasets", true};
const client::Resource kDeployments{"apps", "v1", "deployments", true};
const client::Resource kStatefulSets{"apps", "v1", "statefulsets", true};
const client::Resource kReplicationControllers{"", "v1", "replicationcontrollers", true};

std::string keyOf(const json& obj) { return client::keyOf(namespaceOf(obj), nameOf(obj)); }

std::string groupOf(const json& ref) {
  std::string apiVersion = ref.value("apiVersion", "");
  auto slash = apiVersion.find('/');
  return slash == std::string::npos ? "" : apiVersion.substr(0, slash);
}

// The object `ref` names, when it is there with the uid the reference has.
Result<std::optional<json>> getOwner(client::Client& c, const client::Resource& r,
                                     const std::string& ns, const json& ref) {
  auto obj = c.get(r, ns, ref.value("name", ""));
  if (!obj.ok()) {
    if (obj.status().code() == Code::kNotFound) {
      return std::optional<json>();
    }
    return obj.status();
  }
  if (uidOf(*obj) != ref.value("uid", "")) {
    return std::optional<json>();
  }
  return std::optional<json>(std::move(*obj));
}

disruption::ControllerScale scaleOf(const json& owner) {
  return {uidOf(owner), intAt(owner, {"spec", "replicas"}, 1)};
}

}  // namespace

DisruptionController::DisruptionController(client::Client& client,
                                           client::SharedInformers& informers, Options options)
    : client_(client),
      options_(options),
      budgets_(informers.get(kBudgets)),
      pods_(informers.get(kPods)) {
  handlers_ += budgets_.addHandlers(
      client::EventHandlers{[this](const json& b) { queue_.add(keyOf(b)); },
                            [this](const json&, const json& now) { queue_.add(keyOf(now)); },
                            [this](const json& b) { queue_.add(keyOf(b)); }});
  handlers_ +=
      pods_.addHandlers(client::EventHandlers{[this](const json& pod) { podChanged(pod); },
                                              [this](const json& old, const json& now) {
                                                // A pod that leaves a budget's selector changes
                                                // that budget too.
                                                if (labelsOf(old) != labelsOf(now)) {
                                                  podChanged(old);
                                                }
                                                podChanged(now);
                                              },
                                              [this](const json& pod) { podChanged(pod); }});
}

DisruptionController::~DisruptionController() { stop(); }

void DisruptionController::start() {
  started_ = true;
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] {
      // A status computed from a partly filled cache of pods could allow too much.
      for (client::Informer* informer : {&budgets_, &pods_}) {
        while (!stopping_ && !informer->waitForSync(std::chrono::milliseconds(200))) {
        }
      }
      runSyncWorker(queue_, kLog, "poddisruptionbudget",
                    [this](const std::string& key) { return sync(key); });
    });
  }
}

void DisruptionController::stop() {
  if (!started_) {
    return;
  }
  started_ = false;
  stopping_ = true;
  queue_.shutDown();
  for (auto& w : workers_) {
    if (w.joinable()) {
      w.join();
    }
  }
  workers_.clear();
}

void DisruptionController::podChanged(const json& pod) {
  for (const json& budget : budgets_.list(namespaceOf(pod))) {
    if (!disruption::podsForBudget(budget, {pod}).empty()) {
      queue_.add(keyOf(budget));
    }
  }
}

Status DisruptionController::sync(const std::string& key) {
  auto [ns, name] = client::splitKey(key);
  auto budget = budgets_.get(ns, name);
  if (!budget) {
    return Status::ok();
  }
  Status s = trySync(*budget, key);
  if (s.isOk() || s.code() == Code::kConflict) {
    return s;
  }
  TUG_LOG(kWarn, kLog) << "poddisruptionbudget " << key << ": " << s.message();
  // Fail closed: no evictions while the status cannot be computed.
  Status written = writeStatus(
      disruption::failSafeBudget(*budget, s.message(), std::chrono::system_clock::now()));
  return written.isOk() ? s : written;
}

Status DisruptionController::trySync(const json& budget, const std::string& key) {
  const std::vector<json> pods = disruption::podsForBudget(budget, pods_.list(namespaceOf(budget)));
  auto expected = disruption::expectedPodCount(
      budget, pods, [this](const json& ref, const std::string& ns) { return findScale(ref, ns); });
  if (!expected.ok()) {
    return expected.status();
  }
  const auto now = std::chrono::system_clock::now();
  disruption::DisruptedPods disrupted = disruption::disruptedPodMap(budget, pods, now);
  disruption::Counts counts{disruption::countHealthyPods(pods, disrupted.entries, now),
                            expected->desiredHealthy, expected->expected};
  if (auto next = disruption::updatedBudget(budget, counts, disrupted.entries, now)) {
    if (Status s = writeStatus(*next); !s.isOk()) {
      return s;
    }
  }
  if (disrupted.recheck) {
    queue_.addAfter(key, std::chrono::duration_cast<std::chrono::milliseconds>(
                             *disrupted.recheck - now + std::chrono::seconds(1)));
  }
  return Status::ok();
}

// Upstream's finders: a ReplicaSet that a Deployment controls counts as the Deployment.
Result<std::optional<disruption::ControllerScale>> DisruptionController::findScale(
    const json& ref, const std::string& ns) {
  using Found = std::optional<disruption::ControllerScale>;
  const std::string kind = ref.value("kind", "");
  const std::string group = groupOf(ref);
  const client::Resource* resource = nullptr;
  if (group == "apps" && kind == "ReplicaSet") {
    resource = &kReplicaSets;
  } else if (group == "apps" && kind == "StatefulSet") {
    resource = &kStatefulSets;
  } else if (group.empty() && kind == "ReplicationController") {
    resource = &kReplicationControllers;
  } else if (group == "apps" && kind == "Deployment") {
    resource = &kDeployments;
  } else {
    return Found();
  }
  auto owner = getOwner(client_, *resource, ns, ref);
  if (!owner.ok()) {
    return owner.status();
  }
  if (!owner->has_value()) {
    return Found();
  }
  if (resource == &kReplicaSets) {
    const json* parent = controllerOf(**owner);
    if (parent != nullptr && parent->value("kind", "") == "Deployment" &&
        groupOf(*parent) == "apps") {
      auto deployment = getOwner(client_, kDeployments, ns, *parent);
      if (!deployment.ok()) {
        return deployment.status();
      }
      return deployment->has_value() ? Found(scaleOf(**deployment)) : Found();
    }
  }
  return Found(scaleOf(**owner));
}

Status DisruptionController::writeStatus(const json& budget) {
  auto written = client_.update(kBudgets, namespaceOf(budget), budget, "status");
  return written.ok() ? Status::ok() : written.status();
}

}  // namespace tug::controllers
