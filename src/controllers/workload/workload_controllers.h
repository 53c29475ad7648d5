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
  // `sharedPods`: a pods informer other controllers use too, started before start() and
  // stopped after stop() by its owner; without one the controllers keep their own.
  explicit WorkloadControllers(client::Client& client, Enabled enabled = Enabled{true, true, true},
                               client::Informer* sharedPods = nullptr);
  ~WorkloadControllers();

  void start();
  void stop();

 private:
  std::unique_ptr<client::Informer> ownPods_;  // null when the pods informer is shared
  client::Informer& pods_;
  client::Informer replicaSets_, deployments_;
  client::Informer statefulSets_, controllerRevisions_, claims_;
  ReplicaSetController replicaSetController_;
  DeploymentController deploymentController_;
  StatefulSetController statefulSetController_;
  const Enabled enabled_;
  bool started_ = false;
};

}  // namespace tug::controllers
