#pragma once

#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/event_recorder.h"
#include "client/informer.h"
#include "client/work_queue.h"
#include "controllers/workload/expectations.h"
#include "controllers/workload/object_helpers.h"

// Keeps spec.replicas pods for every ReplicaSet: creates them from the template (slow-start
// batches), adopts matching orphans, releases pods whose labels stopped matching, deletes the
// surplus in upstream's order, and writes status (replicas, fully labeled, ready, available,
// observedGeneration, ReplicaFailure). Expectations keep it from acting twice on a cache that
// has not yet seen its own writes.
namespace tug::controllers {

class ReplicaSetController {
 public:
  struct Options {
    int workers = 4;
    int createParallelism = 16;  // concurrent pod creates within one slow-start batch
  };

  // The informers are shared with other controllers; the caller starts them after every
  // controller has registered its handlers, and stops them after stop().
  ReplicaSetController(client::Client& client, client::Informer& pods,
                       client::Informer& replicaSets, Options options);
  ReplicaSetController(client::Client& client, client::Informer& pods,
                       client::Informer& replicaSets)
      : ReplicaSetController(client, pods, replicaSets, Options()) {}
  ~ReplicaSetController();

  void start();
  void stop();

  // One pass over the ReplicaSet "<namespace>/<name>".
  Status sync(const std::string& key);

 private:
  void work();
  void podAdded(const json& pod);
  void podUpdated(const json& old, const json& now);
  void podDeleted(const json& pod);
  // The ReplicaSet a controller reference names, when it is in the cache with that uid.
  std::optional<json> resolve(const std::string& ns, const json& ref) const;
  void enqueueMatching(const json& pod);
  Status manage(const json& rs, const std::vector<json>& pods, const std::string& key);
  std::vector<json> relatedPods(const json& rs) const;
  Result<json> writeStatus(const json& rs, const json& status);

  client::Client& client_;
  client::Informer& pods_;
  client::Informer& replicaSets_;
  const Options options_;
  client::WorkQueue queue_;
  Expectations expectations_;
  client::EventRecorder events_;
  std::vector<std::thread> workers_;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
