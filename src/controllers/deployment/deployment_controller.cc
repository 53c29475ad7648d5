#include "controllers/deployment/deployment_controller.h"

#include "common/log.h"
#include "controllers/deployment/deployment_util.h"
#include "controllers/deployment/rollout.h"
#include "controllers/workload/sync_worker.h"

namespace tug::controllers {
namespace {

constexpr const char* kLog = "deployment-controller";

namespace du = deployment;

std::string keyOf(const json& obj) { return client::keyOf(namespaceOf(obj), nameOf(obj)); }

}  // namespace

DeploymentController::DeploymentController(client::Client& client, client::Informer& pods,
                                           client::Informer& replicaSets,
                                           client::Informer& deployments, Options options)
    : client_(client),
      pods_(pods),
      replicaSets_(replicaSets),
      deployments_(deployments),
      options_(options),
      events_(client, client::EventSource{"deployment-controller", ""}) {
  handlers_ += deployments_.addHandlers(
      client::EventHandlers{[this](const json& d) { queue_.add(keyOf(d)); },
                            [this](const json&, const json& now) { queue_.add(keyOf(now)); },
                            [this](const json& d) { queue_.add(keyOf(d)); }});
  handlers_ += replicaSets_.addHandlers(client::EventHandlers{
      [this](const json& rs) { replicaSetAdded(rs); },
      [this](const json& old, const json& now) { replicaSetUpdated(old, now); },
      [this](const json& rs) { replicaSetDeleted(rs); }});
  handlers_ += pods_.addHandlers(
      client::EventHandlers{nullptr, nullptr, [this](const json& pod) { podDeleted(pod); }});
}

DeploymentController::~DeploymentController() { stop(); }

void DeploymentController::start() {
  for (int i = 0; i < options_.workers; ++i) {
    workers_.emplace_back([this] { work(); });
  }
}

void DeploymentController::stop() {
  queue_.shutDown();
  for (auto& w : workers_) {
    if (w.joinable()) {
      w.join();
    }
  }
  workers_.clear();
}

void DeploymentController::work() {
  runSyncWorker(queue_, kLog, "deployment", [this](const std::string& key) { return sync(key); });
}

Status DeploymentController::sync(const std::string& key) {
  auto [ns, name] = client::splitKey(key);
  auto d = deployments_.get(ns, name);
  if (!d) {
    return Status::ok();
  }
  Rollout rollout(*this, std::move(*d), key);
  return rollout.run();
}

std::optional<json> DeploymentController::resolve(const std::string& ns, const json& ref) const {
  if (ref.value("kind", "") != "Deployment") {
    return std::nullopt;
  }
  auto d = deployments_.get(ns, ref.value("name", ""));
  if (!d || uidOf(*d) != ref.value("uid", "")) {
    return std::nullopt;
  }
  return d;
}

void DeploymentController::enqueueMatching(const json& rs) {
  json labels = labelsOf(rs);
  for (const json& d : deployments_.list(namespaceOf(rs))) {
    const json* selector = at(d, {"spec", "selector"});
    if (selector != nullptr && !selectorIsEmpty(*selector) && selectorMatches(*selector, labels)) {
      queue_.add(keyOf(d));
    }
  }
}

void DeploymentController::replicaSetAdded(const json& rs) {
  if (beingDeleted(rs)) {
    replicaSetDeleted(rs);
    return;
  }
  if (const json* ref = controllerOf(rs)) {
    if (auto d = resolve(namespaceOf(rs), *ref)) {
      queue_.add(keyOf(*d));
    }
    return;
  }
  enqueueMatching(rs);
}

void DeploymentController::replicaSetUpdated(const json& old, const json& now) {
  if (metaString(old, "resourceVersion") == metaString(now, "resourceVersion")) {
    return;
  }
  const json* nowRef = controllerOf(now);
  const json* oldRef = controllerOf(old);
  const bool refChanged = (nowRef == nullptr) != (oldRef == nullptr) ||
                          (nowRef != nullptr && *nowRef != *oldRef);
  if (refChanged && oldRef != nullptr) {
    if (auto d = resolve(namespaceOf(old), *oldRef)) {
      queue_.add(keyOf(*d));
    }
  }
  if (nowRef != nullptr) {
    if (auto d = resolve(namespaceOf(now), *nowRef)) {
      queue_.add(keyOf(*d));
    }
    return;
  }
  if (refChanged || labelsOf(old) != labelsOf(now)) {
    enqueueMatching(now);
  }
}

void DeploymentController::replicaSetDeleted(const json& rs) {
  if (const json* ref = controllerOf(rs)) {
    if (auto d = resolve(namespaceOf(rs), *ref)) {
      queue_.add(keyOf(*d));
    }
  }
}

// Recreate waits for the old pods to go; their deletion is what lets it go on.
void DeploymentController::podDeleted(const json& pod) {
  const json* ref = controllerOf(pod);
  if (ref == nullptr || ref->value("kind", "") != "ReplicaSet") {
    return;
  }
  auto rs = replicaSets_.get(namespaceOf(pod), ref->value("name", ""));
  if (!rs || uidOf(*rs) != ref->value("uid", "")) {
    return;
  }
  const json* rsRef = controllerOf(*rs);
  if (rsRef == nullptr) {
    return;
  }
  if (auto d = resolve(namespaceOf(*rs), *rsRef)) {
    if (!du::isRollingUpdate(*d)) {
      queue_.add(keyOf(*d));
    }
  }
}

}  // namespace tug::controllers
