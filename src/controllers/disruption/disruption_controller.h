#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/informer.h"
#include "client/work_queue.h"
#include "controllers/disruption/budget_status.h"

// Keeps the status of every policy/v1 PodDisruptionBudget: the pods it expects and how many of
// them must stay healthy, how many are healthy, how many disruptions it allows now (what the
// eviction subresource spends), the DisruptionAllowed condition, and the pods recently evicted
// that are not deleted yet. Upstream's kube-controller-manager disruption controller is the
// specification; the scale of a pod's controller (ReplicaSet, Deployment, StatefulSet,
// ReplicationController) is read through the client when needed.
namespace tug::controllers {

class DisruptionController {
 public:
  struct Options {
    int workers = 1;
    // A pods informer other controllers use too, started before start() and stopped after
    // stop() by its owner; without one the controller keeps its own.
    client::Informer* sharedPods = nullptr;
  };
  DisruptionController(client::Client& client, Options options);
  ~DisruptionController();

  void start();
  void stop();

  // One pass over the budget "<namespace>/<name>".
  Status sync(const std::string& key);

 private:
  void podChanged(const json& pod);
  Status trySync(const json& budget, const std::string& key);
  Result<std::optional<disruption::ControllerScale>> findScale(const json& ref,
                                                               const std::string& ns);
  Status writeStatus(const json& budget);

  client::Client& client_;
  const Options options_;
  client::Informer budgets_;
  std::unique_ptr<client::Informer> ownPods_;  // null when the pods informer is shared
  client::Informer& pods_;
  client::WorkQueue queue_;
  std::vector<std::thread> workers_;
  bool started_ = false;
  std::atomic<bool> stopping_{false};
};

}  // namespace tug::controllers
