#include "controllers/workload/workload_controllers.h"

namespace tug::controllers {

WorkloadControllers::WorkloadControllers(client::Client& client, Enabled enabled)
    : pods_(client, client::Resource{"", "v1", "pods", true}),
      replicaSets_(client, client::Resource{"apps", "v1", "replicasets", true}),
      deployments_(client, client::Resource{"apps", "v1", "deployments", true}),
      statefulSets_(client, client::Resource{"apps", "v1", "statefulsets", true}),
      controllerRevisions_(client, client::Resource{"apps", "v1", "controllerrevisions", true}),
      claims_(client, client::Resource{"", "v1", "persistentvolumeclaims", true}),
      replicaSetController_(client, pods_, replicaSets_),
      deploymentController_(client, pods_, replicaSets_, deployments_),
      statefulSetController_(client, pods_, statefulSets_, controllerRevisions_, claims_),
      enabled_(enabled) {}

WorkloadControllers::~WorkloadControllers() { stop(); }

void WorkloadControllers::start() {
  started_ = true;
  pods_.start();
  replicaSets_.start();
  deployments_.start();
  if (enabled_.statefulSets) {
    statefulSets_.start();
    controllerRevisions_.start();
    claims_.start();
    statefulSetController_.start();
  }
  if (enabled_.replicaSets) {
    replicaSetController_.start();
  }
  if (enabled_.deployments) {
    deploymentController_.start();
  }
}

void WorkloadControllers::stop() {
  if (!started_) {
    return;
  }
  started_ = false;
  deploymentController_.stop();
  statefulSetController_.stop();
  replicaSetController_.stop();
  client::stopInformers({&claims_, &controllerRevisions_, &statefulSets_, &deployments_,
                         &replicaSets_, &pods_});
}

}  // namespace tug::controllers
