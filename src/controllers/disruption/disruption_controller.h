#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/shared_informers.h"
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
  };
  // Reads the shared budgets and pods informers, which their owner starts after every
  // controller is built, and before start().
  DisruptionController(client::Client& client, client::SharedInformers& informers,
                       Options options);
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
  client::Informer &budgets_, &pods_;
  client::WorkQueue queue_;
  std::vector<std::thread> workers_;
  bool started_ = false;
  std::atomic<bool> stopping_{false};
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
