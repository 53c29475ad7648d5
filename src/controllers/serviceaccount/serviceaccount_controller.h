#pragma once

#include <thread>

#include "client/client.h"
#include "client/informer.h"
#include "client/work_queue.h"

// Keeps a ServiceAccount named "default" in every active namespace: created with the
// namespace, and again if someone deletes it.
namespace tug::controllers {

class ServiceAccountController {
 public:
  explicit ServiceAccountController(client::Client& client);
  ~ServiceAccountController();

  void start();
  void stop();
  Status sync(const std::string& ns);

 private:
  void work();

  client::Client& client_;
  client::Informer namespaces_;
  client::Informer serviceAccounts_;
  client::WorkQueue queue_;
  std::thread worker_;
  // Last, so that it goes first: no handler runs while the rest is taken down.
  client::HandlerRegistrations handlers_;
};

}  // namespace tug::controllers
