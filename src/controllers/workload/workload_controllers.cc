#include "controllers/workload/workload_controllers.h"

namespace tug::controllers {
namespace {

const client::Resource kPods{"", "v1", "pods", true};
const client::Resource kReplicaSets{"apps", "v1", "replicasets", true};
const client::Resource kDeployments{"apps", "v1", "deployments", true};
const client::Resource kStatefulSets{"apps", "v1", "statefulsets", true};
const client::Resource kRevisions{"apps", "v1", "controllerrevisions", true};
const client::Resource kClaims{"", "v1", "persistentvolumeclaims", true};

}  // namespace

WorkloadControllers::WorkloadControllers(client::Client& client,
                                         client::SharedInformers& informers, Enabled enabled) {
  if (enabled.replicaSets) {
    replicaSetController_ = std::make_unique<ReplicaSetController>(
        client, informers.get(kPods), informers.get(kReplicaSets));
  }
  if (enabled.deployments) {
    deploymentController_ = std::make_unique<DeploymentController>(
        client, informers.get(kPods), informers.get(kReplicaSets), informers.get(kDeployments));
  }
  if (enabled.statefulSets) {
    statefulSetController_ = std::make_unique<StatefulSetController>(
        client, informers.get(kPods), informers.get(kStatefulSets), informers.get(kRevisions),
        informers.get(kClaims));
  }
}

WorkloadControllers::~WorkloadControllers() { stop(); }

void WorkloadControllers::start() {
  if (statefulSetController_) {
    statefulSetController_->start();
  }
  if (replicaSetController_) {
    replicaSetController_->start();
  }
  if (deploymentController_) {
    deploymentController_->start();
  }
}

void WorkloadControllers::stop() {
  if (deploymentController_) {
    deploymentController_->stop();
  }
  if (statefulSetController_) {
    statefulSetController_->stop();
  }
  if (replicaSetController_) {
    replicaSetController_->stop();
  }
}

}  // namespace tug::controllers
