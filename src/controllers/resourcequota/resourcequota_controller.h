#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "client/client.h"
#include "client/shared_informers.h"
#include "client/work_queue.h"

// Keeps each ResourceQuota's status: status.hard from spec.hard, status.used recounted from
// the objects of its namespace. Admission raises status.used as objects are created; this
// controller brings it back down when they go (deleted, or pods that finished), recounts when
// a quota's spec changes, and resyncs every quota periodically (upstream: every 5 minutes).
// Pod events come from the shared pods informer, but a sync lists the namespace's pods afresh
// (see visit()); services, claims, config maps, secrets and replication controllers come from
// informers that cache only metadata and the few fields usage needs; other
// count/<resource>.<group> names are listed when their quota syncs.
namespace tug::controllers {

class ResourceQuotaController {
 public:
  struct Options {
    std::chrono::milliseconds resyncPeriod = std::chrono::minutes(5);
  };

  // Reads the shared pods informer, which its owner starts after every controller is built,
  // and before start(); keeps its own informers of quotas and of the other kinds it counts.
  ResourceQuotaController(client::Client& client, client::SharedInformers& informers,
                          Options options);
  ~ResourceQuotaController();

  void start();
  void stop();
  // Brings the quota "<namespace>/<name>" up to date.
  Status sync(const std::string& key);

 private:
  void work();
  // Every quota of the namespace, for a recount.
  void enqueueNamespace(const std::string& ns);
  bool visit(const std::string& ns, const std::string& group, const std::string& resource,
             const std::function<void(const nlohmann::json&)>& fn);

  client::Client& client_;
  const Options options_;
  client::Informer& pods_;
  client::Informer quotas_;
  // The other kinds quotas count, by resource plural (core group).
  std::map<std::string, std::unique_ptr<client::Informer>> counted_;
  client::WorkQueue queue_;
  std::thread worker_;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
