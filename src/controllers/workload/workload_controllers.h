#pragma once

#include <memory>

#include "client/client.h"
#include "client/shared_informers.h"
#include "controllers/deployment/deployment_controller.h"
#include "controllers/replicaset/replicaset_controller.h"
#include "controllers/statefulset/statefulset_controller.h"

// The ReplicaSet, Deployment and StatefulSet controllers, built only when enabled, on the shared
// informers they read (pods, ReplicaSets, Deployments, StatefulSets, ControllerRevisions,
// PersistentVolumeClaims).
namespace tug::controllers {

class WorkloadControllers {
 public:
  // Either controller may be left off (kube-controller-manager's --controllers does the same).
  struct Enabled {
    bool replicaSets;
    bool deployments;
    bool statefulSets;
  };
  // The informers' owner starts them after every controller is built, and before start().
  WorkloadControllers(client::Client& client, client::SharedInformers& informers,
                      Enabled enabled = Enabled{true, true, true});
  ~WorkloadControllers();

  void start();
  void stop();

 private:
  std::unique_ptr<ReplicaSetController> replicaSetController_;
  std::unique_ptr<DeploymentController> deploymentController_;
  std::unique_ptr<StatefulSetController> statefulSetController_;
};

}  // namespace tug::controllers
