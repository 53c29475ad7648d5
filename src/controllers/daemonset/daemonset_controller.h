#pragma once

#include <memory>

#include <chrono>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/event_recorder.h"
#include "client/shared_informers.h"
#include "client/work_queue.h"
#include "controllers/daemonset/daemon_logic.h"
#include "controllers/workload/expectations.h"

// Keeps one pod of every DaemonSet on each node that should run it (nodeSelector, required
// node affinity, taints and tolerations), bound to its node by a metadata.name node affinity
// that the scheduler honours. It replaces deleted and failed pods, removes pods from nodes that
// stopped fitting, adopts matching orphans, records each template as a ControllerRevision,
// rolls pods to a new template (RollingUpdate with maxUnavailable/maxSurge, or OnDelete), and
// writes status. Upstream's kube-controller-manager daemon controller is the specification.
namespace tug::controllers {

class DaemonSetController {
 public:
  struct Options {
    int workers = 2;
    int createParallelism = 16;
  };
  // Reads the shared DaemonSets, pods, nodes and ControllerRevisions informers, which their
  // owner starts after every controller is built, and before start().
  DaemonSetController(client::Client& client, client::SharedInformers& informers,
                      Options options);
  DaemonSetController(client::Client& client, client::SharedInformers& informers)
      : DaemonSetController(client, informers, Options()) {}
  ~DaemonSetController();

  void start();
  void stop();

  // One pass over the DaemonSet "<namespace>/<name>".
  Status sync(const std::string& key);

 private:
  void podAdded(const json& pod);
  void podUpdated(const json& old, const json& now);
  void podDeleted(const json& pod);
  void nodeChanged(const json* old, const json& now);
  void revisionChanged(const json& revision);
  std::optional<json> resolve(const std::string& ns, const json& ref) const;
  void enqueueMatching(const json& obj);

  // The current ControllerRevision (created when missing) and the old ones.
  struct History {
    json current;
    std::vector<json> old;
  };
  Result<History> constructHistory(const json& ds);
  Result<json> snapshot(const json& ds, int64_t revision);
  // Moves the DaemonSet's pods labelled with revision hash `from` to hash `to`.
  Status relabelPods(const json& ds, const std::string& from, const std::string& to);
  Status cleanupHistory(const json& ds, const std::vector<json>& old,
                        const daemonset::NodePods& pods);
  Result<daemonset::NodePods> claimPods(const json& ds);
  Status manage(const json& ds, const std::vector<json>& nodes, const daemonset::NodePods& pods,
                const std::string& hash, const std::string& key);
  Status syncNodes(const json& ds, const std::vector<json>& remove,
                   const std::vector<std::string>& createOn, const std::string& hash,
                   const std::string& key);
  // Whether a failed pod on `node` may be deleted now (per-node exponential backoff).
  bool failedPodBackoffOver(const std::string& key, const std::string& node);
  Status writeStatus(const json& ds, const json& status);
  bool canAdopt(const json& ds);

  client::Client& client_;
  const Options options_;
  client::Informer &daemonSets_, &pods_, &nodes_, &revisions_;
  client::WorkQueue queue_;
  Expectations expectations_;
  client::EventRecorder events_;
  std::mutex backoffMu_;
  struct Backoff {
    std::chrono::steady_clock::time_point until;
    std::chrono::milliseconds delay{0};
  };
  std::map<std::string, Backoff> failedBackoff_;  // "<ds key>/<node>"
  std::vector<std::thread> workers_;
  bool started_ = false;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
