#pragma once

#include <memory>

#include "client/client.h"
#include "client/informer.h"
#include "controllers/deployment/deployment_controller.h"
#include "controllers/replicaset/replicaset_controller.h"

// The ReplicaSet and Deployment controllers with the informers they share (pods, ReplicaSets,
// Deployments): one watch and one cache of each for both.
namespace tug::controllers {

class WorkloadControllers {
 public:
  // Either controller may be left off (kube-controller-manager's --controllers does the same).
  struct Enabled {
    bool replicaSets;
    bool deployments;
  };
  explicit WorkloadControllers(client::Client& client, Enabled enabled = Enabled{true, true});
  ~WorkloadControllers();

  void start();
  void stop();

 private:
  client::Informer pods_, replicaSets_, deployments_;
  ReplicaSetController replicaSetController_;
  DeploymentController deploymentController_;
  const Enabled enabled_;
  bool started_ = false;
};

}  // namespace tug::controllers
