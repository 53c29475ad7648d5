#pragma once

#include <memory>

#include "client/client.h"
#include "client/informer.h"
#include "controllers/deployment/deployment_controller.h"
#include "controllers/replicaset/replicaset_controller.h"
#include "controllers/statefulset/statefulset_controller.h"

// The ReplicaSet, Deployment and StatefulSet controllers with the informers they share (pods,
// ReplicaSets, Deployments, StatefulSets, ControllerRevisions, PersistentVolumeClaims): one watch
// and one cache of each.
namespace tug::controllers {

class WorkloadControllers {
 public:
  // Either controller may be left off (kube-controller-manager's --controllers does the same).
  struct Enabled {
    bool replicaSets;
    bool deployments;
    bool statefulSets;
  };
  explicit WorkloadControllers(client::Client& client, Enabled enabled = Enabled{true, true, true});
  ~WorkloadControllers();

  void start();
  void stop();

 private:
  client::Informer pods_, replicaSets_, deployments_;
  client::Informer statefulSets_, controllerRevisions_, claims_;
  ReplicaSetController replicaSetController_;
  DeploymentController deploymentController_;
  StatefulSetController statefulSetController_;
  const Enabled enabled_;
  bool started_ = false;
};

}  // namespace tug::controllers
