#include "controllers/workload/workload_controllers.h"

namespace tug::controllers {

WorkloadControllers::WorkloadControllers(client::Client& client, Enabled enabled,
                                         client::Informer* sharedPods)
    : ownPods_(sharedPods != nullptr ? nullptr
                                     : std::make_unique<client::Informer>(
                                           client, client::Resource{"", "v1", "pods", true})),
      pods_(sharedPods != nullptr ? *sharedPods : *ownPods_),
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
  if (ownPods_) {
    ownPods_->start();
  }
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
  std::vector<client::Informer*> informers = {&claims_, &controllerRevisions_, &statefulSets_,
                                              &deployments_, &replicaSets_};
  if (ownPods_) {
    informers.push_back(ownPods_.get());
  }
  client::stopInformers(informers);
}

}  // namespace tug::controllers
