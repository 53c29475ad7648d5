#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/informer.h"
#include "client/work_queue.h"
#include "controllers/garbagecollector/decision.h"
#include "controllers/garbagecollector/graph.h"

// Deletes objects whose owners are gone, and carries out the deletion policies the API server
// records as finalizers, as upstream's garbage collector does:
//  - an object all of whose ownerReferences name objects that no longer exist (or whose uid
//    differs) is deleted in the background;
//  - an owner being deleted with the "foregroundDeletion" finalizer has its dependents deleted,
//    and loses the finalizer (and so goes) once no dependent with blockOwnerDeletion remains;
//  - an owner being deleted with the "orphan" finalizer has the references to it removed from
//    its dependents, then loses the finalizer.
// It watches every served resource that supports list, watch and delete (custom resources
// too; discovery is read again periodically), keeping only each object's metadata, and builds
// the ownership graph from it. Everything it does goes through the API.
namespace tug::controllers {

class GarbageCollector {
 public:
  struct Options {
    std::chrono::milliseconds resyncPeriod = std::chrono::seconds(30);  // discovery
    int deleteWorkers = 2;
    // How long the first sync waits for the informers' lists before work starts anyway.
    std::chrono::milliseconds initialSyncTimeout = std::chrono::seconds(60);
  };

  explicit GarbageCollector(client::Client& client);
  GarbageCollector(client::Client& client, Options options);
  ~GarbageCollector();

  void start();
  void stop();

  // For tests and figures: the resources watched and the objects in the graph.
  size_t watchedResources() const;
  size_t graphSize() const { return graph_.size(); }

 private:
  struct Monitor;

  void run();
  // Reads discovery; starts informers for new resources and stops those of vanished ones.
  Status syncMonitors();
  void onEvent(const client::ServedResource& r, const client::json* old, const client::json* now);
  void enqueue(const gc::Graph::Work& work);

  void deleteWorker();
  void orphanWorker();
  Status attemptToDelete(const std::string& uid);
  Status processDeletingDependents(const gc::Graph::Node& node);
  Status attemptToOrphan(const std::string& uid);

  // API helpers.
  Result<client::ServedResource> resourceFor(const std::string& apiVersion,
                                             const std::string& kind) const;
  Result<client::json> getObject(const gc::Identity& identity);
  Result<std::vector<gc::ClassifiedOwner>> classifyOwners(const gc::ObjectMeta& item);
  Status patchObject(const gc::Identity& identity, const std::string& jsonPatch);
  Status removeFinalizer(const gc::Identity& identity, const std::string& finalizer);
  Status removeOwnerReferences(const gc::Identity& identity,
                               const std::vector<std::string>& ownerUids);
  Status deleteObject(const gc::Identity& identity, const std::string& policy);

  // The owners known to be gone (upstream's absentOwnerCache), bounded.
  bool knownAbsent(const std::string& key);
  void recordAbsent(const std::string& key);

  client::Client& client_;
  const Options options_;
  gc::Graph graph_;
  client::WorkQueue attemptToDelete_, attemptToOrphan_;

  mutable std::mutex mu_;
  std::map<std::string, std::unique_ptr<Monitor>> monitors_;  // by "<group>/<resource>"
  std::map<std::pair<std::string, std::string>, client::ServedResource> byKind_;  // group, kind
  std::set<std::string> absent_;
  std::deque<std::string> absentOrder_;

  std::mutex stopMu_;
  std::condition_variable stopCv_;
  bool stopping_ = false;
  std::thread runner_;
  std::vector<std::thread> workers_;
};

}  // namespace tug::controllers
