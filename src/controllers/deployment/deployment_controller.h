#pragma once

#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/event_recorder.h"
#include "client/informer.h"
#include "client/work_queue.h"
#include "controllers/workload/object_helpers.h"

// Rolls Deployments out through ReplicaSets, as upstream's deployment controller does: one
// ReplicaSet per template (named <deployment>-<pod-template-hash>), RollingUpdate within
// maxSurge and maxUnavailable or Recreate, proportional scaling mid-rollout, pause, revision
// annotations and history cleanup, the Progressing and Available conditions with the progress
// deadline, and the status `kubectl rollout status` waits on.
namespace tug::controllers {

class DeploymentController {
 public:
  struct Options {
    int workers = 2;
  };

  // The informers are shared; the caller starts them after every controller has registered
  // its handlers, and stops them after stop().
  DeploymentController(client::Client& client, client::Informer& pods,
                       client::Informer& replicaSets, client::Informer& deployments,
                       Options options);
  DeploymentController(client::Client& client, client::Informer& pods,
                       client::Informer& replicaSets, client::Informer& deployments)
      : DeploymentController(client, pods, replicaSets, deployments, Options()) {}
  ~DeploymentController();

  void start();
  void stop();

  // One pass over the Deployment "<namespace>/<name>".
  Status sync(const std::string& key);

 private:
  friend class Rollout;
  void work();
  void replicaSetAdded(const json& rs);
  void replicaSetUpdated(const json& old, const json& now);
  void replicaSetDeleted(const json& rs);
  void podDeleted(const json& pod);
  std::optional<json> resolve(const std::string& ns, const json& ref) const;
  void enqueueMatching(const json& rs);

  client::Client& client_;
  client::Informer& pods_;
  client::Informer& replicaSets_;
  client::Informer& deployments_;
  const Options options_;
  client::WorkQueue queue_;
  client::EventRecorder events_;
  std::vector<std::thread> workers_;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
