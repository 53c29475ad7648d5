#pragma once

#include <chrono>
#include <thread>

#include "client/client.h"
#include "client/informer.h"
#include "client/work_queue.h"

// Deletes what a namespace holds once the namespace is being deleted, then lets it go: the
// API server marks a deleted namespace Terminating while its spec.finalizers still hold
// "kubernetes"; this controller deletes every namespaced object in it (through each served
// resource's delete collection), waits for objects that have finalizers of their own, and
// removes "kubernetes" through namespaces/<name>/finalize, after which the server deletes it.
namespace tug::controllers {

class NamespaceController {
 public:
  // Upstream's grace period: a namespace marked for deletion is processed this long after the
  // event, so that writes already under way (other API servers, a client deleting the
  // namespace and then its contents) land first.
  static constexpr std::chrono::milliseconds kDeletionGracePeriod{5000};

  explicit NamespaceController(client::Client& client,
                               std::chrono::milliseconds deletionGracePeriod = kDeletionGracePeriod);
  ~NamespaceController();

  void start();
  void stop();

  // One pass over the namespace `name`. OK when there is nothing (more) to do; Unavailable
  // while content remains (the caller retries later).
  Status sync(const std::string& name);

 private:
  void work();

  client::Client& client_;
  client::Informer namespaces_;
  client::WorkQueue queue_;
  std::thread worker_;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
