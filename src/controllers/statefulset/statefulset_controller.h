#pragma once

#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/event_recorder.h"
#include "client/informer.h"
#include "client/work_queue.h"
#include "controllers/statefulset/update_plan.h"
#include "controllers/workload/object_helpers.h"

// Keeps every StatefulSet's pods: "<set>-<ordinal>" with stable identity and claims, created in
// order and removed from the highest ordinal under OrderedReady (all at once under Parallel),
// recreated when deleted or failed, rolled to the set's newest ControllerRevision from the
// highest ordinal down to the partition, and reports status (replicas, ready, available,
// current and updated counts and revisions). Pods and revisions the set's selector matches are
// adopted, its pods that stop matching released. Upstream's pkg/controller/statefulset is the
// specification.
namespace tug::controllers {

class StatefulSetController {
 public:
  struct Options {
    int workers = 2;
    int parallelism = 16;  // concurrent pod writes of one Parallel batch
  };

  // The informers may be shared with other controllers; the caller starts them after every
  // controller has registered its handlers, and stops them after stop().
  StatefulSetController(client::Client& client, client::Informer& pods,
                        client::Informer& statefulSets, client::Informer& revisions,
                        client::Informer& claims, Options options);
  StatefulSetController(client::Client& client, client::Informer& pods,
                        client::Informer& statefulSets, client::Informer& revisions,
                        client::Informer& claims)
      : StatefulSetController(client, pods, statefulSets, revisions, claims, Options()) {}
  ~StatefulSetController();

  void start();
  void stop();

  // One pass over the StatefulSet "<namespace>/<name>".
  Status sync(const std::string& key);

 private:
  struct Revisions {
    json current, update;
    int64_t collisionCount = 0;
    std::vector<json> all;  // sorted
  };

  void podAdded(const json& pod);
  void podUpdated(const json& old, const json& now);
  void podDeleted(const json& pod);
  std::optional<json> resolve(const std::string& ns, const json& ref) const;
  // Enqueues the sets in obj's namespace whose selector matches its labels.
  void enqueueMatching(const json& obj);

  Result<bool> canAdopt(const json& set);
  Result<std::vector<json>> claimPods(const json& set);
  Result<std::vector<json>> claimRevisions(const json& set);
  Result<Revisions> revisionsOf(const json& set, std::vector<json> revisions);
  Result<json> createRevision(const json& set, json revision, int64_t& collisionCount);
  Status truncateHistory(const json& set, const Revisions& revisions,
                         const std::vector<json>& pods);

  Status run(const json& set, const statefulset::SyncPlan& plan);
  Status perform(const json& set, const statefulset::PodAction& action);
  Status createClaims(const json& set, const json& pod);
  Status createPod(const json& set, const json& pod);
  Status updatePod(const json& set, const json& pod);
  Status deletePod(const json& set, const json& pod);
  Status fixClaims(const json& set, const json& pod);
  Status writeStatus(const json& set, json status);
  void podEvent(const json& set, const std::string& verb, const json& pod, const Status& s);

  client::Client& client_;
  client::Informer& pods_;
  client::Informer& statefulSets_;
  client::Informer& revisions_;
  client::Informer& claims_;
  const Options options_;
  client::WorkQueue queue_;
  client::EventRecorder events_;
  std::vector<std::thread> workers_;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
